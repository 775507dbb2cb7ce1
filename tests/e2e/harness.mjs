// The browser side of KeyScope's end-to-end tests: launches Chromium and Firefox headless
// with the built extension (dist/chrome, dist/firefox), points `www.nuget.org` at the local
// demo site, and offers the few helpers every test needs. Tests then read as user actions:
//
//   describeEachBrowser('foundation', (b) => {
//     b.test('reaches ready on the org fixture', async ({ page }) => {
//       await openApiKeys(page, { fixture: 'org' });
//       const { state } = await waitForStatus(page);
//     });
//   });
//
// Every wait here ends on a condition (a DOM mutation, an event, a request in the demo's
// log), never on a fixed delay.

import { after, before, describe, test } from 'node:test';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

import { ensureCert } from '../demo/cert.mjs';
import { startDemo } from '../demo/server.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS = join(ROOT, 'tests', 'e2e', 'artifacts');

/** The origin the browsers believe they talk to; the host mapping sends it to the demo. */
export const NUGET = 'https://www.nuget.org';
export const API_KEYS_PATH = '/account/apikeys';

/** Generous, because `large` on a 2-core machine under load is slow; conditions end waits early. */
export const TIMEOUT = Number(process.env.KEYSCOPE_E2E_TIMEOUT ?? 60_000);

const ALL_BROWSERS = ['chromium', 'firefox'];

/** Which browsers to run: both, unless KEYSCOPE_BROWSERS=chromium (or firefox) says otherwise. */
export const BROWSERS = (process.env.KEYSCOPE_BROWSERS ?? ALL_BROWSERS.join(','))
  .split(',')
  .map((name) => name.trim())
  .filter(Boolean);
for (const name of BROWSERS) {
  if (!ALL_BROWSERS.includes(name)) {
    throw new Error(`KEYSCOPE_BROWSERS: unknown browser '${name}' (${ALL_BROWSERS.join(', ')})`);
  }
}

const EXTENSION_DIRS = {
  chromium: join(ROOT, 'dist', 'chrome'),
  firefox: join(ROOT, 'dist', 'firefox'),
};

const EXECUTABLES = {
  chromium: process.env.KEYSCOPE_CHROMIUM ?? '/usr/bin/chromium',
  firefox: process.env.KEYSCOPE_FIREFOX ?? '/usr/bin/firefox-esr',
};

/**
 * Launches one browser that reaches `https://www.nuget.org` at 127.0.0.1:`port`, with
 * KeyScope installed unless `extension` is false (a string: the unpacked extension's directory
 * to install instead of dist/'s), speaking `locale` (e.g. 'de') when given. `asap` (benchmarks
 * only) paints each frame as soon as it is ready instead of waiting for the display's next
 * refresh, so "until the next frame is painted" measures work, not the 16.7 ms vsync wait.
 * `colorScheme: 'dark'` renders every page in the dark colour scheme from the start (Firefox's
 * WebDriver BiDi cannot emulate `prefers-color-scheme` per page as Chromium's CDP can).
 * `extensionPages` lets a Firefox tab be navigated to KeyScope's own moz-extension: pages,
 * which Firefox's WebDriver refuses unless started with `--remote-allow-system-access`.
 * `firefoxPrefs` adds Firefox preferences (ignored by Chromium).
 * Returns `{ browser, close }`.
 */
