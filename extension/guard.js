// KeyScope content script: the one-time secret guard's hands in the page.
//
// main-world.js hands over each new key the moment the page receives it. This file keeps the
// value (only here, only until the prompt closes), draws the prompt the engine describes beside
// the key's row, and does what only the browser can: call the password manager, write and
// clear the clipboard, hold the page on unload. Every decision (states, wording, countdown,
// deadlines) is the engine's (src/guard.rs), which never receives the value, only `oy2…abcd`.
//
// Where the value may go: navigator.credentials.store (Chromium), the save form's password
// field for the instant of a save (Firefox), the clipboard on "Copy". Nowhere else: it is
// never logged, stored, sent, put in a URL or in the page's DOM.
'use strict';

(() => {
  const NEW_KEY_EVENT = 'keyscope:new-key';
  const TICK_MS = 1000;
  // Firefox's login manager looks at forms added to a page lazily; a form younger than this
  // at submit time was seen to raise no "Save password?" prompt.
  const FORM_SETTLE_MS = 600;
  const CLIPBOARD_READ_MS = 3000;

  const secrets = new Map(); // key number → { value, form, formAddedAt, clearTimer }
  const hosts = new Map(); // key number → the element the prompt is drawn in
  let lastActivity = 0;
  let activitySent = 0;
  let ticker = null;
  let holding = false;

  // ---- the page (the few facts about nuget.org's key rows the guard needs) ---------------

  // The row of key `key`: the page gives its links ids `copy-N`, `start-edit-N`, `delete-N`.
  function rowOf(key) {
    const link = ['copy', 'start-edit', 'regenerate', 'revoke', 'delete']
      .map((name) => document.getElementById(`${name}-${key}`))
      .find(Boolean);
    if (!link) return null;
    const row = link.closest('.api-key-details');
    if (row) return row;
    // Otherwise the largest ancestor that holds no other key's links.
    let node = link;
    while (node.parentElement && node.parentElement !== document.body
      && !node.parentElement.querySelector(`[id^="delete-"]:not([id="delete-${key}"])`)) {
      node = node.parentElement;
    }
    return node;
  }

  // The page offers Copy only while it still holds the value.
  function pageHoldsValue(key) {
    const link = document.getElementById(`copy-${key}`);
    return Boolean(link && link.getClientRects().length > 0);
  }

  // nuget.org wipes values after 10 minutes idle (the engine's default). Until KeyScope has a
  // settings page, `<html data-keyscope-idle-ms>` and `data-keyscope-clipboard-s` state other
  // values (the demo site's shortened timeouts); neither can expose a key.
  function stated(name) {
    const value = Number(document.documentElement.getAttribute(name));
    return document.documentElement.hasAttribute(name) && Number.isFinite(value) && value >= 0 ? Math.round(value) : null;
  }

  // ---- talking to the engine -------------------------------------------------------------

  async function send(event, now = Date.now()) {
    const answer = await KeyScopeEngine.request({ type: 'guard', now, event });
    if (answer?.type === 'guard') draw(answer);
    return answer;
  }

  function masked(value) {
    return value.length < 12 ? '…' : `${value.slice(0, 3)}…${value.slice(-4)}`;
  }

  async function onNewKey(event) {
    let key;
    try {
      key = JSON.parse(event.detail);
    } catch {
      return;
    }
    if (!Number.isInteger(key?.key) || typeof key.value !== 'string' || key.value === '') return;
    forget(key.key);
    const entry = { value: key.value, form: null, formAddedAt: 0, clearTimer: null };
    secrets.set(key.key, entry);
    // The test knob on <html> wins over the user's setting (see settings.js).
    const { clipboardClearSeconds } = await KeyScopeSettings.load();
    const answer = await send({
      type: 'shown',
      key: key.key,
      origin: key.kind === 'regenerated' ? 'regenerated' : 'created',
      name: String(key.name ?? ''),
      owner: typeof key.owner === 'string' ? key.owner : null,
      expires: typeof key.expires === 'string' ? key.expires : null,
      scopes: Array.isArray(key.scopes) ? key.scopes.map(String) : [],
      masked: masked(key.value),
      idle_ms: stated('data-keyscope-idle-ms'),
      clipboard_clear_s: stated('data-keyscope-clipboard-s') ?? clipboardClearSeconds,
    });
    if (answer?.type !== 'guard') return;
    if (!('PasswordCredential' in window)) addSaveForm(key.key);
    hosts.get(key.key)?.querySelector('[data-keyscope-action="save"]')?.focus({ preventScroll: true });
    if (!ticker) ticker = setInterval(tick, TICK_MS);
  }

  // ---- drawing -----------------------------------------------------------------------------

  function hostFor(key) {
    let host = hosts.get(key);
    if (!host) {
      host = document.createElement('div');
      host.className = 'keyscope-guard-host';
      host.setAttribute('data-keyscope', 'guard-host');
      host.setAttribute('data-keyscope-key', String(key));
      host.append(document.createElement('div'));
      // Set from script (allowed under the page's style-src); keyscope.css may refine it.
      Object.assign(host.style, { margin: '8px 0', padding: '8px 12px', border: '2px solid #004880', borderRadius: '4px', background: '#f3f8fc', color: '#222' });
      hosts.set(key, host);
    }
    placeHost(key, host);
    return host;
  }

  // Beside the key's row (before it); the page re-creates rows, so this is re-checked often.
  function placeHost(key, host) {
    const row = rowOf(key);
    if (row && host.nextElementSibling !== row) row.before(host);
    else if (!row && !host.isConnected) KeyScopePage.placeStatus(host);
  }

  function draw(answer) {
    for (const prompt of answer.prompts) {
      const entry = secrets.get(prompt.key);
      if (prompt.view.length === 0 || prompt.state === 'wiped') forget(prompt.key);
      if (prompt.view.length === 0) {
        hosts.get(prompt.key)?.remove();
        hosts.delete(prompt.key);
        continue;
      }
      const host = hostFor(prompt.key);
      host.setAttribute('data-keyscope-username', prompt.username);
      // Redrawing replaces the buttons: keep keyboard focus on the same action.
      const focused = host.contains(document.activeElement) ? document.activeElement.getAttribute('data-keyscope-action') : null;
      KeyScopeRender.into(host.firstElementChild, prompt.view);
      if (focused) host.querySelector(`[data-keyscope-action="${focused}"]`)?.focus({ preventScroll: true });
      if (prompt.clearClipboardAt && entry && !entry.clearTimer) {
        entry.clearTimer = setTimeout(() => clearClipboard(prompt.key, entry), Math.max(0, prompt.clearClipboardAt - Date.now()));
      }
    }
    hold(answer.holdPage);
    if (!answer.prompts.some((prompt) => prompt.state === 'shown' || prompt.state === 'kept')) {
      clearInterval(ticker);
      ticker = null;
    }
  }

  // Drops KeyScope's copy of a key's value and its save form. A pending clipboard check keeps
  // the value until it has compared the clipboard with it.
  function forget(key) {
    const entry = secrets.get(key);
    if (!entry) return;
    secrets.delete(key);
    entry.form?.remove();
    entry.form = null;
    if (!entry.clearTimer) entry.value = null;
  }

  // ---- leaving the page --------------------------------------------------------------------

  function onBeforeUnload(event) {
    event.preventDefault();
    // Older Chromium needs returnValue set to show the "Leave site?" dialog.
    event.returnValue = '';
  }

  function hold(on) {
    if (on === holding) return;
    holding = on;
    if (on) window.addEventListener('beforeunload', onBeforeUnload);
    else window.removeEventListener('beforeunload', onBeforeUnload);
  }

  // ---- time and activity ---------------------------------------------------------------------

  function onActivity() {
    lastActivity = Date.now();
  }

  async function tick() {
    if (lastActivity > activitySent) {
      activitySent = lastActivity;
      await send({ type: 'activity' }, lastActivity);
    }
    for (const key of hosts.keys()) {
      if (!secrets.has(key)) continue;
      if (!rowOf(key)) await send({ type: 'row-gone', key });
      else if (!pageHoldsValue(key)) await send({ type: 'page-wiped', key });
    }
    await send({ type: 'tick' });
  }

  // The page re-creates rows after every action: put prompts back and notice gone values.
  const observer = new MutationObserver(() => {
    for (const [key, host] of hosts) placeHost(key, host);
  });

  // ---- the three actions -----------------------------------------------------------------

  function onClick(event) {
    const button = event.target.closest?.('[data-keyscope-action]');
    const host = button?.closest('[data-keyscope="guard-host"]');
    if (!host) return;
    const key = Number(host.getAttribute('data-keyscope-key'));
    const action = button.getAttribute('data-keyscope-action');
    if (action === 'save') save(key, host.getAttribute('data-keyscope-username'));
    else if (action === 'copy') copy(key);
    else if (action === 'confirm') send({ type: 'confirmed', key });
  }

  async function save(key, username) {
    const entry = secrets.get(key);
    if (!entry?.value) return;
    try {
      if ('PasswordCredential' in window) {
        // Chromium: the browser's own "Save password?" bubble, for the top-level page.
        const credential = new PasswordCredential({ id: username, name: username, password: entry.value });
        await navigator.credentials.store(credential);
      } else {
        await submitSaveForm(key, username);
      }
      send({ type: 'saved', key });
    } catch (error) {
      send({ type: 'save-failed', key, reason: String(error?.message ?? error) });
    }
  }

  // Firefox: a real login form (username + new-password) that the login manager and password
  // manager extensions recognise. It is added when the prompt appears, filled on the user's
  // click, submitted with requestSubmit(), and its submit is cancelled so nothing is sent.
  // It has no action (the page's own URL, which form-action 'self' allows) and its fields have
  // no name, so even a submission that went ahead would carry no key.
  function addSaveForm(key) {
    const entry = secrets.get(key);
    const host = hosts.get(key);
    if (!entry || !host || entry.form) return;
    const form = document.createElement('form');
    form.method = 'post';
    form.setAttribute('data-keyscope', 'save-form');
    form.setAttribute('aria-hidden', 'true');
    const user = document.createElement('input');
    user.type = 'text';
    user.autocomplete = 'username';
    const password = document.createElement('input');
    password.type = 'password';
    password.autocomplete = 'new-password';
    for (const input of [user, password]) input.tabIndex = -1;
    form.append(user, password);
    // Kept out of sight without display:none, which login managers skip.
    Object.assign(form.style, { position: 'absolute', left: '-10000px', width: '1px', height: '1px', overflow: 'hidden' });
    form.addEventListener('submit', (event) => event.preventDefault());
    host.append(form);
    entry.form = form;
    entry.formAddedAt = performance.now();
  }

  async function submitSaveForm(key, username) {
    const entry = secrets.get(key);
    if (!entry.form) addSaveForm(key);
    const wait = entry.formAddedAt + FORM_SETTLE_MS - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const form = entry.form;
    if (!form || !entry.value) throw new Error('the key is gone');
    const [user, password] = form.elements;
    user.value = username;
    password.value = entry.value;
    try {
      form.requestSubmit();
    } finally {
      // The value leaves the DOM at once; a fresh, empty form waits for another save.
      password.value = '';
      form.remove();
      entry.form = null;
      addSaveForm(key);
    }
  }

  async function copy(key) {
    const entry = secrets.get(key);
    if (!entry?.value) return;
    try {
      await navigator.clipboard.writeText(entry.value);
      clearTimeout(entry.clearTimer);
      entry.clearTimer = null;
      send({ type: 'copied', key });
    } catch (error) {
      send({ type: 'copy-failed', key, reason: String(error?.message ?? error) });
    }
  }

  // Empties the clipboard only if it still holds the key (another copy since is left alone).
  async function clearClipboard(key, entry) {
    let outcome;
    try {
      // Firefox answers a read without a user gesture with its own "Paste" menu and waits for
      // the user; a read that does not answer soon counts as not allowed.
      const current = await Promise.race([
        navigator.clipboard.readText(),
        new Promise((resolve, reject) => setTimeout(() => reject(new Error('no answer')), CLIPBOARD_READ_MS)),
      ]);
      if (entry.value !== null && current === entry.value) {
        await navigator.clipboard.writeText('');
        outcome = 'cleared';
      } else {
        outcome = 'changed';
      }
    } catch {
      outcome = 'unreadable';
    }
    entry.clearTimer = null;
    if (secrets.get(key) !== entry) entry.value = null;
    send({ type: 'clipboard', key, outcome });
  }

  document.addEventListener(NEW_KEY_EVENT, onNewKey);
  document.addEventListener('click', onClick);
  document.addEventListener('mousemove', onActivity, { capture: true, passive: true });
  document.addEventListener('keypress', onActivity, { capture: true, passive: true });
  observer.observe(document.body, { childList: true, subtree: true });
})();
