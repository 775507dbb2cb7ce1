// Issue 4 §2 in the browser: the coverage review under the key list. Its lists of packages
// are checked against an independent computation from the fixture with RegExps built the
// page's way, and it follows the page when a key is created, edited, regenerated, revoked or
// deleted and when the create form changes, without the secret of a new key ever reaching
// KeyScope's change event or its engine.

import assert from 'node:assert/strict';

import { buildFixture } from '../demo/fixtures.mjs';
import { describeEachBrowser, openApiKeys, pageReachingTheEngine, testHook, waitFor, waitForStatus, waitInAnyFrame } from './harness.mjs';

/** The page's own rule: `^` + escaped subject with `*` → `.*` + `$`, ignoring case. */
function pageRegExp(pattern) {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\-]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}

/**
 * Per owner, the ids no live scoped key of that owner matches (the legacy key aside), from
 * the fixture alone: live = not revoked, not expired; every subject is a pattern.
 */
function coveredByNoScopedKey(fixture) {
  const { owners, keys } = buildFixture(fixture);
  const now = Date.now();
  const live = keys.filter(
    (k) => !k.IsNonScopedApiKey && !k.RevocationSource && !k.HasExpired && (k.Expires === null || Date.parse(k.Expires) > now),
  );
  return Object.fromEntries(
    owners.map((o) => {
      const regexes = live
        .filter((k) => k.Owner.toLowerCase() === o.Owner.toLowerCase())
        .flatMap((k) => [k.GlobPattern, ...k.Packages].filter(Boolean).map(pageRegExp));
      return [o.Owner, o.PackageIds.filter((id) => !regexes.some((re) => re.test(id)))];
    }),
  );
}

/**
 * Waits until the review satisfies `check(summary)` (run here in Node, so the page never
 * evaluates test code); returns the summary.
 */
async function review(page, check, what) {
  const { value } = await waitInAnyFrame(
    page,
    (document) => {
      const body = document.querySelector('[data-keyscope="coverage"] [data-keyscope="coverage-body"]');
      if (!body || !body.querySelector('[data-keyscope="review-owner"]')) return null;
      const lists = (name) =>
        Object.fromEntries(
          [...body.querySelectorAll(`ul[data-keyscope="${name}"]`)].map((ul) => [
            ul.getAttribute('data-keyscope-owner'),
            [...ul.querySelectorAll('[data-keyscope-id]')].map((li) => li.getAttribute('data-keyscope-id')),
          ]),
        );
      const keys = (name) => [...body.querySelectorAll(`[data-keyscope="${name}"] [data-keyscope-key]`)].map((el) => Number(el.getAttribute('data-keyscope-key')));
      return {
        rows: body.getAttribute('data-keyscope-rows'),
        uncovered: lists('uncovered'),
        legacyOnly: lists('legacy-only'),
        everything: keys('grants-everything'),
        expiring: keys('expiring-soon'),
        inactive: keys('review-inactive-keys'),
        overlaps: body.querySelectorAll('[data-keyscope="overlaps"] li').length,
        whatIf: [...body.querySelectorAll('[data-keyscope="what-if"]')].map((el) => Number(el.getAttribute('data-keyscope-covers'))),
        tableRows: body.querySelectorAll('[data-keyscope="review-table"] tbody tr').length,
        live: keys('review-keys'),
        // The review's own words when it could not take a key or a change into account.
        stale: /Not in this review|could not follow/.test(body.textContent),
      };
    },
    null,
    { what, accept: check },
  );
  return value;
}

/**
 * Records, in the page's own world, every `keyscope:keys-changed` detail and every secret the
 * page receives (read from the page's own Generate/Regenerate answers, as the page does).
 */
async function recordChangesAndSecrets(page) {
  await page.evaluateOnNewDocument(() => {
    const log = { changes: [], secrets: [] };
    window.__reviewTest = log;
    document.addEventListener('keyscope:keys-changed', (event) => log.changes.push(event.detail));
    const open = XMLHttpRequest.prototype.open;
    XMLHttpRequest.prototype.open = function () {
      this.addEventListener('load', () => {
        try {
          const answer = JSON.parse(this.responseText);
          if (typeof answer?.Value === 'string' && answer.Value) log.secrets.push(answer.Value);
        } catch {}
      });
      return open.apply(this, arguments);
    };
  });
}

/** KeyScope's engine frame (in Firefox its frame URL reads about:blank; ask the frame). */
async function engineFrame(page) {
  for (const frame of page.frames()) {
    const href = await frame.evaluate(() => location.href).catch(() => '');
    if (/^(chrome|moz)-extension:/.test(href) && href.includes('frame.html')) return frame;
  }
  throw new Error('no KeyScope engine frame in the page');
}

/**
 * Records every request the engine handles from now on (as JSON): inside the engine frame in
 * Chromium, through the test hooks where the engine runs in Firefox's content script.
 */
