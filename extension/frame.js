// KeyScope's engine frame. Waits for the content script's private MessageChannel port (proved
// by the token it put in this frame's URL fragment, which the page cannot read because the
// frame sits in a closed shadow root), then answers every message with the Rust engine.
import init, { Engine } from './pkg/keyscope.js';

const token = location.hash.slice(1);
// The token has done its job once read; keep it out of anything that might show the URL.
history.replaceState(null, '', location.pathname);
const started = init();
let connected = false;

addEventListener('message', (event) => {
  const port = event.ports[0];
  if (connected || !token || !port || event.data?.keyscopeToken !== token) return;
  connected = true;
  started.then(
    () => serve(port, new Engine()),
    (error) => port.postMessage({ id: 0, answer: { type: 'fatal', reason: `the engine did not start (${error})` } }),
  );
});

// The languages KeyScope ships besides English (compiled into the engine).
const LOCALES = ['de'];

// Adds the text of the requested language's messages.json to an init request; an extension
// page may read its own files, the content script (under the page's CSP) should not.
async function withMessages(request) {
  if (request?.type !== 'init' || !LOCALES.includes(request.locale)) return request;
  try {
    const response = await fetch(chrome.runtime.getURL(`_locales/${request.locale}/messages.json`));
    return { ...request, messages: await response.text() };
  } catch {
    return request;
  }
}

function serve(port, engine) {
  let broken = null;
  port.onmessage = async ({ data }) => {
    if (data?.request?.type === 'init') data = { ...data, request: await withMessages(data.request) };
    if (broken) {
      port.postMessage({ id: data.id, answer: { type: 'fatal', reason: broken } });
      return;
    }
    try {
      port.postMessage({ id: data.id, answer: engine.handle(data.request) });
    } catch (error) {
      const reason = `${error?.message ?? error}`;
      if (!(error instanceof WebAssembly.RuntimeError)) {
        port.postMessage({ id: data.id, answer: { type: 'error', message: reason } });
        return;
      }
      // A Rust panic aborts the instance: its memory can no longer be trusted, so every later
      // request gets the same plain answer and the content script turns KeyScope inactive.
      broken = `the engine failed (${reason})`;
      port.postMessage({ id: data.id, answer: { type: 'fatal', reason: broken } });
    }
  };
  port.postMessage({ id: 0, answer: { type: 'connected' } });
}
