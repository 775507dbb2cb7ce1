// The HTML the demo serves: nuget.org's layout, the API Keys page shell with its
// knockout-style `<script type="text/html">` templates, and the page's CSP.
// Only server-rendered markup lives here; everything interactive is drawn by
// static/page-api-keys.js from the templates, as knockout does on nuget.org.
import { createHash } from 'node:crypto';

export const REPORT_URI = '/api/csp-report';

// The real policy lists four sha512 hashes for inline snippets; the demo lists four
// hashes of its own so the header has the same shape (none of them matches a script).
const SCRIPT_HASHES = ['bootstrap', 'analytics', 'banner', 'consent']
  .map((name) => `'sha512-${createHash('sha512').update(`keyscope-demo-${name}`).digest('base64')}'`)
  .join(' ');

const FONT_CDN = 'https://res-1.cdn.office.net/files/fabric-cdn-prod_20221201.001/assets';

/** The exact policy from the facts, with nonce `n`. */
export function cspPolicy(n) {
  return `default-src 'self' 'nonce-${n}' 'strict-dynamic' https:; `
    + `script-src 'nonce-${n}' ${SCRIPT_HASHES} 'strict-dynamic' https:; `
    + `font-src 'self' ${FONT_CDN}/fonts/ ${FONT_CDN}/icons/ 'nonce-${n}'; `
    + `base-uri 'none'; form-action 'self' 'nonce-${n}'; style-src 'self' 'nonce-${n}'; `
    + `report-uri ${REPORT_URI}; object-src 'none'; frame-ancestors 'none';`;
}

