// Issue 8 in the browser: no key is created, widened, regenerated, deleted or revoked without
// the user seeing what it does. Every test replays a user action (or a script's) on the demo
// page and reads the demo's request log: what reached the server, and when.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { buildFixture } from '../demo/fixtures.mjs';
import { describeEachBrowser, openApiKeys, waitFor, waitForStatus, waitInAnyFrame } from './harness.mjs';

/** The page's own rule: `^` + escaped subject with `*` → `.*` + `$`, ignoring case. */
function pageRegExp(pattern) {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\-]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}

function fixtureOwner(fixture, owner) {
  return buildFixture(fixture).owners.find((o) => o.Owner === owner).PackageIds;
}

function fixtureKey(fixture, key) {
  return buildFixture(fixture).keys.find((k) => k.Key === key);
}

function posts(demo, path) {
  return demo.requests().filter((r) => r.method === 'POST' && r.path === path);
}

async function openReady(page, demo, fixture) {
  await openApiKeys(page, demo, { fixture });
  const status = await waitForStatus(page);
  assert.equal(status.state, 'ready', status.text);
}

async function openPlain(plainPage, demo, fixture) {
  const page = await plainPage();
  await openApiKeys(page, demo, { fixture });
  await page.waitForSelector('.api-keys-list .api-key-details');
  return page;
}

/** Opens the create form and fills it: name, the default owner and scopes, `pattern`. */
async function fillCreateForm(page, { name = 'CI key', pattern = '' } = {}) {
  await page.click('#create-container .create-toggle');
  await page.waitForSelector('#glob-pattern-0', { visible: true });
  await page.type('#description-0', name);
  if (pattern) await page.type('#glob-pattern-0', pattern);
}

/** Waits for the request guard matching `wanted` ({ decision, kind }) and summarises it. */
async function requestGuard(page, wanted = {}) {
  const { value } = await waitInAnyFrame(
    page,
    (document, want) => {
      const guard = document.querySelector('[data-keyscope="request-guard"]');
      if (!guard) return null;
      const summary = {
        decision: guard.getAttribute('data-keyscope-decision'),
        kind: guard.getAttribute('data-keyscope-kind'),
        text: guard.textContent.replace(/\s+/g, ' ').trim(),
        actions: [...guard.querySelectorAll('[data-keyscope-action]')].map((el) => el.getAttribute('data-keyscope-action')),
        focused: document.activeElement?.getAttribute('data-keyscope-action') ?? null,
        lists: Object.fromEntries(
          [...guard.querySelectorAll('ul[data-keyscope]')].map((ul) => [
            ul.getAttribute('data-keyscope'),
            [...ul.querySelectorAll('[data-keyscope-id]')].map((li) => li.getAttribute('data-keyscope-id')),
          ]),
        ),
      };
      return Object.entries(want).every(([name, value]) => summary[name] === value) ? summary : null;
    },
    wanted,
    { what: `request guard ${JSON.stringify(wanted)}` },
  );
  return value;
}

async function guardGone(page) {
  await waitInAnyFrame(page, (document) => !document.querySelector('[data-keyscope="request-guard"]'), null, {
    what: 'the request guard to close',
  });
}

/** Records the page's own dialogs (window.confirm) and accepts them. */
function acceptDialogs(page) {
  const seen = [];
  page.on('dialog', (dialog) => {
    seen.push({ type: dialog.type(), message: dialog.message() });
    dialog.accept().catch(() => {});
  });
  return seen;
}

/** Clears the glob field and submits the create form in one task, as a script could. */
async function clearAndRequestSubmit(page) {
  await page.evaluate(() => {
    const input = document.getElementById('glob-pattern-0');
    input.value = '';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    document.getElementById('form-0').requestSubmit();
  });
}

/** The request bodies the engine's decision and main-world.js's backstop are both tested on. */
const BACKSTOP_CASES = JSON.parse(readFileSync(new URL('../fixtures/backstop-requests.json', import.meta.url), 'utf8')).cases;

/**
 * Clears the create form's glob field and runs the page's own submit handler the way jQuery's
 * `.trigger('submit')` does on nuget.org: in the page's JavaScript world, with no DOM submit
 * event (the demo's `demoTriggerSubmit`).
 */
