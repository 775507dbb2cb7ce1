// The demo site's own contract, without a browser: routes, CSP, page data,
// endpoints, the server's widening, logs and drift options.
//   node --test tests/demo/demo.test.mjs
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, beforeEach, describe, test } from 'node:test';
import { buildFixture, realPackageIds } from './fixtures.mjs';
import { ENDPOINTS, startDemo } from './server.mjs';

const KEY_VALUE = /^oy2[a-z0-9]{43}$/;
const NONCE = /nonce="([A-Za-z0-9+/=]+)"/g;

let demo;

/** An HTTPS request to the demo as `www.nuget.org` (SNI + Host), trusting its test certificate. */
function fetchDemo(path, { method = 'GET', body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port: demo.port, servername: 'www.nuget.org', rejectUnauthorized: false,
      method, path, headers: { Host: 'www.nuget.org', ...headers },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const apiKeysPage = () => fetchDemo('/account/apikeys?forceApiKeys=true');

function initialDataText(html) {
  const match = /var initialData = (.*);\n<\/script>/.exec(html);
  return match ? match[1] : null;
}

async function pageData() {
  return JSON.parse(initialDataText((await apiKeysPage()).text));
}

async function token() {
  return /name="__RequestVerificationToken" type="hidden" value="([^"]+)"/.exec((await apiKeysPage()).text)[1];
}

/** POSTs form fields (arrays become repeated `name[]`) with the page's token unless given. */
async function post(path, fields, { withToken = true } = {}) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    if (Array.isArray(value)) for (const v of value) body.append(name, v);
    else body.append(name, String(value));
  }
  if (withToken) body.append('__RequestVerificationToken', await token());
  const res = await fetchDemo(path, {
    method: 'POST', body: body.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' },
  });
  return { ...res, json: JSON.parse(res.text) };
}

const generate = (fields) => post(ENDPOINTS.GenerateUrl, {
  description: 'test key', owner: 'demo-user', 'scopes[]': ['package:push'], 'subjects[]': ['Serilog*'], expirationInDays: 90, ...fields,
});

before(async () => {
  demo = await startDemo({ fixture: 'org' });
});
after(() => demo.close());
beforeEach(() => demo.configure({ fixture: 'org', csp: 'report', idleMs: 600000, drift: {} }));

describe('routes', () => {
  test('api_keys_without_force_redirects_to_trusted_publishing', async () => {
    const res = await fetchDemo('/account/apikeys');
    assert.equal(res.status, 302);
    assert.equal(res.headers.location, '/account/trustedpublishing?fromApiKeys=true');
  });

  test('api_keys_with_force_and_other_params_renders_the_page', async () => {
    const res = await fetchDemo('/account/apikeys?foo=1&forceApiKeys=true&bar=2');
    assert.equal(res.status, 200);
    assert.match(res.text, /<script type="text\/html" id="upsert-api-key">/);
  });

  test('trusted_publishing_links_back_with_force', async () => {
    const res = await fetchDemo('/account/trustedpublishing?fromApiKeys=true');
    assert.equal(res.status, 200);
    assert.match(res.text, /href="\/account\/apikeys\?forceApiKeys=true"/);
  });

  test('other_pages_have_no_initial_data', async () => {
    for (const path of ['/', '/packages/Newtonsoft.Json']) {
      const res = await fetchDemo(path);
      assert.equal(res.status, 200);
      assert.doesNotMatch(res.text, /initialData/);
    }
  });

  test('page_script_and_css_are_served', async () => {
    const js = await fetchDemo('/Scripts/gallery/page-api-keys.js');
    assert.equal(js.status, 200);
    assert.match(js.headers['content-type'], /javascript/);
    const css = await fetchDemo('/Content/gallery/css/site.min.css');
    assert.equal(css.status, 200);
  });
});

