// Least privilege, asserted: the exact permission surface of KeyScope's manifest (the source
// and both built copies), and a scan of the shipped JavaScript for code that could run
// anything but the packaged code. Widening any of this must be a visible change to this file.
// No browser needed; the built copies come from `./ks build` (the test command builds first).

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The only page KeyScope's content scripts run on (the query string is part of the match). */
const CONTENT_MATCHES = ['https://www.nuget.org/account/apikeys*'];

/**
 * API permissions KeyScope may hold: `storage`, for the options page's settings. Adding an entry here is how
 * a feature asks for a permission, next to the README's and SECURITY.md's reason for it.
 */
const ALLOWED_PERMISSIONS = ['storage'];
const ALLOWED_HOST_PERMISSIONS = [];
/**
 * Optional permissions, none granted at install: the user grants them on the options page to let
 * KeyScope clear a copied key. `clipboardRead` checks the clipboard still holds the key;
 * `clipboardWrite` (Firefox only: Chromium's engine frame clears without it) clears it.
 */
const CLIPBOARD_OPTIONAL_PERMISSIONS = {
  source: ['clipboardRead', 'clipboardWrite'],
  chrome: ['clipboardRead'],
  firefox: ['clipboardRead', 'clipboardWrite'],
};

/** Manifest keys that grant reach or run code; each is either asserted below or must be absent. */
const FORBIDDEN_KEYS = ['externally_connectable', 'content_scripts_dynamic', 'sandbox', 'chrome_url_overrides', 'devtools_page', 'options_page', 'background', 'declarative_net_request', 'optional_host_permissions', 'oauth2', 'key', 'update_url', 'commands', 'omnibox', 'storage'];

const EXTENSION_CSP = "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'";

/**
 * What a nuget.org page may load from KeyScope: the engine frame, and in Firefox's copy the
 * engine's module and WebAssembly, which Firefox's content script compiles itself (Firefox loads
 * nothing of an extension into a page that is not listed; Chromium's content script may not
 * compile WebAssembly under nuget.org's CSP, so Chrome's copy runs the engine in the frame).
 */
const WEB_ACCESSIBLE = {
  source: ['frame.html'],
  chrome: ['frame.html'],
  firefox: ['frame.html', 'pkg/keyscope.js', 'pkg/keyscope_bg.wasm'],
};

const MANIFESTS = [
  { name: 'manifest.json (source)', path: join(ROOT, 'manifest.json'), optional: CLIPBOARD_OPTIONAL_PERMISSIONS.source, reachable: WEB_ACCESSIBLE.source },
  { name: 'dist/chrome/manifest.json', path: join(ROOT, 'dist', 'chrome', 'manifest.json'), optional: CLIPBOARD_OPTIONAL_PERMISSIONS.chrome, reachable: WEB_ACCESSIBLE.chrome },
  { name: 'dist/firefox/manifest.json', path: join(ROOT, 'dist', 'firefox', 'manifest.json'), optional: CLIPBOARD_OPTIONAL_PERMISSIONS.firefox, reachable: WEB_ACCESSIBLE.firefox },
];

function readManifest(path) {
  assert.ok(existsSync(path), `${relative(ROOT, path)} exists (run ./ks build)`);
  return JSON.parse(readFileSync(path, 'utf8'));
}