async function clearAndTriggerSubmit(page) {
  await page.evaluate(() => {
    const input = document.getElementById('glob-pattern-0');
    input.value = '';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    document.getElementById('form-0').demoTriggerSubmit();
  });
}

/**
 * Posts `fields` form-encoded to the page's `endpoint` (an initialData URL name) from the
 * page's own JavaScript world, as a page script posting by itself would: no form, no submit
 * event. `token` 'page' sends the page's own token. With `via` 'xhr' it answers how the
 * XMLHttpRequest ended ({ status, readyState, events, answer }); with 'fetch', how the promise
 * settled ({ settled: 'answer', status } or { settled: 'rejected', error }).
 */
function postFromPageScript(page, { endpoint, fields, via = 'xhr', token = 'page' }) {
  return page.evaluate(({ endpoint, fields, via, token }) => {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) body.append(name, one);
    body.append('__RequestVerificationToken', token === 'page' ? document.querySelector('input[name="__RequestVerificationToken"]').value : token);
    const url = window.initialData[endpoint];
    if (via === 'fetch') {
      return fetch(url, { method: 'POST', body }).then(
        (response) => ({ settled: 'answer', status: response.status }),
        (error) => ({ settled: 'rejected', error: error.constructor.name }),
      );
    }
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      const events = [];
      for (const type of ['readystatechange', 'loadstart', 'load', 'error', 'abort', 'timeout', 'loadend']) {
        xhr.addEventListener(type, () => events.push(type === 'readystatechange' ? `readystatechange ${xhr.readyState}` : type));
      }
      xhr.open('POST', url);
      xhr.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded; charset=UTF-8');
      xhr.onloadend = () => resolve({ status: xhr.status, readyState: xhr.readyState, events, answer: xhr.responseText });
      xhr.send(body.toString());
    });
  }, { endpoint, fields, via, token });
}

/** How a network error ends an XMLHttpRequest, event by event. */
const NETWORK_ERROR_EVENTS = ['readystatechange 1', 'loadstart', 'readystatechange 4', 'error', 'loadend'];

