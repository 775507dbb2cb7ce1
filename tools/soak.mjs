#!/usr/bin/env node
// KeyScope's soak: one page life on the `large` fixture (20,000 ids), N create → regenerate →
// delete cycles through the page's own UI and M keystrokes into the glob field, measuring
// what KeyScope holds at the start, at checkpoints along the way, and at the end. The same
// flow runs on the page alone (a browser without KeyScope) so that what the page itself
// holds on to can be told apart from what KeyScope does.
//
//   node tools/soak.mjs [--cycles 1000] [--keystrokes 10000] [--browsers chromium,firefox]
//                       [--checkpoint 50] [--page-alone] [--extension DIR]
//
// `--page-alone` runs the page alone before each browser's run with KeyScope; `--checkpoint N`
// measures every N cycles (0: only at the start and the end); `--extension DIR` installs the
// unpacked KeyScope in DIR instead of dist/'s (one browser only), so a long run is not
// disturbed by a rebuild.
//
// Prints machine-readable lines on stdout:
//   soak-checkpoint {"browser":…,"keyscope":true,"cycle":50,"keystrokes":…,"seconds":…,"figures":{…},"growth":{…},"cycleMs":…,"keystrokeMs":…}
//   soak-result {"browser":"chromium","keyscope":true,"cycles":…,"keystrokes":…,"start":{…},"end":{…},"growth":{…},"seconds":…}
// one checkpoint line every N cycles (a run stopped part way still leaves its trend), one
// result line per run. The short form runs in the test command (tests/e2e/soak.test.mjs);
// the full one from `./ks bench`.
//
// What is measured (figures; `growth` is end − start), per browser:
// - both, with KeyScope: the engine's WebAssembly memory (`wasmMemoryBytes`; linear memory
//   only grows, so a leak in the Rust engine shows here) and KeyScope's DOM (`keyscopeElements`,
//   `[data-keyscope]` elements, and `keyscopeNodes`, those and their descendants).
// - both, with KeyScope: the engine's latest answer to the secret guard (`guardAnswerPrompts`,
//   how many prompts it lists, and `guardAnswerBytes`, its size as JSON); it is what every
//   guard message costs, and a guard that kept every key of the page life would list more of
//   them each cycle.
//   The engine runs in Chromium's engine frame, which the soak reads directly, and in Firefox's
//   content script, which only the test hooks reach (tests/e2e/engine-hooks.js): in Firefox the
//   soak runs a copy of the build with them (`extensionWithTestHooks`).
// - both: the page's elements (`pageElements`), and the time per cycle and per keystroke
//   (first tenth vs last tenth: no slow-down; at checkpoints, the mean since the last one).
// - Chromium only, after a forced GC:
//   - `pageHeapBytes`: the V8 heap of the page's renderer (CDP `Runtime.getHeapUsage`). It is
//     one heap for the page's own scripts, KeyScope's script in the page's world and its
//     content scripts' isolated world (V8 counts per isolate, not per world or context), so
//     `heapBy` splits what was allocated since the start and is still alive by the script
//     that allocated it: V8's sampling heap profiler (`HeapProfiler.startSampling`, one sample
//     every SAMPLING_BYTES allocated, dropped when its object is collected) gives each live
//     sample's stack; the innermost frame with a script URL decides (`keyscope`: a
//     chrome-extension: script, `page`: any other, `engine`: no script on the stack, V8's and
//     Blink's own). Statistical: ± a few SAMPLING_BYTES per part.
//   - `domHeapBytes`: Blink's heap of DOM objects in that renderer (`embedderHeapUsedSize`).
//   - `domNodes`, `domListeners`, `documents`: live DOM nodes, JS event listeners and
//     documents in the renderer, detached ones included (CDP `Memory.getDOMCounters`), so a
//     leaked node or listener shows even when it is no longer in the document.
//   - `listeners`: event listeners on the document's tree (pierced) and on window
//     (`DOMDebugger.getEventListeners`).
//   - `engineHeapBytes`, with KeyScope: the engine frame's own JS heap (its own process).
//   - `keyscopeObjects`, `keyscopeFunctions`, with KeyScope: the JS objects and functions
//     alive in KeyScope's content scripts' world, counted exactly (see `worldObjects`). This
//     is the figure for what KeyScope's scripts hold: `heapBy.keyscope` also counts what V8
//     itself allocates while they run and keeps (optimized code, feedback), and heap snapshots
//     taken 100 cycles apart show that part, not objects of KeyScope's, is what it grows by.
// - Firefox: no CDP, so none of the Chromium-only figures.