for (const { name, path, optional, reachable } of MANIFESTS) {
  describe(`permissions of ${name}`, () => {
    test('is manifest version 3', () => {
      assert.equal(readManifest(path).manifest_version, 3);
    });

    test('runs content scripts on the API Keys page only', () => {
      const manifest = readManifest(path);
      assert.ok(manifest.content_scripts?.length > 0, 'has content scripts');
      for (const script of manifest.content_scripts) {
        assert.deepEqual(script.matches, CONTENT_MATCHES, `matches of ${JSON.stringify(script.js)}`);
        assert.equal(script.exclude_matches, undefined, 'no exclude_matches');
        assert.equal(script.include_globs, undefined, 'no include_globs (they widen nothing, but say so here first)');
        assert.equal(script.match_about_blank, undefined, 'no match_about_blank');
        assert.equal(script.match_origin_as_fallback, undefined, 'no match_origin_as_fallback');
        assert.notEqual(script.all_frames, true, 'top frame only');
        for (const file of script.js ?? []) assert.match(file, /^[a-z][a-z0-9-]*\.js$/, 'a packaged file, never a URL');
      }
    });

    test('holds no permissions beyond the allow-list', () => {
      const manifest = readManifest(path);
      assert.deepEqual(manifest.permissions ?? [], ALLOWED_PERMISSIONS, 'permissions');
      assert.deepEqual(manifest.host_permissions ?? [], ALLOWED_HOST_PERMISSIONS, 'host_permissions');
      assert.deepEqual(manifest.optional_permissions ?? [], optional, 'optional_permissions');
      for (const key of FORBIDDEN_KEYS) assert.equal(manifest[key], undefined, `no "${key}"`);
    });

    test('exposes exactly the engine (its frame; in Firefox its module), to nuget.org only', () => {
      assert.deepEqual(readManifest(path).web_accessible_resources, [
        { resources: reachable, matches: ['https://www.nuget.org/*'] },
      ]);
    });

    test('keeps the extension pages CSP without unsafe-eval or remote sources', () => {
      const csp = readManifest(path).content_security_policy;
      assert.deepEqual(Object.keys(csp ?? {}), ['extension_pages'], 'only extension_pages is set (no sandbox policy)');
      assert.equal(csp.extension_pages, EXTENSION_CSP);
      assert.doesNotMatch(csp.extension_pages, /'unsafe-eval'|'unsafe-inline'|https?:|\*/);
    });
  });
}

test('the built copies differ from the source only where the build says (version, browser settings, Chrome without clipboardWrite, Firefox\'s engine module)', () => {
  const source = readManifest(MANIFESTS[0].path);
  const chrome = readManifest(MANIFESTS[1].path);
  const firefox = readManifest(MANIFESTS[2].path);
  const comparable = (manifest) => {
    const copy = structuredClone(manifest);
    delete copy.version;
    delete copy.browser_specific_settings;
    delete copy.optional_permissions; // asserted per copy above
    delete copy.web_accessible_resources; // asserted per copy above
    return copy;
  };
  assert.deepEqual(comparable(chrome), comparable(source), 'Chrome copy (stale? run ./ks build)');
  assert.deepEqual(comparable(firefox), comparable(source), 'Firefox copy (stale? run ./ks build)');
  assert.equal(chrome.browser_specific_settings, undefined, 'Chrome copy carries no Firefox settings');
  assert.equal(firefox.browser_specific_settings?.gecko?.id, source.browser_specific_settings?.gecko?.id);
});

// --- no code but the packaged code -------------------------------------------------------

function filesUnder(dir, wanted) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, wanted));
    else if (wanted.test(entry)) out.push(path);
  }
  return out;
}

/**
 * The code of a JavaScript or HTML file without its comments, so a comment that cites a URL or
 * names what KeyScope avoids ("never innerHTML") is not a finding. Strings are kept: a URL in a
 * string literal is exactly what the scan looks for.
 */
