// Test-only content script, never in the shipped build: tests/e2e/harness.mjs adds it to a copy
// of the Firefox build (`extensionWithTestHooks`). There the engine runs in KeyScope's content
// script (extension/engine.js), which no test can reach from outside, as it can reach
// Chromium's engine frame. The content scripts of one extension share their module instances,
// so importing the engine's glue here gives the very engine KeyScope runs.
//
// The page asks with `document.dispatchEvent(new CustomEvent('keyscope-test', { detail }))`;
// the answer is a `data-keyscope-test-<detail>` attribute on <html> holding JSON:
//   'trap'        the engine's every later call traps, as an aborting Rust panic does
//   'memory'      the engine's WebAssembly memory in bytes
//   'watch-guard' from now on, the latest answer to the secret guard: { prompts, bytes }
//                 (`data-keyscope-test-guard`; the engine only ever knows masked keys)
//   'record-requests'  from now on, keep every request the engine handles, as JSON
//   'requests'    the requests kept since 'record-requests'
'use strict';

(() => {
  const note = (name, value) => document.documentElement.setAttribute(`data-keyscope-test-${name}`, JSON.stringify(value));
  const glue = () => import(chrome.runtime.getURL('pkg/keyscope.js'));

  let recorded = null;

  const hooks = {
    async trap() {
      const { Engine } = await glue();
      Engine.prototype.handle = () => {
        throw new WebAssembly.RuntimeError('unreachable');
      };
      return true;
    },
    async memory() {
      const { default: init } = await glue();
      return (await init()).memory.buffer.byteLength;
    },
    async 'watch-guard'() {
      const { Engine } = await glue();
      const handle = Engine.prototype.handle;
      Engine.prototype.handle = function (request) {
        const answer = handle.call(this, request);
        if (answer?.type === 'guard' && Array.isArray(answer.prompts)) {
          note('guard', { prompts: answer.prompts.length, bytes: JSON.stringify(answer).length });
        }
        return answer;
      };
      return true;
    },
    async 'record-requests'() {
      const { Engine } = await glue();
      const handle = Engine.prototype.handle;
      recorded = [];
      Engine.prototype.handle = function (request) {
        recorded.push(JSON.stringify(request));
        return handle.call(this, request);
      };
      return true;
    },
    requests: async () => recorded ?? [],
  };

  document.addEventListener('keyscope-test', async (event) => {
    const name = String(event.detail);
    const hook = hooks[name];
    if (hook) note(name, await hook());
  });
})();
