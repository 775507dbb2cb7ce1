// The coverage review's look in the browser: its id lists stay inside their box at a phone's
// width (360 px) and a desktop's (1280 px), as many columns as fit, scrolling down and never
// sideways; and in the dark scheme KeyScope's dark surfaces tell the browser they are dark
// (`color-scheme`), so their scrollbars and controls are drawn dark too, not light on dark.

import assert from 'node:assert/strict';

import { describeEachBrowser, openApiKeys, waitForStatus } from './harness.mjs';

/** Opens the org fixture's coverage review and waits for its id lists. */
async function openReview(page, demo) {
  await openApiKeys(page, demo, { fixture: 'org' });
  assert.equal((await waitForStatus(page)).state, 'ready');
  await page.click('[data-keyscope="coverage"] > summary');
  await page.waitForSelector('[data-keyscope="coverage"] ul[data-keyscope="legacy-only"] li[data-keyscope-id]');
}

/** Each id list of the review: its scroll sizes, and the rightmost edge of its items and box. */
function idLists(page) {
  return page.$$eval('[data-keyscope="coverage"] ul.keyscope-review-ids', (lists) =>
    lists.map((list) => {
      const box = list.getBoundingClientRect();
      const items = [...list.children].map((item) => item.getBoundingClientRect().right);
      return {
        list: `${list.getAttribute('data-keyscope')} of ${list.getAttribute('data-keyscope-owner')}`,
        items: items.length,
        scrollWidth: list.scrollWidth,
        clientWidth: list.clientWidth,
        scrollHeight: list.scrollHeight,
        clientHeight: list.clientHeight,
        itemsRight: Math.max(0, ...items),
        right: box.right,
      };
    }),
  );
}

describeEachBrowser('review look', (b) => {
  for (const width of [360, 1280]) {
    b.test(`at ${width} px the review's id lists scroll down inside their box, never sideways`, async ({ page, demo }) => {
      await page.setViewport({ width, height: 800 });
      await openReview(page, demo);
      const lists = await idLists(page);
      assert.ok(
        lists.some((l) => l.items > 100 && l.scrollHeight > l.clientHeight),
        `a list long enough to scroll: ${JSON.stringify(lists)}`,
      );
      for (const l of lists) {
        assert.ok(l.scrollWidth <= l.clientWidth, `${l.list} scrolls sideways: ${JSON.stringify(l)}`);
        assert.ok(l.itemsRight <= l.right + 0.5, `${l.list} has items past its right edge: ${JSON.stringify(l)}`);
      }
    });
  }
});

describeEachBrowser(
  'review look, dark scheme',
  (b) => {
    b.test("KeyScope's dark surfaces are dark for the browser too (color-scheme), the page's are not", async ({ page, demo }) => {
      await openReview(page, demo);
      await page.click('#create-container .create-toggle');
      await page.waitForSelector('[data-keyscope="preview"][data-keyscope-form="0"]');
      assert.equal(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches), true, 'the page is in the dark scheme');
      const schemes = await page.evaluate(() => ({
        page: getComputedStyle(document.documentElement).colorScheme,
        ids: getComputedStyle(document.querySelector('[data-keyscope="legacy-only"]')).colorScheme,
        scrollbar: getComputedStyle(document.querySelector('[data-keyscope="legacy-only"]')).scrollbarColor,
        ours: Object.fromEntries(
          ['status', 'coverage', 'preview'].map((name) => [name, getComputedStyle(document.querySelector(`[data-keyscope="${name}"]`)).colorScheme]),
        ),
      }));
      assert.deepEqual(schemes.ours, { status: 'dark', coverage: 'dark', preview: 'dark' });
      assert.equal(schemes.ids, 'dark', "the id list's scrollbar is drawn dark");
      // Firefox ignores color-scheme for an element's scrollbar: its colours are KeyScope's.
      assert.notEqual(schemes.scrollbar, 'auto', "the id list's scrollbar has KeyScope's colours");
      assert.equal(schemes.page, 'normal', "nuget.org's own page keeps its scheme");
    });
  },
  { colorScheme: 'dark' },
);