export async function launchBrowser(name, { port, extension = true, headless = true, locale = null, asap = false, colorScheme = null, extensionPages = false, firefoxPrefs = {} } = {}) {
  const profile = mkdtempSync(join(tmpdir(), `keyscope-${name}-`));
  let browser;
  if (name === 'chromium') {
    const { spki } = ensureCert();
    browser = await puppeteer.launch({
      browser: 'chrome',
      executablePath: EXECUTABLES.chromium,
      headless,
      pipe: true,
      enableExtensions: Boolean(extension),
      userDataDir: profile,
      // Chrome refuses to save credentials in a browser launched with --enable-automation,
      // and the secret guard depends on saving; nothing else here needs the flag.
      ignoreDefaultArgs: ['--enable-automation'],
      defaultViewport: { width: 1280, height: 900 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        `--host-resolver-rules=MAP www.nuget.org 127.0.0.1:${port}`,
        // Trust exactly the demo's certificate. Ignoring all certificate errors would make
        // Chrome treat the page as insecure and drop password-manager saves.
        `--ignore-certificate-errors-spki-list=${spki}`,
        ...(locale ? [`--lang=${locale}`, `--accept-lang=${locale}`] : []),
        ...(asap ? ['--disable-frame-rate-limit', '--disable-gpu-vsync'] : []),
        ...(colorScheme === 'dark' ? ['--force-dark-mode'] : []),
      ],
    });
  } else if (name === 'firefox') {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: EXECUTABLES.firefox,
      headless,
      userDataDir: profile,
      acceptInsecureCerts: true,
      defaultViewport: { width: 1280, height: 900 },
      args: extensionPages ? ['--remote-allow-system-access'] : [],
      extraPrefsFirefox: {
        // www.nuget.org resolves to localhost, and every :443 connection goes to the demo.
        'network.dns.localDomains': 'www.nuget.org',
        'network.trr.mode': 5,
        'network.socket.forcePort': `443=${port}`,
        ...(locale ? { 'intl.locale.requested': locale, 'intl.accept_languages': locale } : {}),
        // 0: no frame-rate limit (a frame as soon as one is needed).
        ...(asap ? { 'layout.frame_rate': 0 } : {}),
        // What pages see as prefers-color-scheme: 0 dark, 1 light.
        ...(colorScheme ? { 'layout.css.prefers-color-scheme.content-override': colorScheme === 'dark' ? 0 : 1 } : {}),
        ...firefoxPrefs,
      },
    });
  } else {
    throw new Error(`unknown browser '${name}'`);
  }
  const extensionDir = typeof extension === 'string' ? extension : EXTENSION_DIRS[name];
  try {
    if (extension) await browser.installExtension(extensionDir);
  } catch (error) {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
    throw new Error(`installing ${extensionDir} into ${name} failed (run ./ks build): ${error.message}`);
  }
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * A copy of the built Firefox extension (or of `source`) with one more content script, tests/e2e/engine-hooks.js,
 * through which a test reaches the engine that runs in KeyScope's content script there (see
 * that file). The shipped build has no such script. Returns `{ dir, remove() }`; pass `dir` as
 * launchBrowser's `extension`, and ask with `testHook(page, name)`.
 */
export function extensionWithTestHooks(source = EXTENSION_DIRS.firefox) {
  const dir = mkdtempSync(join(tmpdir(), 'keyscope-hooked-'));
  cpSync(source, dir, { recursive: true });
  cpSync(join(ROOT, 'tests', 'e2e', 'engine-hooks.js'), join(dir, 'engine-hooks.js'));
  const manifestPath = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  manifest.content_scripts[0].js.push('engine-hooks.js');
  writeFileSync(manifestPath, JSON.stringify(manifest));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A tab whose engine a test can reach wherever the engine runs: in Chromium a new tab of the
 * suite's browser (the test reaches the engine frame); in Firefox a tab of a browser of its own
 * with the test hooks (extensionWithTestHooks). Returns `{ page, close() }`.
 */
export async function pageReachingTheEngine(b, newPage) {
  if (b.browserName !== 'firefox') return { page: await newPage(), close: async () => {} };
  const hooked = extensionWithTestHooks();
  const launched = await launchBrowser('firefox', { port: b.demo.port, extension: hooked.dir });
  const page = await launched.browser.newPage();
  page.setDefaultTimeout(TIMEOUT);
  return {
    page,
    async close() {
      await launched.close();
      hooked.remove();
    },
  };
}

/** Asks the test hooks (extensionWithTestHooks) in `page` for `name`; resolves with the answer. */
export async function testHook(page, name, { timeout = TIMEOUT } = {}) {
  const attribute = `data-keyscope-test-${name}`;
  await page.evaluate((attr, detail) => {
    document.documentElement.removeAttribute(attr);
    document.dispatchEvent(new CustomEvent('keyscope-test', { detail }));
  }, attribute, name);
  await page.waitForFunction((attr) => document.documentElement.hasAttribute(attr), { timeout }, attribute);
  return page.evaluate((attr) => JSON.parse(document.documentElement.getAttribute(attr)), attribute);
}

function slug(text) {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80);
}

