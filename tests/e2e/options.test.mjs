// Issue 7 §4 in the browser: the options page saves KeyScope's settings in storage.sync, and
// the next load of the API Keys page follows them (here: the language override). Issue 5: it
// says whether KeyScope may check the clipboard, which clearing a copied key needs, and offers
// to allow it (or, with clearing off, to give the permission back).
//
// The browsers' own Allow/Deny dialog that "Allow KeyScope to check the clipboard" raises cannot
// be pressed by a test driver; the granted state runs KeyScope with the permission granted at
// install instead (see clipboard.mjs).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after } from 'node:test';

import { grantedBrowser } from './clipboard.mjs';
import { describeEachBrowser, launchBrowser, openApiKeys, TIMEOUT, waitForStatus, waitInAnyFrame } from './harness.mjs';

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
  // Firefox's BiDi can fail an evaluation whose realm the navigation is replacing ("Protocol
  // error (script.evaluate)"), and goes on failing at once until the new document's realm is
  // there: ask again every 50 ms, for up to the suite's usual wait.
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    try {
      await options.waitForFunction(() => location.pathname === '/options.html' && document.querySelector('#clipboard option') !== null);
      return options;
    } catch (error) {
      if (Date.now() > deadline || !/Protocol error/.test(`${error?.message} ${error?.cause?.message}`)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** What the options page shows about the clipboard permission, once it has read it. */
async function clipboardAccess(options) {
  await options.waitForFunction(() => document.querySelector('[data-keyscope="clipboard-access"]')?.hasAttribute('data-keyscope-state'));
  return options.evaluate(() => {
    const access = document.querySelector('[data-keyscope="clipboard-access"]');
    const shown = (element) => Boolean(element) && !element.closest('[hidden]');
    return {
      shown: shown(access),
      state: access.getAttribute('data-keyscope-state'),
      text: document.querySelector('[data-keyscope="clipboard-access-text"]').textContent,
      buttons: [...access.querySelectorAll('[data-keyscope-action]')].filter(shown).map((button) => `${button.getAttribute('data-keyscope-action')}: ${button.textContent}`),
    };
  });
}

/** Saves the options form and waits until the page says it saved. */
async function save(options) {
  await options.click('button[type="submit"]');
  await options.waitForFunction(() => document.querySelector('[data-keyscope="options-saved"]')?.textContent !== '');
}

describeEachBrowser(
  'options page',
  (b) => {
    const granted = grantedBrowser(b, { extensionPages: true });
    after(() => granted.close());

    b.test('without the clipboard permission, clearing on: the options page says so and offers to allow it', async ({ page, demo, newPage }) => {
      await openApiKeys(page, demo, { fixture: 'small' });
      await waitForStatus(page);
      const options = await openOptions(newPage, page);
      assert.equal(await options.$eval('#clipboard', (el) => el.value), '60');
      const access = await clipboardAccess(options);
      assert.deepEqual(
        { ...access, text: undefined },
        { shown: true, state: 'not-granted', text: undefined, buttons: ['allow-clipboard: Allow KeyScope to check the clipboard'] },
      );
      assert.match(access.text, /^To clear a copied key, KeyScope must first check that the clipboard still holds it/);
      // Clearing off: nothing to allow.
      await options.select('#clipboard', '0');
      assert.equal((await clipboardAccess(options)).shown, false);
      await options.select('#clipboard', '30');
      assert.deepEqual((await clipboardAccess(options)).buttons, ['allow-clipboard: Allow KeyScope to check the clipboard']);
    });

    b.test('with the clipboard permission: the options page says KeyScope may check the clipboard, and with clearing off offers to remove it', async () => {
      await granted.withPage(async (page, newPage) => {
        await openApiKeys(page, b.demo, { fixture: 'small' });
        await waitForStatus(page);
        const options = await openOptions(newPage, page);
        const access = await clipboardAccess(options);
        assert.deepEqual({ shown: access.shown, state: access.state, buttons: access.buttons }, { shown: true, state: 'granted', buttons: [] });
        assert.match(access.text, /^KeyScope may check the clipboard\. When the delay ends, it reads the clipboard once/);
        await options.select('#clipboard', '0');
        const off = await clipboardAccess(options);
        assert.deepEqual({ shown: off.shown, state: off.state, buttons: off.buttons }, { shown: true, state: 'granted', buttons: ['remove-clipboard: Remove the clipboard permission'] });
        assert.match(off.text, /which it does not need while clearing is off/);
      });
    });

    b.test('Firefox: "Allow KeyScope to check the clipboard" asks the browser and the page then says it may (prompt auto-accepted)', async () => {
      // Chromium's Allow/Deny dialog cannot be answered by a driver; Firefox's can be accepted
      // by preference, so there the button's whole path runs: permissions.request from the
      // click, the grant, and the page following it.
      const accepting = await launchBrowser('firefox', {
        port: b.demo.port,
        extensionPages: true,
        firefoxPrefs: { 'extensions.webextOptionalPermissionPrompts': false },
      });
      try {
        const page = await accepting.browser.newPage();
        await openApiKeys(page, b.demo, { fixture: 'small' });
        await waitForStatus(page);
        const options = await openOptions(() => accepting.browser.newPage(), page);
        assert.equal((await clipboardAccess(options)).state, 'not-granted');
        await options.click('[data-keyscope="clipboard-access"] [data-keyscope-action="allow-clipboard"]');
        await options.waitForFunction(() => document.querySelector('[data-keyscope="clipboard-access"]')?.getAttribute('data-keyscope-state') === 'granted');
        const access = await clipboardAccess(options);
        assert.deepEqual({ shown: access.shown, buttons: access.buttons }, { shown: true, buttons: [] });
        assert.match(access.text, /^KeyScope may check the clipboard/);
      } finally {
        await accepting.close();
      }
    }, { skip: b.browserName === 'firefox' ? false : "Chromium's permission dialog cannot be answered by a driver" });

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
      // The preview panel, placed before KeyScope knew its language, speaks German too.
      const words = await page.$eval('[data-keyscope="preview"][data-keyscope-form="0"]', (panel) => ({
        title: panel.querySelector('h3').textContent,
        label: panel.getAttribute('aria-label'),
      }));
      const german = JSON.parse(readFileSync(new URL('../../extension/_locales/de/messages.json', import.meta.url), 'utf8'));
      assert.deepEqual(words, { title: german.preview_title.message, label: german.preview_label.message });

      // The saved values come back on the options page opened anew.
      await options.close();
      const again = await openOptions(newPage, page);
      await again.waitForFunction(() => document.getElementById('language').value === 'de');
      assert.equal(await again.$eval('#clipboard', (el) => el.value), '30');

      // Back to the browser's language for whatever runs next in this profile.
      await again.select('#language', 'browser');
      await save(again);
    });
    b.test('"review starts open" on the options page opens the coverage review, drawn, on the next load', async ({ page, demo, newPage }) => {
      await openApiKeys(page, demo, { fixture: 'org' });
      await waitForStatus(page);
      const options = await openOptions(newPage, page);
      // Ticked through the DOM: the options tab may be in the background by the end, where a
      // mouse click would wait for a frame that never comes.
      const tick = (checked) => options.$eval('#review-open', (box, checked) => box.checked !== checked && box.click(), checked);
      await options.waitForSelector('#review-open');
      await tick(true);
      await save(options);

      await page.bringToFront();
      await page.reload({ waitUntil: 'load' });
      await waitForStatus(page);
      await page.waitForFunction(() => {
        const review = document.querySelector('[data-keyscope="coverage"]');
        return review?.open && !review.hidden && review.querySelector('[data-keyscope="coverage-body"]')?.hasAttribute('data-keyscope-rows');
      }, { polling: 100 });

      // Closed again for whatever runs next in this profile.
      await options.bringToFront();
      await tick(false);
      await save(options);
    });
  },
  // Firefox's WebDriver navigates to moz-extension: pages only with system access.
  { extensionPages: true },
);