async function recordEngineRequests(page, browserName) {
  if (browserName === 'firefox') {
    await testHook(page, 'record-requests');
    return () => testHook(page, 'requests');
  }
  const frame = await engineFrame(page);
  await frame.evaluate(async () => {
    const { Engine } = await import(new URL('pkg/keyscope.js', location.href).href);
    const handle = Engine.prototype.handle;
    globalThis.__engineRequests = [];
    Engine.prototype.handle = function (request) {
      globalThis.__engineRequests.push(JSON.stringify(request));
      return handle.call(this, request);
    };
  });
  return () => frame.evaluate(() => globalThis.__engineRequests);
}

/** Clicks `selector`, confirms in KeyScope's request guard (kind `kind`), waits for the POST to `path`. */
async function throughGuard(page, selector, kind, path) {
  const answered = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === path);
  await page.click(selector);
  const confirm = `[data-keyscope="request-guard"][data-keyscope-kind="${kind}"] [data-keyscope-action="confirm"]`;
  await page.waitForSelector(confirm);
  await page.click(confirm);
  assert.equal((await answered).status(), 200, `the ${path} request succeeded`);
}

/** The keys-changed details the page saw so far, parsed. */
async function changes(page) {
  return (await page.evaluate(() => window.__reviewTest.changes)).map((detail) => JSON.parse(detail));
}

/** Every property name anywhere in `value`. */
function names(value) {
  if (Array.isArray(value)) return value.flatMap(names);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([name, inner]) => [name, ...names(inner)]);
  return [];
}

describeEachBrowser('coverage review', (b) => {
  b.test('the review of org lists exactly the packages no live key covers', async ({ page, demo }) => {
    await openApiKeys(page, demo, { fixture: 'org' });
    assert.equal((await waitForStatus(page)).state, 'ready');
    await page.waitForSelector('[data-keyscope="coverage"]');
    assert.equal(await page.$eval('[data-keyscope="coverage"]', (el) => el.open), false, 'closed by default');
    await page.click('[data-keyscope="coverage"] > summary');

    const expected = coveredByNoScopedKey('org');
    assert.deepEqual(
      Object.fromEntries(Object.entries(expected).map(([owner, ids]) => [owner, ids.length])),
      { 'demo-user': 1540, Contoso: 568, Fabrikam: 177 },
      "the fixture's documented numbers",
    );
    const shown = await review(page, (s) => Object.keys(s.uncovered).length === 3, 'the review of org');
    // The legacy full-access key 4 still acts for every owner: nothing is uncovered, and the
    // review names what only that key covers.
    assert.deepEqual(shown.uncovered, { 'demo-user': [], Contoso: [], Fabrikam: [] });
    assert.deepEqual(shown.legacyOnly, expected);
    assert.deepEqual(shown.everything, [4]);
    assert.deepEqual(shown.expiring, [6]);
    assert.ok(shown.inactive.includes(3) && shown.inactive.includes(5), 'revoked and expired keys listed apart');
    assert.ok(shown.overlaps > 0, 'the legacy key overlaps the scoped ones');
    assert.ok(shown.tableRows <= 100 * 3, 'the table is capped');

    // Deleting the legacy key (through the request guard and the page's confirm) re-renders
    // the list; the review follows, and the same packages are now uncovered.
    page.on('dialog', (dialog) => dialog.accept().catch(() => {}));
    await page.click('#delete-4');
    await page.waitForSelector('[data-keyscope="request-guard"] [data-keyscope-action="confirm"]');
    await page.click('[data-keyscope="request-guard"] [data-keyscope-action="confirm"]');
    const after = await review(page, (s) => !JSON.parse(s.rows).some((row) => row.key === 4), 'the review after Delete');
    assert.deepEqual(after.uncovered, expected);
    assert.deepEqual(after.legacyOnly, {});
    assert.deepEqual(after.everything, []);
  });

  b.test('the create form is a what-if column that follows typing', async ({ page, demo }) => {
    await openApiKeys(page, demo, { fixture: 'small' });
    assert.equal((await waitForStatus(page)).state, 'ready');
    await page.click('#create-container .create-toggle');
    await page.waitForSelector('#glob-pattern-0', { visible: true });
    await page.click('[data-keyscope="coverage"] > summary');
    const ids = buildFixture('small').owners[0].PackageIds;
    const xunit = ids.filter((id) => pageRegExp('Xunit*').test(id)).length;
    await page.type('#glob-pattern-0', 'Xunit*');
    const shown = await review(page, (s) => s.whatIf[0] === xunit, 'the what-if column');
    assert.deepEqual(shown.whatIf, [xunit]);
  });

  b.test('the review follows keys created, edited, regenerated, revoked and deleted, never seeing a secret', async ({ demo, newPage }) => {
    const reaching = await pageReachingTheEngine(b, newPage);
    try {
      await followsEveryChange(reaching.page, demo, b.browserName);
    } finally {
      await reaching.close();
    }
  });
});