const escapeMap = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function esc(text) {
  return String(text).replace(/[&<>"']/g, (c) => escapeMap[c]);
}

/** JSON safe inside an inline `<script>` (no `</script>` or `<!--` can close it). */
export function scriptJson(value) {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function layout({ nonce, title, user, body, scripts = '' }) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<script nonce="${nonce}">
  // Demo only: records CSP violations for tests (never part of nuget.org).
  window.__demoCspViolations = [];
  document.addEventListener('securitypolicyviolation', function (e) {
    window.__demoCspViolations.push({ directive: e.violatedDirective, blockedURI: e.blockedURI, sourceFile: e.sourceFile });
  });
</script>
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${esc(title)} | NuGet Gallery</title>
<link rel="stylesheet" href="/Content/gallery/css/site.min.css">
<link rel="icon" href="/favicon.ico">
</head>
<body>
<nav class="navbar navbar-inverse" role="navigation">
  <div class="container">
    <a class="navbar-brand" href="/" aria-label="NuGet home">NuGet</a>
    <ul class="nav navbar-nav" role="tablist">
      <li><a href="/packages">Packages</a></li>
      <li><a href="/packages/manage/upload">Upload</a></li>
      <li><a href="/stats">Statistics</a></li>
      <li><a href="https://learn.microsoft.com/nuget/">Documentation</a></li>
      <li><a href="/downloads">Downloads</a></li>
      <li><a href="https://blog.nuget.org/">Blog</a></li>
    </ul>
    <ul class="nav navbar-nav navbar-right">
      <li class="dropdown"><a href="/account" class="dropdown-toggle">${esc(user)}</a></li>
    </ul>
  </div>
</nav>
<section role="main" class="container main-container">
${body}
</section>
<footer class="footer">
  <div class="container">
    <p>&copy; Microsoft Corporation. All rights reserved. (KeyScope demo replica for tests.)</p>
  </div>
</footer>
${scripts}
</body>
</html>
`;
}

function accountTabs(active) {
  const tab = (href, label) => `<li${label === active ? ' class="active"' : ''}><a href="${href}">${label}</a></li>`;
  return `<ul class="nav nav-tabs account-tabs">
  ${tab('/account', 'Account Settings')}
  ${tab('/account/apikeys?forceApiKeys=true', 'API Keys')}
  ${tab('/account/trustedpublishing', 'Trusted Publishing')}
  ${tab('/account/Packages', 'Manage Packages')}
  ${tab('/account/Organizations', 'Manage Organizations')}
</ul>`;
}

// Templates: markup only, filled by the page script through `data-part` hooks.
const templates = (expirationDays) => `
<script type="text/html" id="error-container">
  <div class="alert alert-danger api-keys-error" role="alert">
    <span class="ms-Icon ms-Icon--ErrorBadge" aria-hidden="true"></span>
    <span data-part="message"></span>
  </div>
</script>

<script type="text/html" id="manage-api-keys">
  <div class="manage-api-keys">
    <div id="create-container" class="panel panel-default create-container">
      <div class="panel-heading" role="tab">
        <h2 class="panel-title">
          <a role="button" class="create-toggle collapsed" href="#create-panel" aria-expanded="false" aria-controls="create-panel" data-part="create-toggle">
            <span class="ms-Icon ms-Icon--Add" aria-hidden="true"></span> Create
          </a>
        </h2>
      </div>
      <div id="create-panel" class="panel-collapse collapse" role="tabpanel" data-part="create-panel">
        <div class="panel-body" data-part="create-body"></div>
      </div>
    </div>
    <h2 class="manage-heading">Manage</h2>
    <div class="api-keys-list" data-part="keys"></div>
  </div>
</script>

<script type="text/html" id="api-key-details">
  <div class="api-key-details">
    <div class="api-key-icon"><img data-part="icon" alt="" width="48" height="48"></div>
    <div class="api-key-body">
      <h3 class="api-key-description" data-part="description"></h3>
      <div class="alert alert-success api-key-new-message" role="alert" data-part="new-message"></div>
      <ul class="api-key-metadata">
        <li class="api-key-expiry" data-part="expiry"></li>
        <li class="api-key-owner" data-part="owner-line">Package owner: <span data-part="owner"></span></li>
        <li class="api-key-scopes">Scopes: <span data-part="scopes"></span></li>
        <li class="api-key-glob" data-part="glob-line">Glob pattern: <span data-part="glob"></span></li>
        <li class="api-key-packages" data-part="packages-line">Packages: <span data-part="packages"></span></li>
      </ul>
      <div class="api-key-actions">
        <a href="#" role="button" class="api-key-copy" data-part="copy"><span class="ms-Icon ms-Icon--Copy" aria-hidden="true"></span> Copy</a>
        <a href="#" role="button" class="api-key-edit" data-part="edit"><span class="ms-Icon ms-Icon--Edit" aria-hidden="true"></span> Edit</a>
        <a href="#" role="button" class="api-key-regenerate" data-part="regenerate"><span class="ms-Icon ms-Icon--Refresh" aria-hidden="true"></span> Regenerate</a>
        <a href="#" role="button" class="api-key-revoke" data-part="revoke"><span class="ms-Icon ms-Icon--Blocked" aria-hidden="true"></span> Revoke</a>
        <a href="#" role="button" class="api-key-delete" data-part="delete"><span class="ms-Icon ms-Icon--Delete" aria-hidden="true"></span> Delete</a>
      </div>
      <div class="api-key-edit-container" data-part="edit-container"></div>
    </div>
  </div>
</script>

<script type="text/html" id="upsert-api-key">
  <form class="api-key-form" novalidate autocomplete="off">
    <div class="form-group" data-part="description-group">
      <label data-part="description-label">Key Name</label>
      <input type="text" class="form-control" maxlength="256" data-part="description">
    </div>
    <div class="form-group" data-part="expires-group">
      <label data-part="expires-label">Expires In</label>
      <select class="form-control" data-part="expires-in">
        ${expirationDays.map((d) => `<option value="${d}">${d === 1 ? '1 day' : `${d} days`}</option>`).join('\n        ')}
      </select>
      <p class="help-block">Expiration date cannot be changed once the key is created.</p>
    </div>
    <div class="form-group" data-part="owner-group">
      <label data-part="owner-label">Package Owner</label>
      <select class="form-control" data-part="package-owner"></select>
    </div>
    <fieldset class="form-group api-key-scopes" data-part="scopes-group">
      <legend>Select Scopes</legend>
      <div class="checkbox">
        <label class="brand-checkbox select-scopes-push"><input type="checkbox" data-part="package-push"><span>Push</span></label>
      </div>
      <div class="radio push-scope-radios">
        <label><input type="radio" name="PushScope" value="package:push" data-part="push-new"><span>Push new packages and package versions</span></label>
        <label><input type="radio" name="PushScope" value="package:pushversion" data-part="push-version"><span>Push only new package versions</span></label>
      </div>
      <div class="checkbox">
        <label class="brand-checkbox select-scopes-unlist"><input type="checkbox" value="package:unlist" data-part="package-unlist"><span>Unlist or relist package versions</span></label>
      </div>
    </fieldset>
    <fieldset class="form-group api-key-packages">
      <legend>Select Packages</legend>
      <p>To select which packages to associate with a key, use a glob pattern, select individual packages, or both.</p>
      <label data-part="glob-label">Glob Pattern</label>
      <input type="text" class="form-control" placeholder="e.g. Contoso.*" data-part="glob-pattern">
      <span class="field-validation-error text-danger" role="alert" data-part="glob-error"></span>
      <p class="help-block">A glob pattern allows you to replace any sequence of characters with '*'.
        Example glob patterns: <code>*</code> (all packages), <code>Contoso.*</code>, <code>*.Core</code>.</p>
      <div class="available-packages">
        <div class="panel panel-default">
          <div class="panel-heading">Available Packages <span class="selected-count" data-part="selected-count"></span></div>
          <div class="panel-body" data-part="packages"></div>
        </div>
      </div>
    </fieldset>
    <div class="alert alert-danger form-errors" role="alert" data-part="errors"></div>
    <div class="form-actions">
      <button type="submit" class="btn btn-brand" data-part="submit">Create</button>
      <button type="button" class="btn btn-default" data-part="cancel">Cancel</button>
    </div>
  </form>
</script>
`;

/**
 * The API Keys page. `initialDataText` is the exact text between `var initialData = `
 * and `;` (null = no initialData script at all); `demo` is the page script's demo
 * configuration (idle timeout, markup drift), carried on its script tag. The
 * Expires In options are server-rendered into the form template, as Razor does.
 */
export function apiKeysPage({ nonce, user, token, initialDataText, expirationDays, demo }) {
  const body = `
${accountTabs('API Keys')}
<div class="page-api-keys">
  <h1>API Keys</h1>
  <p class="lead">An API key is a token that can identify you to NuGet Gallery. The NuGet command-line utility
    allows you to submit a NuGet package to the gallery using your API key to authenticate.</p>
  <div class="alert alert-info trusted-publishing-hint" role="alert">
    Consider <a href="/account/trustedpublishing">Trusted Publishing</a> instead of long-lived API keys.
  </div>
  <form id="AntiForgeryForm" action="/account/apikeys" method="post">
    <input name="__RequestVerificationToken" type="hidden" value="${esc(token)}">
  </form>
  <div id="api-keys-error" class="api-keys-error-host"></div>
  <div id="manage-container" class="api-keys-host"></div>
</div>
${templates(expirationDays)}`;
  const data = initialDataText === null ? ''
    : `<script nonce="${nonce}">
  var initialData = ${initialDataText};
</script>
`;
  const scripts = `${data}<script nonce="${nonce}" src="/Scripts/gallery/page-api-keys.js" data-demo="${esc(JSON.stringify(demo))}"></script>`;
  return layout({ nonce, title: 'API Keys', user, body, scripts });
}

export function trustedPublishingPage({ nonce, user }) {
  return layout({
    nonce,
    title: 'Trusted Publishing',
    user,
    body: `${accountTabs('Trusted Publishing')}
<h1>Trusted Publishing</h1>
<p>Trusted Publishing lets your CI system publish packages with short-lived tokens instead of long-lived API keys.</p>
<p class="api-keys-link"><a id="manage-api-keys-link" href="/account/apikeys?forceApiKeys=true">Manage API keys</a></p>`,
  });
}

export function homePage({ nonce, user }) {
  return layout({
    nonce,
    title: 'Home',
    user,
    body: `<div class="jumbotron home-hero">
  <h1>Create .NET apps faster with NuGet</h1>
  <form class="search-form" action="/packages" method="get" role="search">
    <input type="text" name="q" class="form-control" placeholder="Search for packages..." aria-label="Search for packages">
  </form>
</div>
<p><a href="/account/apikeys?forceApiKeys=true">API Keys</a></p>`,
  });
}

export function packagePage({ nonce, user, id }) {
  return layout({
    nonce,
    title: id,
    user,
    body: `<div class="package-details">
  <h1 class="package-title">${esc(id)} <small>1.0.0</small></h1>
  <p>This package is served by the KeyScope demo. Install with:</p>
  <pre class="install-script">dotnet add package ${esc(id)}</pre>
</div>`,
  });
}

export function notFoundPage({ nonce, user }) {
  return layout({ nonce, title: 'Page not found', user, body: '<h1>404 - Page not found</h1>' });
}