/**
 * Declares a suite per browser in BROWSERS. Each suite starts one demo server and one browser
 * with KeyScope (plus, on first use, one without it) and shuts them down afterwards.
 *
 * `fn(b)` declares tests with `b.test(name, async ({ page, demo, browserName, newPage,
 * plainPage }) => …)`: `page` is a fresh tab; a failing test leaves a screenshot of each of
 * its tabs in tests/e2e/artifacts/. `b.browserName`, `b.demo` and `b.browser` are set once
 * the suite has started. `options.locale` launches the browsers in that language,
 * `options.colorScheme` in that colour scheme, and `options.extensionPages` so that tabs can
 * open KeyScope's own pages (see launchBrowser).
 */
export function describeEachBrowser(title, fn, { locale = null, colorScheme = null, extensionPages = false } = {}) {
  for (const browserName of BROWSERS) {
    describe(`${title} [${browserName}]`, () => {
      const b = { browserName, demo: null, browser: null };
      let launched = null;
      let plain = null;

      before(async () => {
        b.demo = await startDemo({ fixture: 'org', csp: 'report' });
        launched = await launchBrowser(browserName, { port: b.demo.port, locale, colorScheme, extensionPages });
        b.browser = launched.browser;
      });

      after(async () => {
        await launched?.close();
        await plain?.close();
        await b.demo?.close();
      });

      /** The same browser without KeyScope, for "the page alone" comparisons. */
      async function plainBrowser() {
        plain ??= await launchBrowser(browserName, { port: b.demo.port, extension: false, colorScheme });
        return plain.browser;
      }

      b.test = (name, body, options = {}) =>
        // The browser in the test's own name keeps node's list of failing tests unambiguous.
        test(`${name} [${browserName}]`, { timeout: TIMEOUT * 3, ...options }, async () => {
          const pages = [];
          const newPage = async () => {
            const page = await b.browser.newPage();
            page.setDefaultTimeout(TIMEOUT);
            pages.push(page);
            return page;
          };
          const plainPage = async () => {
            const page = await (await plainBrowser()).newPage();
            page.setDefaultTimeout(TIMEOUT);
            pages.push(page);
            return page;
          };
          try {
            const page = await newPage();
            await body({ page, demo: b.demo, browserName, newPage, plainPage });
          } catch (error) {
            await screenshotAll(pages, `${browserName}-${slug(title)}-${slug(name)}`);
            throw error;
          } finally {
            await Promise.all(pages.map((page) => page.close().catch(() => {})));
          }
        });

      fn(b);
    });
  }
}

async function screenshotAll(pages, base) {
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const [index, page] of pages.entries()) {
    const path = join(ARTIFACTS, `${base}${pages.length > 1 ? `-${index + 1}` : ''}.png`);
    try {
      await page.screenshot({ path, fullPage: false });
      console.log(`# screenshot of the failed test: ${path}`);
    } catch (error) {
      console.log(`# no screenshot for ${base}: ${error.message}`);
    }
  }
}

/**
 * Configures the demo (this resets its keys and logs) and opens the API Keys page.
 * `drift` defaults to none, so one test's drift never leaks into the next.
 */
export async function openApiKeys(page, demo, { fixture = 'org', csp = 'report', drift = {}, idleMs = 600_000, query = '?forceApiKeys=true' } = {}) {
  demo.configure({ fixture, csp, drift, idleMs });
  return goto(page, `${API_KEYS_PATH}${query}`);
}

/** Opens a path on the demo as https://www.nuget.org and fails on any non-2xx answer. */
export async function goto(page, path) {
  const response = await page.goto(`${NUGET}${path}`, { waitUntil: 'load' });
  if (!response?.ok()) {
    throw new Error(`GET ${path} answered ${response?.status()} ${response?.statusText()}`);
  }
  return response;
}

/** The frames KeyScope may draw in: the page itself and any frame inside it. */
function framesOf(page) {
  return page.frames();
}

/** How long one in-page wait lasts before the test side looks for new frames. */
const SLICE_MS = 1000;

/**
 * Builds a page function that resolves to `predicate(document, arg)` as soon as that is
 * truthy, re-checking on every DOM mutation, or to null after `sliceMs` so the test side
 * can look at frames that appeared meanwhile. The predicate's source is inlined on the test
 * side: the page gets a plain function (no eval in the page, which its CSP would report).
 */