import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { testHook } from '../tests/e2e/harness.mjs';

const EXTENSION_URL = /^(chrome|moz)-extension:\/\//;
const PAGE = '/account/apikeys?forceApiKeys=true';

/** A string of `length` characters that no package id of the fixture contains. */
const NO_MATCH = 'ZqxNoSuchPackageZqx';

/** Mean bytes between two samples of the sampling heap profiler (V8's default is 32 KB). */
const SAMPLING_BYTES = 16 * 1024;

/**
 * Runs the soak in `page` against `demo`: a tab of a browser with KeyScope, or of one without
 * it when `keyscope` is false (then KeyScope's figures and waits are left out). Calls
 * `checkpoint(line)` every `checkpointEvery` cycles. Returns the figures; throws when a step
 * of the page's flow fails.
 */
export async function soak({ page, demo, browserName, cycles, keystrokes, keyscope = true, checkpointEvery = 0, checkpoint = () => {}, fixture = 'large', log = () => {} }) {
  const started = Date.now();
  demo.configure({ fixture, csp: 'report', drift: {}, idleMs: 600_000 });
  page.on('dialog', (dialog) => dialog.accept().catch(() => {}));
  const response = await page.goto(`https://www.nuget.org${PAGE}`, { waitUntil: 'load', timeout: 120_000 });
  if (!response?.ok()) throw new Error(`GET ${PAGE} answered ${response?.status()}`);
  if (keyscope) await page.waitForSelector('[data-keyscope="status"][data-keyscope-state="ready"]', { timeout: 120_000 });
  const engine = keyscope ? engineProbe(page, browserName) : null;
  await engine?.watch();
  const id = await page.$eval('#form-0 input[name=Packages]', (box) => box.value);

  const cdp = browserName === 'chromium' ? await page.createCDPSession() : null;
  if (cdp && keyscope) cdp.keyscopeWorld = await keyscopeWorld(cdp);
  const perBatch = Math.max(2, Math.floor(keystrokes / Math.max(1, cycles)));
  let typed = 0;
  const cycleMs = [];
  const keyMs = [];

  let step = 'starting';
  const cycle = async (index) => {
    const begin = Date.now();
    step = `cycle ${index}: keystrokes`;
    // Keystrokes: type a name that matches nothing and erase it again (no row changes, so
    // the page's own recount stays cheap and the time measured is mostly KeyScope's).
    await openCreatePanel(page);
    const batch = Math.min(perBatch, keystrokes - typed);
    if (batch > 0) {
      const keyBegin = Date.now();
      await page.focus('#glob-pattern-0');
      let done = 0;
      while (done < batch) {
        const word = NO_MATCH.slice(0, Math.max(1, Math.min(NO_MATCH.length, Math.floor((batch - done) / 2))));
        await page.keyboard.type(word);
        for (let i = 0; i < word.length; i++) await page.keyboard.press('Backspace');
        done += word.length * 2;
      }
      typed += done;
      if (keyscope) await waitForFeedback(page, '');
      else await released(page.waitForFunction(() => document.getElementById('glob-pattern-0').value === ''));
      keyMs.push((Date.now() - keyBegin) / done);
    }
    // Create, regenerate, delete, through the page's own UI (and KeyScope's guards).
    await page.type('#description-0', `Soak key ${index}`);
    await page.type('#glob-pattern-0', id);
    step = `cycle ${index}: create`;
    const created = await expectPost(page, '/account/GenerateApiKey', () => page.click('#form-0 button[type=submit]'));
    step = `cycle ${index}: regenerate key ${created.Key}`;
    const regenerated = await expectPost(page, '/account/RegenerateCredential', () => page.click(`#regenerate-${created.Key}`));
    step = `cycle ${index}: delete key ${regenerated.Key}`;
    await expectPost(page, '/account/RemoveCredential', () => page.click(`#delete-${regenerated.Key}`));
    await released(page.waitForFunction((key) => !document.getElementById(`delete-${key}`), {}, regenerated.Key));
    cycleMs.push(Date.now() - begin);
  };

  const seconds = () => Math.round((Date.now() - started) / 100) / 10;
  const growthSince = (start, now) => {
    const growth = {};
    for (const [name, value] of Object.entries(now)) {
      if (typeof value === 'number' && typeof start[name] === 'number') growth[name] = value - start[name];
    }
    return growth;
  };
  const mean = (list) => (list.length ? Math.round((list.reduce((a, b) => a + b, 0) / list.length) * 100) / 100 : null);

  // A failed step says where it was and what the page and KeyScope showed then, with a
  // screenshot in target/soak/.
  const guarded = async (index) => {
    try {
      await cycle(index);
    } catch (error) {
      const shown = await page
        .evaluate(() => {
          const status = document.querySelector('[data-keyscope="status"]');
          const guard = document.querySelector('[data-keyscope="request-guard"]');
          return {
            keyscope: status ? `${status.getAttribute('data-keyscope-state')}: ${status.textContent.slice(0, 120)}` : 'no status',
            requestGuard: guard ? `${guard.getAttribute('data-keyscope-kind')} ${guard.textContent.slice(0, 120)}` : null,
            prompts: document.querySelectorAll('[data-keyscope="guard"]').length,
            keys: document.querySelectorAll('[id^="delete-"]').length,
          };
        })
        .catch((reason) => ({ unreadable: `${reason?.message ?? reason}` }));
      const shot = join(dirname(fileURLToPath(import.meta.url)), '..', 'target', 'soak', `${browserName}-failure.png`);
      mkdirSync(dirname(shot), { recursive: true });
      await page.screenshot({ path: shot }).catch(() => {});
      error.message = `${step}: ${error.message} (page then: ${JSON.stringify(shown)}; screenshot ${shot})`;
      throw error;
    }
  };

  // One warm-up cycle, so the start figures include what a first use allocates once.
  await guarded(0);
  const start = await measure(page, cdp, engine);
  if (cdp) {
    await cdp.send('HeapProfiler.startSampling', { samplingInterval: SAMPLING_BYTES });
    start.heapBy = { keyscope: 0, page: 0, engine: 0 };
  }
  log(`start ${JSON.stringify(start)}`);
  let lastCheckpoint = { cycleMs: 0, keyMs: 0 };
  for (let index = 1; index <= cycles; index++) {
    await guarded(index);
    if (checkpointEvery > 0 && index % checkpointEvery === 0 && index < cycles) {
      const figures = await measure(page, cdp, engine);
      checkpoint({
        browser: browserName,
        keyscope,
        cycle: index,
        keystrokes: typed,
        seconds: seconds(),
        figures,
        growth: growthSince(start, figures),
        // Means over the cycles since the previous checkpoint: the trend, not the average so far.
        cycleMs: mean(cycleMs.slice(lastCheckpoint.cycleMs)),
        keystrokeMs: mean(keyMs.slice(lastCheckpoint.keyMs)),
      });
      lastCheckpoint = { cycleMs: cycleMs.length, keyMs: keyMs.length };
    }
  }
  const end = await measure(page, cdp, engine);
  if (cdp) await cdp.send('HeapProfiler.stopSampling');
  log(`end ${JSON.stringify(end)}`);

  const tenth = (list, last) => {
    const n = Math.max(1, Math.floor(list.length / 10));
    return mean(last ? list.slice(-n) : list.slice(0, n));
  };
  return {
    browser: browserName,
    keyscope,
    fixture,
    cycles,
    keystrokes: typed,
    start,
    end,
    growth: growthSince(start, end),
    cycleMs: { first: tenth(cycleMs, false), last: tenth(cycleMs, true) },
    keystrokeMs: { first: tenth(keyMs, false), last: tenth(keyMs, true) },
    seconds: seconds(),
  };
}

