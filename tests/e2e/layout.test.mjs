// Issue 7 §3 in the browser: at a phone's width (360 px) and a desktop's (1280 px), with every
// KeyScope part on screen (status, glob feedback with a suggestion, the preview, the opened
// coverage review, the request guard), no KeyScope element covers one of the page's own
// controls: KeyScope only ever adds to the page's flow, it never sits on top of it.

import assert from 'node:assert/strict';

import { describeEachBrowser, openApiKeys, waitForStatus } from './harness.mjs';

/**
 * Every pair (KeyScope element, page control) whose boxes overlap, as readable lines. KeyScope's
 * elements are its outermost `[data-keyscope]` elements (the hidden engine host aside); page
 * controls are the visible links, buttons, fields and labels outside KeyScope.
 */
function overlaps(page) {
  return page.evaluate(() => {
    // The part of an element's box that can be seen: clipped by every scrolling ancestor
    // (the page's package list scrolls, and its hidden rows still have boxes).
    const shown = (el) => {
      const r = el.getBoundingClientRect();
      let box = { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
      for (let up = el.parentElement; up; up = up.parentElement) {
        const style = getComputedStyle(up);
        if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
        const c = up.getBoundingClientRect();
        box = { left: Math.max(box.left, c.left), top: Math.max(box.top, c.top), right: Math.min(box.right, c.right), bottom: Math.min(box.bottom, c.bottom) };
      }
      return box;
    };
    const visible = (el) => {
      const r = shown(el);
      return r.right - r.left > 0 && r.bottom - r.top > 0 && getComputedStyle(el).visibility !== 'hidden';
    };
    const name = (el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.getAttribute('data-keyscope') ? `[data-keyscope="${el.getAttribute('data-keyscope')}"]` : ''}`;
    const ours = [...document.querySelectorAll('[data-keyscope]')].filter(
      (el) => !el.parentElement?.closest('[data-keyscope]') && el.getAttribute('data-keyscope') !== 'engine' && visible(el),
    );
    const controls = [...document.querySelectorAll('a[href], button, input:not([type="hidden"]), select, textarea, label')].filter(
      (el) => !el.closest('[data-keyscope]') && !ours.some((o) => o.contains(el) || el.contains(o)) && visible(el),
    );
    const found = [];
    for (const o of ours) {
      const a = shown(o);
      for (const c of controls) {
        const b = shown(c);
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        // One pixel of shared border is touching, not covering.
        if (w > 1 && h > 1) found.push(`${name(o)} covers ${name(c)} (${Math.round(w)}×${Math.round(h)} px)`);
      }
    }
    return { found, ours: ours.length, controls: controls.length };
  });
}

describeEachBrowser('layout', (b) => {
  for (const width of [360, 1280]) {
    b.test(`at ${width} px no KeyScope element overlaps a page control`, async ({ page, demo }) => {
      await page.setViewport({ width, height: 800 });
      await openApiKeys(page, demo, { fixture: 'org' });
      assert.equal((await waitForStatus(page)).state, 'ready');
      await page.click('#create-container .create-toggle');
      await page.waitForSelector('#glob-pattern-0', { visible: true });
      await page.type('#glob-pattern-0', 'Polly.*');
      await page.waitForSelector('[data-keyscope="glob-feedback"][data-keyscope-for="Polly.*"] [data-keyscope-action="use-suggestion"]');
      await page.waitForSelector('[data-keyscope="preview"][data-keyscope-for="Polly.*"] [data-keyscope="row"]');
      await page.click('[data-keyscope="coverage"] > summary');
      await page.waitForSelector('[data-keyscope="coverage"] [data-keyscope="review-owner"]');
      await page.click('#regenerate-1');
      await page.waitForSelector('[data-keyscope="request-guard"][data-keyscope-kind="regenerate"]');

      const { found, ours, controls } = await overlaps(page);
      assert.ok(ours >= 5 && controls > 10, `measured ${ours} KeyScope elements against ${controls} controls`);
      assert.deepEqual(found, [], found.join('\n'));
      // Nothing of KeyScope's reaches past the page's right edge either.
      const wider = await page.evaluate(() =>
        [...document.querySelectorAll('[data-keyscope]')]
          .filter((el) => el.getAttribute('data-keyscope') !== 'engine' && el.getBoundingClientRect().right > document.documentElement.scrollWidth + 1)
          .map((el) => el.getAttribute('data-keyscope')),
      );
      assert.deepEqual(wider, []);
    });
  }
});

const PANEL = '[data-keyscope="preview"][data-keyscope-form="0"]';
const FIELD = `${PANEL} [data-keyscope="instant-pattern"]`;
// "Polly.*" brings warnings (the parent id it leaves out, the new ids push-new grants);
// erasing back to "Polly" takes them away again.
const WARNINGS_COME_AND_GO = [...'Polly.*', 'Backspace', 'Backspace'];

/** Opens org's create form once KeyScope is ready, with the preview's own field on screen. */
async function openPreview(page, demo) {
  await openApiKeys(page, demo, { fixture: 'org' });
  assert.equal((await waitForStatus(page)).state, 'ready');
  await page.click('#create-container .create-toggle');
  await page.waitForSelector('#glob-pattern-0', { visible: true });
  await page.waitForSelector(FIELD);
}

/** Types each key into the focused field, waiting for the preview of each new text. */
async function typeEach(page, keys, afterEach = async () => {}) {
  for (const key of keys) {
    if (key === 'Backspace') await page.keyboard.press(key);
    else await page.keyboard.type(key);
    const text = await page.$eval(FIELD, (input) => input.value);
    await page.waitForSelector(`${PANEL}[data-keyscope-for="${text}"]`);
    await afterEach();
  }
}

describeEachBrowser('layout while typing', (b) => {
  b.test("typing in KeyScope's own field never moves the page's package list up; it settles once the user pauses", async ({ page, demo }) => {
    await openPreview(page, demo);
    const listTop = () => page.$eval('#form-0 .available-packages .panel-body', (list) => list.getBoundingClientRect().top + scrollY);

    await page.click(FIELD);
    const tops = [await listTop()];
    await typeEach(page, WARNINGS_COME_AND_GO, async () => {
      tops.push(await listTop());
      // Held at a fixed height while busy, the preview still grows to fit what it shows by the
      // frame after the one that drew it: nothing of it spills over the page below.
      const spill = await page.$eval(PANEL, (element) =>
        new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(element.scrollHeight - element.clientHeight)))),
      );
      assert.ok(spill <= 1, `the preview's content spills ${spill} px past its held height`);
    });
    for (let i = 1; i < tops.length; i += 1) {
      assert.ok(tops[i] >= tops[i - 1], `the list moved up while typing: ${tops.join(' → ')}`);
    }
    assert.ok(tops.at(-1) > tops[0], `the warnings made room for themselves: ${tops.join(' → ')}`);

    // Paused: the preview lets go of the height it held, and the list comes back up.
    await page.waitForFunction((selector) => document.querySelector(selector).style.height === '', {}, PANEL);
    const settled = await listTop();
    assert.ok(settled < tops.at(-1), `the list settles once the user pauses: ${tops.at(-1)} → ${settled}`);
  });

  b.test('a row the pointer went to after typing stays where it is until the pointer leaves what lies below', async ({ page, demo }) => {
    await openPreview(page, demo);
    await page.click(FIELD);
    // Warnings come and go: the preview is held taller than what it now shows.
    await typeEach(page, WARNINGS_COME_AND_GO);
    assert.equal(await page.$eval(PANEL, (element) => element.getAttribute('data-keyscope-held')), 'busy');

    // The user goes for a row of the package list, below the preview.
    const rows = '#form-0 .available-packages .panel-body input[name="Packages"]';
    const onScreen = (index) => page.evaluate((selector, i) => document.querySelectorAll(selector)[i].getBoundingClientRect().top, rows, index);
    await page.$eval(rows, (box) => box.scrollIntoView({ block: 'center' }));
    await page.hover(rows);
    const before = await onScreen(0);
    // The pause ends; letting go now would move the row under the pointer, so the box waits.
    await page.waitForSelector(`${PANEL}[data-keyscope-held="waiting"]`);
    assert.equal(await onScreen(0), before, 'the row stays under the pointer');

    // Each tick adds a subject to the preview; anchored to the page's own rows, never to a line
    // in KeyScope's box, the rows stay where they are on screen and every click lands on the
    // row it was aimed at.
    for (let i = 0; i < 4; i += 1) {
      const aimed = await onScreen(i);
      const box = await page.evaluateHandle((selector, index) => document.querySelectorAll(selector)[index], rows, i);
      await box.click();
      await box.dispose();
      await page.waitForSelector(`${PANEL}[data-keyscope-ticked="${i + 1}"]`);
      // The frame that drew the grown preview has been laid out.
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
      assert.ok(Math.abs((await onScreen(i)) - aimed) < 1, `row ${i} stays put on screen: ${aimed} → ${await onScreen(i)}`);
    }
    const ticked = await page.evaluate((selector) => [...document.querySelectorAll(selector)].slice(0, 5).map((box) => box.checked), rows);
    assert.deepEqual(ticked, [true, true, true, true, false], 'each click ticked its own row');
    const rowTop = () => page.$eval(rows, (box) => box.getBoundingClientRect().top + scrollY);
    const beforeLeaving = await rowTop();

    // The pointer goes back above the list: the preview returns to its own height.
    await page.hover(FIELD);
    await page.waitForFunction((selector) => !document.querySelector(selector).hasAttribute('data-keyscope-held'), {}, PANEL);
    assert.equal(await page.$eval(PANEL, (element) => element.style.height), '');
    const after = await rowTop();
    assert.ok(after < beforeLeaving, `the list comes back up once the pointer has left it: ${beforeLeaving} → ${after}`);
  });
});
