// The KeyScope demo site: a local HTTPS server that reproduces nuget.org's API Keys
// page (markup, page data, endpoints, CSP) so every e2e test and benchmark runs
// against a page that behaves like the real one. Browsers reach it as
// https://www.nuget.org through a host mapping; nothing depends on the Host header.
//
//   node tests/demo/server.mjs [--port 8443] [--fixture org] [--csp report|enforce|none] [--idle-ms N]
import { randomBytes, randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureCert } from './cert.mjs';
import { ALL_SCOPE_DESCRIPTION, FIXTURES, SCOPE_DESCRIPTIONS, USER, buildFixture } from './fixtures.mjs';
import {
  REPORT_URI, apiKeysPage, cspPolicy, homePage, notFoundPage, packagePage, scriptJson, trustedPublishingPage,
} from './page.mjs';

const STATIC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'static');
const ORIGIN = 'https://www.nuget.org';
const CSP_MODES = ['report', 'enforce', 'none'];
const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_BODY = 32 * 1024 * 1024;

/** The page's POST endpoints, published in initialData under these names. */
export const ENDPOINTS = {
  GenerateUrl: '/account/GenerateApiKey',
  RegenerateUrl: '/account/RegenerateCredential',
  EditUrl: '/account/EditCredential',
  RemoveUrl: '/account/RemoveCredential',
  RevokeUrl: '/account/RevokeApiKeyCredential',
};

const IMAGE_URLS = {
  ApiKeyNew: '/Content/gallery/img/api-key-new.svg',
  ApiKey: '/Content/gallery/img/api-key.svg',
  ApiKeyExpired: '/Content/gallery/img/api-key-expired.svg',
  ApiKeyLegacy: '/Content/gallery/img/api-key-legacy.svg',
};

const STATIC_FILES = {
  '/Scripts/gallery/page-api-keys.js': ['page-api-keys.js', 'text/javascript; charset=utf-8'],
  '/Content/gallery/css/site.min.css': ['site.css', 'text/css; charset=utf-8'],
  ...Object.fromEntries(Object.values(IMAGE_URLS).map((url) => [url, ['api-key.svg', 'image/svg+xml']])),
};

const KEY_VALUE_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A fresh secret shaped like nuget.org's: `oy2` + 43 lowercase letters and digits. */
export function newKeyValue() {
  let value = 'oy2';
  for (let i = 0; i < 43; i++) value += KEY_VALUE_ALPHABET[randomInt(KEY_VALUE_ALPHABET.length)];
  return value;
}

function nonce() {
  return randomBytes(32).toString('base64');
}

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Form-encoded body → object; `x[]` keys collect into arrays, others keep the last value. */
export function parseForm(text) {
  const fields = {};
  for (const [name, value] of new URLSearchParams(text)) {
    if (name.endsWith('[]')) (fields[name] ??= []).push(value);
    else fields[name] = value;
  }
  return fields;
}

/**
 * The server's widening, as on nuget.org: no non-blank subject means `*` (every
 * package of the owner, now and later); the glob is the first subject with `*`.
 */
function resolveSubjects(subjects = []) {
  const cleaned = subjects.map((s) => s.trim()).filter(Boolean);
  const resolved = cleaned.length ? cleaned : ['*'];
  const glob = resolved.find((s) => s.includes('*')) ?? null;
  return { GlobPattern: glob, Packages: resolved.filter((s) => s !== glob) };
}

/** No scope at all means every action ("All"). */
function resolveScopes(scopes = []) {
  if (!scopes.length) return [ALL_SCOPE_DESCRIPTION];
  return scopes.map((scope) => {
    const description = SCOPE_DESCRIPTIONS[scope];
    if (!description) throw new HttpError(400, `Unknown scope '${scope}'.`);
    return description;
  });
}

class DemoState {
  constructor(startedAt) {
    this.startedAt = startedAt;
    this.token = randomBytes(48).toString('base64url');
    this.config = { fixture: 'org', csp: 'report', idleMs: 600000, drift: {} };
    this.requests = [];
    this.cspReports = [];
  }