function withoutComments(text) {
  return text
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

const FORBIDDEN_CODE = [
  { what: 'eval(', re: /(^|[^\w.$])eval\s*\(/ },
  { what: 'new Function', re: /new\s+Function\s*\(/ },
  { what: 'Function constructor via constructor', re: /\.constructor\s*\(\s*['"`]/ },
  { what: 'string timer (setTimeout/setInterval with code)', re: /set(Timeout|Interval)\s*\(\s*['"`]/ },
  { what: 'innerHTML / outerHTML', re: /\b(inner|outer)HTML\b/ },
  { what: 'insertAdjacentHTML', re: /\binsertAdjacentHTML\b/ },
  { what: 'document.write', re: /\bdocument\.write(ln)?\s*\(/ },
  { what: 'createContextualFragment / DOMParser', re: /\bcreateContextualFragment\b|\bDOMParser\b/ },
  { what: 'a remote http(s) URL', re: /https?:\/\//i },
  { what: 'importScripts', re: /\bimportScripts\s*\(/ },
];

/** KeyScope's own files; the built copies add the wasm-bindgen glue (checked the same way). */
const SCANNED = [
  ...filesUnder(join(ROOT, 'extension'), /\.(m?js|html)$/),
  ...['chrome', 'firefox'].flatMap((browser) => {
    const dir = join(ROOT, 'dist', browser);
    return existsSync(dir) ? filesUnder(dir, /\.(m?js|html)$/) : [];
  }),
];

describe('the shipped code runs nothing but itself', () => {
  test('finds the files to scan', () => {
    assert.ok(SCANNED.some((file) => file.endsWith(join('extension', 'content.js'))), 'extension/content.js is scanned');
    assert.ok(SCANNED.some((file) => file.endsWith(join('pkg', 'keyscope.js'))), 'the built wasm-bindgen glue is scanned (run ./ks build)');
  });

  for (const file of SCANNED) {
    test(`${relative(ROOT, file)} has no eval, no HTML parsing, no remote URL`, () => {
      const code = withoutComments(readFileSync(file, 'utf8'));
      const found = [];
      code.split('\n').forEach((line, index) => {
        for (const { what, re } of FORBIDDEN_CODE) if (re.test(line)) found.push(`${what}: ${line.trim().slice(0, 120)} (code line ${index + 1})`);
      });
      assert.deepEqual(found, []);
    });
  }

  test('HTML pages load only packaged scripts, no inline script', () => {
    for (const file of SCANNED.filter((path) => path.endsWith('.html'))) {
      const html = withoutComments(readFileSync(file, 'utf8'));
      for (const [tag, attrs, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
        assert.equal(body.trim(), '', `${relative(ROOT, file)}: inline script in ${tag.slice(0, 80)}`);
        const src = attrs.match(/\bsrc\s*=\s*["']?([^"' >]+)/i)?.[1];
        assert.ok(src && !/^[a-z][a-z0-9+.-]*:|^\/\//i.test(src), `${relative(ROOT, file)}: script src ${src} is a packaged file`);
      }
      assert.doesNotMatch(html, /\son[a-z]+\s*=/i, `${relative(ROOT, file)}: no inline event handler`);
    }
  });

  test('the content scripts import nothing at run time but the packaged engine', () => {
    for (const file of SCANNED.filter((path) => path.includes(`${join(ROOT, 'extension')}`) && path.endsWith('.js'))) {
      const code = withoutComments(readFileSync(file, 'utf8'));
      if (file.endsWith('frame.js')) {
        // The frame is a module page; it may import only the packaged glue, by a literal path.
        for (const [, spec] of code.matchAll(/\bfrom\s+['"]([^'"]+)['"]/g)) assert.match(spec, /^\.\/pkg\/[\w-]+\.js$/);
      }
      // engine.js loads the packaged glue where the engine runs in the content script
      // (Firefox): its own extension's file, named by a literal path.
      const imports = [...code.matchAll(/\bimport\s*\(([^)]*\)?)\)/g)].map(([, spec]) => spec);
      if (file.endsWith('engine.js')) {
        for (const spec of imports) assert.match(spec, /^chrome\.runtime\.getURL\((MODULE|'pkg\/[\w-]+\.js')\)$/, `engine.js imports ${spec}`);
        assert.match(code, /const MODULE = 'pkg\/keyscope\.js';/);
      } else {
        assert.deepEqual(imports, [], `${relative(ROOT, file)}: no dynamic import()`);
      }
    }
  });
});
