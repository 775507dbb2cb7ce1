// Runs in the benchmark page (tools/bench.mjs serves it with the built pkg/). Every figure is
// measured with performance.now() around the call being measured, in this page, in one run.
import init, { Engine } from './pkg/keyscope.js';

const ready = init();

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1], samples: sorted.length };
}

// The page's rule, as its own JavaScript applies it: a case-insensitive RegExp per pattern.
function pageRegExp(pattern) {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\-]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}

function script(owner, ids) {
  const data = { ApiKeys: [], PackageOwners: [{ Owner: owner, PackageIds: ids, CanPushNew: true, CanPushExisting: true, CanUnlist: true }] };
  return `var initialData = ${JSON.stringify(data)};`;
}

function engineFor(ids) {
  const engine = new Engine();
  const answer = engine.handle({ type: 'init', script: script('bench', ids) });
  if (answer.state !== 'ready') throw new Error(`engine not ready: ${JSON.stringify(answer)}`);
  return engine;
}

function timeGlob(engine, text) {
  const started = performance.now();
  const answer = engine.handle({ type: 'glob', form: 0, text, owner: 'bench', scopes: ['package:push'] });
  const ms = performance.now() - started;
  if (answer.type !== 'feedback') throw new Error(`no feedback for ${text}: ${JSON.stringify(answer)}`);
  return ms;
}

// Every prefix of each pattern, as typed one character at a time.
function keystrokes(patterns) {
  return patterns.flatMap((p) => Array.from({ length: p.length }, (_, i) => p.slice(0, i + 1)));
}

// Page data with `count` keys for one owner of `ids`.
function reviewScript(ids, count) {
  let seed = 2024;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const pick = () => ids[Math.floor(next() * ids.length)];
  const scopes = ['Push only new package versions', 'Unlist or relist package versions'];
  const keys = [];
  for (let number = 1; number <= count; number += 1) {
    const base = pick();
    const prefix = base.split('.')[0];
    const shapes = [
      [`${prefix}.*`, []],
      [null, Array.from({ length: 20 }, pick)],
      ['*.Tests*', [base]],
      [`*${prefix}*`, []],
      [`${prefix}.*.Core*`, Array.from({ length: 5 }, pick)],
    ];
    const [glob, packages] = number === 8 ? ['*', []] : shapes[number % 5];
    keys.push({
      Key: number, Type: 'apikey.v4', Value: null, Description: `key ${number}`, Expires: null,
      HasExpired: number % 17 === 0, IsNonScopedApiKey: false, RevocationSource: number % 19 === 0 ? 'User' : null,
      Owner: 'bench', Scopes: scopes, Packages: packages, GlobPattern: glob,
    });
  }
  keys.push({ Key: 999, Type: 'apikey.v1', Value: null, Description: 'legacy', Expires: null, HasExpired: false, IsNonScopedApiKey: true, RevocationSource: null, Owner: null, Scopes: [], Packages: [], GlobPattern: null });
  const data = { ApiKeys: keys, PackageOwners: [{ Owner: 'bench', PackageIds: ids, CanPushNew: true, CanPushExisting: true, CanUnlist: true }] };
  return `var initialData = ${JSON.stringify(data)};`;
}

// 100-character valid ids, deterministic, mostly letters with a few `a`s and `b`s.
function longIds(count) {
  const out = [];
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const letters = 'abcdefghijklmnopqrstuvwxyz0123456789';
  for (let i = 0; i < count; i += 1) {
    let id = 'Id';
    while (id.length < 100) id += next() < 0.04 ? '.' : letters[Math.floor(next() * letters.length)];
    id = id.slice(0, 99).replace(/\.\.+/g, '.').padEnd(99, 'x') + 'b';
    out.push(id);
  }
  return out;
}

// The worst case for `*a*a*…*b`: 100-character ids of mostly `a`s and `b`s, so every id holds
// enough of each character and must be scanned in full (half of them match).
function worstIds(count) {
  const out = [];
  let seed = 777;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  for (let i = 0; i < count; i += 1) {
    let id = '';
    while (id.length < 99) {
      const r = next();
      id += r < 0.1 && id && !id.endsWith('.') && id.length < 98 ? '.' : r < 0.4 ? 'b' : 'a';
    }
    out.push(id + (i % 2 ? 'a' : 'b'));
  }
  return out;
}

window.runEngineBench = async ({ ids, patterns, rounds }) => {
  await ready;
  const results = {};
  const engine = engineFor(ids);

  const typed = keystrokes(patterns);
  const keystroke = [];
  for (let round = 0; round < rounds; round += 1) for (const text of typed) keystroke.push(timeGlob(engine, text));
  results.keystroke_20k = stats(keystroke);

  // Matching throughput: KeyScope's whole keystroke vs the page's RegExp count alone.
  for (const pattern of patterns) {
    const ours = [];
    const theirs = [];
    let count = 0;
    for (let round = 0; round < rounds * 3; round += 1) {
      ours.push(timeGlob(engine, pattern));
      const started = performance.now();
      const re = pageRegExp(pattern);
      count = 0;
      for (const id of ids) if (re.test(id)) count += 1;
      theirs.push(performance.now() - started);
    }
    results[`keyscope_keystroke[${pattern}]`] = stats(ours);
    results[`page_regexp_count[${pattern}]`] = { ...stats(theirs), matched: count };
  }

  // The coverage review of 50 keys over the same 20,000 ids, as drawn when a reviewer opens
  // it: the keys mix prefix, suffix and infix globs, hand-picked lists, one `*` key, some
  // expired and revoked keys and a legacy key (like examples/bench_coverage.rs).
  const reviewer = new Engine();
  const ready50 = reviewer.handle({ type: 'init', script: reviewScript(ids, 50) });
  if (ready50.state !== 'ready') throw new Error(`engine not ready: ${JSON.stringify(ready50)}`);
  const review = [];
  for (let round = 0; round < 9; round += 1) {
    const started = performance.now();
    const answer = reviewer.handle({ type: 'review', now: Date.now(), rows: [], filter: '', pending: null });
    review.push(performance.now() - started);
    if (answer.type !== 'review') throw new Error(`no review: ${JSON.stringify(answer).slice(0, 200)}`);
  }
  results.review_50x20k = stats(review);
  reviewer.free();

  // Adversarial input over 100,000 ids of 100 characters.
  const long = longIds(100_000);
  const hostile = engineFor(long);
  const stars = `${'*a'.repeat(30)}*b`;
  const paste = 'Contoso'.repeat(1430).slice(0, 10_000);
  const junk = Array.from({ length: 10_000 }, (_, i) => ' ?[{\u0435\u200b'[i % 6]).join('');
  for (const [name, text] of [['stars_30_100k', stars], ['paste_valid_10k_100k', paste], ['paste_invalid_10k_100k', junk]]) {
    const samples = [];
    for (let round = 0; round < 7; round += 1) samples.push(timeGlob(hostile, text));
    results[name] = stats(samples);
  }
  hostile.free();
  const worst = engineFor(worstIds(100_000));
  const samples = [];
  for (let round = 0; round < 7; round += 1) samples.push(timeGlob(worst, stars));
  results.stars_30_100k_worst = stats(samples);
  worst.free();
  engine.free();
  return results;
};

window.benchReady = true;