/**
 * Waits for a puppeteer handle and lets it go at once. A handle the driver keeps holds its
 * element in the page's heap: an undisposed handle on a form the page has since replaced keeps
 * that form and its 20,000 rows alive, growth that would be the soak's own, not the page's
 * or KeyScope's.
 */
async function released(handle) {
  await (await handle)?.dispose();
}

async function openCreatePanel(page) {
  await released(page.waitForSelector('#glob-pattern-0'));
  const open = await page.$eval('#create-panel', (panel) => panel.classList.contains('in'));
  if (!open) await page.click('#create-container .create-toggle');
  await released(page.waitForSelector('#glob-pattern-0', { visible: true }));
}

/** Waits until the create form's feedback is about `text` (KeyScope caught up with typing). */
async function waitForFeedback(page, text) {
  await released(
    page.waitForFunction(
      (wanted) => document.querySelector('[data-keyscope="glob-feedback"][data-keyscope-form="0"]')?.getAttribute('data-keyscope-for') === wanted,
      {},
      text,
    ),
  );
}

/**
 * Does `act`, confirms KeyScope's request guard if it asks, accepts the page's own confirm
 * (the dialog handler), and resolves to the JSON answer of the POST to `path`.
 */
async function expectPost(page, path, act) {
  const answered = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === path, { timeout: 60_000 });
  const stop = new AbortController();
  const guard = page
    .waitForSelector('[data-keyscope="request-guard"] [data-keyscope-action="confirm"]', { visible: true, timeout: 60_000, signal: stop.signal })
    .then((button) => ({ button }), () => null);
  await act();
  const first = await Promise.race([answered.then(() => null), guard]);
  if (first?.button) await first.button.click();
  const response = await answered;
  stop.abort();
  await (await guard)?.button.dispose();
  if (response.status() !== 200) throw new Error(`${path} answered ${response.status()}`);
  return response.json();
}

