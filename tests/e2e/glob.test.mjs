// Issue 3 in the browser: KeyScope's feedback under the page's glob fields follows typing,
// pasting, deleting and "use suggestion", agrees with a RegExp built the page's way over the
// real ids, and leaves the page's own state and submission exactly as without KeyScope.

import assert from 'node:assert/strict';

import { buildFixture } from '../demo/fixtures.mjs';
import { describeEachBrowser, openApiKeys, waitForStatus, waitInAnyFrame } from './harness.mjs';

/** The page's own rule: `^` + escaped subject with `*` → `.*` + `$`, ignoring case. */
function pageRegExp(pattern) {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\-]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}

function ownerIds(fixture, owner) {
  return buildFixture(fixture).owners.find((o) => o.Owner === owner).PackageIds;
}

async function openCreateForm(page, demo, fixture = 'small') {
  await openApiKeys(page, demo, { fixture });
  const status = await waitForStatus(page);
  assert.equal(status.state, 'ready', status.text);
  await page.click('#create-container .create-toggle');
  await page.waitForSelector('#glob-pattern-0', { visible: true });
}

/** Waits until the feedback of `form` satisfies `check(summary)` (checked here in Node). */
async function feedback(page, form, check, what) {
  const { value } = await waitInAnyFrame(
    page,
    (document, form) => {
      const slot = document.querySelector(`[data-keyscope="glob-feedback"][data-keyscope-form="${form}"]`);
      const input = document.getElementById(`glob-pattern-${form}`);
      if (!slot || !input) return null;
      const count = slot.querySelector('[data-keyscope="glob-count"]');
      return {
        value: slot.getAttribute('data-keyscope-for'),
        field: input.value,
        valid: slot.getAttribute('data-keyscope-valid'),
        codes: [...slot.querySelectorAll('[data-keyscope-code]')].map((el) => el.getAttribute('data-keyscope-code')),
        marks: [...slot.querySelectorAll('[data-keyscope="bad-char"]')].map((el) => el.textContent),
        matched: count ? Number(count.getAttribute('data-keyscope-matched')) : null,
        total: count ? Number(count.getAttribute('data-keyscope-total')) : null,
        suggestions: [...slot.querySelectorAll('[data-keyscope-action="use-suggestion"]')].map((el) => el.getAttribute('data-keyscope-value')),
        text: slot.textContent,
      };
    },
    form,
    { what, accept: check },
  );
  return value;
}

/**
 * Pastes `text` into the glob field as the browser does: the whole text lands at once and one
 * `input` event of type insertFromPaste follows (Firefox's BiDi keyboard types one character
 * at a time, so the paste is replayed in the page).
 */
async function paste(page, form, text) {
  await page.focus(`#glob-pattern-${form}`);
  await page.evaluate(
    (id, data) => {
      const input = document.getElementById(id);
      const at = input.selectionStart ?? input.value.length;
      input.value = input.value.slice(0, at) + data + input.value.slice(input.selectionEnd ?? at);
      input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste', data }));
    },
    `glob-pattern-${form}`,
    text,
  );
}

async function clearGlob(page, form) {
  await page.click(`#glob-pattern-${form}`, { count: 3 });
  await page.keyboard.press('Backspace');
}