  /** Resets keys and logs to `options` (omitted fields keep their current value). */
  configure(options = {}) {
    const config = { ...this.config, ...options };
    if (!FIXTURES.includes(config.fixture)) throw new Error(`unknown fixture '${config.fixture}'`);
    if (!CSP_MODES.includes(config.csp)) throw new Error(`unknown csp mode '${config.csp}' (${CSP_MODES.join(', ')})`);
    config.idleMs = Number(config.idleMs);
    if (!(config.idleMs > 0)) throw new Error('idleMs must be a positive number');
    config.drift = { ...(config.drift ?? {}) };
    const data = buildFixture(config.fixture, { now: this.startedAt, drift: config.drift });
    this.config = config;
    this.owners = data.owners;
    this.keys = data.keys;
    this.expirationDays = data.expirationDays;
    this.keyDays = new Map();
    this.nextKey = Math.max(0, ...this.keys.map((k) => k.Key)) + 1;
    this.dataText = null;
    this.clearLogs();
  }

  clearLogs() {
    this.requests = [];
    this.cspReports = [];
  }

  changed() {
    this.dataText = null;
  }

  keyView(key, value = null) {
    const expired = key.HasExpired || (key.Expires !== null && Date.parse(key.Expires) <= Date.now());
    return { ...key, Value: value, HasExpired: expired };
  }

  /** The text of `var initialData = <text>;`, or null when drift removes it. */
  initialDataText() {
    const mode = this.config.drift.initialData;
    if (mode === 'missing') return null;
    if (this.dataText !== null) return this.dataText;
    const data = {
      ApiKeys: this.keys.map((k) => this.keyView(k)),
      PackageOwners: this.owners,
      PackagePushScope: 'package:push',
      PackagePushVersionScope: 'package:pushversion',
      PackageUnlistScope: 'package:unlist',
      ...ENDPOINTS,
      ImageUrls: IMAGE_URLS,
    };
    if (mode === 'extra-fields') addExtraFields(data);
    if (mode === 'missing-optional') dropOptionalFields(data);
    let text = scriptJson(data);
    // Valid JavaScript the page still runs, but no longer JSON: unquoted names, trailing comma.
    if (mode === 'malformed') text = text.replace(/"([A-Za-z]+)":/g, '$1:').replace(/}$/, ',}');
    this.dataText = text;
    return text;
  }

  findKey(fields) {
    const number = Number.parseInt(fields.credentialKey, 10);
    const key = this.keys.find((k) => k.Key === number);
    if (!key || key.Type !== fields.credentialType) throw new HttpError(404, 'The API key was not found.');
    return key;
  }

  generate(fields) {
    const owner = this.owners.find((o) => o.Owner === fields.owner);
    if (!owner) throw new HttpError(400, 'A package owner must be selected.');
    const description = (fields.description ?? '').trim();
    if (!description) throw new HttpError(400, 'The key name is required.');
    const days = Number.parseInt(fields.expirationInDays, 10);
    const expirationInDays = days > 0 ? days : 365;
    const key = {
      Key: this.nextKey++,
      Type: 'apikey.v4',
      Value: null,
      Description: description,
      Expires: new Date(Date.now() + expirationInDays * DAY_MS).toISOString(),
      HasExpired: false,
      IsNonScopedApiKey: false,
      RevocationSource: null,
      Owner: owner.Owner,
      Scopes: resolveScopes(fields['scopes[]']),
      ...resolveSubjects(fields['subjects[]']),
    };
    this.keys.unshift(key);
    this.keyDays.set(key.Key, expirationInDays);
    this.changed();
    return this.keyView(key, newKeyValue());
  }

  regenerate(fields) {
    const old = this.findKey(fields);
    if (old.RevocationSource) throw new HttpError(400, 'A revoked API key cannot be regenerated.');
    const days = this.keyDays.get(old.Key) ?? 365;
    const key = {
      ...old,
      Key: this.nextKey++,
      Expires: new Date(Date.now() + days * DAY_MS).toISOString(),
      HasExpired: false,
    };
    this.keys[this.keys.indexOf(old)] = key;
    this.keyDays.set(key.Key, days);
    this.changed();
    return this.keyView(key, newKeyValue());
  }

  edit(fields) {
    const key = this.findKey(fields);
    if (key.IsNonScopedApiKey || key.RevocationSource) throw new HttpError(400, 'This API key cannot be edited.');
    Object.assign(key, resolveSubjects(fields['subjects[]']));
    this.changed();
    return this.keyView(key);
  }

  remove(fields) {
    const key = this.findKey(fields);
    this.keys.splice(this.keys.indexOf(key), 1);
    this.changed();
    return { success: true, Key: key.Key };
  }

  revoke(fields) {
    const key = this.findKey(fields);
    if (key.RevocationSource) throw new HttpError(400, 'The API key is already revoked.');
    key.RevocationSource = 'User';
    this.changed();
    return this.keyView(key);
  }
}