describeEachBrowser('request guard', (b) => {
  b.test('a requestSubmit with the pattern cleared in the same task is stopped, nothing is posted', async ({ page, demo }) => {
    await openReady(page, demo, 'small');
    await fillCreateForm(page, { pattern: 'Serilog*' });
    await clearAndRequestSubmit(page);

    const guard = await requestGuard(page, { decision: 'stop' });
    assert.equal(guard.kind, 'create');
    assert.match(guard.text, /nothing was sent/);
    assert.match(guard.text, /every current and future package/);
    assert.deepEqual(guard.actions, ['cancel']);
    assert.equal(guard.focused, 'cancel', 'focus moves to the guard');
    // KeyScope held it before the page's own handler ran: the page showed no error of its own.
    assert.equal(await page.$eval('#form-0 .form-errors', (el) => el.classList.contains('hidden')), true);

    await page.keyboard.press('Escape');
    await guardGone(page);

    // The same form, now with a pattern, goes out once: so nothing went out before it.
    await page.type('#glob-pattern-0', 'Serilog*');
    await page.click('#form-0 button[type="submit"]');
    const [created] = await waitFor(() => posts(demo, '/account/GenerateApiKey').length && posts(demo, '/account/GenerateApiKey'), {
      what: 'the Create request',
    });
    assert.deepEqual(created.fields['subjects[]'], ['Serilog*']);
    assert.equal(posts(demo, '/account/GenerateApiKey').length, 1);
  });

  b.test('Create with only "Push only new package versions" goes out unheld, with that one scope', async ({ page, demo }) => {
    // nuget.org's numbered id `package-push-N` is the "push new" radio, not the Push checkbox:
    // choosing the other radio must not read as "no scope".
    await openReady(page, demo, 'small');
    await fillCreateForm(page, { pattern: 'Serilog*' });
    await page.click('#package-push-version-0');
    assert.equal(await page.$eval('#package-push-0', (radio) => radio.checked), false);
    assert.equal(await page.$eval('#form-0 input[type="checkbox"][value="package:unlist"]', (box) => box.checked), false);
    await page.click('#form-0 button[type="submit"]');
    const [created] = await waitFor(() => posts(demo, '/account/GenerateApiKey').length && posts(demo, '/account/GenerateApiKey'), {
      what: 'the Create request',
    });
    assert.deepEqual(created.fields['scopes[]'], ['package:pushversion']);
    assert.deepEqual(created.fields['subjects[]'], ['Serilog*']);
    assert.equal(await page.$('[data-keyscope="request-guard"][data-keyscope-decision="stop"]'), null, 'not stopped');
  });

  b.test('Create with no scope is stopped and says every action would be granted', async ({ page, demo }) => {
    await openReady(page, demo, 'small');
    await fillCreateForm(page, { pattern: 'Serilog*' });
    await page.click('#form-0 .select-scopes-push input');
    await page.click('#form-0 button[type="submit"]');
    const guard = await requestGuard(page, { decision: 'stop' });
    assert.match(guard.text, /every action/);
    assert.deepEqual(demo.requests(), []);
  });

  b.test('an edit that widens asks first, then posts exactly the expected subjects', async ({ page, demo }) => {
    await openReady(page, demo, 'org');
    await page.click('#start-edit-2');
    await page.waitForSelector('#glob-pattern-2', { visible: true });
    const pattern = 'Serilog.Sinks.*';
    await page.type('#glob-pattern-2', pattern);
    await page.click('#form-2 button[type="submit"]');

    const ids = fixtureOwner('org', 'demo-user');
    const key = fixtureKey('org', 2);
    const held = new Set(key.Packages.map((id) => id.toLowerCase()));
    const regex = pageRegExp(pattern);
    const gained = ids.filter((id) => regex.test(id) && !held.has(id.toLowerCase()));
    assert.ok(gained.length > 0);

    const guard = await requestGuard(page, { decision: 'confirm', kind: 'save' });
    assert.match(guard.text, new RegExp(`It gains ${gained.length.toLocaleString('en-US')} packages? of demo-user`));
    assert.deepEqual(guard.lists.gained, gained.slice(0, 25));
    assert.equal(guard.lists.lost, undefined, 'nothing is lost');
    assert.deepEqual(guard.actions, ['confirm', 'cancel']);
    assert.equal(guard.focused, 'confirm');
    assert.deepEqual(posts(demo, '/account/EditCredential'), [], 'nothing is sent before the confirmation');

    await page.click('[data-keyscope="request-guard"] [data-keyscope-action="confirm"]');
    const [edit] = await waitFor(() => posts(demo, '/account/EditCredential').length && posts(demo, '/account/EditCredential'), {
      what: 'the Edit request',
    });
    const expected = [pattern, ...ids.filter((id) => held.has(id.toLowerCase()) && !regex.test(id))];
    assert.deepEqual(edit.fields['subjects[]'], expected);
    assert.equal(posts(demo, '/account/EditCredential').length, 1);
  });

  b.test('an edit that narrows goes straight through', async ({ page, demo }) => {
    await openReady(page, demo, 'org');
    await page.click('#start-edit-2');
    await page.waitForSelector('#form-2 input[name="Packages"][value="Serilog"]', { visible: true });
    await page.click('#form-2 input[name="Packages"][value="Serilog"]');
    await page.click('#form-2 button[type="submit"]');
    const [edit] = await waitFor(() => posts(demo, '/account/EditCredential').length && posts(demo, '/account/EditCredential'), {
      what: 'the Edit request',
    });
    assert.deepEqual([...edit.fields['subjects[]']].sort(), ['Humanizer', 'Humanizer.Core']);
    assert.equal(await page.$('[data-keyscope="request-guard"]'), null, 'no guard for a narrowing edit');
  });

  b.test('Delete of the only key covering packages names them before the request', async ({ page, demo }) => {
    await openReady(page, demo, 'small');
    const dialogs = acceptDialogs(page);
    await page.click('#delete-1');
    const guard = await requestGuard(page, { decision: 'confirm', kind: 'delete' });

    // Independently: the ids key 1 matches that no other live key covers (key 2 is expired).
    const ids = fixtureOwner('small', 'demo-user');
    const expected = ids.filter((id) => pageRegExp('Serilog*').test(id));
    assert.deepEqual(guard.lists['left-uncovered'], expected);
    assert.match(guard.text, new RegExp(`no live key covers ${expected.length} packages of demo-user`));
    assert.deepEqual(dialogs, [], "KeyScope speaks before the page's own confirm");
    assert.deepEqual(demo.requests(), []);

    await page.keyboard.press('Enter'); // focus is on the guard's confirm button
    const [removed] = await waitFor(() => posts(demo, '/account/RemoveCredential').length && posts(demo, '/account/RemoveCredential'), {
      what: 'the Remove request',
    });
    assert.equal(removed.fields.credentialKey, '1');
    assert.deepEqual(dialogs.map((d) => d.message), ['Are you sure you want to remove this API key?']);
  });

  b.test('Regenerate says the old value stops working; Escape cancels, confirm replays the page', async ({ page, demo }) => {
    await openReady(page, demo, 'small');
    const dialogs = acceptDialogs(page);
    await page.click('#regenerate-1');
    let guard = await requestGuard(page, { decision: 'confirm', kind: 'regenerate' });
    assert.match(guard.text, /current value stops working/);
    await page.keyboard.press('Escape');
    await guardGone(page);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'regenerate-1', 'focus returns to the link');
    assert.deepEqual(dialogs, []);

    await page.click('#regenerate-1');
    guard = await requestGuard(page, { decision: 'confirm', kind: 'regenerate' });
    await page.click('[data-keyscope="request-guard"] [data-keyscope-action="confirm"]');
    await waitFor(() => posts(demo, '/account/RegenerateCredential').length, { what: 'the Regenerate request' });
    assert.deepEqual(dialogs.map((d) => d.message), ['Are you sure you want to regenerate this API key?']);
  });

  b.test('Regenerate in a row KeyScope does not recognise still asks, beside the link, and confirm replays the page', async ({ page, demo }) => {
    await openReady(page, demo, 'small');
    const dialogs = acceptDialogs(page);
    // nuget.org renames its row class: KeyScope finds no key row for the link.
    await page.$eval('#regenerate-1', (link) => {
      const row = link.closest('.api-key-details');
      row.classList.remove('api-key-details');
      row.setAttribute('data-test-row', '');
    });
    await page.click('#regenerate-1');
    await requestGuard(page, { decision: 'confirm', kind: 'regenerate' });
    assert.ok(await page.$('[data-test-row] [data-keyscope="request-guard"]'), 'the guard sits in the key\'s row');
    await page.click('[data-keyscope="request-guard"] [data-keyscope-action="confirm"]');
    await waitFor(() => posts(demo, '/account/RegenerateCredential').length, { what: 'the Regenerate request' });
    assert.deepEqual(dialogs.map((d) => d.message), ['Are you sure you want to regenerate this API key?']);
  });

  b.test('Revoke lists what loses its last key, and cancel sends nothing', async ({ page, demo }) => {
    await openReady(page, demo, 'org');
    await page.click('#revoke-6');
    const guard = await requestGuard(page, { decision: 'confirm', kind: 'revoke' });
    // The legacy full-access key 4 still acts for every owner: nothing is left uncovered.
    assert.match(guard.text, /stays covered by another live key/);
    await page.click('[data-keyscope="request-guard"] [data-keyscope-action="cancel"]');
    await guardGone(page);
    assert.deepEqual(demo.requests(), []);
  });

  b.test('a jQuery-style trigger of the page\'s handler, pattern cleared and the page\'s checks gone, is refused before the network and explained', async ({ page, demo }) => {
    await openApiKeys(page, demo, { fixture: 'small', drift: { noClientCheck: true } });
    assert.equal((await waitForStatus(page)).state, 'ready');
    await fillCreateForm(page, { pattern: 'Serilog*' });
    await clearAndTriggerSubmit(page);

    const guard = await requestGuard(page, { decision: 'stop', kind: 'create' });
    assert.match(guard.text, /nothing was sent/);
    assert.match(guard.text, /every current and future package/);
    assert.deepEqual(guard.actions, ['cancel']);
    assert.ok(await page.$('#form-0 [data-keyscope="request-guard"]'), 'the explanation sits in the create form');
    // The refused request failed as a network error does: the page's own error handling ran and
    // gave the form back.
    await page.waitForFunction(() => document.getElementById('api-keys-error')?.textContent.includes('An unexpected error occurred'));
    assert.equal(await page.$eval('#form-0 button[type="submit"]', (button) => button.disabled), false, 'the page is not left waiting');
    assert.deepEqual(demo.requests(), [], 'nothing reached the server');

    // The page keeps working: the same form with a pattern goes out once.
    await page.keyboard.press('Escape');
    await guardGone(page);
    await page.type('#glob-pattern-0', 'Serilog*');
    await page.click('#form-0 button[type="submit"]');
    const [created] = await waitFor(() => posts(demo, '/account/GenerateApiKey').length && posts(demo, '/account/GenerateApiKey'), {
      what: 'the Create request',
    });
    assert.deepEqual(created.fields['subjects[]'], ['Serilog*']);
    assert.equal(posts(demo, '/account/GenerateApiKey').length, 1);
  });

  b.test('a page script posting Create itself with an empty selection gets a network error, and the explanation', async ({ page, demo }) => {
    await openReady(page, demo, 'small');
    const ended = await postFromPageScript(page, {
      endpoint: 'GenerateUrl',
      fields: { description: 'scripted', owner: 'demo-user', 'scopes[]': ['package:push'], expirationInDays: '365' },
    });
    assert.deepEqual(ended.events, NETWORK_ERROR_EVENTS);
    assert.equal(ended.status, 0);
    assert.equal(ended.readyState, 4);
    assert.equal(ended.answer, '');
    await requestGuard(page, { decision: 'stop', kind: 'create' });
    assert.deepEqual(demo.requests(), []);
  });

  b.test('a fetch posting Create without a scope is rejected; the explanation follows KeyScope\'s status line while the form is closed', async ({ page, demo }) => {
    await openReady(page, demo, 'small');
    const settled = await postFromPageScript(page, {
      endpoint: 'GenerateUrl',
      via: 'fetch',
      fields: { description: 'scripted', owner: 'demo-user', 'subjects[]': ['Serilog*'], expirationInDays: '365' },
    });
    assert.deepEqual(settled, { settled: 'rejected', error: 'TypeError' });
    const guard = await requestGuard(page, { decision: 'stop', kind: 'create' });
    assert.match(guard.text, /every action/);
    const placed = await page.$eval('[data-keyscope="request-guard"]', (host) => ({
      afterStatus: host.previousElementSibling?.getAttribute('data-keyscope') === 'status',
      visible: host.getClientRects().length > 0,
    }));
    assert.deepEqual(placed, { afterStatus: true, visible: true });
    assert.deepEqual(demo.requests(), []);
  });

  b.test('the backstop reads a request as the server binds it: list names in any spelling, JSON, the query, and text it would not bind', async ({ page, demo }) => {
    await openReady(page, demo, 'small');
    // Each posts a Create carrying `A.*` and a scope in some spelling; `sent` says whether the
    // server would bind them (and so whether the request must go out).
    const shapes = [
      { name: 'traditional names', type: 'application/x-www-form-urlencoded', body: 'subjects=A.*&scopes=package:push', sent: true },
      { name: 'indexed names', type: 'application/x-www-form-urlencoded', body: 'subjects[0]=A.*&scopes[0]=package:push', sent: true },
      { name: 'capitalised names', type: 'application/x-www-form-urlencoded', body: 'Subjects[]=A.*&Scopes[]=package:push', sent: true },
      { name: 'JSON', type: 'application/json', body: JSON.stringify({ subjects: ['A.*'], scopes: ['package:push'] }), sent: true },
      { name: 'in the query', type: 'application/x-www-form-urlencoded', query: '?subjects[]=A.*&scopes[]=package:push', body: '', sent: true },
      { name: 'text the server binds as nothing', type: 'text/plain', body: 'subjects[]=A.*&scopes[]=package:push', sent: false },
    ];
    const outcomes = await page.evaluate(async (shapes) => {
      const results = [];
      for (const [index, shape] of shapes.entries()) {
        results.push(await new Promise((resolve) => {
          const xhr = new XMLHttpRequest();
          xhr.open('POST', `${window.initialData.GenerateUrl}${shape.query ?? ''}${shape.query ? '&' : '?'}shape=${index}`);
          xhr.setRequestHeader('Content-Type', shape.type);
          xhr.onloadend = () => resolve({ name: shape.name, sent: xhr.status !== 0 });
          xhr.send(shape.body);
        }));
      }
      return results;
    }, shapes);
    assert.deepEqual(outcomes, shapes.map(({ name, sent }) => ({ name, sent })));
    assert.equal(demo.requests().length, shapes.filter((shape) => shape.sent).length, 'what went out reached the demo');
  });

  b.test('the backstop refuses exactly the empty requests of the cases the engine is tested on', async ({ page, demo }) => {
    await openReady(page, demo, 'small');
    const outcomes = [];
    for (const [index, c] of BACKSTOP_CASES.entries()) {
      const fields = c.kind === 'create'
        ? { description: `case ${index}`, owner: 'demo-user', 'scopes[]': c.scopes, expirationInDays: '365' }
        : { credentialType: 'apikey.v4', credentialKey: String(c.key) };
      // A forged token: what passes is logged and refused by the demo (403), and changes nothing.
      const ended = await postFromPageScript(page, {
        endpoint: c.kind === 'create' ? 'GenerateUrl' : 'EditUrl',
        fields: { ...fields, 'subjects[]': c.subjects, backstopCase: String(index) },
        token: 'forged',
      });
      // Refused: the events of a network error. Sent: the demo's answer to the forged token.
      outcomes.push({ name: c.name, ended: ended.status === 0 ? ended.events : ended.status });
    }
    assert.deepEqual(outcomes, BACKSTOP_CASES.map((c) => ({ name: c.name, ended: c.stopped ? NETWORK_ERROR_EVENTS : 403 })));
    const reached = demo.requests().map((r) => [Number(r.fields.backstopCase), r.status]);
    const expected = BACKSTOP_CASES.flatMap((c, index) => (c.stopped ? [] : [[index, 403]]));
    assert.deepEqual(reached, expected, 'only the requests that carry subjects (and, for Create, scopes) reached the server');
    assert.equal((await waitForStatus(page)).state, 'ready', 'KeyScope stayed active throughout');
  });

  b.test('with KeyScope disabled or inactive, the page\'s empty Create posts as the page alone would', async ({ page, plainPage, demo }) => {
    const open = {
      async disabled() {
        const alone = await plainPage();
        await openApiKeys(alone, demo, { fixture: 'small', drift: { noClientCheck: true } });
        await alone.waitForSelector('.api-keys-list .api-key-details');
        return alone;
      },
      async inactive() {
        await openApiKeys(page, demo, { fixture: 'small', drift: { noClientCheck: true, initialData: 'malformed' } });
        assert.equal((await waitForStatus(page)).state, 'inactive');
        return page;
      },
    };
    for (const which of ['disabled', 'inactive']) {
      const tab = await open[which]();
      await fillCreateForm(tab, { pattern: 'Serilog*' });
      await clearAndTriggerSubmit(tab);
      const [created] = await waitFor(() => posts(demo, '/account/GenerateApiKey').length && posts(demo, '/account/GenerateApiKey'), {
        what: `the Create request with KeyScope ${which}`,
      });
      assert.equal(created.status, 200, which);
      assert.equal(created.fields['subjects[]'], undefined, `${which}: the request carried no subject`);
      // The server widened it, as nuget.org does: the backstop did not stand in the way.
      await tab.waitForFunction(() => document.body.textContent.includes('A new API key has been created'));
      assert.equal(await tab.$('[data-keyscope="request-guard"]'), null, which);
    }
  });

  b.test('with KeyScope disabled the same flows behave as the page alone', async ({ plainPage, demo }) => {
    let page = await openPlain(plainPage, demo, 'small');
    await fillCreateForm(page, { pattern: 'Serilog*' });
    await clearAndRequestSubmit(page);
    await page.waitForSelector('#form-0 .form-errors:not(.hidden)');
    const errors = await page.$eval('#form-0 .form-errors', (el) => el.textContent);
    assert.match(errors, /Either a glob pattern must be specified/);
    assert.deepEqual(demo.requests(), []);
    await page.close();

    page = await openPlain(plainPage, demo, 'small');
    const dialogs = acceptDialogs(page);
    await page.click('#delete-1');
    await waitFor(() => posts(demo, '/account/RemoveCredential').length, { what: 'the Remove request' });
    assert.deepEqual(dialogs.map((d) => d.message), ['Are you sure you want to remove this API key?']);
    assert.equal(await page.$('[data-keyscope]'), null);
  });
});
