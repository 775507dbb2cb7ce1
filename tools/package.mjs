#!/usr/bin/env node
// `./ks package`: everything the two stores need, in dist/:
//
//   keyscope-chrome.zip    the Chrome Web Store upload (from ./ks build)
//   keyscope-firefox.zip   the addons.mozilla.org upload (from ./ks build)
//   keyscope-source.zip    `git archive HEAD`, for Mozilla's reviewers: BUILDING.md at its top
//                          says which tools, at which versions, rebuild the Firefox zip
//
// The version of all three is Cargo.toml's. The source archive is HEAD, so uncommitted
// changes would make the extension zips differ from what the archive rebuilds: that is
// refused unless --allow-dirty is given. --no-build reuses dist/ from an earlier build.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const args = new Set(process.argv.slice(2));

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

function git(...gitArgs) {
  return execFileSync('git', gitArgs, { cwd: root, encoding: 'utf8' });
}

function cargoVersion() {
  const toml = readFileSync(join(root, 'Cargo.toml'), 'utf8');
  const pkg = toml.split(/^\[/m).find((section) => section.startsWith('package]'));
  return pkg?.match(/^version\s*=\s*"([^"]+)"/m)?.[1] ?? fail('no [package] version in Cargo.toml');
}

/** Lists a zip's entries (Info-ZIP's `unzip -Z1`). */
function entries(zip) {
  return execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

const version = cargoVersion();
const dirty = git('status', '--porcelain', '--untracked-files=no').trim();
if (dirty && !args.has('--allow-dirty')) {
  fail(`the working tree differs from HEAD; commit first (or pass --allow-dirty):\n${dirty}`);
}

if (!args.has('--no-build')) {
  execFileSync('node', [join(root, 'tools', 'build.mjs')], { cwd: root, stdio: 'inherit' });
}

// What each store checks first: the manifest's version and every icon it names.
for (const browser of ['chrome', 'firefox']) {
  const zip = join(dist, `keyscope-${browser}.zip`);
  if (!existsSync(zip)) fail(`${relative(root, zip)} missing; run ./ks build`);
  const manifest = JSON.parse(execFileSync('unzip', ['-p', zip, 'manifest.json'], { encoding: 'utf8' }));
  if (manifest.version !== version) fail(`${relative(root, zip)} has version ${manifest.version}, Cargo.toml ${version}`);
  const inside = new Set(entries(zip));
  for (const icon of Object.values(manifest.icons ?? {})) {
    if (!inside.has(icon)) fail(`${relative(root, zip)} lacks its icon ${icon}`);
  }
}

if (!git('ls-files', 'BUILDING.md').trim()) fail('BUILDING.md is not committed; the source archive would lack it');
const source = join(dist, 'keyscope-source.zip');
rmSync(source, { force: true });
execFileSync('git', ['archive', '--format=zip', `--prefix=keyscope-${version}/`, '-o', source, 'HEAD'], { cwd: root });
if (!entries(source).includes(`keyscope-${version}/BUILDING.md`)) fail('the source archive lacks BUILDING.md');

const commit = git('rev-parse', '--short', 'HEAD').trim();
for (const name of ['chrome', 'firefox', 'source']) {
  const zip = join(dist, `keyscope-${name}.zip`);
  console.log(`package: ${relative(root, zip)}  ${statSync(zip).size.toLocaleString('en')} bytes  (${version}, ${commit}${dirty ? ', dirty' : ''})`);
}
