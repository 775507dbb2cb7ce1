// Issue 7 §4 in the browser: the options page saves KeyScope's settings in storage.sync, and
// the next load of the API Keys page follows them (here: the language override).

import assert from 'node:assert/strict';

import { describeEachBrowser, openApiKeys, waitForStatus, waitInAnyFrame } from './harness.mjs';

/**
 * Opens KeyScope's options page in a new tab, as the browser's extension settings would. It is
 * opened from inside KeyScope's engine frame (an extension page with the tabs API).
 */
async function openOptions(browser, page) {
  const { frame } = await waitInAnyFrame(page, () => /^(chrome|moz)-extension:$/.test(location.protocol), null, {
    what: 'the engine frame',
  });
  const opened = browser.waitForTarget((target) => target.url().endsWith('/options.html'));
  await frame.evaluate(() => chrome.tabs.create({ url: '/options.html' }));
  const options = await (await opened).page();
  await options.waitForSelector('#clipboard option');
  return options;
}

describeEachBrowser('options page', (b) => {
  b.test('choosing German on the options page makes the reloaded API Keys page German', async ({ page, demo }) => {
    await openApiKeys(page, demo, { fixture: 'small' });
    const before = await waitForStatus(page);
    assert.match(before.text, /^KeyScope active · /);

    const options = await openOptions(b.browser, page);
    assert.equal(await options.$eval('#language', (el) => el.value), 'browser');
    assert.equal(await options.$eval('#clipboard', (el) => el.value), '60');
    await options.select('#language', 'de');
    await options.select('#clipboard', '30');
    await options.click('button[type="submit"]');
    await options.waitForFunction(() => document.querySelector('[data-keyscope="options-saved"]')?.textContent !== '');

    await page.reload({ waitUntil: 'load' });
    const after = await waitForStatus(page);
    assert.match(after.text, /^KeyScope aktiv · \d+ Pakete von 1 Besitzer$/);

    // The saved values come back on the options page.
    await options.reload({ waitUntil: 'load' });
    await options.waitForSelector('#clipboard option');
    await options.waitForFunction(() => document.getElementById('language').value === 'de');
    assert.equal(await options.$eval('#clipboard', (el) => el.value), '30');

    // Back to the browser's language for whatever runs next in this profile.
    await options.select('#language', 'browser');
    await options.click('button[type="submit"]');
    await options.waitForFunction(() => document.querySelector('[data-keyscope="options-saved"]')?.textContent !== '');
    await options.close();
  }, {
    // Firefox's WebDriver refuses to navigate to moz-extension: pages, and the engine frame
    // has no tabs API there, so no test can open the options page in Firefox yet.
    skip: b.browserName === 'firefox' && 'Firefox: WebDriver cannot open moz-extension: pages',
  });
});
