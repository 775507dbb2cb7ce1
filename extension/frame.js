// KeyScope's engine frame. Waits for the content script's private MessageChannel port (proved
// by the token it put in this frame's URL fragment, which the page cannot read because the
// frame sits in a closed shadow root), then answers every message: the Rust engine's requests
// when the engine runs here (Chromium; see extension/engine.js), and in every browser what only
// an extension page may do.
import init, { Engine } from './pkg/keyscope.js';

const token = location.hash.slice(1);
// The token has done its job once read; keep it out of anything that might show the URL.
history.replaceState(null, '', location.pathname);
let connected = false;
let engine = null; // Promise of the Engine, once it is asked for

// Compiles the engine on first use: where the content script runs it itself (Firefox), this
// frame never does.
function engineReady() {
  engine ??= init().then(() => new Engine());
  return engine;
}

addEventListener('message', (event) => {
  const port = event.ports[0];
  if (connected || !token || !port || event.data?.keyscopeToken !== token) return;
  connected = true;
  if (event.data.engine === false) {
    serve(port);
    return;
  }
  engineReady().then(
    () => serve(port),
    (error) => port.postMessage({ id: 0, answer: { type: 'fatal', reason: `the engine did not start (${error})` } }),
  );
});

// The languages KeyScope ships besides English (compiled into the engine).
const LOCALES = ['de'];

// The text of a language's messages.json, or null; an extension page may read its own files,
// the content script (under the page's CSP) should not.
async function messagesOf(locale) {
  if (!LOCALES.includes(locale)) return null;
  try {
    const response = await fetch(chrome.runtime.getURL(`_locales/${locale}/messages.json`));
    return await response.text();
  } catch {
    return null;
  }
}

// Adds the requested language's messages to an init request.
async function withMessages(request) {
  const messages = request?.type === 'init' ? await messagesOf(request.locale) : null;
  return messages === null ? request : { ...request, messages };
}

// ---- what only an extension page may do ------------------------------------------------
// The content script runs with the page's rights: it cannot see KeyScope's permissions, and a
// clipboard write there needs the page's user activation. This frame is an extension page, so
// it does these for the content script; neither carries a key or clipboard text, only yes or no.
const api = globalThis.browser ?? globalThis.chrome;

// A clipboard read that does not answer this soon counts as refused.
const CLIPBOARD_READ_MS = 3000;

// Whether the user granted what clipboard checking needs (settings.js names it per browser).
// Chromium gives this frame the permissions API. Firefox gives an extension frame inside a web
// page none, so there the frame tries a read, which Firefox answers only with clipboardRead:
// the frame never shares the page's user activation, so Firefox neither asks nor shows its
// paste menu. What the read returns is dropped unlooked-at.
async function clipboardAllowed() {
  const needed = KeyScopeSettings.clipboardPermissions();
  if (needed.permissions.length === 0) return false;
  try {
    if (api.permissions) return await api.permissions.contains(needed);
    let timer;
    const refused = new Promise((resolve, reject) => {
      timer = setTimeout(() => reject(new Error('no answer')), CLIPBOARD_READ_MS);
    });
    await Promise.race([navigator.clipboard.readText(), refused]).finally(() => clearTimeout(timer));
    return true;
  } catch {
    return false;
  }
}

// Empties the clipboard. Chromium: a copy event whose handler puts an empty text in place of
// the selection needs no permission in an extension page, not even focus or a click. Firefox
// does not deliver that event here, and clears with writeText(''), which clipboardWrite allows
// without a click.
async function clearClipboard() {
  let ran = false;
  const onCopy = (event) => {
    event.clipboardData.setData('text/plain', '');
    event.preventDefault();
    ran = true;
  };
  document.addEventListener('copy', onCopy, { capture: true });
  try {
    if (document.execCommand('copy') && ran) return true;
  } catch {
    // Fall through to the asynchronous clipboard.
  } finally {
    document.removeEventListener('copy', onCopy, { capture: true });
  }
  try {
    await navigator.clipboard.writeText('');
    return true;
  } catch {
    return false;
  }
}

const FRAME_REQUESTS = new Map([
  ['clipboard-allowed', async () => ({ type: 'clipboard-allowed', allowed: await clipboardAllowed() })],
  ['clipboard-clear', async () => ({ type: 'clipboard-clear', cleared: await clearClipboard() })],
  ['messages', async ({ locale }) => ({ type: 'messages', text: await messagesOf(locale) })],
  // The content script could not start the engine itself: run it here from now on.
  ['start-engine', () => engineReady().then(
    () => ({ type: 'engine-started' }),
    (error) => ({ type: 'fatal', reason: `the engine did not start (${error})` }),
  )],
]);

function serve(port) {
  let broken = null;

  // One request's answer.
  async function answer(data) {
    const own = FRAME_REQUESTS.get(data?.request?.type);
    // Not the engine's business, so answered even when the engine has failed.
    if (own) return own(data.request);
    if (data?.request?.type === 'init') data = { ...data, request: await withMessages(data.request) };
    if (broken) return { type: 'fatal', reason: broken };
    try {
      const running = await engineReady();
      return running.handle(data.request);
    } catch (error) {
      const reason = `${error?.message ?? error}`;
      if (!(error instanceof WebAssembly.RuntimeError)) return { type: 'error', message: reason };
      // A Rust panic aborts the instance: its memory can no longer be trusted, so every later
      // request gets the same plain answer and the content script turns KeyScope inactive.
      broken = `the engine failed (${reason})`;
      return { type: 'fatal', reason: broken };
    }
  }

  // A message is one request, or a batch of those made in one task of the content script
  // (extension/engine.js), answered together in their order.
  port.onmessage = async ({ data }) => {
    if (!Array.isArray(data?.batch)) {
      port.postMessage({ id: data?.id, answer: await answer(data) });
      return;
    }
    const answers = [];
    for (const item of data.batch) answers.push({ id: item?.id, answer: await answer(item) });
    port.postMessage({ batch: answers });
  };
  port.postMessage({ id: 0, answer: { type: 'connected' } });
}