/** What the page and KeyScope hold now (see the header for what each browser can tell). */
async function measure(page, cdp, engine) {
  const keyscope = Boolean(engine);
  const figures = {};
  // KeyScope's features redraw asynchronously after the page's last change: measure once the
  // document has been quiet for a moment (bounded, so a page that never rests still ends).
  await page.evaluate(
    () =>
      new Promise((resolve) => {
        let timer = setTimeout(done, 500);
        const observer = new MutationObserver(() => {
          clearTimeout(timer);
          timer = setTimeout(done, 500);
        });
        const limit = setTimeout(done, 15_000);
        function done() {
          observer.disconnect();
          clearTimeout(timer);
          clearTimeout(limit);
          resolve();
        }
        observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
      }),
  );
  if (engine) {
    figures.wasmMemoryBytes = await engine.memory();
    const guard = await engine.guard();
    if (guard) Object.assign(figures, { guardAnswerPrompts: guard.prompts, guardAnswerBytes: guard.bytes });
  }
  const dom = await page.evaluate(() => {
    const own = [...document.querySelectorAll('[data-keyscope]')];
    const top = own.filter((el) => !el.parentElement?.closest('[data-keyscope]'));
    return {
      keyscopeElements: own.length,
      keyscopeNodes: top.reduce((sum, el) => sum + 1 + el.querySelectorAll('*').length, 0),
      pageElements: document.querySelectorAll('*').length,
    };
  });
  if (keyscope) Object.assign(figures, dom);
  else if (dom.keyscopeElements > 0) throw new Error('KeyScope is drawing in the page that should be alone');
  else figures.pageElements = dom.pageElements;
  if (cdp) {
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    figures.pageHeapBytes = heap.usedSize;
    figures.domHeapBytes = heap.embedderHeapUsedSize ?? null;
    figures.heapBy = await liveAllocations(cdp);
    const counters = await cdp.send('Memory.getDOMCounters');
    figures.domNodes = counters.nodes;
    figures.domListeners = counters.jsEventListeners;
    figures.documents = counters.documents;
    if (keyscope) figures.engineHeapBytes = await engineHeap(page);
    if (cdp.keyscopeWorld) Object.assign(figures, await worldObjects(cdp, cdp.keyscopeWorld));
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { object } = await cdp.send('DOM.resolveNode', { nodeId: root.nodeId });
    const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: object.objectId, depth: -1, pierce: true });
    const { result: win } = await cdp.send('Runtime.evaluate', { expression: 'window' });
    const { listeners: windowListeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: win.objectId });
    figures.listeners = listeners.length + windowListeners.length;
    await cdp.send('Runtime.releaseObject', { objectId: object.objectId });
    await cdp.send('Runtime.releaseObject', { objectId: win.objectId });
  }
  return figures;
}

