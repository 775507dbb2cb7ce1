// Issue 4 §1, §3, §4 in the browser: the preview of the pending key follows the form (owner,
// scopes, pattern, hand-ticked ids) and agrees with the page's own "N of M packages selected"
// label; KeyScope's instant field previews without touching the page until "Apply to
// nuget.org"; the multi-pattern helper ticks exactly the ids its patterns match, through the
// page's own checkboxes, so the request the page sends carries them.

import assert from 'node:assert/strict';

import { buildFixture } from '../demo/fixtures.mjs';
import { describeEachBrowser, openApiKeys, waitFor, waitForStatus, waitInAnyFrame } from './harness.mjs';

/** The page's own rule: `^` + escaped subject with `*` → `.*` + `$`, ignoring case. */
function pageRegExp(pattern) {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\-]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}

function ownerIds(fixture, owner) {
  return buildFixture(fixture).owners.find((o) => o.Owner === owner).PackageIds;
}

async function openCreateForm(page, demo, fixture) {
  await openApiKeys(page, demo, { fixture });
  const status = await waitForStatus(page);
  assert.equal(status.state, 'ready', status.text);
  await page.click('#create-container .create-toggle');
  await page.waitForSelector('#glob-pattern-0', { visible: true });
  await page.waitForSelector('[data-keyscope="preview"][data-keyscope-form="0"]');
}

/**
 * Waits until the preview of `form`, read together with the page's own label, satisfies
 * `check(summary)`; returns the summary.
 */
async function preview(page, form, check, what) {
  const { value } = await waitInAnyFrame(
    page,
    (document, { form, source }) => {
      const panel = document.querySelector(`[data-keyscope="preview"][data-keyscope-form="${form}"]`);
      if (!panel || !panel.hasAttribute('data-keyscope-for')) return null;
      const digits = (name) => {
        const el = panel.querySelector(`[data-keyscope="${name}"]`);
        return el && /^\d+$/.test(el.textContent) ? Number(el.textContent) : null;
      };
      const label = document.getElementById(`selected-count-${form}`)?.textContent.match(/(\d+) of (\d+)/);
      const summary = {
        pattern: panel.getAttribute('data-keyscope-for'),
        instant: panel.querySelector('[data-keyscope="instant-pattern"]').value,
        glob: document.getElementById(`glob-pattern-${form}`)?.value ?? null,
        owner: panel.getAttribute('data-keyscope-owner'),
        scopes: panel.getAttribute('data-keyscope-scopes'),
        ticked: Number(panel.getAttribute('data-keyscope-ticked')),
        list: panel.getAttribute('data-keyscope-list'),
        filter: panel.getAttribute('data-keyscope-filter'),
        matched: digits('matched-count'),
        unmatched: digits('unmatched-count'),
        total: digits('total-count'),
        gained: digits('gained-count'),
        lost: digits('lost-count'),
        pageSelected: label ? Number(label[1]) : null,
        pageTotal: label ? Number(label[2]) : null,
        subjects: [...panel.querySelectorAll('[data-keyscope="subject"]')].map((el) => el.textContent),
        actions: Object.fromEntries([...panel.querySelectorAll('[data-keyscope-scope]')].map((el) => [el.getAttribute('data-keyscope-scope'), el.getAttribute('data-keyscope-state')])),
        newIds: panel.querySelector('[data-keyscope="new-ids"]')?.textContent ?? null,
        pending: Boolean(panel.querySelector('[data-keyscope="pending"]')),
        rows: [...panel.querySelectorAll('[data-keyscope="row"]')].map((el) => el.getAttribute('data-keyscope-id')),
        marks: [...panel.querySelectorAll('[data-keyscope="row"] mark')].map((el) => el.textContent),
        listTotal: Number(panel.querySelector('[data-keyscope="id-list"]').getAttribute('data-keyscope-total')),
        warning: panel.querySelector('[data-keyscope="apply-warning"]:not([hidden])')?.textContent ?? null,
        multiFor: panel.querySelector('[data-keyscope="multi-feedback"]').getAttribute('data-keyscope-for'),
        multiValid: panel.querySelector('[data-keyscope="multi-feedback"]').getAttribute('data-keyscope-valid'),
        multiItems: [...panel.querySelectorAll('[data-keyscope="multi-item"]')].map((el) => [el.getAttribute('data-keyscope-for'), el.getAttribute('data-keyscope-valid')]),
        tickStatus: panel.querySelector('[data-keyscope="tick-status"]').getAttribute('data-keyscope-count'),
      };
      // eslint-disable-next-line no-new-func -- the check travels as source into the page
      return new Function('s', `return (${source})(s)`)(summary) ? summary : null;
    },
    { form, source: check.toString() },
    { what },
  );
  return value;
}