function addExtraFields(data) {
  data.FeatureFlags = { TrustedPublishing: true, ApiKeyTelemetry: { Enabled: false } };
  data.ApiKeyVersion = 5;
  for (const key of data.ApiKeys) Object.assign(key, { CreatedUtc: '2024-01-01T00:00:00Z', LastUsedUtc: null, Tags: [] });
  for (const owner of data.PackageOwners) Object.assign(owner, { IsOrganization: owner.Owner !== USER, AvatarUrl: null });
}

function dropOptionalFields(data) {
  delete data.ImageUrls;
  delete data.RevokeUrl;
  for (const key of data.ApiKeys) {
    delete key.Value;
    for (const name of ['GlobPattern', 'RevocationSource', 'Expires', 'Owner']) if (key[name] === null) delete key[name];
    if (!key.Packages.length) delete key.Packages;
  }
}

const HTML_SECURITY_HEADERS = {
  'X-Frame-Options': 'deny',
  'X-Content-Type-Options': 'nosniff',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains; preload',
  'Cache-Control': 'no-store',
};

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, 'Request body too large.'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res, status, value) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(JSON.stringify(value));
}

function isForceApiKeys(query) {
  for (const [name, value] of query) if (name.toLowerCase() === 'forceapikeys' && value.toLowerCase() === 'true') return true;
  return false;
}