/** The review follows every change to the keys; neither a change nor an engine request carries a secret. */
async function followsEveryChange(page, demo, browserName) {
  await recordChangesAndSecrets(page);
  await openApiKeys(page, demo, { fixture: 'org' });
  assert.equal((await waitForStatus(page)).state, 'ready');
  const engineRequests = await recordEngineRequests(page, browserName);
  page.on('dialog', (dialog) => dialog.accept().catch(() => {}));
  await page.click('[data-keyscope="coverage"] > summary');

  // Without the legacy key 4, the packages no live scoped key covers are listed uncovered.
  await throughGuard(page, '#delete-4', 'delete', '/account/RemoveCredential');
  const expected = coveredByNoScopedKey('org');
  const start = await review(page, (s) => s.uncovered['demo-user']?.length === expected['demo-user'].length, 'the review without key 4');
  assert.deepEqual(start.uncovered, expected);
  const [first, second] = expected['demo-user'];
  const uncovered = (s, id) => s.uncovered['demo-user'].includes(id);

  // Create: a key for one uncovered package. The review counts the new key as live and the
  // package as covered, with no "not in this review" note.
  await page.click('#create-container .create-toggle');
  await page.waitForSelector('#description-0', { visible: true });
  await page.type('#description-0', 'Review follows');
  await page.select('#package-owner-0', 'demo-user');
  await page.type('#glob-pattern-0', first);
  const generated = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/account/GenerateApiKey');
  await page.click('#form-0 button[type="submit"]');
  assert.equal((await generated).status(), 200);
  const created = await waitFor(async () => (await changes(page)).find((c) => c.kind === 'created'), { what: 'the created change' });
  const key = created.key;
  const afterCreate = await review(page, (s) => s.live.includes(key) && !uncovered(s, first), 'the review after Create');
  assert.equal(afterCreate.uncovered['demo-user'].length, expected['demo-user'].length - 1);
  assert.equal(afterCreate.stale, false, 'the new key is in the review');

  // Edit: the key now covers the second package instead of the first.
  await page.click(`#start-edit-${key}`);
  await page.waitForSelector(`#glob-pattern-${key}`, { visible: true });
  await page.type(`#glob-pattern-${key}`, second);
  await page.$eval(`#form-${key} input[name="Packages"][value="${first}"]`, (box) => box.click());
  await throughGuard(page, `#form-${key} button[type="submit"]`, 'save', '/account/EditCredential');
  await review(page, (s) => uncovered(s, first) && !uncovered(s, second) && s.live.includes(key), 'the review after Edit');

  // Regenerate: a new key number in the old one's place, covering the same package.
  await throughGuard(page, `#regenerate-${key}`, 'regenerate', '/account/RegenerateCredential');
  const regenerated = await waitFor(async () => (await changes(page)).find((c) => c.kind === 'regenerated'), { what: 'the regenerated change' });
  assert.equal(regenerated.replaces, key);
  const fresh = regenerated.key;
  const afterRegenerate = await review(page, (s) => s.live.includes(fresh) && !s.live.includes(key), 'the review after Regenerate');
  assert.ok(!uncovered(afterRegenerate, second), 'the regenerated key keeps its coverage');
  assert.equal(afterRegenerate.stale, false);

  // Revoke: listed apart, covering nothing.
  await throughGuard(page, `#revoke-${fresh}`, 'revoke', '/account/RevokeApiKeyCredential');
  await review(page, (s) => s.inactive.includes(fresh) && !s.live.includes(fresh) && uncovered(s, second), 'the review after Revoke');

  // Delete: gone from the review.
  await throughGuard(page, `#delete-${fresh}`, 'delete', '/account/RemoveCredential');
  const end = await review(page, (s) => !s.inactive.includes(fresh) && !s.live.includes(fresh), 'the review after Delete');
  assert.deepEqual(end.uncovered, expected, 'back to where it started');
  assert.equal(end.stale, false, 'every change was followed');

  // What the review heard, and that no secret travelled with it.
  const heard = await changes(page);
  assert.deepEqual(heard.map((c) => c.kind), ['removed', 'created', 'edited', 'regenerated', 'revoked', 'removed']);
  assert.deepEqual(heard[2].subjects, [second], 'the edit as posted');
  const secrets = await page.evaluate(() => window.__reviewTest.secrets);
  assert.equal(secrets.length, 2, 'Generate and Regenerate each answered a secret');
  for (const secret of secrets) assert.match(secret, /^oy2[a-z0-9]{43}$/);
  const details = await page.evaluate(() => window.__reviewTest.changes);
  assert.ok(!names(heard).includes('Value'), 'no change carries a Value field');
  const requests = (await engineRequests()).filter((r) => r.includes('"keys-changed"'));
  assert.equal(requests.length, heard.length, 'every change reached the engine');
  for (const text of [...details, ...(await engineRequests())]) {
    for (const secret of secrets) assert.ok(!text.includes(secret), 'a secret in a change or an engine request');
  }
}
