#!/usr/bin/env node
// KeyScope's soak: one page life on the `large` fixture (20,000 ids), N create → regenerate →
// delete cycles through the page's own UI and M keystrokes into the glob field, measuring
// what KeyScope holds at the start and at the end.
//
//   node tools/soak.mjs [--cycles 1000] [--keystrokes 10000] [--browsers chromium,firefox]
//
// Prints one line per browser, machine-readable, starting with `soak-result `:
//   soak-result {"browser":"chromium","cycles":…,"keystrokes":…,"start":{…},"end":{…},"growth":{…},"seconds":…}
// The short form runs in the test command (tests/e2e/soak.test.mjs); the full one from
// `./ks bench`.
//
// What is measured, per browser:
// - both: the engine's WebAssembly memory (bytes; linear memory only grows, so a leak in the
//   Rust engine shows here), KeyScope's DOM (`[data-keyscope]` elements and their descendants),
//   and the time per cycle and per keystroke (first tenth vs last tenth: no slow-down).
// - Chromium only: the JS heap of the page's renderer after a forced GC (`Performance.getMetrics`
//   JSHeapUsedSize; the page's own heap and the content scripts' isolated worlds share it), the
//   engine frame's JS heap (its own target), and the event listeners in the document (CDP
//   `DOMDebugger.getEventListeners` over the whole tree, pierced, plus window's).
// - Firefox: no CDP, so no heap or listener figures; the wasm memory and DOM counts above.

import { fileURLToPath } from 'node:url';

const EXTENSION_URL = /^(chrome|moz)-extension:\/\//;
const PAGE = '/account/apikeys?forceApiKeys=true';

/** A string of `length` characters that no package id of the fixture contains. */
const NO_MATCH = 'ZqxNoSuchPackageZqx';

/**
 * Runs the soak in `page` (a tab of a browser with KeyScope) against `demo`. Returns the
 * figures; throws when a step of the page's flow fails.
 */
export async function soak({ page, demo, browserName, cycles, keystrokes, fixture = 'large', log = () => {} }) {
  const started = Date.now();
  demo.configure({ fixture, csp: 'report', drift: {}, idleMs: 600_000 });
  page.on('dialog', (dialog) => dialog.accept().catch(() => {}));
  const response = await page.goto(`https://www.nuget.org${PAGE}`, { waitUntil: 'load', timeout: 120_000 });
  if (!response?.ok()) throw new Error(`GET ${PAGE} answered ${response?.status()}`);
  await page.waitForSelector('[data-keyscope="status"][data-keyscope-state="ready"]', { timeout: 120_000 });
  const id = await page.$eval('#form-0 input[name=Packages]', (box) => box.value);

  const cdp = browserName === 'chromium' ? await page.createCDPSession() : null;
  const perBatch = Math.max(2, Math.floor(keystrokes / Math.max(1, cycles)));
  let typed = 0;
  const cycleMs = [];
  const keyMs = [];

  const cycle = async (index) => {
    const begin = Date.now();
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
      await waitForFeedback(page, '');
      keyMs.push((Date.now() - keyBegin) / done);
    }
    // Create, regenerate, delete, through the page's own UI (and KeyScope's guards).
    await page.type('#description-0', `Soak key ${index}`);
    await page.type('#glob-pattern-0', id);
    const created = await expectPost(page, '/account/GenerateApiKey', () => page.click('#form-0 button[type=submit]'));
    const regenerated = await expectPost(page, '/account/RegenerateCredential', () => page.click(`#regenerate-${created.Key}`));
    await expectPost(page, '/account/RemoveCredential', () => page.click(`#delete-${regenerated.Key}`));
    await page.waitForFunction((key) => !document.getElementById(`delete-${key}`), {}, regenerated.Key);
    cycleMs.push(Date.now() - begin);
  };

  // One warm-up cycle, so the start figures include what a first use allocates once.
  await cycle(0);
  const start = await measure(page, cdp);
  log(`start ${JSON.stringify(start)}`);
  for (let index = 1; index <= cycles; index++) {
    await cycle(index);
    if (index % 50 === 0) log(`${index}/${cycles} cycles, ${typed} keystrokes`);
  }
  const end = await measure(page, cdp);
  log(`end ${JSON.stringify(end)}`);

  const growth = {};
  for (const [name, value] of Object.entries(end)) {
    if (typeof value === 'number' && typeof start[name] === 'number') growth[name] = value - start[name];
  }
  const tenth = (list, last) => {
    const n = Math.max(1, Math.floor(list.length / 10));
    const part = last ? list.slice(-n) : list.slice(0, n);
    return part.length ? Math.round((part.reduce((a, b) => a + b, 0) / part.length) * 100) / 100 : null;
  };
  return {
    browser: browserName,
    fixture,
    cycles,
    keystrokes: typed,
    start,
    end,
    growth,
    cycleMs: { first: tenth(cycleMs, false), last: tenth(cycleMs, true) },
    keystrokeMs: { first: tenth(keyMs, false), last: tenth(keyMs, true) },
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
}

