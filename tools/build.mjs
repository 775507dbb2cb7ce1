#!/usr/bin/env node
// Builds the KeyScope extension for both browsers from one source tree:
//
//   cargo (wasm32, profile `wasm` = release + panic abort) → wasm-bindgen --target web → wasm-opt -Oz → pkg/
//   extension/ + pkg/ + a manifest per browser → dist/chrome/, dist/firefox/ and their zips
//
// The top-level manifest.json is the single source. Each browser's differences are applied
// in `manifestFor` below and nowhere else, so they stay visible in one place.

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'target');
const pkgDir = join(target, 'pkg');
const dist = join(root, 'dist');
const crate = 'keyscope';

function run(cmd, args, options = {}) {
  const short = (arg) => (arg.startsWith(root) ? relative(root, arg) : arg);
  const shown = args.map(short);
  console.log(`build: ${short(cmd)} ${shown.join(' ')}`);
  try {
    execFileSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
  } catch (error) {
    fail(`${cmd} failed (${error.status ?? error.code})`);
  }
}

function fail(message) {
  console.error(`build: ${message}`);
  process.exit(1);
}

/** The crate version; the manifest's version follows it so there is one number to bump. */
function cargoVersion() {
  const toml = readFileSync(join(root, 'Cargo.toml'), 'utf8');
  const pkg = toml.split(/^\[/m).find((section) => section.startsWith('package]'));
  const version = pkg?.match(/^version\s*=\s*"([^"]+)"/m)?.[1];
  if (!version) fail('no [package] version in Cargo.toml');
  return version;
}

/** The exact wasm-bindgen version Cargo.toml pins; the CLI must be the same version. */
function pinnedBindgenVersion() {
  const toml = readFileSync(join(root, 'Cargo.toml'), 'utf8');
  const version = toml.match(/^wasm-bindgen\s*=\s*"=([^"]+)"/m)?.[1];
  if (!version) fail('Cargo.toml must pin wasm-bindgen exactly (wasm-bindgen = "=X.Y.Z")');
  return version;
}

/**
 * Reads the `target_features` custom section rustc writes into the module, so wasm-opt is
 * told exactly which proposals the code already uses (and is free to keep using) — no more,
 * so it never introduces instructions a browser might not support.
 */
function usedFeatures(wasmPath) {
  const bytes = readFileSync(wasmPath);
  let pos = 8; // magic + version
  const leb = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[pos++];
      result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result >>> 0;
      shift += 7;
    }
  };
  while (pos < bytes.length) {
    const id = bytes[pos++];
    const size = leb();
    const end = pos + size;
    if (id === 0) {
      const nameLen = leb();
      const name = bytes.subarray(pos, pos + nameLen).toString('utf8');
      pos += nameLen;
      if (name === 'target_features') {
        const features = [];
        const count = leb();
        for (let i = 0; i < count; i++) {
          const prefix = String.fromCharCode(bytes[pos++]);
          const len = leb();
          const feature = bytes.subarray(pos, pos + len).toString('utf8');
          pos += len;
          if (prefix === '+') features.push(feature);
        }
        return features;
      }
    }
    pos = end;
  }
  return null;
}

/** rustc's feature names → binaryen's flag names, where they differ. */
const binaryenFeatureName = {
  'nontrapping-fptoint': 'nontrapping-float-to-int',
  'mutable-globals': 'mutable-globals',
};

function wasmOptFeatureFlags(wasmPath, wasmOpt) {
  const features = usedFeatures(wasmPath);
  if (!features) {
    fail(`${wasmPath} has no target_features section (is the release profile stripping it?)`);
  }
  const help = execFileSync(wasmOpt, ['--help'], { encoding: 'utf8' });
  const flags = [];
  for (const feature of features) {
    const flag = `--enable-${binaryenFeatureName[feature] ?? feature}`;
    if (!help.includes(`${flag} `) && !help.includes(`${flag}\n`)) {
      fail(`wasm-opt has no ${flag} for the module's feature "${feature}"`);
    }
    flags.push(flag);
  }
  return flags;
}

