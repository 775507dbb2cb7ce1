// Issue 4 §2 in the browser: the coverage review under the key list. Its lists of packages
// are checked against an independent computation from the fixture with RegExps built the
// page's way, and it follows the page when a key is deleted and the create form changes.

import assert from 'node:assert/strict';

import { buildFixture } from '../demo/fixtures.mjs';
import { describeEachBrowser, openApiKeys, waitForStatus, waitInAnyFrame } from './harness.mjs';

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

/** Waits until the review satisfies `check(summary)`; returns the summary. */
async function review(page, check, what) {
  const { value } = await waitInAnyFrame(
    page,
    (document, source) => {
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
      const summary = {
        rows: body.getAttribute('data-keyscope-rows'),
        uncovered: lists('uncovered'),
        legacyOnly: lists('legacy-only'),
        everything: keys('grants-everything'),
        expiring: keys('expiring-soon'),
        inactive: keys('review-inactive-keys'),
        overlaps: body.querySelectorAll('[data-keyscope="overlaps"] li').length,
        whatIf: [...body.querySelectorAll('[data-keyscope="what-if"]')].map((el) => Number(el.getAttribute('data-keyscope-covers'))),
        tableRows: body.querySelectorAll('[data-keyscope="review-table"] tbody tr').length,
      };
      // eslint-disable-next-line no-new-func -- the check travels as source into the page
      return new Function('s', `return (${source})(s)`)(summary) ? summary : null;
    },
    check.toString(),
    { what },
  );
  return value;
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
    const shown = await review(page, new Function(`return (s) => s.whatIf[0] === ${xunit}`)(), 'the what-if column');
    assert.deepEqual(shown.whatIf, [xunit]);
  });
});