describe('content security policy', () => {
  test('every_response_gets_a_fresh_nonce_on_every_script', async () => {
    const nonces = [];
    for (let i = 0; i < 2; i++) {
      const res = await apiKeysPage();
      const header = res.headers['content-security-policy-report-only'];
      const n = /'nonce-([^']+)'/.exec(header)[1];
      assert.equal(Buffer.from(n, 'base64').length, 32);
      const inPage = [...res.text.matchAll(NONCE)].map((m) => m[1]);
      assert.ok(inPage.length >= 3, 'recorder, initialData and page script carry the nonce');
      assert.ok(inPage.every((x) => x === n));
      nonces.push(n);
    }
    assert.notEqual(nonces[0], nonces[1]);
  });

  test('policy_has_the_shape_of_nuget_orgs', async () => {
    const policy = (await apiKeysPage()).headers['content-security-policy-report-only'];
    const n = /'nonce-([^']+)'/.exec(policy)[1];
    assert.ok(policy.startsWith(`default-src 'self' 'nonce-${n}' 'strict-dynamic' https:; script-src 'nonce-${n}' 'sha512-`));
    assert.equal(policy.match(/'sha512-/g).length, 4);
    for (const part of [`form-action 'self' 'nonce-${n}'`, `style-src 'self' 'nonce-${n}'`, "base-uri 'none'",
      "object-src 'none'", "frame-ancestors 'none'", 'report-uri /api/csp-report']) {
      assert.ok(policy.includes(part), part);
    }
  });

  test('csp_modes_choose_the_header', async () => {
    demo.configure({ csp: 'enforce' });
    let res = await apiKeysPage();
    assert.ok(res.headers['content-security-policy']);
    assert.equal(res.headers['content-security-policy-report-only'], undefined);
    demo.configure({ csp: 'none' });
    res = await apiKeysPage();
    assert.equal(res.headers['content-security-policy'], undefined);
    assert.equal(res.headers['content-security-policy-report-only'], undefined);
  });

  test('html_responses_carry_security_headers', async () => {
    const res = await fetchDemo('/');
    assert.equal(res.headers['x-frame-options'], 'deny');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.match(res.headers['strict-transport-security'], /max-age=\d+/);
  });

  test('reports_of_both_formats_are_recorded', async () => {
    await fetchDemo('/api/csp-report', {
      method: 'POST', headers: { 'Content-Type': 'application/csp-report' },
      body: JSON.stringify({ 'csp-report': { 'violated-directive': 'script-src', 'blocked-uri': 'wasm-eval' } }),
    });
    await fetchDemo('/api/csp-report', {
      method: 'POST', headers: { 'Content-Type': 'application/reports+json' },
      body: JSON.stringify([{ type: 'csp-violation', body: { effectiveDirective: 'style-src' } }]),
    });
    const reports = demo.cspReports();
    assert.equal(reports.length, 2);
    assert.equal(reports[0]['csp-report']['blocked-uri'], 'wasm-eval');
    assert.equal(JSON.parse((await fetchDemo('/__demo/csp-reports')).text).length, 2);
  });
});

describe('page data', () => {
  test('initial_data_has_the_documented_fields', async () => {
    const data = await pageData();
    for (const name of ['ApiKeys', 'PackageOwners', 'PackagePushScope', 'PackagePushVersionScope', 'PackageUnlistScope',
      'GenerateUrl', 'RegenerateUrl', 'EditUrl', 'RemoveUrl', 'RevokeUrl', 'ImageUrls']) {
      assert.ok(name in data, name);
    }
    assert.deepEqual(Object.keys(data.ApiKeys[0]), ['Key', 'Type', 'Value', 'Description', 'Expires', 'HasExpired',
      'IsNonScopedApiKey', 'RevocationSource', 'Owner', 'Scopes', 'Packages', 'GlobPattern']);
    assert.deepEqual(Object.keys(data.PackageOwners[0]), ['Owner', 'PackageIds', 'CanPushNew', 'CanPushExisting', 'CanUnlist']);
    assert.ok(data.ApiKeys.every((k) => k.Value === null), 'no secret on page load');
  });

  test('org_splits_all_real_ids_across_three_owners', async () => {
    const data = await pageData();
    assert.equal(data.PackageOwners.length, 3);
    assert.equal(data.PackageOwners[0].Owner, 'demo-user');
    const ids = data.PackageOwners.flatMap((o) => o.PackageIds);
    assert.equal(ids.length, 2434);
    assert.deepEqual([...ids].sort(), [...realPackageIds()].sort());
  });

  test('org_has_every_kind_of_key', async () => {
    const keys = (await pageData()).ApiKeys;
    assert.ok(keys.some((k) => k.GlobPattern && !k.RevocationSource && !k.HasExpired));
    assert.ok(keys.some((k) => k.Packages.length && !k.GlobPattern));
    assert.ok(keys.some((k) => k.RevocationSource));
    assert.ok(keys.some((k) => k.IsNonScopedApiKey && k.Owner === null && k.Scopes.length === 0));
    assert.ok(keys.some((k) => k.HasExpired));
    const soon = Date.now() + 14 * 86400000;
    assert.ok(keys.some((k) => !k.HasExpired && Date.parse(k.Expires) < soon));
  });

  test('expiry_options_are_server_rendered_into_the_form_template', async () => {
    const html = (await apiKeysPage()).text;
    const values = [...html.matchAll(/<option value="(\d+)">/g)].map((m) => Number(m[1]));
    assert.deepEqual(values, [1, 90, 180, 270, 365]);
  });

  test('large_and_stress_hold_unique_valid_ids', () => {
    for (const [name, count] of [['large', 20_000], ['stress', 100_000]]) {
      const ids = buildFixture(name).owners[0].PackageIds;
      assert.equal(ids.length, count);
      assert.equal(new Set(ids.map((id) => id.toLowerCase())).size, count);
      assert.ok(ids.every((id) => /^\w+([.-]\w+)*$/.test(id) && id.length <= 100));
    }
  });

  test('fixtures_are_deterministic', () => {
    const now = Date.UTC(2025, 0, 1);
    assert.deepEqual(buildFixture('org', { now }), buildFixture('org', { now }));
  });
});