function domWaiter(predicate, sliceMs) {
  // eslint-disable-next-line no-new-func -- runs in Node, producing the page function's source
  return new Function('arg', 'skip', `
    const check = (${predicate.toString()});
    return new Promise((resolve) => {
      let observer = null;
      const timer = setTimeout(() => { observer?.disconnect(); resolve(null); }, ${sliceMs});
      const run = () => {
        const value = check(document, arg);
        if (!value || skip.includes(JSON.stringify(value))) return false;
        observer?.disconnect();
        clearTimeout(timer);
        resolve(value);
        return true;
      };
      if (run()) return;
      observer = new MutationObserver(run);
      observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    });`);
}

/**
 * Waits until `predicate(document, arg)` (serialised into each frame, so it may use only
 * its arguments) returns a truthy JSON value in the page or in any of its frames, frames
 * that appear later included. Resolves to `{ frame, value }`.
 *
 * `accept(value)`, run here in Node, can refine the condition: a value it turns down is not
 * reported again and the wait goes on until the page shows a different one. Keep such logic
 * on this side: `eval`/`new Function` inside the page would break or be reported under the
 * page's CSP.
 */
export async function waitInAnyFrame(page, predicate, arg, { timeout = TIMEOUT, what = 'condition', accept = () => true } = {}) {
  const deadline = Date.now() + timeout;
  const waiter = domWaiter(predicate, SLICE_MS);
  const skip = [];
  let lastError = null;
  let lastValue;
  while (Date.now() < deadline) {
    // All frames wait in parallel; the first that sees the condition wins. A slice ends
    // early on success only, so frames attached meanwhile are picked up on the next round.
    const attempts = framesOf(page).map((frame) =>
      frame.evaluate(waiter, arg, skip).then(
        (value) => {
          if (!value) throw new Error('not yet');
          if (accept(value)) return { frame, value };
          lastValue = value;
          skip.push(JSON.stringify(value));
          throw new Error('not accepted');
        },
        (error) => {
          // A frame navigating away or detaching mid-wait is normal while the page starts.
          lastError = error;
          throw error;
        },
      ),
    );
    // A frame whose document is still being created can leave an evaluation pending; the
    // round then ends at the slice's end anyway and the next round asks the new document.
    let roundTimer;
    const roundEnd = new Promise((_, reject) => {
      roundTimer = setTimeout(() => reject(new Error('round ended')), SLICE_MS + 1000);
    });
    try {
      return await Promise.any([Promise.any(attempts), roundEnd]);
    } catch {
      if (page.isClosed()) throw new Error(`the page closed while waiting for ${what}`);
    } finally {
      clearTimeout(roundTimer);
    }
  }
  const detail = lastValue !== undefined ? ` (last value seen: ${JSON.stringify(lastValue)})` : lastError ? ` (last error: ${lastError.message})` : '';
  throw new Error(`timed out after ${timeout} ms waiting for ${what}${detail}`);
}

/**
 * Waits until KeyScope's status element shows a settled state and returns
 * `{ state, text, frame }`; `states` narrows which states count as settled.
 */
export async function waitForStatus(page, { states = ['ready', 'inactive'], timeout = TIMEOUT } = {}) {
  const found = waitInAnyFrame(
    page,
    (document, wanted) => {
      const status = document.querySelector('[data-keyscope="status"]');
      const state = status?.getAttribute('data-keyscope-state');
      if (!state || !wanted.includes(state)) return null;
      return { state, text: status.textContent.replace(/\s+/g, ' ').trim() };
    },
    states,
    { timeout, what: `[data-keyscope="status"] in state ${states.join(' or ')}` },
  );
  try {
    const { frame, value } = await found;
    return { ...value, frame };
  } catch (error) {
    // Say what the status did show, so a failure reads "stuck in starting" rather than "timeout".
    const shown = await currentStatus(page).catch(() => []);
    const detail = shown.length ? shown.join('; ') : 'no [data-keyscope="status"] element anywhere';
    throw new Error(`${error.message}; status seen: ${detail}`);
  }
}