/**
 * The bytes allocated since sampling started and still alive (after the GC `measure` forced),
 * split by the script that allocated them (see the header); null before sampling starts.
 */
async function liveAllocations(cdp) {
  const { profile } = await cdp.send('HeapProfiler.getSamplingProfile').catch(() => ({ profile: null }));
  if (!profile) return null;
  const parts = { keyscope: 0, page: 0, engine: 0 };
  const walk = (node, owner) => {
    const url = node.callFrame.url;
    const here = url ? (EXTENSION_URL.test(url) ? 'keyscope' : 'page') : owner;
    parts[here] += node.selfSize;
    for (const child of node.children) walk(child, here);
  };
  walk(profile.head, 'engine');
  return parts;
}

/**
 * The execution context of KeyScope's content scripts in the page's main frame (Chromium: the
 * extension's isolated world, whose origin is the extension's).
 */
async function keyscopeWorld(cdp) {
  const contexts = [];
  const seen = ({ context }) => contexts.push(context);
  cdp.on('Runtime.executionContextCreated', seen);
  await cdp.send('Runtime.enable'); // reports every context that exists, before it answers
  cdp.off('Runtime.executionContextCreated', seen);
  await cdp.send('Runtime.disable');
  const { frameTree } = await cdp.send('Page.getFrameTree');
  const frameId = frameTree.frame.id;
  const world = contexts.find((c) => c.auxData?.type === 'isolated' && c.auxData?.frameId === frameId && EXTENSION_URL.test(c.origin));
  if (!world) throw new Error("KeyScope's content scripts have no execution context in the page");
  return world.id;
}

/**
 * How many JS objects and functions of KeyScope's content scripts are alive, counted exactly
 * (CDP `Runtime.queryObjects`, which collects garbage first, over the world's own
 * `Object.prototype` and `Function.prototype`): every object those scripts made or were
 * handed (the engine's answers, DOM wrappers they touched) has that world's prototypes, and
 * no object of the page's own scripts has.
 */
async function worldObjects(cdp, contextId) {
  const count = async (expression) => {
    const { result: prototype } = await cdp.send('Runtime.evaluate', { expression, contextId });
    const { objects } = await cdp.send('Runtime.queryObjects', { prototypeObjectId: prototype.objectId });
    const { result } = await cdp.send('Runtime.callFunctionOn', { objectId: objects.objectId, functionDeclaration: 'function () { return this.length; }', returnByValue: true });
    await cdp.send('Runtime.releaseObject', { objectId: objects.objectId });
    await cdp.send('Runtime.releaseObject', { objectId: prototype.objectId });
    return result.value;
  };
  return { keyscopeObjects: await count('Object.prototype'), keyscopeFunctions: await count('Function.prototype') };
}

/** The engine frame's own JS heap (Chromium: an out-of-process frame with its own target). */
async function engineHeap(page) {
  const target = page.browser().targets().find((t) => EXTENSION_URL.test(t.url()) && t.url().includes('frame.html'));
  if (!target) return null;
  const session = await target.createCDPSession();
  try {
    await session.send('HeapProfiler.enable');
    await session.send('HeapProfiler.collectGarbage');
    return (await session.send('Runtime.getHeapUsage')).usedSize;
  } finally {
    await session.detach().catch(() => {});
  }
}

