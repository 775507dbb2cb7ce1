#!/usr/bin/env node
// `./ks run`: the demo site (org fixture) as https://www.nuget.org and Chromium with the
// built KeyScope on its API Keys page. With a display the browser stays open until Ctrl-C
// (or until its window is closed); without one it runs headless, saves screenshots of what
// KeyScope shows into screenshots/, prints their paths and exits.
//
// Expects `./ks build` to have produced dist/chrome (./ks run does that first).

import { mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { startDemo } from '../tests/demo/server.mjs';
import { API_KEYS_PATH, NUGET, launchBrowser, openApiKeys, waitForStatus } from '../tests/e2e/harness.mjs';
import { takeScreenshots } from './screenshots.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fixture = process.env.KEYSCOPE_FIXTURE ?? 'org';
const headed = Boolean(process.env.DISPLAY);

const demo = await startDemo({ fixture, csp: 'report' });
console.log(`run: demo site (${fixture} fixture) on 127.0.0.1:${demo.port}, reached as ${NUGET}`);
const { browser, close } = await launchBrowser('chromium', { port: demo.port, headless: !headed });

async function shutdown(code) {
  await close();
  await demo.close();
  process.exit(code);
}

try {
  const [blank] = await browser.pages();
  const page = blank ?? (await browser.newPage());
  if (headed) await page.setViewport(null);
  await openApiKeys(page, demo, { fixture });
  const status = await waitForStatus(page);
  console.log(`run: ${NUGET}${API_KEYS_PATH}?forceApiKeys=true → KeyScope ${status.state}: ${status.text}`);

  if (headed) {
    console.log('run: Chromium is open with KeyScope; press Ctrl-C here to stop.');
    await new Promise((done) => {
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
      browser.once('disconnected', done);
    });
    await shutdown(0);
  }

  const dir = join(root, 'screenshots');
  mkdirSync(dir, { recursive: true });
  const saved = [];
  const shot = async (name, target) => {
    const path = join(dir, `${name}.png`);
    await target.screenshot({ path });
    saved.push(path);
  };

  await shot('api-keys-page', page);
  const statusElement = await page.$('[data-keyscope="status"]');
  if (statusElement) await shot('keyscope-status', statusElement);

  // The create form with a pattern typed, to show KeyScope's live feedback beside it.
  try {
    await page.click('#create-container .panel-heading a');
    await page.waitForSelector('#glob-pattern-0', { visible: true, timeout: 10_000 });
    // Contoso owns Microsoft.Extensions.* ids in the org fixture; otherwise the first owner.
    const owner = await page.$eval('#package-owner-0', (select) => {
      const options = [...select.options].filter((o) => o.value);
      return (options.find((o) => o.text.trim() === 'Contoso') ?? options[0])?.value;
    });
    if (owner) await page.select('#package-owner-0', owner);
    await page.type('#glob-pattern-0', 'Microsoft.Extensions.*');
    const feedback = await page.waitForSelector('[data-keyscope="glob-feedback"]', { visible: true, timeout: 10_000 });
    await feedback.scrollIntoView();
    await shot('create-form-with-pattern', page);
  } catch (error) {
    console.log(`run: no create-form screenshot (${error.message.split('\n')[0]})`);
  }

  for (const path of saved) console.log(`screenshot: ${relative(process.cwd(), path) || path}`);
  // The README's set: both widths, both colour schemes (tools/screenshots.mjs).
  await takeScreenshots(browser, demo);
  await shutdown(0);
} catch (error) {
  console.error(`run: ${error.message}`);
  await shutdown(1);
}