describe('endpoints', () => {
  test('generate_answers_a_key_object_with_a_fresh_value', async () => {
    const { status, json } = await generate({});
    assert.equal(status, 200);
    assert.match(json.Value, KEY_VALUE);
    assert.equal(json.Owner, 'demo-user');
    assert.equal(json.GlobPattern, 'Serilog*');
    assert.deepEqual(json.Packages, []);
    assert.deepEqual(json.Scopes, ['Push new packages and package versions']);
    assert.deepEqual(Object.keys(json), Object.keys((await pageData()).ApiKeys[0]));
    const listed = (await pageData()).ApiKeys[0];
    assert.equal(listed.Key, json.Key);
    assert.equal(listed.Value, null, 'the secret is shown once only');
    assert.notEqual((await generate({})).json.Value, json.Value);
  });

  test('generate_splits_glob_and_packages', async () => {
    const { json } = await generate({ 'subjects[]': ['Humanizer', 'Serilog*', 'Polly', 'Foo*'], 'scopes[]': ['package:pushversion', 'package:unlist'] });
    assert.equal(json.GlobPattern, 'Serilog*');
    assert.deepEqual(json.Packages, ['Humanizer', 'Polly', 'Foo*']);
    assert.deepEqual(json.Scopes, ['Push only new package versions', 'Unlist or relist package versions']);
  });

  test('server_widens_no_subject_to_star', async () => {
    assert.equal((await generate({ 'subjects[]': [] })).json.GlobPattern, '*');
    assert.equal((await generate({ 'subjects[]': ['  ', ''] })).json.GlobPattern, '*');
  });

  test('server_widens_no_scope_to_all', async () => {
    assert.deepEqual((await generate({ 'scopes[]': [] })).json.Scopes, ['All']);
  });

  test('edit_replaces_subjects_with_the_same_widening', async () => {
    let res = await post(ENDPOINTS.EditUrl, { credentialType: 'apikey.v4', credentialKey: 2, 'subjects[]': ['Humanizer.*', 'Serilog'] });
    assert.equal(res.status, 200);
    assert.equal(res.json.GlobPattern, 'Humanizer.*');
    assert.deepEqual(res.json.Packages, ['Serilog']);
    assert.equal(res.json.Value, null);
    res = await post(ENDPOINTS.EditUrl, { credentialType: 'apikey.v4', credentialKey: 2 });
    assert.equal(res.json.GlobPattern, '*');
    assert.deepEqual(res.json.Packages, []);
  });

  test('regenerate_replaces_the_key_with_a_new_number_and_value', async () => {
    const res = await post(ENDPOINTS.RegenerateUrl, { credentialType: 'apikey.v4', credentialKey: 1 });
    assert.equal(res.status, 200);
    assert.match(res.json.Value, KEY_VALUE);
    assert.notEqual(res.json.Key, 1);
    assert.equal(res.json.GlobPattern, 'Microsoft.Extensions.*');
    const keys = (await pageData()).ApiKeys;
    assert.equal(keys[0].Key, res.json.Key, 'in the old key\'s place');
    assert.ok(!keys.some((k) => k.Key === 1));
  });

  test('remove_deletes_and_revoke_marks_revoked', async () => {
    assert.equal((await post(ENDPOINTS.RemoveUrl, { credentialType: 'apikey.v4', credentialKey: 2 })).status, 200);
    const revoked = await post(ENDPOINTS.RevokeUrl, { credentialType: 'apikey.v4', credentialKey: 6 });
    assert.ok(revoked.json.RevocationSource);
    const keys = (await pageData()).ApiKeys;
    assert.ok(!keys.some((k) => k.Key === 2));
    assert.ok(keys.find((k) => k.Key === 6).RevocationSource);
  });

  test('unknown_key_is_a_4xx_json_error', async () => {
    const res = await post(ENDPOINTS.RegenerateUrl, { credentialType: 'apikey.v4', credentialKey: 999 });
    assert.equal(res.status, 404);
    assert.ok(res.json.error);
    const wrongType = await post(ENDPOINTS.RemoveUrl, { credentialType: 'apikey.v1', credentialKey: 1 });
    assert.equal(wrongType.status, 404);
  });

  test('missing_or_wrong_token_is_refused_and_logged', async () => {
    let res = await post(ENDPOINTS.GenerateUrl, { description: 'x', owner: 'demo-user' }, { withToken: false });
    assert.equal(res.status, 403);
    res = await post(ENDPOINTS.GenerateUrl, { description: 'x', owner: 'demo-user', __RequestVerificationToken: 'forged' }, { withToken: false });
    assert.equal(res.status, 403);
    assert.equal((await pageData()).ApiKeys.length, 6, 'nothing created');
    assert.deepEqual(demo.requests().map((r) => r.status), [403, 403]);
  });

  test('requests_are_logged_with_parsed_fields', async () => {
    await generate({ 'subjects[]': ['A*', 'B'] });
    const [entry] = demo.requests();
    assert.equal(entry.method, 'POST');
    assert.equal(entry.path, ENDPOINTS.GenerateUrl);
    assert.deepEqual(entry.fields['subjects[]'], ['A*', 'B']);
    assert.deepEqual(entry.fields['scopes[]'], ['package:push']);
    assert.equal(entry.fields.description, 'test key');
    assert.equal(typeof entry.time, 'number');
    const overHttp = JSON.parse((await fetchDemo('/__demo/requests')).text);
    assert.deepEqual(overHttp, demo.requests());
    demo.clearLogs();
    assert.deepEqual(demo.requests(), []);
  });
});