describeEachBrowser('glob feedback', (b) => {
  b.test('typing a space marks it and explains the invalid character', async ({ page }) => {
    await openCreateForm(page, b.demo);
    await page.type('#glob-pattern-0', 'Serilog Core');
    const seen = await feedback(page, 0, (s) => s.value === 'Serilog Core' && s.codes.includes('invalid-char'), 'invalid-char feedback');
    assert.equal(seen.valid, 'false');
    assert.deepEqual(seen.marks, ['␣']);
    // The page's own validation still speaks for itself.
    await page.waitForSelector('#glob-pattern-error-0', { visible: true });
  });

  b.test('deleting the offending character clears the error', async ({ page }) => {
    await openCreateForm(page, b.demo);
    await page.type('#glob-pattern-0', 'Serilog?');
    await feedback(page, 0, (s) => s.codes.includes('invalid-char'), 'invalid-char feedback');
    await page.keyboard.press('Backspace');
    const seen = await feedback(page, 0, (s) => s.value === 'Serilog' && s.valid === 'true', 'valid feedback');
    assert.deepEqual(seen.codes, []);
    assert.equal(seen.matched, 1);
  });

  b.test('pasting a look-alike letter names it', async ({ page }) => {
    await openCreateForm(page, b.demo);
    await paste(page, 0, 'S\u0435rilog*');
    const seen = await feedback(page, 0, (s) => s.codes.includes('invalid-char'), 'look-alike feedback');
    assert.match(seen.text, /Cyrillic small letter ie/);
    assert.deepEqual(seen.marks, ['\u0435']);
  });

  b.test('a star alone warns that it grants every package', async ({ page }) => {
    await openCreateForm(page, b.demo);
    await page.type('#glob-pattern-0', '*');
    const seen = await feedback(page, 0, (s) => s.codes.includes('grants-all'), 'grants-all warning');
    assert.equal(seen.matched, seen.total);
  });

  b.test('use suggestion puts the pattern into the page field and the page follows', async ({ page }) => {
    await openCreateForm(page, b.demo);
    await page.type('#glob-pattern-0', 'Serilog.*');
    const seen = await feedback(page, 0, (s) => s.codes.includes('excludes-parent'), 'excludes-parent warning');
    assert.ok(seen.suggestions.includes('Serilog*'), JSON.stringify(seen));
    await page.click('[data-keyscope-action="use-suggestion"][data-keyscope-value="Serilog*"]');
    const after = await feedback(page, 0, (s) => s.value === 'Serilog*' && !s.codes.includes('excludes-parent'), 'feedback for the suggestion');
    const expected = ownerIds('small', 'demo-user').filter((id) => pageRegExp('Serilog*').test(id)).length;
    assert.equal(after.matched, expected);
    // The page's own state followed the change: its count label and disabled rows.
    await page.waitForFunction(
      (n) => document.getElementById('selected-count-0')?.textContent.trim().startsWith(`${n} of`),
      {},
      expected,
    );
  });

  b.test('feedback follows an edit form too', async ({ page }) => {
    await openApiKeys(page, b.demo, { fixture: 'small' });
    await waitForStatus(page);
    await page.click('#start-edit-1');
    await page.waitForSelector('#glob-pattern-1', { visible: true });
    await clearGlob(page, 1);
    await page.type('#glob-pattern-1', 'Xunit.*');
    const seen = await feedback(page, 1, (s) => s.value === 'Xunit.*' && s.matched !== null, 'edit form feedback');
    const expected = ownerIds('small', 'demo-user').filter((id) => pageRegExp('Xunit.*').test(id)).length;
    assert.equal(seen.matched, expected);
  });

  b.test('counts agree with the page RegExp and label over the real ids', async ({ page }) => {
    await openCreateForm(page, b.demo, 'org');
    const ids = ownerIds('org', 'demo-user');
    for (const pattern of ['Microsoft.*', '*.Core', '*json*', 'system.*.*', 'AWSSDK.*', 'n*t*', 'Serilog']) {
      await clearGlob(page, 0);
      await paste(page, 0, pattern);
      const expected = ids.filter((id) => pageRegExp(pattern).test(id)).length;
      const seen = await feedback(page, 0, (s) => s.value === pattern && s.matched !== null, `count for ${pattern}`);
      assert.equal(seen.matched, expected, `KeyScope's count for ${pattern}`);
      assert.equal(seen.total, ids.length);
      const label = await page.$eval('#selected-count-0', (el) => el.textContent.trim());
      assert.ok(label.startsWith(`${expected} of ${ids.length}`), `page label "${label}" for ${pattern}`);
    }
  });

  b.test('the page submits exactly what it submits without KeyScope', async ({ page, plainPage }) => {
    const submitted = [];
    for (const tab of [page, await plainPage()]) {
      await openApiKeys(tab, b.demo, { fixture: 'small' });
      if (tab === page) await waitForStatus(tab);
      await tab.click('#create-container .create-toggle');
      await tab.waitForSelector('#glob-pattern-0', { visible: true });
      await tab.type('#description-0', 'ci key');
      await tab.type('#glob-pattern-0', 'Serilog.*');
      await tab.click('#form-0 button[type="submit"]');
      await tab.waitForSelector('.api-key-new-message');
      const [request] = b.demo.requests().filter((r) => r.path.endsWith('GenerateApiKey'));
      const { __RequestVerificationToken, ...fields } = request.fields;
      submitted.push(fields);
    }
    assert.deepEqual(submitted[0], submitted[1]);
    assert.deepEqual(submitted[0]['subjects[]'], ['Serilog.*']);
  });
});