/** Whether the preview and the page's label describe the same selection and agree. */
const agrees = (s) => s.matched !== null && s.matched === s.pageSelected && s.total === s.pageTotal && s.unmatched === s.total - s.matched;

/** Selects all of a field's text and deletes it, as a user would before typing anew. */
async function clearField(page, selector) {
  await page.focus(selector);
  await page.$eval(selector, (field) => field.select());
  await page.keyboard.press('Backspace');
}

/** The preview of the create form once it answers for `pattern` (the check runs in the page). */
async function waitForPattern(page, pattern) {
  await page.waitForFunction(
    (text) => document.querySelector('[data-keyscope="preview"][data-keyscope-form="0"]')?.getAttribute('data-keyscope-for') === text,
    { timeout: 60_000 },
    pattern,
  );
  return preview(page, 0, (s) => s.matched !== null, 'the preview');
}

async function typeInstant(page, form, text) {
  const selector = `[data-keyscope="preview"][data-keyscope-form="${form}"] [data-keyscope="instant-pattern"]`;
  await clearField(page, selector);
  await page.type(selector, text);
}

describeEachBrowser('preview', (b) => {
  for (const [fixture, owner, pattern] of [
    ['small', 'demo-user', 'Serilog*'],
    ['org', 'demo-user', 'Polly*'],
    ['large', null, 'Humanizer.Core.*'],
  ]) {
    b.test(`counts equal the page's label while typing in the page field (${fixture})`, async ({ page }) => {
      await openCreateForm(page, b.demo, fixture);
      const owners = buildFixture(fixture).owners;
      const ids = owner ? ownerIds(fixture, owner) : owners[0].PackageIds;
      const start = await preview(page, 0, (s) => s.pattern === '' && s.total !== null, 'the first preview');
      assert.equal(start.total, ids.length);
      assert.equal(start.matched, 0);
      await page.type('#glob-pattern-0', pattern);
      const expected = ids.filter((id) => pageRegExp(pattern).test(id));
      const seen = await preview(page, 0, (s) => s.pattern === s.glob && s.glob.endsWith('*') && s.pageSelected === s.matched, `the preview of ${pattern}`);
      assert.ok(agrees(seen), JSON.stringify(seen));
      assert.equal(seen.matched, expected.length);
      assert.equal(seen.instant, pattern, "KeyScope's field follows the page's");
      assert.deepEqual(seen.subjects, [pattern]);
      assert.deepEqual(seen.rows, expected.slice(0, seen.rows.length), 'the list starts with the first matched ids');
      assert.ok(seen.rows.length > 0 && seen.rows.length < 40, `a window of rows, not all: ${seen.rows.length}`);
      assert.equal(seen.listTotal, expected.length);
      assert.ok(seen.marks.every((mark) => pattern.toLowerCase().startsWith(mark.toLowerCase())), JSON.stringify(seen.marks));
    });
  }

  // Chromium's autofill reads every form of the page again 100 ms after a text field appears
  // in a page that has finished drawing (40-150 ms on the page's thread over large's 20,000
  // rows): KeyScope's fields go in with the page's own render, not once KeyScope is ready
  // after the page's load, so the user's first click never waits for that second reading.
  //
  // The review is rendered from then on, but unseen until KeyScope is ready: Chromium spends
  // 5-10 ms of style on large each time a <details> starts being rendered, and that frame came
  // right after KeyScope's ready task, where the user's first click may be waiting.
  b.test("KeyScope's text fields enter the page with the page's own render (large)", async ({ page }) => {
    await page.evaluateOnNewDocument(() => {
      const seen = {};
      window.__keyscopeFieldsSeen = seen;
      new MutationObserver(() => {
        for (const field of document.querySelectorAll('input[data-keyscope], textarea[data-keyscope]')) {
          seen[field.getAttribute('data-keyscope')] ??= document.readyState;
        }
        const review = document.querySelector('[data-keyscope="coverage"]');
        if (review && !seen.review) {
          seen.review = { state: document.readyState, rendered: review.getClientRects().length > 0, visibility: getComputedStyle(review).visibility };
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await openApiKeys(page, b.demo, { fixture: 'large' });
    const status = await waitForStatus(page);
    assert.equal(status.state, 'ready', status.text);
    const { review: reviewSeen, ...seen } = await page.evaluate(() => window.__keyscopeFieldsSeen);
    assert.deepEqual(seen, { 'instant-pattern': 'loading', 'list-filter': 'loading', 'multi-pattern': 'loading', 'coverage-filter': 'loading' });
    assert.deepEqual(reviewSeen, { state: 'loading', rendered: true, visibility: 'hidden' }, 'the review is rendered, unseen, while the page loads');
    // Shown once KeyScope is ready, in its language.
    await page.click('#create-container .create-toggle');
    const shown = await page.$eval('[data-keyscope="preview"][data-keyscope-form="0"]', (panel) => ({
      hidden: panel.hidden,
      visible: panel.getBoundingClientRect().height > 0,
      placeholder: panel.querySelector('[data-keyscope="instant-pattern"]').placeholder,
    }));
    assert.deepEqual({ hidden: shown.hidden, visible: shown.visible }, { hidden: false, visible: true });
    assert.ok(shown.placeholder.length > 0, 'the instant field has its placeholder');
    assert.deepEqual(
      await page.$eval('[data-keyscope="coverage"]', (review) => ({ hidden: review.hidden, visibility: getComputedStyle(review).visibility })),
      { hidden: false, visibility: 'visible' },
    );
  });

  b.test('switching owners, toggling scopes and ticking by hand update the preview', async ({ page }) => {
    await openCreateForm(page, b.demo, 'org');
    await preview(page, 0, (s) => s.owner === 'demo-user' && s.total === 1543, 'the preview of demo-user');

    await page.select('#package-owner-0', 'Fabrikam');
    let seen = await preview(page, 0, (s) => s.owner === 'Fabrikam' && s.total === 240 && s.pageTotal === 240, 'the preview of Fabrikam');
    assert.ok(agrees(seen), JSON.stringify(seen));
    assert.equal(seen.actions['package:push'], 'not-permitted', 'Fabrikam does not permit pushing new ids');
    assert.equal(seen.actions['package:pushversion'], 'granted');
    assert.equal(seen.actions['package:unlist'], 'not-granted');

    await page.click('#form-0 input[type="checkbox"][value="package:unlist"]');
    seen = await preview(page, 0, (s) => s.actions['package:unlist'] === 'granted', 'unlist granted');
    await page.click('#form-0 .select-scopes-push input');
    seen = await preview(page, 0, (s) => s.actions['package:pushversion'] === 'not-granted' && s.scopes === 'package:unlist', 'push untoggled');

    await page.type('#glob-pattern-0', 'runtime.*');
    seen = await preview(page, 0, (s) => s.pattern === 'runtime.*' && s.pageSelected === s.matched, 'the preview of runtime.*');
    assert.ok(agrees(seen), JSON.stringify(seen));

    // Tick two ids the pattern does not match, by hand.
    const ids = ownerIds('org', 'Fabrikam').filter((id) => !pageRegExp('runtime.*').test(id)).slice(0, 2);
    for (const id of ids) await page.click(`#form-0 input[name="Packages"][value="${id}"]`);
    seen = await preview(page, 0, (s) => s.ticked === 2 && s.pageSelected === s.matched, 'the preview with two ticked ids');
    assert.ok(agrees(seen), JSON.stringify(seen));
    assert.deepEqual(seen.subjects, ['runtime.*', ...ids]);
    // ...and untick one.
    await page.click(`#form-0 input[name="Packages"][value="${ids[0]}"]`);
    seen = await preview(page, 0, (s) => s.ticked === 1 && s.pageSelected === s.matched, 'the preview with one ticked id');
    assert.deepEqual(seen.subjects, ['runtime.*', ids[1]]);

    // The ticked id shows in the covered list, the filter narrows it.
    const filterBox = '[data-keyscope="preview"][data-keyscope-form="0"] [data-keyscope="list-filter"]';
    await page.type(filterBox, ids[1]);
    seen = await preview(page, 0, (s) => s.filter !== '' && s.listTotal === 1, 'the filtered list');
    assert.deepEqual(seen.rows, [ids[1]]);
  });

  b.test('KeyScope field previews without touching the page; Apply puts the pattern there and the page follows', async ({ page }) => {
    await openCreateForm(page, b.demo, 'small');
    await typeInstant(page, 0, 'Xunit*');
    let seen = await preview(page, 0, (s) => s.pattern === 'Xunit*' && s.matched === 4, 'the instant preview');
    assert.equal(seen.glob, '', "the page's field is untouched");
    assert.equal(seen.pageSelected, 0);
    assert.ok(seen.pending);
    assert.match(seen.newIds ?? '', /Xunit/, 'push-new can create new ids matching the pattern');

    await page.click('[data-keyscope="preview"][data-keyscope-form="0"] [data-keyscope-action="apply-pattern"]');
    seen = await preview(page, 0, (s) => s.glob === 'Xunit*' && s.pageSelected === 4 && s.matched === 4 && !s.pending, 'the page following Apply');
    assert.ok(agrees(seen), JSON.stringify(seen));
    await page.waitForFunction(() => document.querySelectorAll('#form-0 .row-checkbox-label.disabled').length === 4);
  });

  b.test("the page's package list is a layout boundary that looks the same as without KeyScope", async ({ page, plainPage }) => {
    // Containment keeps KeyScope's per-keystroke redraws from laying out 20,000 rows (see
    // keyscope.css); if the page's markup drifts, this names the lost selector.
    const box = async (tab) => {
      await tab.waitForSelector('#form-0 .available-packages .panel-body', { visible: true });
      return tab.evaluate(() => {
        const list = document.querySelector('#form-0 .available-packages .panel-body');
        const rect = list.getBoundingClientRect();
        return { contain: getComputedStyle(list).contain, width: rect.width, height: rect.height, scrollHeight: list.scrollHeight };
      });
    };
    await openCreateForm(page, b.demo, 'large');
    const withKeyScope = await box(page);
    assert.match(withKeyScope.contain, /layout/);
    assert.match(withKeyScope.contain, /paint/);
    const plain = await plainPage();
    await openApiKeys(plain, b.demo, { fixture: 'large' });
    await plain.click('#create-container .create-toggle');
    const alone = await box(plain);
    assert.equal(alone.contain, 'none');
    assert.deepEqual(
      { width: withKeyScope.width, height: withKeyScope.height, scrollHeight: withKeyScope.scrollHeight },
      { width: alone.width, height: alone.height, scrollHeight: alone.scrollHeight },
    );
  });

  b.test('Apply warns first when the page will be busy long (large)', async ({ page }) => {
    await openCreateForm(page, b.demo, 'large');
    await typeInstant(page, 0, 'Microsoft.*');
    const ids = buildFixture('large').owners[0].PackageIds;
    const expected = ids.filter((id) => pageRegExp('Microsoft.*').test(id)).length;
    const instant = await preview(page, 0, (s) => s.pattern === 'Microsoft.*' && s.matched > 0, 'the instant preview on large');
    assert.equal(instant.matched, expected);

    const panel = '[data-keyscope="preview"][data-keyscope-form="0"]';
    await page.click(`${panel} [data-keyscope-action="apply-pattern"]`);
    let seen = await preview(page, 0, (s) => s.warning !== null, 'the warning before Apply');
    assert.match(seen.warning, /unresponsive/);
    await page.click(`${panel} [data-keyscope-action="apply-cancel"]`);
    seen = await preview(page, 0, (s) => s.warning === null, 'the warning closed');
    assert.equal(seen.glob, '', 'Cancel leaves the page alone');

    await page.click(`${panel} [data-keyscope-action="apply-pattern"]`);
    await preview(page, 0, (s) => s.warning !== null, 'the warning again');
    await page.click(`${panel} [data-keyscope-action="apply-confirm"]`);
    seen = await preview(page, 0, (s) => s.glob === 'Microsoft.*' && s.pageSelected === s.matched && !s.pending, 'the page following Apply');
    assert.equal(seen.pageSelected, expected);
  });

  b.test('several patterns tick exactly their ids and the request carries them', async ({ page, demo }) => {
    await openCreateForm(page, b.demo, 'org');
    const ids = ownerIds('org', 'demo-user');
    const patterns = ['Polly.*', 'Humanizer.Core.f*', 'Serilog.Sinks.Console'];
    const expected = ids.filter((id) => patterns.some((p) => pageRegExp(p).test(id)));

    const multi = '[data-keyscope="preview"][data-keyscope-form="0"] [data-keyscope="multi-pattern"]';
    await page.type(multi, 'Polly.*, Humanizer Core');
    let seen = await preview(page, 0, (s) => s.multiFor === 'Polly.*, Humanizer Core', 'the helper feedback');
    assert.deepEqual(seen.multiItems, [['Polly.*', 'true'], ['Humanizer', 'true'], ['Core', 'true']]);

    await clearField(page, multi);
    await page.type(multi, 'Polly.*; Humanizer.Core.f?');
    seen = await preview(page, 0, (s) => s.multiFor === 'Polly.*; Humanizer.Core.f?', 'the helper feedback with an invalid pattern');
    assert.equal(seen.multiValid, 'false');
    assert.ok(await page.$eval('[data-keyscope-action="tick-matching"]', (el) => el.disabled), 'nothing to tick while a pattern is refused');

    await clearField(page, multi);
    await page.type(multi, patterns.join('\n'));
    await preview(page, 0, (s) => s.multiValid === 'true' && s.multiItems.length === 3, 'the helper feedback');
    await page.click('[data-keyscope-action="tick-matching"]');
    seen = await preview(page, 0, (s) => s.tickStatus !== null && s.ticked === s.pageSelected && s.pageSelected > 0 && s.matched === s.pageSelected, 'the ticked ids');
    assert.equal(Number(seen.tickStatus), expected.length);
    assert.equal(seen.pageSelected, expected.length);
    const ticked = await page.$$eval('#form-0 input[name="Packages"]:checked', (inputs) => inputs.map((i) => i.value));
    assert.deepEqual(ticked, expected);
    assert.deepEqual(seen.subjects, expected);

    await page.type('#description-0', 'several patterns');
    await page.click('#form-0 button[type="submit"]');
    const [created] = await waitFor(
      () => {
        const found = demo.requests().filter((r) => r.method === 'POST' && r.path === '/account/GenerateApiKey');
        return found.length && found;
      },
      { what: 'the Create request' },
    );
    assert.deepEqual(created.fields['subjects[]'], expected);
  });

  b.test('Tick matching packages warns first when the page will be busy long (large), and Cancel ticks nothing', async ({ page }) => {
    await openCreateForm(page, b.demo, 'large');
    const multi = '[data-keyscope="preview"][data-keyscope-form="0"] [data-keyscope="multi-pattern"]';
    await page.type(multi, 'Microsoft.*');
    await preview(page, 0, (s) => s.multiFor === 'Microsoft.*' && s.multiValid === 'true', 'the helper feedback on large');
    await page.click('[data-keyscope-action="tick-matching"]');
    let seen = await preview(page, 0, (s) => s.warning !== null, 'the warning before ticking');
    assert.match(seen.warning, /unresponsive.*Tick them anyway\?/);
    await page.click('[data-keyscope="preview"][data-keyscope-form="0"] [data-keyscope-action="apply-cancel"]');
    seen = await preview(page, 0, (s) => s.warning === null, 'the warning closed');
    assert.equal(await page.$$eval('#form-0 input[name="Packages"]:checked', (inputs) => inputs.length), 0, 'Cancel ticks nothing');
  });

  b.test('only the create form and opened edit forms get a preview', async ({ page }) => {
    await openApiKeys(page, b.demo, { fixture: 'org' });
    await waitForStatus(page);
    await preview(page, 0, () => true, 'the create form preview');
    const forms = () => page.$$eval('[data-keyscope="preview"]', (panels) => panels.map((p) => p.getAttribute('data-keyscope-form')));
    assert.deepEqual(await forms(), ['0'], 'no preview for the hidden edit forms');
    await page.click('#start-edit-1');
    await preview(page, 1, () => true, 'the opened edit form preview');
    assert.deepEqual((await forms()).sort(), ['0', '1']);
  });

  b.test('an edit form previews the ids the edit gains and loses', async ({ page }) => {
    await openApiKeys(page, b.demo, { fixture: 'small' });
    await waitForStatus(page);
    await page.click('#start-edit-1');
    await page.waitForSelector('#glob-pattern-1', { visible: true });
    await preview(page, 1, (s) => s.pattern === 'Serilog*' && s.lost === 0 && s.gained === 0, 'the edit preview');
    await typeInstant(page, 1, 'Serilog.*');
    const seen = await preview(page, 1, (s) => s.pattern === 'Serilog.*' && s.lost !== null && s.lost > 0, 'the edit diff');
    assert.equal(seen.lost, 1, 'Serilog itself is lost');
    assert.equal(seen.gained, 0);
  });

  b.test('"copy list" puts exactly the filtered list on the clipboard, one id per line', async ({ page, browserName }) => {
    await openCreateForm(page, b.demo, 'org');
    if (browserName === 'chromium') {
      // What a user's click allows: writing. Reading it back is the test's own paste below.
      await page.browserContext().overridePermissions('https://www.nuget.org', ['clipboard-sanitized-write']);
    }
    await typeInstant(page, 0, 'Polly*');
    const expected = ownerIds('org', 'demo-user').filter((id) => pageRegExp('Polly*').test(id));
    assert.ok(expected.length > 1, 'the fixture has several Polly ids');
    const seen = await preview(page, 0, (s) => s.pattern === 'Polly*' && s.matched !== null, 'the preview of Polly*');
    assert.equal(seen.matched, expected.length);
    const panel = '[data-keyscope="preview"][data-keyscope-form="0"]';
    await page.click(`${panel} [data-keyscope-action="copy-list"]`);
    await page.waitForFunction(
      (panel, n) => document.querySelector(`${panel} [data-keyscope="copy-status"]`)?.getAttribute('data-keyscope-count') === String(n),
      {},
      panel,
      expected.length,
    );
    // Paste into a scratch textarea with the keyboard, as a user would.
    await page.evaluate(() => {
      const scratch = document.createElement('textarea');
      scratch.id = 'scratch';
      document.body.append(scratch);
    });
    await page.focus('#scratch');
    await page.keyboard.down('Control');
    await page.keyboard.press('KeyV');
    await page.keyboard.up('Control');
    const pasted = await page.waitForFunction(() => document.getElementById('scratch').value || null).then((h) => h.jsonValue());
    assert.deepEqual(pasted.split(/\r?\n/).filter(Boolean), expected);

    // The filter narrows what is copied.
    await page.type(`${panel} [data-keyscope="list-filter"]`, expected[1]);
    // The whole filter typed, not a prefix of it that happens to leave one id too.
    await page.waitForFunction((panel, text) => document.querySelector(panel)?.getAttribute('data-keyscope-filter') === text, {}, panel, expected[1]);
    const filtered = await preview(page, 0, (s) => s.listTotal === 1, 'the filtered list');
    assert.equal(filtered.filter, expected[1]);
    await page.click(`${panel} [data-keyscope-action="copy-list"]`);
    await page.waitForFunction((panel) => document.querySelector(`${panel} [data-keyscope="copy-status"]`)?.getAttribute('data-keyscope-count') === '1', {}, panel);
    await page.$eval('#scratch', (field) => { field.value = ''; });
    await page.focus('#scratch');
    await page.keyboard.down('Control');
    await page.keyboard.press('KeyV');
    await page.keyboard.up('Control');
    const narrowed = await page.waitForFunction(() => document.getElementById('scratch').value || null).then((h) => h.jsonValue());
    assert.deepEqual(narrowed.split(/\r?\n/).filter(Boolean), [expected[1]]);
  });

  b.test('stress (100,000 ids): counts match the page rule and the list stays a window of rows', async ({ page }) => {
    const ids = buildFixture('stress').owners[0].PackageIds;
    await openCreateForm(page, b.demo, 'stress');
    for (const pattern of ['Microsoft.*', '*core*']) {
      await typeInstant(page, 0, pattern);
      const expected = ids.filter((id) => pageRegExp(pattern).test(id)).length;
      const seen = await waitForPattern(page, pattern);
      assert.equal(seen.matched, expected, pattern);
      assert.equal(seen.total, ids.length);
      assert.equal(seen.unmatched, ids.length - expected);
      assert.equal(seen.listTotal, expected);
      assert.ok(seen.rows.length > 0 && seen.rows.length <= 40, `a window of rows, not ${seen.rows.length}`);
    }
    // Scrolling to the end shows the last matched ids, still as a small window.
    const last = ids.filter((id) => pageRegExp('*core*').test(id)).at(-1);
    await page.$eval('[data-keyscope="preview"][data-keyscope-form="0"] [data-keyscope="id-list"]', (list) => {
      list.scrollTop = list.scrollHeight;
    });
    await page.waitForFunction(
      (id) => [...document.querySelectorAll('[data-keyscope="preview"][data-keyscope-form="0"] [data-keyscope="row"]')].some((row) => row.getAttribute('data-keyscope-id') === id),
      {},
      last,
    );
    const rows = await page.$$eval('[data-keyscope="preview"][data-keyscope-form="0"] [data-keyscope="row"]', (all) => all.length);
    assert.ok(rows <= 40, `a window of rows at the end too, not ${rows}`);
  });
});