describe('control', () => {
  test('configure_resets_keys_and_logs', async () => {
    await generate({});
    demo.configure({ fixture: 'small' });
    const data = await pageData();
    assert.equal(data.PackageOwners.length, 1);
    assert.equal(data.ApiKeys.length, 2);
    assert.deepEqual(demo.requests(), []);
  });

  test('config_over_http', async () => {
    const res = await fetchDemo('/__demo/config', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ fixture: 'small', idleMs: 500 }),
    });
    assert.equal(res.status, 200);
    const html = (await apiKeysPage()).text;
    assert.match(html, /data-demo="\{&quot;idleMs&quot;:500/);
    assert.equal(JSON.parse(initialDataText(html)).PackageOwners.length, 1);
  });

  test('unknown_fixture_is_refused', () => {
    assert.throws(() => demo.configure({ fixture: 'huge' }), /unknown fixture/);
  });
});

describe('drift', () => {
  test('initial_data_missing', async () => {
    demo.configure({ drift: { initialData: 'missing' } });
    assert.equal(initialDataText((await apiKeysPage()).text), null);
  });

  test('initial_data_malformed_is_javascript_but_not_json', async () => {
    demo.configure({ drift: { initialData: 'malformed' } });
    const text = initialDataText((await apiKeysPage()).text);
    assert.throws(() => JSON.parse(text));
    // eslint-disable-next-line no-new-func -- test only: the page itself still evaluates it
    const value = new Function(`return ${text}`)();
    assert.equal(value.PackageOwners.length, 3);
  });

  test('initial_data_extra_and_missing_optional_fields', async () => {
    demo.configure({ drift: { initialData: 'extra-fields' } });
    let data = await pageData();
    assert.ok('FeatureFlags' in data && 'CreatedUtc' in data.ApiKeys[0] && 'IsOrganization' in data.PackageOwners[0]);
    demo.configure({ drift: { initialData: 'missing-optional' } });
    data = await pageData();
    assert.ok(!('ImageUrls' in data) && !('RevokeUrl' in data));
    assert.ok(data.ApiKeys.every((k) => !('Value' in k)));
    assert.ok(data.ApiKeys.some((k) => !('GlobPattern' in k)));
  });

  test('owners_keys_and_ids_drift', async () => {
    demo.configure({ drift: { emptyOwner: true, manyKeys: 50, oddIds: true } });
    let data = await pageData();
    assert.ok(data.PackageOwners.some((o) => o.PackageIds.length === 0));
    assert.equal(data.ApiKeys.length, 50);
    const ids = data.PackageOwners[0].PackageIds;
    assert.ok(ids.length > new Set(ids).size, 'duplicates');
    assert.ok(ids.some((id) => /[^\x00-\x7f]/.test(id)), 'non-ASCII');
    demo.configure({ drift: { manyOwners: 20 } });
    data = await pageData();
    assert.equal(data.PackageOwners.length, 20);
  });

  test('markup_drift_reaches_the_page_script', async () => {
    demo.configure({ drift: { renameGlobInput: true, lateCreateForm: 1500, doubleCreateForm: true, rerenderKeysEveryMs: 2000 } });
    const html = (await apiKeysPage()).text;
    const config = JSON.parse(/data-demo="([^"]*)"/.exec(html)[1].replace(/&quot;/g, '"'));
    assert.deepEqual(config.drift, { renameGlobInput: true, lateCreateForm: 1500, doubleCreateForm: true, rerenderKeysEveryMs: 2000 });
  });
});
