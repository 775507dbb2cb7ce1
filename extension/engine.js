// KeyScope content script: the private channel to the engine frame.
//
// The WebAssembly engine runs in an extension page inside a hidden iframe, because nuget.org's
// Content-Security-Policy applies to WebAssembly compiled in a content script (Chromium blocks
// it when enforced and reports it otherwise). The iframe sits in a closed shadow root, so the
// page's scripts cannot read its URL, which carries a one-time token; the token proves to the
// frame that the MessageChannel port it receives comes from this content script.
'use strict';

const KeyScopeEngine = (() => {
  const START_TIMEOUT_MS = 10000;
  // A round trip takes a few ms; an engine silent this long (its frame removed or crashed)
  // will not answer again.
  const ANSWER_TIMEOUT_MS = 5000;
  const STOPPED = { type: 'fatal', reason: 'the engine stopped answering' };
  const TICK_MS = 500;
  let stopped = false;
  let port = null;
  let nextId = 1;
  const pending = new Map();
  let onFatal = () => {};

  function randomToken() {
    const bytes = new Uint8Array(24);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  // The page's load event waits for every iframe in it; starting the engine frame only once
  // the page has loaded keeps KeyScope from ever delaying the page's own load.
  function pageLoaded() {
    if (document.readyState === 'complete') return Promise.resolve();
    return new Promise((resolve) => addEventListener('load', resolve, { once: true }));
  }

  // Starts the frame; resolves when the engine answers, rejects with a reason otherwise.
  async function start(fatal) {
    onFatal = fatal;
    await pageLoaded();
    return new Promise((resolve, reject) => {
      const token = randomToken();
      const host = document.createElement('div');
      host.setAttribute('data-keyscope', 'engine');
      host.className = 'keyscope-engine-host';
      const shadow = host.attachShadow({ mode: 'closed' });
      const frame = document.createElement('iframe');
      frame.setAttribute('aria-hidden', 'true');
      frame.tabIndex = -1;
      frame.title = 'KeyScope engine';
      frame.src = `${chrome.runtime.getURL('frame.html')}#${token}`;
      const timer = setTimeout(() => reject(new Error('the engine did not start in time')), START_TIMEOUT_MS);
      frame.addEventListener('load', () => {
        const channel = new MessageChannel();
        port = channel.port1;
        port.onmessage = ({ data }) => {
          const answer = data?.answer;
          if (!answer) return;
          if (data.id === 0) {
            clearTimeout(timer);
            if (answer.type === 'connected') resolve();
            else reject(new Error(answer.reason || 'the engine did not start'));
            return;
          }
          const waiter = pending.get(data.id);
          pending.delete(data.id);
          if (answer.type === 'fatal') onFatal(answer.reason);
          if (waiter) waiter(answer);
        };
        const origin = new URL(chrome.runtime.getURL('')).origin;
        frame.contentWindow.postMessage({ keyscopeToken: token }, origin, [channel.port2]);
      }, { once: true });
      shadow.append(frame);
      document.documentElement.append(host);
    });
  }

  // Runs `fn` once `ms` of free time have passed on this thread. nuget.org's page can freeze
  // for many seconds (recounting its rows); the answer then waits in the queue, maybe behind
  // this timer, so a tick that comes late is not counted as waiting.
  function afterIdle(ms, fn) {
    let left = ms;
    let last = Date.now();
    let timer = null;
    const tick = () => {
      const now = Date.now();
      if (now - last < TICK_MS * 2) left -= TICK_MS;
      last = now;
      if (left <= 0) fn();
      else timer = setTimeout(tick, TICK_MS);
    };
    timer = setTimeout(tick, TICK_MS);
    return () => clearTimeout(timer);
  }

  // Sends one request; resolves with the engine's answer, or `fatal` when none comes in time
  // (then KeyScope turns inactive, once, and the page acts alone).
  function request(message) {
    if (!port) return Promise.resolve({ type: 'error', message: 'the engine is not running' });
    if (stopped) return Promise.resolve(STOPPED);
    const id = nextId++;
    return new Promise((resolve) => {
      const cancel = afterIdle(ANSWER_TIMEOUT_MS, () => {
        pending.delete(id);
        resolve(STOPPED);
        if (!stopped) {
          stopped = true;
          onFatal(STOPPED.reason);
        }
      });
      pending.set(id, (answer) => {
        cancel();
        resolve(answer);
      });
      port.postMessage({ id, request: message });
    });
  }

  return { start, request };
})();
