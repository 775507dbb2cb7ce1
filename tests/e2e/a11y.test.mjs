// Issue 7 §2 in the browser: every state of KeyScope's UI passes an axe-core audit scoped to
// what KeyScope draws (the page's own markup is nuget.org's business), in the light and the
// dark colour scheme; and the keyboard alone reaches and operates KeyScope's controls.
//
// Each scheme has its own browser, launched in it (describeEachBrowser's colorScheme): Firefox's
// WebDriver BiDi cannot emulate prefers-color-scheme per page, and a browser started dark is
// what a user with a dark system theme has anyway.
//
// axe-core is injected as a plain script. That needs the page's CSP off (`csp: 'none'`), so
// these tests audit markup and colours only; the CSP suites prove KeyScope under the CSP.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import { describeEachBrowser, openApiKeys, waitForStatus, waitInAnyFrame } from './harness.mjs';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2.x A and AA plus axe's best practices: everything axe checks without a human. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/**
 * Runs axe on everything KeyScope drew (its hidden engine host aside) and returns the
 * violations as readable lines, with the state they were found in.
 */
async function audit(page, state) {
  const hasAxe = await page.evaluate(() => typeof window.axe === 'object');
  if (!hasAxe) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (tags) => {
    const result = await window.axe.run(
      { include: [['[data-keyscope]']], exclude: [['[data-keyscope="engine"]']] },
      {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
        iframes: false,
        // Page-level rules judge nuget.org's document, not the parts KeyScope adds to it.
        rules: { region: { enabled: false }, 'landmark-one-main': { enabled: false }, 'page-has-heading-one': { enabled: false } },
      },
    );
    return result.violations.map((v) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary.replace(/\s+/g, ' ')}`),
    }));
  }, AXE_TAGS);
  return violations.map((v) => `[${state}] ${v.id}: ${v.help}\n    ${v.nodes.slice(0, 5).join('\n    ')}`);
}

/** Selects all of a field's text and deletes it, as a user would before typing anew. */
async function clearField(page, selector) {
  await page.focus(selector);
  await page.$eval(selector, (field) => field.select());
  await page.keyboard.press('Backspace');
}

/** Waits until the glob feedback of the create form is about `pattern` and shows `code`. */
async function feedbackShows(page, pattern, code) {
  await waitInAnyFrame(
    page,
    (document, { pattern, code }) => {
      const slot = document.querySelector('[data-keyscope="glob-feedback"][data-keyscope-form="0"]');
      return slot?.getAttribute('data-keyscope-for') === pattern && Boolean(slot.querySelector(`[data-keyscope-code="${code}"]`));
    },
    { pattern, code },
    { what: `the feedback on ${pattern} with ${code}` },
  );
}

/** Brings up every KeyScope state in turn and audits each; returns all violations. */
async function auditEveryState(page, demo) {
  const found = [];
  await openApiKeys(page, demo, { fixture: 'small', csp: 'none' });
  const status = await waitForStatus(page);
  assert.equal(status.state, 'ready', status.text);
  found.push(...(await audit(page, 'status')));

  // Glob feedback with an error, then with a warning and its suggestion button; the preview
  // panel with its id list, KeyScope's own pattern field and the multi-pattern helper.
  await page.click('#create-container .create-toggle');
  await page.waitForSelector('#glob-pattern-0', { visible: true });
  await page.type('#glob-pattern-0', 'Serilog Core');
  await feedbackShows(page, 'Serilog Core', 'invalid-char');
  found.push(...(await audit(page, 'glob error')));
  await clearField(page, '#glob-pattern-0');
  await page.type('#glob-pattern-0', 'Serilog.*');
  await feedbackShows(page, 'Serilog.*', 'excludes-parent');
  await page.waitForSelector('[data-keyscope="preview"][data-keyscope-for="Serilog.*"] [data-keyscope="row"]');
  found.push(...(await audit(page, 'glob warning + preview')));
  await page.type('[data-keyscope="multi-pattern"]', 'Serilog*, Polly?');
  await page.waitForSelector('[data-keyscope="multi-feedback"][data-keyscope-valid="false"]');
  await page.type('[data-keyscope="instant-pattern"]', 'x');
  await page.waitForSelector('[data-keyscope="preview"] [data-keyscope="pending"]');
  found.push(...(await audit(page, 'instant field + multi-pattern')));

  // The coverage review, opened.
  await page.click('[data-keyscope="coverage"] > summary');
  await page.waitForSelector('[data-keyscope="coverage"] [data-keyscope="review-owner"]');
  found.push(...(await audit(page, 'coverage review')));

  // The request guard: Regenerate asks first.
  await page.click('#regenerate-1');
  await page.waitForSelector('[data-keyscope="request-guard"][data-keyscope-kind="regenerate"]');
  found.push(...(await audit(page, 'request guard')));
  await page.keyboard.press('Escape');
  await page.waitForSelector('[data-keyscope="request-guard"]', { hidden: true });

  // The secret guard's prompt after a Create.
  await clearField(page, '#glob-pattern-0');
  await page.type('#glob-pattern-0', 'Serilog*');
  await page.type('#description-0', 'Audit key');
  await page.click('#form-0 button[type="submit"]');
  await page.waitForSelector('[data-keyscope="guard"] [data-keyscope-action="save"]');
  found.push(...(await audit(page, 'secret guard')));
  return found;
}

/** The KeyScope control that has keyboard focus, as `data-keyscope-action` or `data-keyscope`. */
function focusedControl(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el?.closest('[data-keyscope]')) return el ? `page:${el.id || el.tagName.toLowerCase()}` : null;
    return el.getAttribute('data-keyscope-action') ?? el.getAttribute('data-keyscope') ?? el.tagName.toLowerCase();
  });
}

/** Presses Tab until `wanted(control)` holds; returns the controls passed on the way. */
async function tabUntil(page, wanted, limit = 40) {
  const seen = [];
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press('Tab');
    const control = await focusedControl(page);
    seen.push(control);
    if (wanted(control)) return seen;
  }
  throw new Error(`Tab never reached the control; passed: ${seen.join(', ')}`);
}

/** Whether `page` is rendered in the dark colour scheme. */
function isDark(page) {
  return page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches);
}

describeEachBrowser('accessibility', (b) => {
  b.test('axe finds no violation in any KeyScope state, light scheme', async ({ page, demo }) => {
    const found = await auditEveryState(page, demo);
    assert.equal(await isDark(page), false, 'the page is in the light scheme');
    assert.deepEqual(found, [], `axe violations:\n${found.join('\n')}`);
  });

  b.test('Tab reaches the suggestion, the preview and the review in order; Enter and Space operate them', async ({ page, demo }) => {
    await openApiKeys(page, demo, { fixture: 'small' });
    assert.equal((await waitForStatus(page)).state, 'ready');
    await page.click('#create-container .create-toggle');
    await page.waitForSelector('#glob-pattern-0', { visible: true });
    await page.type('#glob-pattern-0', 'Serilog.*');
    await feedbackShows(page, 'Serilog.*', 'excludes-parent');

    // From the page's glob field, the next stop is KeyScope's suggestion right under it.
    await page.focus('#glob-pattern-0');
    await page.keyboard.press('Tab');
    assert.equal(await focusedControl(page), 'use-suggestion', 'the suggestion follows the glob field');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('glob-pattern-0').value === 'Serilog*');

    // Further on: KeyScope's own pattern field, then the list switches, in the panel's order.
    const path = await tabUntil(page, (c) => c === 'instant-pattern');
    assert.ok(path.every((c) => c !== null), `focus never falls off the page: ${path.join(', ')}`);
    const rest = await tabUntil(page, (c) => c === 'show-list');
    assert.ok(rest.length >= 1, rest.join(', '));
    const before = await page.$eval('[data-keyscope="preview"][data-keyscope-form="0"]', (el) => el.getAttribute('data-keyscope-list'));
    await page.keyboard.press('Tab');
    assert.equal(await focusedControl(page), 'show-list', 'the second list switch follows the first');
    await page.keyboard.press(' ');
    await page.waitForFunction(
      (was) => document.querySelector('[data-keyscope="preview"][data-keyscope-form="0"]').getAttribute('data-keyscope-list') !== was,
      {},
      before,
    );

    // The coverage review's summary opens with Enter.
    await page.focus('[data-keyscope="coverage"] > summary');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('[data-keyscope="coverage"]').open);
  });

  b.test('the request guard takes focus, Tab stays on its buttons, Escape closes it', async ({ page, demo }) => {
    await openApiKeys(page, demo, { fixture: 'small' });
    assert.equal((await waitForStatus(page)).state, 'ready');
    await page.click('#regenerate-1');
    await page.waitForSelector('[data-keyscope="request-guard"][data-keyscope-kind="regenerate"]');
    await page.waitForFunction(() => document.activeElement?.closest('[data-keyscope="request-guard"]'));
    const first = await focusedControl(page);
    assert.ok(['cancel', 'confirm'].includes(first), `focus starts on a guard button: ${first}`);
    await page.keyboard.press('Tab');
    const second = await focusedControl(page);
    assert.ok(['cancel', 'confirm'].includes(second) && second !== first, `Tab moves to the other button: ${second}`);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-keyscope="request-guard"]', { hidden: true });
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'regenerate-1', 'focus returns to the link');

    // Enter on the focused confirm button lets the request go (the page then asks itself).
    page.on('dialog', (dialog) => dialog.dismiss().catch(() => {}));
    await page.focus('#regenerate-1');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-keyscope="request-guard"] [data-keyscope-action="confirm"]');
    await page.focus('[data-keyscope="request-guard"] [data-keyscope-action="confirm"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-keyscope="request-guard"]', { hidden: true });
  });
}, { colorScheme: 'light' });

describeEachBrowser(
  'accessibility, dark scheme',
  (b) => {
    b.test('axe finds no violation in any KeyScope state, dark scheme', async ({ page, demo }) => {
      const found = await auditEveryState(page, demo);
      assert.equal(await isDark(page), true, 'the page is in the dark scheme');
      // KeyScope's own dark surface is in use, not the light one on a dark page.
      const background = await page.$eval('[data-keyscope="coverage"]', (el) => getComputedStyle(el).backgroundColor);
      const [r, g, bl] = background.match(/\d+/g).map(Number);
      assert.ok(r + g + bl < 3 * 96, `the coverage review has a dark background: ${background}`);
      assert.deepEqual(found, [], `axe violations:\n${found.join('\n')}`);
    });
  },
  { colorScheme: 'dark' },
);
