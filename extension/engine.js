// KeyScope content script: the way to the Rust engine, wherever the browser lets it run.
//
// nuget.org's Content-Security-Policy decides where KeyScope's WebAssembly may be compiled:
// - Chromium applies the page's policy to WebAssembly compiled in a content script (blocked
//   when enforced, a violation report to nuget.org on every load otherwise). There the engine
//   runs in an extension page inside a hidden iframe, and every request is a round trip over
//   a private MessageChannel to that frame's process.
// - Firefox lets a content script compile it with neither a violation nor a report. There the
//   engine runs here, in the page's process, and answers a keystroke before the browser draws
//   the next frame (the round trip to another process costs about 3 ms a request).
// The build decides: it lists the engine's module as reachable from the page only in
// Firefox's copy (tools/build.mjs), and this file runs the engine here exactly when it is.
// Either way the iframe is started: it is an extension page, so it does for the content
// scripts what they may not (the clipboard checks, reading KeyScope's own files), and it
// runs the engine itself if the engine cannot start here.
//
// The iframe sits in a closed shadow root, so the page's scripts cannot read its URL, which
// carries a one-time token; the token proves to the frame that the MessageChannel port it
// receives comes from this content script.
'use strict';

const KeyScopeEngine = (() => {
  const START_TIMEOUT_MS = 10000;
  // A round trip takes a few ms; an engine silent this long (its frame removed or crashed)
  // will not answer again.
  const ANSWER_TIMEOUT_MS = 5000;
  const STOPPED = { type: 'fatal', reason: 'the engine stopped answering' };
  const TICK_MS = 500;
  const MODULE = 'pkg/keyscope.js';
  // Requests only an extension page can answer; the frame answers them wherever the engine runs.
  const FRAME_ONLY = new Set(['clipboard-allowed', 'clipboard-clear', 'messages']);
  let stopped = false;
  let port = null;
  let nextId = 1;
  const pending = new Map();
  // Engine requests made in one task go to the frame as one message, and their answers come
  // back as one: a keystroke in the page's field asks for its glob feedback and for the
  // preview, and both are then drawn in the same frame, after one round trip instead of two.
  let outbox = null;
  let onFatal = () => {};
  let here = null; // the engine running in this content script, when it does
  let broken = null; // why the engine running here can no longer be trusted

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

  // Whether this build lets the content script load the engine (Firefox's copy only).
  // Firefox hands the manifest back with each resource path starting with a slash.
  function engineRunsHere() {
    const reachable = chrome.runtime.getManifest().web_accessible_resources ?? [];
    return reachable.some((entry) => entry.resources?.some((path) => path.replace(/^\//, '') === MODULE));
  }

  // Compiles the engine in this content script; resolves with it, rejects with a reason.
  async function startHere() {
    const { default: init, Engine } = await import(chrome.runtime.getURL(MODULE));
    await init();
    return new Engine();
  }

  // Starts the frame; resolves once it is connected, rejects with a reason otherwise.
  // `withEngine`: whether the frame must run the engine too.
  function startFrame(withEngine) {
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
          if (data?.id === 0) {
            clearTimeout(timer);
            if (data.answer?.type === 'connected') resolve();
            else reject(new Error(data.answer?.reason || 'the engine did not start'));
            return;
          }
          for (const { id, answer } of Array.isArray(data?.batch) ? data.batch : [data]) {
            if (!answer) continue;
            const waiter = pending.get(id);
            pending.delete(id);
            if (answer.type === 'fatal') onFatal(answer.reason);
            if (waiter) waiter(answer);
          }
        };
        const origin = new URL(chrome.runtime.getURL('')).origin;
        frame.contentWindow.postMessage({ keyscopeToken: token, engine: withEngine }, origin, [channel.port2]);
      }, { once: true });
      shadow.append(frame);
      document.documentElement.append(host);
    });
  }

  // Starts the engine; resolves when it can answer, rejects with a reason otherwise.
  async function start(fatal) {
    onFatal = fatal;
    await pageLoaded();
    if (engineRunsHere()) {
      // Compiled while the frame loads; if it cannot start here, the frame runs it instead.
      const starting = startHere().catch(() => null);
      const framed = startFrame(false);
      here = await starting;
      if (here) return framed;
      await framed;
      return askFrame({ type: 'start-engine' }).then((answer) => {
        if (answer.type !== 'engine-started') throw new Error(answer.reason || 'the engine did not start');
      });
    }
    return startFrame(true);
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

  // One request to the frame; resolves with its answer, or `fatal` when none comes in time
  // (then KeyScope turns inactive, once, and the page acts alone).
  function askFrame(message) {
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
      // What only the frame does may take long (a clipboard read): it goes on its own.
      if (FRAME_ONLY.has(message?.type)) {
        port.postMessage({ id, request: message });
        return;
      }
      if (!outbox) {
        outbox = [];
        queueMicrotask(() => {
          port.postMessage({ batch: outbox });
          outbox = null;
        });
      }
      outbox.push({ id, request: message });
    });
  }

  // One request to the engine running here, answered in the same task (the caller's `await`
  // resumes before the browser draws). The frame supplies the language's messages for `init`.
  async function askHere(message) {
    if (message?.type === 'init' && message.locale) {
      const catalog = await askFrame({ type: 'messages', locale: message.locale });
      if (typeof catalog.text === 'string') message = { ...message, messages: catalog.text };
    }
    if (broken) return { type: 'fatal', reason: broken };
    try {
      return here.handle(message);
    } catch (error) {
      const reason = `${error?.message ?? error}`;
      if (!(error instanceof WebAssembly.RuntimeError)) return { type: 'error', message: reason };
      // A Rust panic aborts the instance: its memory can no longer be trusted, so every later
      // request gets the same plain answer, and KeyScope turns inactive.
      broken = `the engine failed (${reason})`;
      onFatal(broken);
      return { type: 'fatal', reason: broken };
    }
  }

  // Sends one request; resolves with the engine's (or the frame's) answer.
  function request(message) {
    if (here && !FRAME_ONLY.has(message?.type)) return askHere(message);
    return askFrame(message);
  }

  return { start, request };
})();
