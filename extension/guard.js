// KeyScope content script: the one-time secret guard's hands in the page.
//
// main-world.js hands over each new key the moment the page receives it. This file keeps the
// value (only here, only until the prompt closes), draws the prompt the engine describes beside
// the key's row, and does what only the browser can: call the password manager, write and
// check the clipboard, hold the page on unload. Every decision
// (states, wording, countdown, deadlines) is the engine's (src/guard.rs), which never receives
// the value, only `oy2…abcd`. When the engine cannot answer (KeyScope inactive, the engine
// failed), this file alone draws a minimal prompt: it says so, offers Copy and "I've stored
// it", and lets the value go with the page's idle wipe; never a silent, endless hold.
//
// Where the value may go: navigator.credentials.store (Chromium), the save form's password
// field for the instant of a save (Firefox), the clipboard on "Copy". Nowhere else: it is
// never logged, stored, sent, put in a URL or in the page's DOM. The clipboard check at the
// deadline needs only the key's SHA-256 digest, kept from the Copy; what it reads from the
// clipboard is compared by digest and dropped.
'use strict';

(() => {
  const NEW_KEY_EVENT = 'keyscope:new-key';
  const TICK_MS = 1000;
  // Firefox's login manager looks at forms added to a page lazily; a form younger than this
  // at submit time was seen to raise no "Save password?" prompt.
  const FORM_SETTLE_MS = 600;
  // A clipboard read that does not answer this soon counts as refused.
  const CLIPBOARD_READ_MS = 3000;
  // nuget.org wipes a shown value after this long without mouse or keyboard activity.
  const PAGE_IDLE_WIPE_MS = 10 * 60 * 1000;

  // Per key, only while its prompt is on screen (a long page life shows thousands of keys):
  // every entry goes with the prompt (forget, removePrompt).
  const secrets = new Map(); // key number → { value, name, masked, idleMs, form, formAddedAt, clearTimer, check }
  const hosts = new Map(); // key number → the element the prompt is drawn in
  const reported = new Map(); // key number → what the page showed of it as last told the engine
  let lastActivity = 0;
  let activitySent = 0;
  let ticker = null;
  let holding = false;
  let alone = false; // the engine cannot answer: guard.js draws the minimal prompt itself

  // `<html data-keyscope-idle-ms>` and `data-keyscope-clipboard-s` state the demo site's
  // shortened timeouts. The page may only shorten what the user's settings say: a shorter
  // countdown shown, an earlier clipboard check; never clearing turned off or delayed.
  function stated(name) {
    const value = Number(document.documentElement.getAttribute(name));
    return document.documentElement.hasAttribute(name) && Number.isFinite(value) && value >= 0 ? Math.round(value) : null;
  }

  // ---- talking to the engine -------------------------------------------------------------

  async function send(event, now = Date.now()) {
    if (alone) return null;
    const answer = await KeyScopeEngine.request({ type: 'guard', now, event });
    if (answer?.type === 'guard') draw(answer);
    else goAlone();
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
    const idle = stated('data-keyscope-idle-ms');
    const entry = {
      value: key.value,
      name: String(key.name ?? ''),
      masked: masked(key.value),
      // As in the engine: the page may shorten the countdown, never lengthen it.
      idleMs: idle > 0 && idle < PAGE_IDLE_WIPE_MS ? idle : PAGE_IDLE_WIPE_MS,
      form: null,
      formAddedAt: 0,
      clearTimer: null,
      // The clipboard check of the last Copy: { digest } of the key, until its deadline's outcome.
      check: null,
    };
    secrets.set(key.key, entry);
    lastActivity = Math.max(lastActivity, Date.now());
    if (alone) {
      drawAlone(key.key);
      return;
    }
    const { clipboardClearSeconds } = await KeyScopeSettings.load();
    const shorter = stated('data-keyscope-clipboard-s');
    const answer = await send({
      type: 'shown',
      key: key.key,
      origin: key.kind === 'regenerated' ? 'regenerated' : 'created',
      name: entry.name,
      owner: typeof key.owner === 'string' ? key.owner : null,
      expires: typeof key.expires === 'string' ? key.expires : null,
      scopes: Array.isArray(key.scopes) ? key.scopes.map(String) : [],
      masked: entry.masked,
      idle_ms: idle,
      clipboard_clear_s: shorter >= 1 && shorter < clipboardClearSeconds ? shorter : clipboardClearSeconds,
    });
    if (answer?.type !== 'guard') return;
    // The key's row exists now: tell the engine at once, so a row that goes away before the
    // first tick (a quick Regenerate or Delete) still counts as seen, then gone.
    reportPage();
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
    const row = KeyScopePage.keyRow(key);
    if (row && host.nextElementSibling !== row) row.before(host);
    else if (!row && !host.isConnected) KeyScopePage.placeStatus(host);
  }

  function draw(answer) {
    const listed = new Set(answer.prompts.map((prompt) => prompt.key));
    // The engine says a closed prompt once, then no more: one it no longer lists is gone too.
    for (const key of [...hosts.keys()]) if (!listed.has(key)) removePrompt(key);
    for (const prompt of answer.prompts) {
      const entry = secrets.get(prompt.key);
      if (prompt.view.length === 0 || prompt.state === 'wiped') forget(prompt.key);
      if (prompt.view.length === 0) {
        removePrompt(prompt.key);
        continue;
      }
      const host = hostFor(prompt.key);
      host.setAttribute('data-keyscope-username', prompt.username);
      // Redrawing replaces the buttons: keep keyboard focus on the same action.
      const focused = host.contains(document.activeElement) ? document.activeElement.getAttribute('data-keyscope-action') : null;
      KeyScopeRender.into(host.firstElementChild, prompt.view);
      if (focused) host.querySelector(`[data-keyscope-action="${focused}"]`)?.focus({ preventScroll: true });
      if (prompt.clearClipboardAt && entry?.check && !entry.clearTimer) {
        const check = entry.check;
        entry.clearTimer = setTimeout(() => checkClipboard(prompt.key, entry, check), Math.max(0, prompt.clearClipboardAt - Date.now()));
      }
    }
    hold(answer.holdPage);
    if (!answer.prompts.some((prompt) => prompt.state === 'shown' || prompt.state === 'kept')) {
      clearInterval(ticker);
      ticker = null;
    }
  }

  // Drops KeyScope's copy of a key's value and its save form. A pending clipboard check keeps
  // only the key's digest, never the value.
  function forget(key) {
    reported.delete(key);
    const entry = secrets.get(key);
    if (!entry) return;
    secrets.delete(key);
    entry.form?.remove();
    entry.form = null;
    entry.value = null;
  }

  // The prompt of `key` leaves the page, and everything KeyScope kept for it.
  function removePrompt(key) {
    forget(key);
    hosts.get(key)?.remove();
    hosts.delete(key);
  }

  // ---- without the engine ------------------------------------------------------------------

  // The engine cannot answer: every key still held gets the minimal prompt, and prompts about
  // keys no longer held (a wiped value's notice) go, as nothing can close them any more.
  function goAlone() {
    if (alone) return;
    alone = true;
    for (const key of [...hosts.keys()]) if (!secrets.has(key)) removePrompt(key);
    for (const key of secrets.keys()) drawAlone(key);
    if (secrets.size > 0 && !ticker) ticker = setInterval(tick, TICK_MS);
  }

  // The minimal prompt, built here from the catalog's words: the key's name and masked value,
  // Copy and "I've stored it"; once the value is gone, what to do about it and Close.
  function drawAlone(key, note = '') {
    const entry = secrets.get(key);
    const host = hostFor(key);
    const element = (tag, text, attrs = {}) => {
      const node = document.createElement(tag);
      if (text) node.textContent = text;
      for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
      return node;
    };
    const button = (action, label) => element('button', label, { type: 'button', class: 'keyscope-guard-button', 'data-keyscope-action': action });
    const box = element('div', '', { class: 'keyscope-guard', 'data-keyscope': 'guard', 'data-keyscope-key': String(key), 'data-keyscope-state': entry ? 'alone' : 'wiped', role: 'region' });
    const actions = element('div', '', { class: 'keyscope-guard-actions' });
    if (entry) {
      entry.form?.remove();
      entry.form = null;
      box.append(
        element('h3', KeyScopeI18n.t('guard_alone_heading', entry.name)),
        element('p', '', { class: 'keyscope-guard-details' }),
        element('p', KeyScopeI18n.t('guard_alone_text'), { role: 'alert' }),
        actions,
      );
      box.children[1].append(element('code', entry.masked, { 'data-keyscope': 'guard-masked' }));
      actions.append(button('copy', KeyScopeI18n.t('guard_copy')), button('confirm', KeyScopeI18n.t('guard_confirm')));
      if (note) box.append(element('p', note, { class: 'keyscope-guard-note', 'data-keyscope': 'guard-note', role: 'status' }));
    } else {
      box.append(element('h3', KeyScopeI18n.t('guard_gone_heading', host.getAttribute('data-keyscope-name') ?? '')), element('p', KeyScopeI18n.t('guard_gone_text'), { role: 'alert' }), actions);
      actions.append(button('confirm', KeyScopeI18n.t('guard_close')));
    }
    if (entry) host.setAttribute('data-keyscope-name', entry.name);
    host.firstElementChild.replaceChildren(box);
    hold(secrets.size > 0);
  }

  // "I've stored it" or Close on a minimal prompt.
  function closeAlone(key) {
    removePrompt(key);
    hold(secrets.size > 0);
  }

  // The page's idle wipe (or its Copy link, seen and gone) ends the value here too.
  function tickAlone() {
    for (const [key, entry] of [...secrets]) {
      const wiped = Date.now() >= lastActivity + entry.idleMs || (entry.copySeen && !KeyScopePage.offersCopy(key));
      entry.copySeen ||= KeyScopePage.offersCopy(key);
      if (!wiped) continue;
      forget(key);
      drawAlone(key);
    }
    if (secrets.size === 0) {
      clearInterval(ticker);
      ticker = null;
    }
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
    if (alone) {
      tickAlone();
      return;
    }
    if (lastActivity > activitySent) {
      activitySent = lastActivity;
      await send({ type: 'activity' }, lastActivity);
    }
    for (const key of hosts.keys()) {
      if (!secrets.has(key)) continue;
      await send({ type: 'page', key, row: Boolean(KeyScopePage.keyRow(key)), copy: KeyScopePage.offersCopy(key) });
    }
    await send({ type: 'tick' });
  }

  // What the page shows of each guarded key (its row, its Copy link), as last told the
  // engine (`reported`); a change is reported right away rather than at the next tick.
  let reporting = false;

  function reportPage() {
    if (alone || reporting) return;
    reporting = true;
    queueMicrotask(async () => {
      reporting = false;
      for (const key of hosts.keys()) {
        if (!secrets.has(key)) continue;
        const row = Boolean(KeyScopePage.keyRow(key));
        const copy = KeyScopePage.offersCopy(key);
        if (reported.get(key) === `${row}|${copy}`) continue;
        reported.set(key, `${row}|${copy}`);
        await send({ type: 'page', key, row, copy });
      }
    });
  }

  // The page re-creates rows after every action: put prompts back and notice gone values.
  const observer = new MutationObserver(() => {
    for (const [key, host] of hosts) placeHost(key, host);
    reportPage();
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
    else if (action === 'confirm' && alone) closeAlone(key);
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
      // First, inside the click: the browser lets a page write the clipboard only then.
      await navigator.clipboard.writeText(entry.value);
    } catch (error) {
      const reason = String(error?.message ?? error);
      if (alone) drawAlone(key, KeyScopeI18n.t('guard_note_copy_failed', reason));
      else send({ type: 'copy-failed', key, reason });
      return;
    }
    clearTimeout(entry.clearTimer);
    entry.clearTimer = null;
    if (alone) {
      entry.check = null;
      drawAlone(key, KeyScopeI18n.t('guard_note_copied'));
      return;
    }
    entry.check = { digest: await digest(entry.value) };
    send({ type: 'copied', key, may_check: await clipboardAllowed() });
  }

  // ---- the clipboard check -----------------------------------------------------------------
  // At the deadline KeyScope empties the clipboard only if it still holds the key: anything
  // copied since (here or in another application) is left alone. That takes reading the
  // clipboard, which the browser allows only with the optional clipboard permission the user
  // grants on KeyScope's settings page. Blind writes or clipboard-change events cannot tell
  // whether the key is still there, so they are never used. The page gains nothing: the
  // permission is KeyScope's, not nuget.org's.

  // The key's SHA-256 digest, in hex: what the check compares, so the value need not be kept.
  async function digest(text) {
    const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  // Whether the user allowed KeyScope to check the clipboard. A content script cannot see the
  // extension's permissions; the engine frame, an extension page, can.
  async function clipboardAllowed() {
    const answer = await KeyScopeEngine.request({ type: 'clipboard-allowed' });
    return answer?.type === 'clipboard-allowed' && answer.allowed === true;
  }

  // The clipboard's text. With the permission, Chromium reads for the focused tab only and
  // Firefox at any time; neither asks the user. A read that does not answer soon is refused.
  // Never document.execCommand('paste') here: its paste event would fire in nuget.org's page,
  // whose listeners could read the clipboard.
  function readClipboard() {
    let timer;
    return Promise.race([
      navigator.clipboard.readText(),
      new Promise((resolve, reject) => {
        timer = setTimeout(() => reject(new Error('no answer')), CLIPBOARD_READ_MS);
      }),
    ]).finally(() => clearTimeout(timer));
  }

  // Whether the clipboard holds the text whose digest is `expected`; the text goes at once.
  async function holds(expected) {
    return (await digest(await readClipboard())) === expected;
  }

  // Resolves when the page's window has the focus again.
  function focused() {
    return new Promise((resolve) => window.addEventListener('focus', resolve, { once: true }));
  }

  // The deadline of one Copy: compare, clear on a match, and say what happened. A later Copy
  // of the same key starts its own check, and this one ends without a word.
  async function checkClipboard(key, entry, check) {
    // entry.clearTimer stays set until the outcome is sent, so no redraw starts a second check.
    const current = () => entry.check === check;
    let outcome;
    if (!(await clipboardAllowed())) {
      outcome = 'not-allowed';
    } else {
      let same = null;
      try {
        same = await holds(check.digest);
      } catch {
        if (!document.hasFocus() && current()) {
          // Chromium reads only for the focused tab: say so, and check when the user is back.
          send({ type: 'clipboard', key, outcome: 'deferred' });
          await focused();
          if (!current()) return;
          same = await holds(check.digest).catch(() => null);
        }
      }
      if (same === null) outcome = 'unreadable';
      else if (!same) outcome = 'changed';
      else outcome = (await KeyScopeEngine.request({ type: 'clipboard-clear' }))?.cleared === true ? 'cleared' : 'unreadable';
    }
    if (!current()) return;
    entry.check = null;
    entry.clearTimer = null;
    send({ type: 'clipboard', key, outcome });
  }

  KeyScopeApp.onInactive(goAlone);
  document.addEventListener(NEW_KEY_EVENT, onNewKey);
  document.addEventListener('click', onClick);
  document.addEventListener('mousemove', onActivity, { capture: true, passive: true });
  document.addEventListener('keypress', onActivity, { capture: true, passive: true });
  KeyScopeApp.whenParsed(() => observer.observe(document.body, { childList: true, subtree: true }));
})();