async function currentStatus(page) {
  const shown = [];
  for (const frame of framesOf(page)) {
    const status = await frame
      .evaluate(() => {
        const el = document.querySelector('[data-keyscope="status"]');
        return el && `${el.getAttribute('data-keyscope-state')} "${el.textContent.replace(/\s+/g, ' ').trim()}"`;
      })
      .catch(() => null);
    if (status) shown.push(status);
  }
  return shown;
}

/**
 * Waits for `[data-keyscope="<name>"]` in the page or an extension frame and returns
 * `{ frame, element }` (an ElementHandle in that frame).
 */
export async function findKeyScope(page, name, { timeout = TIMEOUT } = {}) {
  const selector = `[data-keyscope="${name}"]`;
  const { frame } = await waitInAnyFrame(page, (document, sel) => Boolean(document.querySelector(sel)), selector, {
    timeout,
    what: selector,
  });
  return { frame, element: await frame.$(selector) };
}

/**
 * Everything KeyScope has drawn, right now: `[data-keyscope]` elements in every frame and
 * every extension iframe in the page. Used to prove KeyScope stays off other pages.
 */
export async function keyscopeTraces(page) {
  const traces = [];
  for (const frame of framesOf(page)) {
    try {
      const found = await frame.evaluate(() => [
        ...[...document.querySelectorAll('[data-keyscope]')].map((el) => `[data-keyscope="${el.getAttribute('data-keyscope')}"]`),
        ...[...document.querySelectorAll('iframe')]
          .map((el) => el.src)
          .filter((src) => /^(chrome|moz)-extension:/.test(src)),
      ]);
      traces.push(...found);
    } catch {
      // An extension frame the test cannot enter is itself a trace.
      traces.push(`frame ${frame.url()}`);
    }
  }
  return traces;
}

/** Resolves once the page has had no network activity for `idleTime` ms. */
export async function settled(page, { idleTime = 500, timeout = TIMEOUT } = {}) {
  await page.waitForNetworkIdle({ idleTime, timeout });
}

// --- Content-Security-Policy -------------------------------------------------------------

const SENTINEL = 'keyscope-csp-sentinel.invalid';

/**
 * The CSP violations the page saw (its `securitypolicyviolation` log) and the reports the
 * browser sent to the demo, once every report caused so far has arrived.
 *
 * Reports travel asynchronously, so "zero reports" needs a flush: this triggers one
 * deliberate font-src violation and waits until its report reaches the demo; reports
 * caused earlier have then been sent too. The sentinel is removed from both lists.
 */
export async function cspViolations(page, demo, { timeout = TIMEOUT } = {}) {
  const seen = await page.evaluate(
    (host, ms) =>
      new Promise((resolve) => {
        const recorded = () => (window.__demoCspViolations ?? []).some((v) => JSON.stringify(v).includes(host));
        const timer = setTimeout(() => resolve(false), ms);
        // The demo records violations from its own listener; check after it has run.
        document.addEventListener('securitypolicyviolation', () =>
          setTimeout(() => {
            if (recorded()) {
              clearTimeout(timer);
              resolve(true);
            }
          }),
        );
        new FontFace('keyscope-sentinel', `url(https://${host}/flush.woff2)`).load().catch(() => {});
      }),
    SENTINEL,
    timeout,
  );
  if (!seen) {
    throw new Error('the CSP sentinel violation never reached window.__demoCspViolations (is the demo CSP on?)');
  }
  const isSentinel = (entry) => JSON.stringify(entry).includes(SENTINEL);
  const reports = await waitFor(() => demo.cspReports().some(isSentinel) && demo.cspReports(), {
    timeout,
    what: 'the CSP sentinel report to reach the demo',
  });
  const violations = await page.evaluate(() => JSON.parse(JSON.stringify(window.__demoCspViolations ?? [])));
  return {
    violations: violations.filter((v) => !isSentinel(v)),
    reports: reports.filter((r) => !isSentinel(r)),
  };
}

/**
 * Waits for a condition on the test's side (the demo's logs), re-checking after each turn of
 * the event loop's I/O; resolves to the condition's first truthy value.
 */
export async function waitFor(condition, { timeout = TIMEOUT, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    // The demo server lives in this process: give its I/O a turn, then look again.
    await new Promise((resolveTurn) => setTimeout(resolveTurn, 20));
  }
}
