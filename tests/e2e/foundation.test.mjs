// Issue 2's acceptance, replayed in Chromium and Firefox: KeyScope starts on the API Keys
// page, stays out of the page's way (CSP, the create flow, drifted data) and stays off every
// other nuget.org page.

import assert from 'node:assert/strict';

import { buildFixture } from '../demo/fixtures.mjs';
import {
  cspViolations,
  describeEachBrowser,
  goto,
  keyscopeTraces,
  openApiKeys,
  settled,
  waitForStatus,
  waitInAnyFrame,
} from './harness.mjs';

/** The status KeyScope should show for a fixture, derived from the fixture's own data. */
function expectedReadyText(fixture) {
  const { owners } = buildFixture(fixture);
  const packages = owners.reduce((sum, owner) => sum + owner.PackageIds.length, 0);
  const count = packages.toLocaleString('en-US');
  return new RegExp(`^KeyScope active · ${count} packages? across ${owners.length} owners?$`);
}

/** What the page itself rendered, ignoring anything KeyScope added: ids, controls, title. */
async function pageShape(page) {
  return page.evaluate(() => {
    const own = (el) => !el.closest('[data-keyscope]');
    const ids = [...document.querySelectorAll('[id]')].filter(own).map((el) => `${el.localName}#${el.id}`);
    const controls = [...document.querySelectorAll('input, select, button, textarea')].filter(own).length;
    return { title: document.title, ids: ids.sort(), controls };
  });
}

/** Waits until the page's own main text contains `text` (the page, not KeyScope). */
async function waitForPageText(page, text) {
  await waitInAnyFrame(
    page,
    (document, wanted) => (document.body?.innerText ?? '').includes(wanted) && wanted,
    text,
    { what: `the page to show "${text}"` },
  );
}

describeEachBrowser('foundation', (b) => {
  for (const fixture of ['small', 'org', 'large']) {
    b.test(`reaches ready on the ${fixture} fixture`, async ({ page }) => {
      await openApiKeys(page, b.demo, { fixture });
      const status = await waitForStatus(page);
      assert.equal(status.state, 'ready', `status text: ${status.text}`);
      assert.match(status.text, expectedReadyText(fixture));
    });
  }

  b.test('shows the package and owner count on the org fixture', async ({ page }) => {
    await openApiKeys(page, b.demo, { fixture: 'org' });
    const status = await waitForStatus(page);
    assert.equal(status.text, 'KeyScope active · 2,434 packages across 3 owners');
  });

  for (const csp of ['enforce', 'report']) {
    b.test(`causes no CSP violation or report with the policy in ${csp} mode`, async ({ page, plainPage }) => {
      // The page alone first: whatever it reports by itself is not KeyScope's doing.
      const alone = await plainPage();
      await openApiKeys(alone, b.demo, { fixture: 'org', csp });
      const baseline = await cspViolations(alone, b.demo);

      await openApiKeys(page, b.demo, { fixture: 'org', csp });
      const status = await waitForStatus(page);
      assert.equal(status.state, 'ready', `status text: ${status.text}`);
      const seen = await cspViolations(page, b.demo);
      assert.deepEqual(seen.violations, baseline.violations, 'securitypolicyviolation events on the page');
      assert.deepEqual(seen.reports, baseline.reports, 'CSP reports received by the demo');
      assert.deepEqual(seen.violations, [], 'the page with KeyScope records no violation');
      assert.deepEqual(seen.reports, [], 'the browser sent no CSP report');
    });
  }

  b.test('the page creates a key with its own form while KeyScope runs', async ({ page }) => {
    const { owners } = buildFixture('small');
    const owner = owners[0];
    const pattern = `${owner.PackageIds[0].split('.')[0]}.*`;

    await openApiKeys(page, b.demo, { fixture: 'small' });
    assert.equal((await waitForStatus(page)).state, 'ready');

    await page.click('#create-container .panel-heading a');
    await page.waitForSelector('#description-0', { visible: true });
    await page.type('#description-0', 'KeyScope e2e push key');
    const ownerValue = await page.$eval(
      '#package-owner-0',
      (select, name) => [...select.options].find((option) => option.text.trim() === name)?.value,
      owner.Owner,
    );
    assert.ok(ownerValue !== undefined, `owner option "${owner.Owner}" exists`);
    await page.select('#package-owner-0', ownerValue);

    // Knockout may re-render the scopes after the owner changes: look the boxes up again.
    const pushBox = await page.evaluateHandle(() =>
      [...document.querySelectorAll('#form-0 input[type=checkbox]')].find((box) => box.closest('label')?.textContent.trim() === 'Push'),
    );
    assert.ok(pushBox.asElement(), 'the form has a "Push" checkbox');
    if (!(await pushBox.evaluate((box) => box.checked))) await pushBox.asElement().click();
    await page.click('#form-0 input[name=PushScope][value="package:push"]');
    await page.type('#glob-pattern-0', pattern);

    const answered = page.waitForResponse(
      (response) => response.request().method() === 'POST' && new URL(response.url()).pathname === '/account/GenerateApiKey',
    );
    await page.click('#form-0 button[type=submit]');
    assert.equal((await answered).status(), 200, 'the Generate request succeeded');

    const posts = b.demo.requests().filter((r) => r.method === 'POST' && r.path === '/account/GenerateApiKey');
    assert.equal(posts.length, 1, 'exactly one Generate request');
    const { fields } = posts[0];
    assert.equal(fields.description, 'KeyScope e2e push key');
    assert.equal(fields.owner, owner.Owner);
    assert.deepEqual(fields['scopes[]'], ['package:push']);
    assert.ok(fields['subjects[]']?.includes(pattern), `subjects ${JSON.stringify(fields['subjects[]'])} include ${pattern}`);
    assert.ok(Number(fields.expirationInDays) > 0, 'an expiry was sent');

    await waitForPageText(page, 'A new API key has been created');
  });

  for (const initialData of ['missing', 'malformed']) {
    b.test(`goes inactive with a reason when initialData is ${initialData}, leaving the page as it was`, async ({ page, plainPage }) => {
      const drift = { initialData };
      const alone = await plainPage();
      await openApiKeys(alone, b.demo, { fixture: 'org', drift });
      await settled(alone);
      const expected = await pageShape(alone);

      await openApiKeys(page, b.demo, { fixture: 'org', drift });
      const status = await waitForStatus(page);
      assert.equal(status.state, 'inactive', `status text: ${status.text}`);
      assert.match(status.text, /^KeyScope is inactive on this page: \S.*/);
      await settled(page);
      assert.deepEqual(await pageShape(page), expected, 'the page renders as it does without KeyScope');
    });
  }

  for (const path of ['/account/trustedpublishing', '/packages/Newtonsoft.Json', '/account/apikeys']) {
    b.test(`draws nothing on ${path}${path.endsWith('apikeys') ? ' without forceApiKeys (redirect)' : ''}`, async ({ page }) => {
      // Prove KeyScope is live in this tab first, so an empty result below means something.
      await openApiKeys(page, b.demo, { fixture: 'small' });
      assert.equal((await waitForStatus(page)).state, 'ready');

      await goto(page, path);
      await settled(page);
      assert.doesNotMatch(new URL(page.url()).pathname, /^\/account\/apikeys/i, 'landed on another page');
      assert.deepEqual(await keyscopeTraces(page), []);
    });
  }
});
