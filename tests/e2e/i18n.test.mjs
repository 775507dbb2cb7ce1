// Issue 7 §1 in the browser: with the browser's language German, KeyScope speaks German
// wherever it draws (status line, glob feedback with a warning and an error, request guard,
// coverage review), groups digits the German way, and shows none of its English sentences.

import assert from 'node:assert/strict';

import { describeEachBrowser, openApiKeys, waitForStatus, waitInAnyFrame } from './harness.mjs';

/** English sentences KeyScope draws; none may appear in a German browser. */
const ENGLISH = ['KeyScope active', 'across', 'Matches ', 'Only stars', 'inside the pattern', 'Use ', 'KeyScope stopped this request', 'Cancel', 'Back to the form', 'coverage review', 'Filter packages'];

/** All text KeyScope drew into the page, by its data-keyscope roots. */
async function keyscopeText(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-keyscope="status"], [data-keyscope="glob-feedback"], [data-keyscope="request-guard"], [data-keyscope="coverage"], [data-keyscope="guard"]')]
      .map((el) => `${el.textContent} ${el.querySelector('input')?.placeholder ?? ''}`)
      .join(' | '),
  );
}

function assertNoEnglish(text) {
  for (const english of ENGLISH) assert.ok(!text.includes(english), `English "${english}" in: ${text}`);
}

/** Waits until the create form's feedback about `pattern` shows `code`, and returns its text. */
async function feedbackWith(page, pattern, code) {
  const { value } = await waitInAnyFrame(
    page,
    (document, { pattern, code }) => {
      const slot = document.querySelector('[data-keyscope="glob-feedback"][data-keyscope-form="0"]');
      if (slot?.getAttribute('data-keyscope-for') !== pattern) return null;
      return slot.querySelector(`[data-keyscope-code="${code}"]`) ? slot.textContent : null;
    },
    { pattern, code },
    { what: `feedback with ${code}` },
  );
  return value;
}

describeEachBrowser(
  'German browser',
  (b) => {
    b.test('the status line, glob feedback and request guard speak German', async ({ page, demo }) => {
      await openApiKeys(page, demo, { fixture: 'org' });
      const status = await waitForStatus(page);
      assert.equal(status.state, 'ready', status.text);
      assert.match(status.text, /^KeyScope aktiv · [\d.]+ Pakete von \d+ Besitzern$/);
      assert.match(status.text, /\d\.\d{3} Pakete/, 'thousands grouped with a dot');

      await page.click('#create-container .create-toggle');
      await page.waitForSelector('#glob-pattern-0', { visible: true });
      await page.type('#glob-pattern-0', '*');
      const warning = await feedbackWith(page, '*', 'grants-all');
      assert.match(warning, /Nur Sterne: Dieser Schlüssel deckt jedes Paket des Besitzers ab/);

      await page.click('#glob-pattern-0', { count: 3 });
      await page.keyboard.press('Backspace');
      await page.type('#glob-pattern-0', 'A B');
      const error = await feedbackWith(page, 'A B', 'invalid-char');
      assert.match(error, /Ein Leerzeichen im Muster/);
      assertNoEnglish(await keyscopeText(page));

      await page.click('#glob-pattern-0', { count: 3 });
      await page.keyboard.press('Backspace');
      await page.type('#description-0', 'CI');
      await page.evaluate(() => document.getElementById('form-0').requestSubmit());
      const { value: guard } = await waitInAnyFrame(
        page,
        (document) => document.querySelector('[data-keyscope="request-guard"][data-keyscope-decision="stop"]')?.textContent ?? null,
        null,
        { what: 'the request guard' },
      );
      assert.match(guard, /KeyScope hat diese Anfrage angehalten/);
      assert.match(guard, /Zurück zum Formular/);
      assertNoEnglish(await keyscopeText(page));
    });

    b.test('the coverage review speaks German', async ({ page, demo }) => {
      await openApiKeys(page, demo, { fixture: 'org' });
      assert.equal((await waitForStatus(page)).state, 'ready');
      const summary = await page.waitForSelector('[data-keyscope="coverage"] summary');
      assert.match(await summary.evaluate((el) => el.textContent), /Abdeckungsübersicht/);
      const placeholder = await page.$eval('[data-keyscope="coverage-filter"]', (el) => el.placeholder);
      assert.equal(placeholder, 'Pakete filtern');
    });
  },
  { locale: 'de' },
);
