// KeyScope demo: the API Keys page's own script. It stands in for nuget.org's
// knockout page script: it renders everything interactive from the page's
// `<script type="text/html">` templates and `initialData`, re-creates forms and key
// rows after every action, keeps each one-time secret only in its view model, and
// reproduces the page's costly recount when the glob changes. Plain DOM code (no
// eval, no inline handlers or styles) so it also runs with the CSP enforced.
(function () {
  'use strict';

  const demo = JSON.parse(document.currentScript.dataset.demo || '{}');
  const drift = demo.drift || {};
  const idleMs = demo.idleMs > 0 ? demo.idleMs : 600000;

  const TEXT = {
    scopeRequired: 'At least one scope must be selected.',
    subjectsRequired: 'Either a glob pattern must be specified or at least one package ID must be selected.',
    ownerRequired: 'A package owner must be selected.',
    descriptionRequired: 'The Key Name field is required.',
    invalidGlob: 'Invalid glob pattern. See the example glob patterns below for further details.',
    created: 'A new API key has been created. Make sure to copy your new API key now using the Copy button below. You will not be able to do so again.',
    regenerated: 'Your API key has been regenerated. Make sure to copy your new API key now using the Copy button below. You will not be able to do so again.',
    ownerCaption: 'Select an owner...',
    confirmRegenerate: 'Are you sure you want to regenerate this API key?',
    confirmDelete: 'Are you sure you want to remove this API key?',
    confirmRevoke: 'Are you sure you want to revoke this API key? It will stop working immediately.',
    loadFailed: 'An error occurred while loading your API keys. Please reload the page.',
    requestFailed: 'An unexpected error occurred. Please try again.',
  };
  // The page's client-side pattern check (JavaScript `\w`: ASCII letters, digits, `_`).
  const GLOB_SYNTAX = /^[\*\w_.-]*$/;
  const DAY_MS = 24 * 60 * 60 * 1000;

  // ---- templates -------------------------------------------------------------

  const templateCache = {};
  /** A fresh element from `<script type="text/html" id=name>` and its `data-part` hooks. */
  function instantiate(name) {
    if (!templateCache[name]) {
      const holder = document.createElement('template');
      holder.innerHTML = document.getElementById(name).text.trim();
      templateCache[name] = holder.content.firstElementChild;
    }
    const root = templateCache[name].cloneNode(true);
    const parts = {};
    for (const el of root.querySelectorAll('[data-part]')) {
      parts[el.dataset.part] = el;
      el.removeAttribute('data-part');
    }
    return { root, parts };
  }

  function show(el, visible) {
    el.classList.toggle('hidden', !visible);
  }

  // ---- data --------------------------------------------------------------------

  if (typeof initialData === 'undefined' || !initialData || !Array.isArray(initialData.PackageOwners)) {
    showError(TEXT.loadFailed);
    return;
  }
  // eslint-disable-next-line no-undef
  const data = initialData;
  const owners = data.PackageOwners;
  const imageUrls = data.ImageUrls || null;

  function normalizeKey(k) {
    return {
      Key: k.Key,
      Type: k.Type,
      Value: k.Value || null,
      Description: k.Description || '',
      Expires: k.Expires || null,
      HasExpired: !!k.HasExpired,
      IsNonScopedApiKey: !!k.IsNonScopedApiKey,
      RevocationSource: k.RevocationSource || null,
      Owner: k.Owner || null,
      Scopes: k.Scopes || [],
      Packages: k.Packages || [],
      GlobPattern: k.GlobPattern || null,
      notice: null,   // 'created' | 'regenerated'
      editing: false,
      edit: null,     // the edit form's state while it exists
      row: null,      // the row element currently on the page
    };
  }

  const vm = {
    keys: (data.ApiKeys || []).map(normalizeKey),
    create: null,
    createOpen: false,
  };

  function ownerByName(name) {
    return owners.find((o) => o.Owner === name) || null;
  }

  /** nuget.org's rule: `*` is any run of characters, everything else literal, whole id, any case. */
  function globRegex(glob) {
    if (!glob) return null;
    const escaped = glob.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&').replace(/\\\*/g, '.*');
    return new RegExp('^' + escaped + '$', 'i');
  }

  // ---- the upsert form (create = key 0, edit = key N) ---------------------------

  let expiryValues = null;
  /** The Expires In options the server rendered into the form template. */
  function expiryOptions() {
    expiryValues ??= Array.from(instantiate('upsert-api-key').parts['expires-in'].options, (o) => o.value);
    return expiryValues;
  }

  function newFormState(key) {
    const options = expiryOptions();
    const state = {
      number: key ? key.Key : 0,
      key: key,
      description: key ? key.Description : '',
      expires: options[options.length - 1] || '',
      owner: key ? key.Owner : (owners[0] ? owners[0].Owner : ''),
      push: true,
      pushScope: 'package:push',
      unlist: false,
      glob: key ? key.GlobPattern || '' : '',
      handTicked: new Set((key ? key.Packages : []).map((id) => id.toLowerCase())),
      rows: [],
      dom: null,
      busy: false,
    };
    if (key) {
      state.push = key.Scopes.some((s) => /^Push/.test(s));
      state.pushScope = key.Scopes.some((s) => /^Push only/.test(s)) ? 'package:pushversion' : 'package:push';
      state.unlist = key.Scopes.some((s) => /^Unlist/.test(s));
    } else {
      resetScopes(state);
    }
    return state;
  }

  /** What the owner allows: push needs CanPushNew or CanPushExisting, unlist needs CanUnlist. */
  function resetScopes(state) {
    const owner = ownerByName(state.owner);
    state.push = !owner || owner.CanPushNew || owner.CanPushExisting;
    state.pushScope = !owner || owner.CanPushNew ? 'package:push' : 'package:pushversion';
    state.unlist = false;
  }

  function globInputId(number) {
    if (!drift.renameGlobInput) return 'glob-pattern-' + number;
    const prefix = typeof drift.renameGlobInput === 'string' ? drift.renameGlobInput : 'globPattern';
    return prefix + '-' + number;
  }

  function renderForm(state) {
    const { root, parts } = instantiate('upsert-api-key');
    const n = state.number;
    const editing = !!state.key;
    state.dom = { form: root, ...parts };
    root.id = 'form-' + n;

    const ids = {
      description: 'description-' + n,
      'expires-in': 'expires-in-' + n,
      'package-owner': 'package-owner-' + n,
      // As on nuget.org: the two PushScope radios carry the numbered ids; the Push and the
      // Unlist checkboxes have none.
      'push-new': 'package-push-' + n,
      'push-version': 'package-push-version-' + n,
      'glob-pattern': globInputId(n),
      'glob-error': 'glob-pattern-error-' + n,
      'selected-count': 'selected-count-' + n,
    };
    for (const part in ids) parts[part].id = ids[part];
    parts['description-label'].htmlFor = ids.description;
    parts['expires-label'].htmlFor = ids['expires-in'];
    parts['owner-label'].htmlFor = ids['package-owner'];
    parts['glob-label'].htmlFor = ids['glob-pattern'];
    // Demo drift: the label no longer reads "Glob Pattern".
    if (drift.renameGlobLabel) parts['glob-label'].textContent = 'Package pattern';
    parts['glob-pattern'].setAttribute('aria-describedby', ids['glob-error']);

    parts.description.value = state.description;
    parts.description.required = true;
    parts['expires-in'].value = state.expires;

    const ownerSelect = parts['package-owner'];
    const caption = document.createElement('option');
    caption.value = '';
    caption.textContent = TEXT.ownerCaption;
    ownerSelect.appendChild(caption);
    for (const o of owners) {
      const option = document.createElement('option');
      option.value = o.Owner;
      option.textContent = o.Owner;
      ownerSelect.appendChild(option);
    }
    ownerSelect.value = state.owner || '';

    parts['glob-pattern'].value = state.glob;
    parts.submit.textContent = editing ? 'Save' : 'Create';
    if (editing) {
      // Owner, scopes, name and expiry cannot change after creation.
      parts.description.disabled = true;
      ownerSelect.disabled = true;
      show(parts['expires-group'], false);
    }
    show(parts.errors, false);
    updateGlobError(state);
    updateScopeControls(state);
    renderRows(state);

    parts.description.addEventListener('input', () => { state.description = parts.description.value; });
    parts['expires-in'].addEventListener('change', () => { state.expires = parts['expires-in'].value; });
    ownerSelect.addEventListener('change', () => {
      state.owner = ownerSelect.value;
      resetScopes(state);
      updateScopeControls(state);
      renderRows(state);
    });
    parts['package-push'].addEventListener('change', () => { state.push = parts['package-push'].checked; updateScopeControls(state); });
    parts['push-new'].addEventListener('change', () => { if (parts['push-new'].checked) state.pushScope = 'package:push'; });
    parts['push-version'].addEventListener('change', () => { if (parts['push-version'].checked) state.pushScope = 'package:pushversion'; });
    parts['package-unlist'].addEventListener('change', () => { state.unlist = parts['package-unlist'].checked; });
    // knockout `textInput`: the view model follows every keystroke.
    parts['glob-pattern'].addEventListener('input', () => setGlob(state, parts['glob-pattern'].value));
    parts['glob-pattern'].addEventListener('change', () => setGlob(state, parts['glob-pattern'].value));
    parts.packages.addEventListener('change', (event) => {
      const input = event.target;
      if (input.name !== 'Packages') return;
      if (input.checked) state.handTicked.add(input.value.toLowerCase());
      else state.handTicked.delete(input.value.toLowerCase());
      recount(state);
    });
    root.addEventListener('submit', (event) => {
      event.preventDefault();
      submitForm(state);
    });
    // What jQuery's `.trigger('submit')` does on nuget.org, where knockout's `submit` binding is
    // bound through jQuery: the page's own handler runs, and no DOM submit event is dispatched.
    root.demoTriggerSubmit = () => submitForm(state);
    parts.cancel.addEventListener('click', () => cancelForm(state));
    return root;
  }

  function updateScopeControls(state) {
    const d = state.dom;
    const owner = ownerByName(state.owner);
    const editing = !!state.key;
    const canPush = !owner || owner.CanPushNew || owner.CanPushExisting;
    const canPushNew = !owner || owner.CanPushNew;
    const canUnlist = !owner || owner.CanUnlist;
    d['package-push'].checked = state.push;
    d['package-push'].disabled = editing || !canPush;
    d['push-new'].checked = state.pushScope === 'package:push';
    d['push-version'].checked = state.pushScope === 'package:pushversion';
    d['push-new'].disabled = editing || !state.push || !canPushNew;
    d['push-version'].disabled = editing || !state.push || !(owner ? owner.CanPushExisting || owner.CanPushNew : true);
    d['package-unlist'].checked = state.unlist;
    d['package-unlist'].disabled = editing || !canUnlist;
  }

  function updateGlobError(state) {
    const valid = GLOB_SYNTAX.test(state.glob);
    state.dom['glob-error'].textContent = valid ? '' : TEXT.invalidGlob;
    state.dom['glob-pattern'].classList.toggle('input-validation-error', !valid);
    return valid;
  }

  // Row prototype: div.row-checkbox-label > label.brand-checkbox > input[name=Packages] + span.
  let rowPrototype = null;
  function packageRow() {
    if (!rowPrototype) {
      rowPrototype = document.createElement('div');
      rowPrototype.className = 'row-checkbox-label';
      const label = document.createElement('label');
      label.className = 'brand-checkbox';
      const input = document.createElement('input');
      input.type = 'checkbox';
      input.name = 'Packages';
      label.appendChild(input);
      label.appendChild(document.createElement('span'));
      rowPrototype.appendChild(label);
    }
    return rowPrototype.cloneNode(true);
  }

  function applyRow(r, ticked) {
    r.row.classList.toggle('disabled', r.matched);
    r.input.disabled = r.matched;
    r.input.checked = r.matched || ticked;
  }

  function renderRows(state) {
    const owner = ownerByName(state.owner);
    const ids = owner ? owner.PackageIds : [];
    const regex = globRegex(state.glob);
    const fragment = document.createDocumentFragment();
    state.rows = ids.map((id) => {
      const row = packageRow();
      const input = row.firstChild.firstChild;
      input.value = id;
      row.firstChild.lastChild.textContent = id;
      const r = { id: id, row: row, input: input, matched: regex ? regex.test(id) : false };
      applyRow(r, state.handTicked.has(id.toLowerCase()));
      fragment.appendChild(row);
      return r;
    });
    state.dom.packages.textContent = '';
    state.dom.packages.appendChild(fragment);
    recount(state);
  }

  /** "N of M packages selected", counted by reading every row, as the page does. */
  function recount(state) {
    let selected = 0;
    for (const r of state.rows) if (r.input.checked) selected++;
    state.dom['selected-count'].textContent = selected + ' of ' + state.rows.length + ' packages selected';
  }

  /**
   * The page's cost, reproduced on purpose: every row whose match state changes
   * triggers a recount of all rows (so `*` over 20,000 ids freezes the tab).
   */
  function setGlob(state, glob) {
    if (glob === state.glob) return;
    state.glob = glob;
    updateGlobError(state);
    const regex = globRegex(glob);
    for (const r of state.rows) {
      const matched = regex ? regex.test(r.id) : false;
      if (matched === r.matched) continue;
      r.matched = matched;
      applyRow(r, state.handTicked.has(r.id.toLowerCase()));
      recount(state);
    }
  }

  /** The glob (if any) plus every hand-ticked id the glob does not match. */
  function subjectsOf(state) {
    const subjects = [];
    const glob = state.glob.trim();
    if (glob) subjects.push(glob);
    for (const r of state.rows) if (!r.matched && state.handTicked.has(r.id.toLowerCase())) subjects.push(r.id);
    return subjects;
  }

  function scopesOf(state) {
    const scopes = [];
    if (state.push) scopes.push(state.pushScope);
    if (state.unlist) scopes.push('package:unlist');
    return scopes;
  }

  function showFormErrors(state, errors) {
    const box = state.dom.errors;
    box.textContent = '';
    if (errors.length) {
      const list = document.createElement('ul');
      for (const message of errors) {
        const item = document.createElement('li');
        item.textContent = message;
        list.appendChild(item);
      }
      box.appendChild(list);
    }
    show(box, errors.length > 0);
  }

  function submitForm(state) {
    if (state.busy) return;
    clearError();
    const editing = !!state.key;
    const errors = [];
    if (!editing) {
      if (!state.description.trim()) errors.push(TEXT.descriptionRequired);
      if (!state.owner) errors.push(TEXT.ownerRequired);
      if (!scopesOf(state).length) errors.push(TEXT.scopeRequired);
    }
    if (!updateGlobError(state)) errors.push(TEXT.invalidGlob);
    const subjects = subjectsOf(state);
    if (!subjects.length) errors.push(TEXT.subjectsRequired);
    // Demo drift: the page's client-side checks are gone; the form posts whatever it holds.
    if (drift.noClientCheck) errors.length = 0;
    showFormErrors(state, errors);
    if (errors.length) return;

    state.busy = true;
    state.dom.submit.disabled = true;
    const done = () => {
      state.busy = false;
      if (state.dom) state.dom.submit.disabled = false;
    };
    if (editing) {
      post(data.EditUrl, { credentialType: state.key.Type, credentialKey: state.key.Key, 'subjects[]': subjects }, (json) => {
        done();
        const key = state.key;
        const updated = normalizeKey(json);
        key.GlobPattern = updated.GlobPattern;
        key.Packages = updated.Packages;
        key.Scopes = updated.Scopes;
        key.editing = false;
        key.edit = null;
        renderKeyRow(key);
      }, (message) => { done(); showError(message); });
    } else {
      post(data.GenerateUrl, {
        description: state.description.trim(),
        owner: state.owner,
        'scopes[]': scopesOf(state),
        'subjects[]': subjects,
        expirationInDays: state.expires,
      }, (json) => {
        done();
        const key = normalizeKey(json);
        key.notice = 'created';
        vm.keys.unshift(key);
        vm.createOpen = false;
        vm.create = newFormState(null);
        renderCreate();
        renderKeyRow(key);
      }, (message) => { done(); showError(message); });
    }
  }

  function cancelForm(state) {
    clearError();
    if (state.key) {
      state.key.editing = false;
      state.key.edit = null;
      renderKeyRow(state.key);
    } else {
      vm.createOpen = false;
      vm.create = newFormState(null);
      renderCreate();
    }
  }

  // ---- server calls --------------------------------------------------------------

  function token() {
    const input = document.querySelector('input[name="__RequestVerificationToken"]');
    return input ? input.value : '';
  }

  /** Form-encoded POST through XMLHttpRequest, the way the page's jQuery does it. */
  function post(url, fields, onSuccess, onFailure) {
    const body = new URLSearchParams();
    for (const name in fields) {
      const value = fields[name];
      if (Array.isArray(value)) for (const v of value) body.append(name, v);
      else body.append(name, String(value));
    }
    body.append('__RequestVerificationToken', token());
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded; charset=UTF-8');
    xhr.setRequestHeader('X-Requested-With', 'XMLHttpRequest');
    xhr.onload = () => {
      let json = null;
      try { json = JSON.parse(xhr.responseText); } catch (e) { json = null; }
      if (xhr.status >= 200 && xhr.status < 300 && json) onSuccess(json);
      else onFailure((json && json.error) || TEXT.requestFailed);
    };
    xhr.onerror = () => onFailure(TEXT.requestFailed);
    xhr.send(body.toString());
  }

  function showError(message) {
    const host = document.getElementById('api-keys-error');
    if (!host) return;
    host.textContent = '';
    const { root, parts } = instantiate('error-container');
    parts.message.textContent = message;
    host.appendChild(root);
  }

  function clearError() {
    const host = document.getElementById('api-keys-error');
    if (host) host.textContent = '';
  }

  // ---- key rows --------------------------------------------------------------------

  function isExpired(key) {
    return key.HasExpired || (key.Expires !== null && Date.parse(key.Expires) <= Date.now());
  }

  function isEditable(key) {
    return !key.IsNonScopedApiKey && !key.RevocationSource && !isExpired(key) && !!ownerByName(key.Owner);
  }

  function expiryText(key) {
    if (key.RevocationSource) return 'Revoked: this API key can no longer be used.';
    if (isExpired(key)) return 'Expired';
    if (!key.Expires) return 'Never expires';
    const days = Math.ceil((Date.parse(key.Expires) - Date.now()) / DAY_MS);
    const date = key.Expires.slice(0, 10);
    return days <= 1 ? 'Expires in less than a day (' + date + ')' : 'Expires in ' + days + ' days (' + date + ')';
  }

  function iconUrl(key) {
    if (!imageUrls) return null;
    if (key.Value) return imageUrls.ApiKeyNew;
    if (key.IsNonScopedApiKey) return imageUrls.ApiKeyLegacy;
    if (isExpired(key) || key.RevocationSource) return imageUrls.ApiKeyExpired;
    return imageUrls.ApiKey;
  }

  function buildKeyRow(key) {
    const { root, parts } = instantiate('api-key-details');
    const n = key.Key;
    const expired = isExpired(key);
    root.classList.toggle('api-key-expired', expired);
    root.classList.toggle('api-key-revoked', !!key.RevocationSource);
    root.classList.toggle('api-key-legacy', key.IsNonScopedApiKey);
    const expiresSoon = !expired && key.Expires && Date.parse(key.Expires) - Date.now() <= 14 * DAY_MS;
    root.classList.toggle('api-key-expiring-soon', !!expiresSoon && !key.RevocationSource);

    const icon = iconUrl(key);
    if (icon) parts.icon.src = icon;
    else parts.icon.remove();
    parts.description.textContent = key.Description;
    if (key.notice) parts['new-message'].textContent = key.notice === 'regenerated' ? TEXT.regenerated : TEXT.created;
    else parts['new-message'].remove();
    parts.expiry.textContent = expiryText(key);
    if (key.Owner) parts.owner.textContent = key.Owner;
    else parts['owner-line'].remove();
    parts.scopes.textContent = key.Scopes.length ? key.Scopes.join(', ') : 'All';
    if (key.GlobPattern) parts.glob.textContent = key.GlobPattern;
    else parts['glob-line'].remove();
    if (key.Packages.length) parts.packages.textContent = key.Packages.join(', ');
    else parts['packages-line'].remove();

    action(parts.copy, key.Value ? 'copy-' + n : null, () => copyValue(key));
    action(parts.edit, isEditable(key) ? 'start-edit-' + n : null, () => startEdit(key));
    action(parts.regenerate, key.RevocationSource ? null : 'regenerate-' + n, () => regenerate(key));
    action(parts.revoke, key.RevocationSource || !data.RevokeUrl ? null : 'revoke-' + n, () => revoke(key));
    action(parts.delete, 'delete-' + n, () => remove(key));

    const container = parts['edit-container'];
    container.id = 'edit-' + n + '-container';
    // Like knockout, the edit form of every editable key exists from the start, hidden.
    if (isEditable(key)) {
      if (!key.edit) key.edit = newFormState(key);
      container.appendChild(renderForm(key.edit));
    }
    show(container, key.editing);
    return root;
  }

  function action(link, id, handler) {
    if (!id) {
      link.remove();
      return;
    }
    link.id = id;
    link.addEventListener('click', (event) => {
      event.preventDefault();
      handler();
    });
  }

  /** Replaces (or inserts) the key's row with a freshly built one. */
  function renderKeyRow(key) {
    const list = document.querySelector('.api-keys-list');
    const fresh = buildKeyRow(key);
    if (key.row && key.row.parentNode === list) list.replaceChild(fresh, key.row);
    else {
      const index = vm.keys.indexOf(key);
      const next = vm.keys.slice(index + 1).find((k) => k.row && k.row.parentNode === list);
      list.insertBefore(fresh, next ? next.row : null);
    }
    key.row = fresh;
  }

  function renderKeyList() {
    const list = document.querySelector('.api-keys-list');
    list.textContent = '';
    for (const key of vm.keys) {
      key.row = null;
      if (!key.editing) key.edit = null;
      key.row = buildKeyRow(key);
      list.appendChild(key.row);
    }
  }

  function copyValue(key) {
    if (!key.Value) return;
    // The secret enters the DOM only for the copy, in a throw-away textarea.
    const area = document.createElement('textarea');
    area.value = key.Value;
    document.body.appendChild(area);
    area.select();
    try { document.execCommand('copy'); } finally { area.remove(); }
  }

  function startEdit(key) {
    clearError();
    key.editing = true;
    key.edit = newFormState(key);
    renderKeyRow(key);
  }

  function credentialFields(key) {
    return { credentialType: key.Type, credentialKey: key.Key };
  }

  function regenerate(key) {
    if (!window.confirm(TEXT.confirmRegenerate)) return;
    clearError();
    post(data.RegenerateUrl, credentialFields(key), (json) => {
      const fresh = normalizeKey(json);
      fresh.notice = 'regenerated';
      fresh.row = key.row;
      vm.keys[vm.keys.indexOf(key)] = fresh;
      renderKeyRow(fresh);
    }, showError);
  }

  function revoke(key) {
    if (!window.confirm(TEXT.confirmRevoke)) return;
    clearError();
    post(data.RevokeUrl, credentialFields(key), (json) => {
      key.RevocationSource = json.RevocationSource || 'User';
      key.Value = null;
      key.notice = null;
      key.editing = false;
      key.edit = null;
      renderKeyRow(key);
    }, showError);
  }

  function remove(key) {
    if (!window.confirm(TEXT.confirmDelete)) return;
    clearError();
    post(data.RemoveUrl, credentialFields(key), () => {
      vm.keys.splice(vm.keys.indexOf(key), 1);
      if (key.row) key.row.remove();
      key.row = null;
    }, showError);
  }

  // ---- page -------------------------------------------------------------------------

  function renderCreate() {
    const body = document.querySelector('#create-container .panel-body');
    const panel = document.getElementById('create-panel');
    const toggle = document.querySelector('#create-container .create-toggle');
    body.textContent = '';
    body.appendChild(renderForm(vm.create));
    panel.classList.toggle('in', vm.createOpen);
    toggle.classList.toggle('collapsed', !vm.createOpen);
    toggle.setAttribute('aria-expanded', String(vm.createOpen));
  }

  function renderPage() {
    const host = document.getElementById('manage-container');
    const { root, parts } = instantiate('manage-api-keys');
    host.textContent = '';
    host.appendChild(root);
    // Bootstrap 3 collapse: the heading opens and closes the create panel.
    parts['create-toggle'].addEventListener('click', (event) => {
      event.preventDefault();
      vm.createOpen = !parts['create-panel'].classList.contains('in');
      parts['create-panel'].classList.toggle('in', vm.createOpen);
      parts['create-toggle'].classList.toggle('collapsed', !vm.createOpen);
      parts['create-toggle'].setAttribute('aria-expanded', String(vm.createOpen));
    });
    vm.create = newFormState(null);
    renderKeyList();
    if (drift.lateCreateForm > 0) setTimeout(renderCreate, drift.lateCreateForm);
    else renderCreate();
    // Demo drift: the create form is torn down and drawn a second time.
    if (drift.doubleCreateForm) setTimeout(renderCreate, (drift.lateCreateForm || 0) + 300);
    if (drift.rerenderKeysEveryMs > 0) setInterval(renderKeyList, drift.rerenderKeysEveryMs);
  }

  // After `idleMs` without mousemove/keypress, every one-time secret is wiped for good.
  let lastActivity = Date.now();
  document.addEventListener('mousemove', () => { lastActivity = Date.now(); }, true);
  document.addEventListener('keypress', () => { lastActivity = Date.now(); }, true);
  setInterval(() => {
    if (Date.now() - lastActivity < idleMs) return;
    for (const key of vm.keys) {
      if (!key.Value) continue;
      key.Value = null;
      key.notice = null;
      renderKeyRow(key);
    }
  }, Math.max(20, Math.min(1000, idleMs / 4)));

  renderPage();
})();
