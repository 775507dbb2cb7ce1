// Issue 7 §4 in the browser: the options page saves KeyScope's settings in storage.sync, and
// the next load of the API Keys page follows them (here: the language override).

import assert from 'node:assert/strict';

import { describeEachBrowser, openApiKeys, waitForStatus, waitInAnyFrame } from './harness.mjs';

/**
 * Opens KeyScope's options page (the manifest's `options_ui`) in a new tab at its own URL. The
 * extension's origin differs per install (Firefox gives each install a random UUID), so it is
 * read from KeyScope's engine frame in `page`, an extension page at that origin.
 *
 * Firefox loads an extension page in its extension process and its WebDriver BiDi never
 * reports that document's load, so `goto` would wait for its timeout there: the navigation is
 * started, and the wait is on the options page's own content.
 */
async function openOptions(newPage, page) {
  const { value: origin } = await waitInAnyFrame(page, () => /^(chrome|moz)-extension:$/.test(location.protocol) && location.origin, null, {
    what: 'the engine frame',
  });
  const options = await newPage();
  options.goto(`${origin}/options.html`).catch(() => {});
  await options.waitForFunction(() => location.pathname === '/options.html' && document.querySelector('#clipboard option'));
  return options;
}

/** Saves the options form and waits until the page says it saved. */
async function save(options) {
  await options.click('button[type="submit"]');
  await options.waitForFunction(() => document.querySelector('[data-keyscope="options-saved"]')?.textContent !== '');
}

describeEachBrowser(
  'options page',
  (b) => {
    b.test('choosing German on the options page makes the reloaded API Keys page German', async ({ page, demo, newPage }) => {
      await openApiKeys(page, demo, { fixture: 'small' });
      const before = await waitForStatus(page);
      assert.match(before.text, /^KeyScope active · /);

      const options = await openOptions(newPage, page);
      assert.equal(await options.$eval('#language', (el) => el.value), 'browser');
      assert.equal(await options.$eval('#clipboard', (el) => el.value), '60');
      await options.select('#language', 'de');
      await options.select('#clipboard', '30');
      await save(options);

      await page.reload({ waitUntil: 'load' });
      const after = await waitForStatus(page);
      assert.match(after.text, /^KeyScope aktiv · \d+ Pakete von 1 Besitzer$/);

      // The saved values come back on the options page opened anew.
      await options.close();
      const again = await openOptions(newPage, page);
      await again.waitForFunction(() => document.getElementById('language').value === 'de');
      assert.equal(await again.$eval('#clipboard', (el) => el.value), '30');

      // Back to the browser's language for whatever runs next in this profile.
      await again.select('#language', 'browser');
      await save(again);
    });
  },
  // Firefox's WebDriver navigates to moz-extension: pages only with system access.
  { extensionPages: true },
);