async function openCreatePanel(page) {
  await page.waitForSelector('#glob-pattern-0');
  const open = await page.$eval('#create-panel', (panel) => panel.classList.contains('in'));
  if (!open) await page.click('#create-container .create-toggle');
  await page.waitForSelector('#glob-pattern-0', { visible: true });
}

/** Waits until the create form's feedback is about `text` (KeyScope caught up with typing). */
async function waitForFeedback(page, text) {
  await page.waitForFunction(
    (wanted) => document.querySelector('[data-keyscope="glob-feedback"][data-keyscope-form="0"]')?.getAttribute('data-keyscope-for') === wanted,
    {},
    text,
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
  if (response.status() !== 200) throw new Error(`${path} answered ${response.status()}`);
  return response.json();
}

/** What KeyScope holds now (see the header for what each browser can tell). */
async function measure(page, cdp) {
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
  const engine = await engineFrame(page);
  figures.wasmMemoryBytes = await engine.evaluate(async () => {
    const glue = await import(new URL('pkg/keyscope.js', location.href).href);
    return (await glue.default()).memory.buffer.byteLength;
  });
  Object.assign(
    figures,
    await page.evaluate(() => {
      const own = [...document.querySelectorAll('[data-keyscope]')];
      const top = own.filter((el) => !el.parentElement?.closest('[data-keyscope]'));
      return {
        keyscopeElements: own.length,
        keyscopeNodes: top.reduce((sum, el) => sum + 1 + el.querySelectorAll('*').length, 0),
        pageElements: document.querySelectorAll('*').length,
      };
    }),
  );
  if (cdp) {
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    figures.pageHeapBytes = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? null;
    figures.engineHeapBytes = await engineHeap(page);
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { object } = await cdp.send('DOM.resolveNode', { nodeId: root.nodeId });
    const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: object.objectId, depth: -1, pierce: true });
    const { result: win } = await cdp.send('Runtime.evaluate', { expression: 'window' });
    const { listeners: windowListeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: win.objectId });
    figures.listeners = listeners.length + windowListeners.length;
  }
  return figures;
}

/** The engine frame's own JS heap (Chromium: an out-of-process frame with its own target). */
async function engineHeap(page) {
  const target = page.browser().targets().find((t) => EXTENSION_URL.test(t.url()) && t.url().includes('frame.html'));
  if (!target) return null;
  const session = await target.createCDPSession();
  try {
    await session.send('HeapProfiler.enable');
    await session.send('HeapProfiler.collectGarbage');
    await session.send('Performance.enable');
    const { metrics } = await session.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? null;
  } finally {
    await session.detach().catch(() => {});
  }
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
  const browsers = option('browsers', 'chromium,firefox').split(',').filter(Boolean);
  const { startDemo } = await import('../tests/demo/server.mjs');
  const { launchBrowser } = await import('../tests/e2e/harness.mjs');
  const demo = await startDemo({ fixture: 'large', csp: 'report' });
  let failed = false;
  try {
    for (const browserName of browsers) {
      const launched = await launchBrowser(browserName, { port: demo.port });
      try {
        const page = await launched.browser.newPage();
        page.setDefaultTimeout(120_000);
        const result = await soak({ page, demo, browserName, cycles, keystrokes, log: (line) => console.error(`soak ${browserName}: ${line}`) });
        console.log(`soak-result ${JSON.stringify(result)}`);
      } catch (error) {
        failed = true;
        console.log(`soak-result ${JSON.stringify({ browser: browserName, error: error.message })}`);
      } finally {
        await launched.close();
      }
    }
  } finally {
    await demo.close();
  }
  process.exit(failed ? 1 : 0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
