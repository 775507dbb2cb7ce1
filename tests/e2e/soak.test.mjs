// Issue 6's soak, short form (the full one is `node tools/soak.mjs`, run by `./ks bench`): one
// page life on `large`, a few create → regenerate → delete cycles through the page's own UI
// and a few hundred keystrokes, then what KeyScope holds must not have grown beyond a small
// bound. See tools/soak.mjs for what each browser lets us measure.

import assert from 'node:assert/strict';

import { soak } from '../../tools/soak.mjs';
import { describeEachBrowser, extensionWithTestHooks, launchBrowser } from './harness.mjs';

const CYCLES = Number(process.env.KEYSCOPE_SOAK_CYCLES ?? 2);
const KEYSTROKES = Number(process.env.KEYSCOPE_SOAK_KEYSTROKES ?? 200);

/** Growth allowed between the start and the end of the short soak. */
const BOUNDS = {
  keyscopeElements: 0, // KeyScope's drawing is the same after the cycles as before
  keyscopeNodes: 0,
  listeners: 2, // (Chromium) event listeners in the document and on window
  domNodes: 0, // (Chromium) live DOM nodes in the renderer, detached ones included
  domListeners: 0, // (Chromium) live JS event listeners in the renderer, on detached nodes too
  wasmMemoryBytes: 4 * 1024 * 1024, // the engine's linear memory (never shrinks; allocator slack)
  engineHeapBytes: 1024 * 1024, // (Chromium) the engine frame's JS heap after GC
  // (Chromium) JS objects and functions alive in KeyScope's content scripts, counted exactly:
  // the same count at both ends over 1,000 cycles; a little room for what a redraw holds.
  keyscopeObjects: 64,
  keyscopeFunctions: 16,
  // The engine's latest answer to the secret guard. Every soak key is deleted by the time
  // of a measurement, so the engine says at most the prompt it just said closed (0 or 1 at
  // either end, depending on whether a tick came after it). A guard that kept every prompt
  // of the page life would list two more per cycle, and every guard message would grow.
  guardAnswerPrompts: 1,
};

/** (Chromium) What KeyScope's scripts allocated during the soak and still hold at its end. */
const KEYSCOPE_LIVE_BYTES = 1024 * 1024;

describeEachBrowser('soak (short)', (b) => {
  b.test(`${CYCLES} create/regenerate/delete cycles and ${KEYSTROKES} keystrokes on large leave KeyScope's memory, nodes and listeners flat`, async ({ page: suitePage }) => {
    // Firefox's engine runs in the content script, which the soak reads through test hooks.
    const hooked = b.browserName === 'firefox' ? extensionWithTestHooks() : null;
    const launched = hooked ? await launchBrowser('firefox', { port: b.demo.port, extension: hooked.dir }) : null;
    let result;
    try {
      const page = launched ? await launched.browser.newPage() : suitePage;
      result = await soak({ page, demo: b.demo, browserName: b.browserName, cycles: CYCLES, keystrokes: KEYSTROKES });
    } finally {
      await launched?.close();
      hooked?.remove();
    }
    console.log(`# soak ${JSON.stringify(result)}`);
    for (const [name, bound] of Object.entries(BOUNDS)) {
      if (!(name in result.growth)) continue; // not measurable in this browser
      assert.ok(result.growth[name] <= bound, `${name} grew by ${result.growth[name]} (bound ${bound}): ${result.start[name]} → ${result.end[name]}`);
    }
    if (result.end.heapBy) {
      const { keyscope } = result.end.heapBy;
      assert.ok(keyscope <= KEYSCOPE_LIVE_BYTES, `KeyScope's scripts still hold ${keyscope} bytes allocated during the soak (bound ${KEYSCOPE_LIVE_BYTES})`);
    }
  }, { timeout: 300_000 });
});
