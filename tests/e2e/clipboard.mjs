// The clipboard as the end-to-end tests see it: KeyScope with its optional clipboard permission
// granted, and the test's own hands on the clipboard.
//
// A user grants the permission on KeyScope's settings page ("Allow KeyScope to check the
// clipboard"), which raises the browser's own Allow/Deny dialog (Chromium) or doorhanger
// (Firefox); no test driver can press those. So the granted case runs a copy of the built
// extension whose manifest lists the optional permissions as required: the browser grants them
// at install, and KeyScope sees exactly what a user who pressed Allow gives it (in both
// browsers an optional permission once granted and a required one behave the same, for reading
// in the content script and clearing from the engine frame, measured on Chromium 156 and
// Firefox ESR 153). The manifest test pins the real manifests: optional, never required.

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { NUGET, TIMEOUT, launchBrowser } from './harness.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILT = { chromium: join(ROOT, 'dist', 'chrome'), firefox: join(ROOT, 'dist', 'firefox') };

/**
 * A copy of dist/<browser> whose optional permissions are granted at install (listed as
 * required). Returns `{ dir, permissions, remove }`: the directory to install, the permissions
 * moved, and a function that deletes the copy.
 */
export function grantedExtension(browserName) {
  const dir = mkdtempSync(join(tmpdir(), `keyscope-granted-${browserName}-`));
  cpSync(BUILT[browserName], dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const permissions = manifest.optional_permissions ?? [];
  if (permissions.length === 0) throw new Error(`${BUILT[browserName]}/manifest.json lists no optional permission (run ./ks build)`);
  // Also still optional: Firefox offers the permissions API (how KeyScope asks whether it may
  // check the clipboard) only to extensions whose manifest lists optional permissions.
  manifest.permissions = [...(manifest.permissions ?? []), ...permissions];
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir, permissions, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * For a `describeEachBrowser` suite `b`: a second browser with the granted copy of KeyScope,
 * launched on first use. `options` go to launchBrowser. `withPage(body)` runs
 * `body(page, newPage)` in a fresh tab (`newPage()` opens more) and closes them all;
 * `close()` (in the suite's `after`) ends the browser.
 */
export function grantedBrowser(b, options = {}) {
  let launched = null;
  let extension = null;
  return {
    async withPage(body) {
      if (!launched) {
        extension = grantedExtension(b.browserName);
        launched = await launchBrowser(b.browserName, { ...options, port: b.demo.port, extension: extension.dir });
      }
      const pages = [];
      const newPage = async () => {
        const page = await launched.browser.newPage();
        page.setDefaultTimeout(TIMEOUT);
        pages.push(page);
        return page;
      };
      try {
        return await body(await newPage(), newPage);
      } finally {
        await Promise.all(pages.map((page) => page.close().catch(() => {})));
      }
    },
    async close() {
      await launched?.close();
      extension?.remove();
    },
  };
}

/**
 * The clipboard's text, read by the test without lending KeyScope or the page anything that
 * would change what is being tested.
 * - Chromium: as the page, which may read the clipboard only with the site's clipboard-read
 *   permission; users of KeyScope do not give nuget.org that, so the test grants it for the
 *   instant of its own read and takes it back at once.
 * - Firefox with `granted` (KeyScope holds clipboardRead): in KeyScope's engine frame, an
 *   extension page, which then reads without a click.
 * - Firefox otherwise: as the page, right after a click on KeyScope's status line (Firefox lets
 *   a page read only inside a user action, and a click there does nothing else).
 */
export async function readClipboard(page, browserName, { granted = false } = {}) {
  await page.bringToFront();
  if (browserName === 'chromium') {
    const context = page.browserContext();
    await context.overridePermissions(NUGET, ['clipboard-read']);
    try {
      return await page.evaluate(() => navigator.clipboard.readText());
    } finally {
      await context.clearPermissionOverrides();
    }
  }
  if (granted) return (await engineFrame(page)).evaluate(() => navigator.clipboard.readText());
  await page.click('[data-keyscope="status"]');
  return page.evaluate(() => navigator.clipboard.readText());
}

/** Puts `text` on the clipboard as the page would after a copy there (inside a click). */
export async function writeClipboard(page, text) {
  await page.bringToFront();
  await page.click('[data-keyscope="status"]');
  await page.evaluate((value) => navigator.clipboard.writeText(value), text);
}

/** KeyScope's engine frame in `page` (its iframe sits in a closed shadow root). */
async function engineFrame(page) {
  for (const frame of page.frames()) {
    const protocol = await frame.evaluate(() => location.protocol).catch(() => '');
    if (/^(chrome|moz)-extension:$/.test(protocol)) return frame;
  }
  throw new Error("KeyScope's engine frame is not in the page");
}

/** The page's own clipboard-read permission as nuget.org sees it (Chromium; users: 'prompt'). */
export async function pageClipboardRead(page) {
  return page.evaluate(async () => (await navigator.permissions.query({ name: 'clipboard-read' })).state);
}