/** Starts the demo; see README.md for the contract. */
export async function startDemo({ port = 0, fixture = 'org', csp = 'report', idleMs = 600000, drift = {} } = {}) {
  const { certPath, keyPath } = ensureCert();
  const state = new DemoState(Date.now());
  state.configure({ fixture, csp, idleMs, drift });

  const sendHtml = (res, status, render) => {
    const n = nonce();
    const headers = { 'Content-Type': 'text/html; charset=utf-8', ...HTML_SECURITY_HEADERS };
    if (state.config.csp === 'report') headers['Content-Security-Policy-Report-Only'] = cspPolicy(n);
    if (state.config.csp === 'enforce') headers['Content-Security-Policy'] = cspPolicy(n);
    res.writeHead(status, headers);
    res.end(render(n));
  };

  const pageEndpoints = {
    [ENDPOINTS.GenerateUrl]: (f) => state.generate(f),
    [ENDPOINTS.RegenerateUrl]: (f) => state.regenerate(f),
    [ENDPOINTS.EditUrl]: (f) => state.edit(f),
    [ENDPOINTS.RemoveUrl]: (f) => state.remove(f),
    [ENDPOINTS.RevokeUrl]: (f) => state.revoke(f),
  };

  async function handle(req, res) {
    const url = new URL(req.url, ORIGIN);
    const path = url.pathname;
    const user = USER;

    if (req.method === 'POST' && pageEndpoints[path]) {
      const fields = parseForm(await readBody(req));
      const entry = { method: req.method, path, fields, time: Date.now(), status: 0 };
      state.requests.push(entry);
      try {
        if (fields.__RequestVerificationToken !== state.token) {
          throw new HttpError(403, 'The anti-forgery token is missing or invalid.');
        }
        const answer = pageEndpoints[path](fields);
        entry.status = 200;
        sendJson(res, 200, answer);
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        entry.status = error.status;
        sendJson(res, error.status, { error: error.message });
      }
      return;
    }
    if (req.method === 'POST' && path === REPORT_URI) {
      const text = await readBody(req);
      try {
        state.cspReports.push(JSON.parse(text));
      } catch {
        state.cspReports.push({ unparsed: text });
      }
      res.writeHead(204).end();
      return;
    }
    if (path.startsWith('/__demo/')) {
      if (req.method === 'POST' && path === '/__demo/config') {
        try {
          state.configure(JSON.parse((await readBody(req)) || '{}'));
          sendJson(res, 200, state.config);
        } catch (error) {
          sendJson(res, 400, { error: error.message });
        }
      } else if (req.method === 'GET' && path === '/__demo/config') sendJson(res, 200, state.config);
      else if (req.method === 'GET' && path === '/__demo/requests') sendJson(res, 200, state.requests);
      else if (req.method === 'GET' && path === '/__demo/csp-reports') sendJson(res, 200, state.cspReports);
      else if (req.method === 'POST' && path === '/__demo/clear-logs') {
        state.clearLogs();
        sendJson(res, 200, { success: true });
      } else sendJson(res, 404, { error: 'unknown demo control' });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: 'Method not allowed.' });
      return;
    }
    const file = STATIC_FILES[path];
    if (file) {
      const body = await readFile(join(STATIC_DIR, file[0]));
      res.writeHead(200, { 'Content-Type': file[1], 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' });
      res.end(body);
      return;
    }
    if (path.toLowerCase() === '/account/apikeys') {
      if (!isForceApiKeys(url.searchParams)) {
        res.writeHead(302, { Location: '/account/trustedpublishing?fromApiKeys=true', ...HTML_SECURITY_HEADERS }).end();
        return;
      }
      const demo = { idleMs: state.config.idleMs, drift: state.config.drift };
      sendHtml(res, 200, (n) => apiKeysPage({ nonce: n, user, token: state.token, initialDataText: state.initialDataText(), expirationDays: state.expirationDays, demo }));
      return;
    }
    if (path.toLowerCase() === '/account/trustedpublishing') return sendHtml(res, 200, (n) => trustedPublishingPage({ nonce: n, user }));
    if (path === '/') return sendHtml(res, 200, (n) => homePage({ nonce: n, user }));
    const pkg = /^\/packages\/([^/]+)\/?/.exec(path);
    if (pkg) return sendHtml(res, 200, (n) => packagePage({ nonce: n, user, id: decodeURIComponent(pkg[1]) }));
    if (path === '/favicon.ico') return res.writeHead(204).end();
    return sendHtml(res, 404, (n) => notFoundPage({ nonce: n, user }));
  }

  const server = createServer({ key: readFileSync(keyPath), cert: readFileSync(certPath) }, (req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) sendJson(res, error.status ?? 500, { error: error.message });
      else res.destroy();
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });

  return {
    port: server.address().port,
    origin: ORIGIN,
    url: (pathAndQuery = '/') => ORIGIN + pathAndQuery,
    configure: (options) => state.configure(options),
    requests: () => state.requests.map((r) => structuredClone(r)),
    cspReports: () => structuredClone(state.cspReports),
    clearLogs: () => state.clearLogs(),
    token: () => state.token,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--port') options.port = Number(value());
    else if (flag === '--fixture') options.fixture = value();
    else if (flag === '--csp') options.csp = value();
    else if (flag === '--idle-ms') options.idleMs = Number(value());
    else if (flag === '--drift') options.drift = JSON.parse(value());
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return options;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const options = parseArgs(process.argv.slice(2));
  const demo = await startDemo(options);
  const { spki } = ensureCert();
  const p = demo.port;
  console.log(`KeyScope demo (${options.fixture ?? 'org'}, csp ${options.csp ?? 'report'}) listening on 127.0.0.1:${p}`);
  console.log(`port ${p}`);
  console.log(`open    ${demo.url('/account/apikeys?forceApiKeys=true')}`);
  console.log(`chromium --host-resolver-rules="MAP www.nuget.org 127.0.0.1:${p}" --ignore-certificate-errors-spki-list=${spki}`);
  console.log(`firefox  prefs network.dns.localDomains="www.nuget.org" network.trr.mode=5 network.socket.forcePort="443=${p}" (and accept the self-signed certificate)`);
  const stop = () => demo.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