/**
 * How the soak reads the engine where it runs: `watch()` starts noting its latest answer to
 * the secret guard (how many prompts it lists and its size as JSON; never a secret: the engine
 * only knows masked keys), `guard()` reads that note (null before any), `memory()` the engine's
 * WebAssembly memory in bytes. Chromium: in the engine frame. Firefox: through the test hooks
 * of the copy the soak runs there (tests/e2e/engine-hooks.js).
 */
function engineProbe(page, browserName) {
  if (browserName === 'firefox') {
    return {
      watch: () => testHook(page, 'watch-guard'),
      guard: () => page.evaluate(() => JSON.parse(document.documentElement.getAttribute('data-keyscope-test-guard') ?? 'null')),
      memory: () => testHook(page, 'memory'),
    };
  }
  return {
    async watch() {
      const engine = await engineFrame(page);
      await engine.evaluate(() => {
        const post = MessagePort.prototype.postMessage;
        MessagePort.prototype.postMessage = function (message, ...rest) {
          // One answer, or a batch of them (extension/frame.js).
          for (const { answer } of Array.isArray(message?.batch) ? message.batch : [message]) {
            if (answer?.type === 'guard' && Array.isArray(answer.prompts)) {
              globalThis.__keyscopeSoakGuard = { prompts: answer.prompts.length, bytes: JSON.stringify(answer).length };
            }
          }
          return post.call(this, message, ...rest);
        };
      });
    },
    guard: async () => (await engineFrame(page)).evaluate(() => globalThis.__keyscopeSoakGuard ?? null),
    memory: async () =>
      (await engineFrame(page)).evaluate(async () => {
        const glue = await import(new URL('pkg/keyscope.js', location.href).href);
        return (await glue.default()).memory.buffer.byteLength;
      }),
  };
}

async function engineFrame(page) {
  for (const frame of page.frames()) {
    const href = await frame.evaluate(() => location.href).catch(() => '');
    if (EXTENSION_URL.test(href) && href.includes('frame.html')) return frame;
  }
  throw new Error('no KeyScope engine frame in the page');
}

// --- command line ------------------------------------------------------------------------

async function main() {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const at = args.indexOf(`--${name}`);
    return at >= 0 ? args[at + 1] : fallback;
  };
  const cycles = Number(option('cycles', 1000));
  const keystrokes = Number(option('keystrokes', 10_000));
  const checkpointEvery = Number(option('checkpoint', 50));
  const browsers = option('browsers', 'chromium,firefox').split(',').filter(Boolean);
  const extension = option('extension', true);
  if (extension !== true && browsers.length !== 1) throw new Error('--extension DIR goes with exactly one browser');
  const runs = args.includes('--page-alone') ? [false, true] : [true];
  const { startDemo } = await import('../tests/demo/server.mjs');
  const { extensionWithTestHooks, launchBrowser } = await import('../tests/e2e/harness.mjs');
  const demo = await startDemo({ fixture: 'large', csp: 'report' });
  let failed = false;
  try {
    for (const browserName of browsers) {
      for (const keyscope of runs) {
        const name = `${browserName}${keyscope ? '' : ', page alone'}`;
        // Firefox's engine runs in the content script: the soak reads it through test hooks.
        const hooked = keyscope && browserName === 'firefox' ? extensionWithTestHooks(extension === true ? undefined : extension) : null;
        const launched = await launchBrowser(browserName, { port: demo.port, extension: keyscope && (hooked?.dir ?? extension) });
        try {
          const page = await launched.browser.newPage();
          page.setDefaultTimeout(120_000);
          const result = await soak({
            page,
            demo,
            browserName,
            cycles,
            keystrokes,
            keyscope,
            checkpointEvery,
            checkpoint: (line) => console.log(`soak-checkpoint ${JSON.stringify(line)}`),
            log: (line) => console.error(`soak ${name}: ${line}`),
          });
          console.log(`soak-result ${JSON.stringify(result)}`);
        } catch (error) {
          failed = true;
          console.log(`soak-result ${JSON.stringify({ browser: browserName, keyscope, error: error.message })}`);
        } finally {
          await launched.close();
          hooked?.remove();
        }
      }
    }
  } finally {
    await demo.close();
  }
  process.exit(failed ? 1 : 0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
