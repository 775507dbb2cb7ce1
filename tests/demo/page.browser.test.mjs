// The demo page itself in real headless browsers (no extension): its own create,
// edit, regenerate, copy and idle-wipe flows work with the CSP enforced and cause
// no violation. Skipped when puppeteer-core is not installed.
//   node --test tests/demo/page.browser.test.mjs
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startDemo } from './server.mjs';

let puppeteer = null;
try {
  puppeteer = (await import('puppeteer-core')).default;
} catch {
  puppeteer = null;
}

const BROWSERS = {
  chromium: (port) => ({
    executablePath: '/usr/bin/chromium',
    headless: true,
    pipe: true,
    acceptInsecureCerts: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', `--host-resolver-rules=MAP www.nuget.org 127.0.0.1:${port}`, '--ignore-certificate-errors'],
  }),
  firefox: (port) => ({
    browser: 'firefox',
    executablePath: '/usr/bin/firefox-esr',
    headless: true,
    acceptInsecureCerts: true,
    extraPrefsFirefox: {
      'network.dns.localDomains': 'www.nuget.org',
      'network.trr.mode': 5,
      'network.socket.forcePort': `443=${port}`,
    },
  }),
};

for (const name of Object.keys(BROWSERS)) {
  describe(`demo page in ${name}`, { skip: puppeteer ? false : 'puppeteer-core is not installed' }, () => {
    let demo;
    let browser;
    let page;

    before(async () => {
      demo = await startDemo({ fixture: 'org', csp: 'enforce', idleMs: 1500 });
      browser = await puppeteer.launch(BROWSERS[name](demo.port));
    });
    after(async () => {
      await browser?.close();
      await demo?.close();
    });

    // The idle wipe is shortened only for the test that waits for it, so no other test races it.
    async function openPage({ idleMs = 600_000 } = {}) {
      demo.configure({ idleMs });
      page = await browser.newPage();
      page.on('dialog', (dialog) => dialog.accept().catch(() => {}));
      await page.goto(demo.url('/account/apikeys?forceApiKeys=true'));
      await page.waitForSelector('#form-0');
      await page.click('#create-container .create-toggle');
    }

    async function setGlob(selector, value) {
      await page.$eval(selector, (input, v) => {
        input.value = v;
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }, value);
    }

    test('user_creates_a_key_with_a_glob_and_a_hand_ticked_id', async () => {
      await openPage();
      await page.type('#description-0', 'CI key');
      await setGlob('#glob-pattern-0', 'Serilog.*');
      assert.match(await page.$eval('#selected-count-0', (e) => e.textContent), /^\d+ of 1543 packages selected$/);
      await page.$$eval('#form-0 .available-packages input[name=Packages]', (inputs) => {
        inputs.find((i) => i.value === 'Humanizer').click();
      });
      await page.$eval('#form-0', (form) => form.requestSubmit());
      await page.waitForSelector('.api-key-new-message');
      const [request] = demo.requests();
      assert.deepEqual(request.fields['subjects[]'], ['Serilog.*', 'Humanizer']);
      assert.deepEqual(request.fields['scopes[]'], ['package:push']);
      assert.match(await page.$eval('.api-key-new-message', (e) => e.textContent), /^A new API key has been created\./);
      assert.ok(await page.$('[id^=copy-]'));
      assert.ok(!(await page.content()).includes('oy2'), 'the secret never enters the DOM');
      assert.deepEqual(await page.evaluate(() => window.__demoCspViolations), []);
      await page.close();
    });

    test('empty_selection_is_stopped_by_the_page', async () => {
      await openPage();
      await page.type('#description-0', 'empty');
      await page.click('#form-0 button[type=submit]');
      assert.match(await page.$eval('#form-0 .form-errors', (e) => e.textContent), /Either a glob pattern must be specified/);
      assert.deepEqual(demo.requests(), []);
      await page.close();
    });

    test('copy_uses_a_temporary_textarea_and_idle_wipes_the_secret', async () => {
      await openPage({ idleMs: 1500 });
      await page.click('#regenerate-2');
      await page.waitForSelector('[id^=copy-]');
      const seen = await page.evaluate(() => {
        const added = [];
        new MutationObserver((records) => records.forEach((r) => r.addedNodes.forEach((n) => added.push(n.nodeName))))
          .observe(document.body, { childList: true });
        document.querySelector('[id^=copy-]').click();
        return new Promise((resolve) => setTimeout(() => resolve({ added, left: document.querySelectorAll('textarea').length }), 50));
      });
      assert.deepEqual(seen, { added: ['TEXTAREA'], left: 0 });
      await page.waitForFunction(() => !document.querySelector('[id^=copy-]'), { timeout: 5000 });
      await page.close();
    });

    test('edit_opens_the_keys_form_and_saves_its_subjects', async () => {
      await openPage();
      await page.click('#start-edit-1');
      await setGlob('#glob-pattern-1', 'Microsoft.Extensions.Logging*');
      await page.click('#form-1 button[type=submit]');
      await page.waitForSelector('#edit-1-container.hidden');
      assert.deepEqual(demo.requests()[0].fields['subjects[]'], ['Microsoft.Extensions.Logging*']);
      await page.close();
    });
  });
}
