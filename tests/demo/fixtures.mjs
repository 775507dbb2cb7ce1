// Deterministic page data for the demo's API Keys page, built from the real ids in
// tests/data/nuget-package-ids.txt. Every fixture is a function of its name, the
// drift options and the server's start time (expiry dates are relative to it), so
// tests can rely on exact ids, owners and keys. README.md lists what each holds.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const IDS_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'nuget-package-ids.txt');
const DAY_MS = 24 * 60 * 60 * 1000;

export const USER = 'demo-user';
export const FIXTURES = ['small', 'org', 'large', 'stress'];
export const EXPIRATION_DAYS = [1, 90, 180, 270, 365];

/** Scope ids as the page posts them, and the descriptions the page data shows. */
export const SCOPE_DESCRIPTIONS = {
  'package:push': 'Push new packages and package versions',
  'package:pushversion': 'Push only new package versions',
  'package:unlist': 'Unlist or relist package versions',
};
export const ALL_SCOPE_DESCRIPTION = 'All';

let realIds;
export function realPackageIds() {
  realIds ??= readFileSync(IDS_FILE, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
  return realIds;
}

/**
 * `count` distinct valid ids: the real ids first, then deterministic variants
 * (`<real id>.Demo<k>`), skipping any longer than nuget.org's 100 characters.
 */
export function syntheticIds(count) {
  const real = realPackageIds();
  const ids = real.slice(0, count);
  for (let k = 1; ids.length < count; k++) {
    for (const id of real) {
      if (ids.length >= count) break;
      const variant = `${id}.Demo${k}`;
      if (variant.length <= 100) ids.push(variant);
    }
  }
  return ids;
}

function owner(name, packageIds, { push = true, pushExisting = true, unlist = true } = {}) {
  return { Owner: name, PackageIds: packageIds, CanPushNew: push, CanPushExisting: pushExisting, CanUnlist: unlist };
}

function iso(ms) {
  return new Date(ms).toISOString();
}

/** A key as the page data shows it; `days` from `now` (negative = expired). */
function key(now, Key, fields) {
  const { days = 365, ...rest } = fields;
  const expires = days === null ? null : now + days * DAY_MS;
  return {
    Key,
    Type: 'apikey.v4',
    Value: null,
    Description: '',
    Expires: expires === null ? null : iso(expires),
    HasExpired: expires !== null && expires <= now,
    IsNonScopedApiKey: false,
    RevocationSource: null,
    Owner: USER,
    Scopes: [SCOPE_DESCRIPTIONS['package:push']],
    Packages: [],
    GlobPattern: null,
    ...rest,
  };
}

const PUSH = SCOPE_DESCRIPTIONS['package:push'];
const PUSH_VERSION = SCOPE_DESCRIPTIONS['package:pushversion'];
const UNLIST = SCOPE_DESCRIPTIONS['package:unlist'];

function small(now) {
  const ids = realPackageIds();
  const serilog = ids.filter((id) => /^Serilog/i.test(id)).slice(0, 4);
  const xunit = ids.filter((id) => /^xunit/i.test(id)).slice(0, 4);
  return {
    owners: [owner(USER, [...serilog, ...xunit])],
    keys: [
      key(now, 1, { Description: 'Serilog packages (glob)', GlobPattern: 'Serilog*', days: 180 }),
      key(now, 2, { Description: 'Old xunit key (expired)', Packages: [xunit[0]], Scopes: [PUSH_VERSION], days: -3 }),
    ],
  };
}

/** The org split: Microsoft ids to Contoso, System/runtime ids to Fabrikam, the rest to the user. */
function splitOrg(ids) {
  const user = [];
  const contoso = [];
  const fabrikam = [];
  for (const id of ids) {
    if (/^microsoft\./i.test(id)) contoso.push(id);
    else if (/^(system|runtime)\./i.test(id)) fabrikam.push(id);
    else user.push(id);
  }
  return { user, contoso, fabrikam };
}

function org(now) {
  const { user, contoso, fabrikam } = splitOrg(realPackageIds());
  const releaseIds = user.filter((id) => /^(Humanizer|Serilog)$/.test(id) || id === 'Humanizer.Core');
  return {
    owners: [
      owner(USER, user),
      owner('Contoso', contoso, { unlist: false }),
      owner('Fabrikam', fabrikam, { push: false }),
    ],
    keys: [
      key(now, 1, { Description: 'Contoso extensions CI', Owner: 'Contoso', GlobPattern: 'Microsoft.Extensions.*', days: 200 }),
      key(now, 2, { Description: 'Release packages', Packages: releaseIds, Scopes: [PUSH_VERSION, UNLIST], days: 90 }),
      key(now, 3, { Description: 'Leaked key (revoked)', GlobPattern: '*', RevocationSource: 'GitHub', days: 120 }),
      key(now, 4, {
        Description: 'Legacy full access', Type: 'apikey.v1', IsNonScopedApiKey: true, Owner: null, Scopes: [], days: 300,
      }),
      key(now, 5, { Description: 'Fabrikam nightly (expired)', Owner: 'Fabrikam', GlobPattern: 'System.*', Scopes: [PUSH_VERSION], days: -10 }),
      key(now, 6, { Description: 'Fabrikam runtime (expires soon)', Owner: 'Fabrikam', GlobPattern: 'runtime.*', Scopes: [PUSH_VERSION, UNLIST], days: 5 }),
    ],
  };
}

function large(now, count) {
  const ids = syntheticIds(count);
  return {
    owners: [owner(USER, ids)],
    keys: [key(now, 1, { Description: 'Microsoft packages', GlobPattern: 'Microsoft.*', days: 365 })],
  };
}

/** Applies the data-shape drift options (the markup ones are the page script's job). */
function applyDrift(data, drift, now) {
  if (drift.emptyOwner) data.owners.push(owner('EmptyOrg', []));
  if (drift.oddIds) {
    const first = data.owners[0];
    const sample = first.PackageIds.slice(0, 3);
    first.PackageIds = [
      ...first.PackageIds,
      ...sample,                              // exact duplicates
      ...sample.map((id) => id.toUpperCase()), // same ids, other casing
      'Café.Tools', 'Ünïcode.Lib', 'Пакет.Core', 'naïve-package',
    ];
  }
  if (drift.manyOwners) {
    const extra = Math.max(0, drift.manyOwners - data.owners.length);
    const pool = data.owners[0].PackageIds;
    const per = Math.max(1, Math.floor(pool.length / (extra + 1)));
    const keep = pool.slice(0, per);
    for (let i = 0; i < extra; i++) {
      data.owners.push(owner(`Org${String(i + 1).padStart(2, '0')}`, pool.slice(per * (i + 1), per * (i + 2)), {
        push: i % 3 !== 0, unlist: i % 2 === 0,
      }));
    }
    data.owners[0].PackageIds = keep;
  }
  if (drift.manyKeys) {
    let next = Math.max(0, ...data.keys.map((k) => k.Key)) + 1;
    const ids = data.owners[0].PackageIds;
    for (let i = 0; data.keys.length < drift.manyKeys; i++) {
      data.keys.push(key(now, next++, {
        Description: `Generated key ${i + 1}`,
        GlobPattern: i % 2 === 0 ? `${(ids[i % ids.length] ?? 'Demo').split('.')[0]}.*` : null,
        Packages: i % 2 === 1 && ids.length ? [ids[i % ids.length]] : [],
        days: (i % 7) * 60 - 30,
      }));
    }
  }
  return data;
}

/**
 * Builds a fixture: `{ owners, keys, expirationDays }` where owners are
 * `initialData.PackageOwners` entries and keys `initialData.ApiKeys` entries.
 */
export function buildFixture(name, { now = Date.now(), drift = {} } = {}) {
  let data;
  switch (name) {
    case 'small': data = small(now); break;
    case 'org': data = org(now); break;
    case 'large': data = large(now, 20_000); break;
    case 'stress': data = large(now, 100_000); break;
    default: throw new Error(`unknown fixture '${name}' (known: ${FIXTURES.join(', ')})`);
  }
  data.expirationDays = EXPIRATION_DAYS;
  return applyDrift(data, drift, now);
}
