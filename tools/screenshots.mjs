#!/usr/bin/env node
// `./ks screenshots` (and `./ks run` without a display): KeyScope on the demo of nuget.org's
// API Keys page, photographed at 1280 px and 360 px wide in the light and the dark colour
// scheme, into docs/screenshots/ with stable names:
//
//   <state>-<width>-<scheme>.png   state: status | create | review | request-guard
//
// `create` shows the glob field with a warning and its suggestion, and the preview below it.
// Chromium takes the set; `--browser firefox` takes the same set in Firefox into
// docs/screenshots/firefox/. Each colour scheme is photographed in a browser launched in it
// (Firefox's WebDriver BiDi cannot emulate `prefers-color-scheme`). Expects dist/ from
// `./ks build`.

import { mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { startDemo } from '../tests/demo/server.mjs';
import { launchBrowser, openApiKeys, waitForStatus } from '../tests/e2e/harness.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SCREENSHOT_DIR = join(root, 'docs', 'screenshots');
export const WIDTHS = [1280, 360];
export const SCHEMES = ['light', 'dark'];

/** Scrolls `selector` to the top of the viewport (no smooth scrolling) and photographs the viewport. */
async function shotAt(page, selector, path) {
  await page.$eval(selector, (el) => el.scrollIntoView({ block: 'start', behavior: 'instant' }));
  await page.evaluate(() => window.scrollBy(0, -12));
  await page.screenshot({ path });
}

/**
 * Takes the whole set with `browser` (KeyScope installed) against `demo`; returns the paths.
 * `schemes` narrows the colour schemes; a scheme the browser does not already render is
 * emulated (Chromium only).
 */
export async function takeScreenshots(browser, demo, { dir = SCREENSHOT_DIR, schemes = SCHEMES, log = console.log } = {}) {
  mkdirSync(dir, { recursive: true });
  const saved = [];
  for (const width of WIDTHS) {
    for (const scheme of schemes) {
      const page = await browser.newPage();
      try {
        await page.setViewport({ width, height: width === 360 ? 780 : 900 });
        const rendered = await page.evaluate((wanted) => matchMedia(`(prefers-color-scheme: ${wanted})`).matches, scheme);
        const features = [{ name: 'prefers-reduced-motion', value: 'reduce' }];
        if (!rendered) features.push({ name: 'prefers-color-scheme', value: scheme });
        // Reduced motion is a nicety (no transition caught mid-way); the scheme is not.
        await page.emulateMediaFeatures(features).catch((error) => {
          if (!rendered) throw error;
        });
        await openApiKeys(page, demo, { fixture: 'org' });
        const status = await waitForStatus(page);
        if (status.state !== 'ready') throw new Error(`KeyScope is ${status.state}: ${status.text}`);
        const name = (state) => join(dir, `${state}-${width}-${scheme}.png`);

        await shotAt(page, '[data-keyscope="status"]', name('status'));
        saved.push(name('status'));

        await page.click('#create-container .create-toggle');
        await page.waitForSelector('#glob-pattern-0', { visible: true });
        await page.type('#description-0', 'CI publish');
        await page.type('#glob-pattern-0', 'Polly.*');
        await page.waitForSelector('[data-keyscope="glob-feedback"][data-keyscope-form="0"][data-keyscope-for="Polly.*"]');
        await page.waitForSelector('[data-keyscope="preview"][data-keyscope-for="Polly.*"] [data-keyscope="row"]');
        await shotAt(page, '#glob-pattern-0', name('create'));
        saved.push(name('create'));

        await page.click('[data-keyscope="coverage"] > summary');
        await page.waitForSelector('[data-keyscope="coverage"] [data-keyscope="review-owner"]');
        await shotAt(page, '[data-keyscope="coverage"]', name('review'));
        saved.push(name('review'));

        await page.click('#regenerate-1');
        await page.waitForSelector('[data-keyscope="request-guard"][data-keyscope-kind="regenerate"]');
        await shotAt(page, '[data-keyscope="request-guard"]', name('request-guard'));
        saved.push(name('request-guard'));
        await page.keyboard.press('Escape');
      } catch (error) {
        throw new Error(`screenshots at ${width} px, ${scheme}: ${error.message}`);
      } finally {
        await page.close().catch(() => {});
      }
    }
  }
  for (const path of saved) log(`screenshot: ${relative(process.cwd(), path) || path}`);
  return saved;
}

async function main() {
  const at = process.argv.indexOf('--browser');
  const browserName = at > 0 ? process.argv[at + 1] : 'chromium';
  const dir = browserName === 'chromium' ? SCREENSHOT_DIR : join(SCREENSHOT_DIR, browserName);
  const demo = await startDemo({ fixture: 'org', csp: 'report' });
  try {
    for (const scheme of SCHEMES) {
      const { browser, close } = await launchBrowser(browserName, { port: demo.port, colorScheme: scheme });
      try {
        await takeScreenshots(browser, demo, { dir, schemes: [scheme] });
      } finally {
        await close();
      }
    }
  } finally {
    await demo.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`screenshots: ${error.message}`);
    process.exit(1);
  });
}
