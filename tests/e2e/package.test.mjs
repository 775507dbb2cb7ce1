// Issue 7 §5: the store packages are what the stores accept. The Firefox zip, unpacked, passes
// `web-ext lint` with warnings as errors; the Chrome zip, unpacked, loads in Chromium and
// KeyScope reaches ready on the API Keys page. Uses dist/*.zip from ./ks build (or ./ks package).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { startDemo } from '../demo/server.mjs';
import { BROWSERS, TIMEOUT, launchBrowser, openApiKeys, waitForStatus } from './harness.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const temps = [];

function unpack(name) {
  const zip = join(ROOT, 'dist', `keyscope-${name}.zip`);
  assert.ok(existsSync(zip), `${zip} missing: run ./ks build`);
  const dir = mkdtempSync(join(tmpdir(), `keyscope-${name}-zip-`));
  temps.push(dir);
  execFileSync('unzip', ['-q', zip, '-d', dir]);
  return dir;
}

function cargoVersion() {
  return readFileSync(join(ROOT, 'Cargo.toml'), 'utf8').match(/^version\s*=\s*"([^"]+)"/m)[1];
}

describe('store packages', () => {
  after(() => {
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  });

  test('the Firefox zip passes web-ext lint with warnings as errors', { timeout: TIMEOUT }, () => {
    const dir = unpack('firefox');
    assert.equal(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).version, cargoVersion());
    const out = execFileSync('npx', ['--no-install', 'web-ext', 'lint', '-s', dir, '--warnings-as-errors', '-o', 'json'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const report = JSON.parse(out.slice(out.indexOf('{')));
    assert.deepEqual([...report.errors, ...report.warnings].map((m) => `${m.code}: ${m.message}`), []);
  });

  test('every icon the manifests name is in both zips', () => {
    for (const name of ['chrome', 'firefox']) {
      const dir = unpack(name);
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
      assert.deepEqual(Object.keys(manifest.icons).sort((a, b) => a - b), ['16', '32', '48', '64', '96', '128']);
      for (const path of Object.values(manifest.icons)) assert.ok(existsSync(join(dir, path)), `${name}: ${path}`);
    }
  });

  test('the Chrome zip, unpacked, loads in Chromium and KeyScope reaches ready', { skip: !BROWSERS.includes('chromium'), timeout: TIMEOUT * 2 }, async () => {
    const dir = unpack('chrome');
    const demo = await startDemo({ fixture: 'small', csp: 'report' });
    const launched = await launchBrowser('chromium', { port: demo.port, extension: dir });
    try {
      const page = await launched.browser.newPage();
      await openApiKeys(page, demo, { fixture: 'small' });
      const status = await waitForStatus(page);
      assert.equal(status.state, 'ready', status.text);
    } finally {
      await launched.close();
      await demo.close();
    }
  });
});