function buildWasm() {
  run('cargo', ['build', '--lib', '--profile', 'wasm', '--target', 'wasm32-unknown-unknown']);
  const wasm = join(target, 'wasm32-unknown-unknown', 'wasm', `${crate}.wasm`);

  const want = pinnedBindgenVersion();
  let have = '';
  try {
    have = execFileSync('wasm-bindgen', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    fail(`wasm-bindgen not found; run ./ks install (needs wasm-bindgen-cli ${want})`);
  }
  if (have !== `wasm-bindgen ${want}`) {
    fail(`found "${have}", the crate pins ${want}; run ./ks install`);
  }
  rmSync(pkgDir, { recursive: true, force: true });
  run('wasm-bindgen', [wasm, '--out-dir', pkgDir, '--target', 'web', '--no-typescript']);

  // npm's binaryen, not Debian's: Debian's (108) exports the wrong table for wasm-bindgen's
  // externref table and Firefox then refuses the module at start-up.
  const wasmOpt = join(root, 'node_modules', '.bin', 'wasm-opt');
  if (!existsSync(wasmOpt)) fail('node_modules/.bin/wasm-opt missing; run ./ks install');
  const bg = join(pkgDir, `${crate}_bg.wasm`);
  const flags = wasmOptFeatureFlags(wasm, wasmOpt);
  run(wasmOpt, ['-Oz', ...flags, bg, '-o', bg]);
  const size = readFileSync(bg).length;
  console.log(`build: ${crate}_bg.wasm is ${size.toLocaleString('en')} bytes after wasm-opt`);
}

/**
 * Optional permissions only Firefox needs. Clearing the clipboard without a click: Chromium lets
 * KeyScope's extension frame do it with no permission (a copy event), Firefox only with
 * `clipboardWrite`. Both need `clipboardRead` to check the clipboard still holds the key.
 */
const FIREFOX_ONLY_OPTIONAL_PERMISSIONS = ['clipboardWrite'];

/**
 * The engine's module and its WebAssembly, for Firefox's content script to load: Firefox lets a
 * content script compile WebAssembly under nuget.org's CSP (Chromium does not, so Chrome's copy
 * runs the engine in its frame only). extension/engine.js runs the engine in the content
 * script exactly when its module is listed here. Firefox loads nothing from an extension into a
 * page unless it is web-accessible; a page that could find the install's random
 * moz-extension: address would get KeyScope's public code, nothing of the user's.
 */
const FIREFOX_ENGINE_RESOURCES = ['pkg/keyscope.js', 'pkg/keyscope_bg.wasm'];

/**
 * The one place per-browser manifest differences live.
 * - Chrome rejects (warns on) `browser_specific_settings`, which only Firefox reads.
 * - A background with both `service_worker` and `scripts` loads in both browsers, but each
 *   store's linter flags the key it ignores, so each copy keeps only its own.
 * - Chrome's copy asks for no optional permission it does not use (see above).
 * - Firefox's copy lets its content script load the engine (see above).
 */
function manifestFor(browser, source, version) {
  const manifest = structuredClone(source);
  manifest.version = version;
  if (browser === 'chrome') {
    delete manifest.browser_specific_settings;
    if (manifest.background) delete manifest.background.scripts;
    if (manifest.optional_permissions) {
      manifest.optional_permissions = manifest.optional_permissions.filter((permission) => !FIREFOX_ONLY_OPTIONAL_PERMISSIONS.includes(permission));
    }
  }
  if (browser === 'firefox') {
    if (manifest.background?.scripts) delete manifest.background.service_worker;
    const [engineFrame] = manifest.web_accessible_resources;
    engineFrame.resources = [...engineFrame.resources, ...FIREFOX_ENGINE_RESOURCES];
  }
  return manifest;
}

function assemble(browser, source, version) {
  const out = join(dist, browser);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  cpSync(join(root, 'extension'), out, { recursive: true });
  mkdirSync(join(out, 'pkg'));
  for (const file of [`${crate}.js`, `${crate}_bg.wasm`]) {
    cpSync(join(pkgDir, file), join(out, 'pkg', file));
  }
  const manifest = manifestFor(browser, source, version);
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  const zip = join(dist, `${crate}-${browser}.zip`);
  rmSync(zip, { force: true });
  // -X: no extra file attributes, so the same inputs give the same archive contents.
  execFileSync('zip', ['-q', '-r', '-X', zip, '.'], { cwd: out, stdio: 'inherit' });
  console.log(`build: ${relative(root, out)}/ and ${relative(root, zip)}`);
}

const manifestPath = join(root, 'manifest.json');
if (!existsSync(manifestPath)) fail('manifest.json missing at the top level');
if (!existsSync(join(root, 'extension'))) fail('extension/ missing');
const source = JSON.parse(readFileSync(manifestPath, 'utf8'));
const version = cargoVersion();

buildWasm();
mkdirSync(dist, { recursive: true });
for (const browser of ['chrome', 'firefox']) assemble(browser, source, version);
