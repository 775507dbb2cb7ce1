// KeyScope's options page: edits the settings in storage.sync (see settings.js), and asks for
// the optional clipboard permission that clearing a copied key needs. Its words come from
// chrome.i18n, the browser's UI language, like the browser's own extension pages.
'use strict';

(() => {
  const CLEAR_CHOICES = [0, 10, 30, 60, 120, 300];
  const api = globalThis.browser ?? globalThis.chrome;
  const form = document.getElementById('settings');
  const clipboard = document.getElementById('clipboard');
  const access = document.getElementById('clipboard-access');
  const accessText = document.getElementById('clipboard-access-text');
  const allow = document.getElementById('clipboard-allow');
  const remove = document.getElementById('clipboard-remove');
  const reviewOpen = document.getElementById('review-open');
  const language = document.getElementById('language');
  const saved = document.getElementById('saved');
  const t = (key, ...subs) => chrome.i18n.getMessage(key, subs.map(String)) || key;

  document.documentElement.lang = chrome.i18n.getUILanguage();
  for (const element of document.querySelectorAll('[data-i18n]')) {
    element.textContent = t(element.getAttribute('data-i18n'));
  }
  document.title = t('options_title');

  function fillClipboard(current) {
    const seconds = CLEAR_CHOICES.includes(current) ? CLEAR_CHOICES : [...CLEAR_CHOICES, current].sort((a, b) => a - b);
    clipboard.replaceChildren(
      ...seconds.map((value) => {
        const option = document.createElement('option');
        option.value = String(value);
        option.textContent = value === 0 ? t('options_clipboard_off') : t('options_clipboard_seconds', value);
        return option;
      }),
    );
    clipboard.value = String(current);
  }

  // ---- the clipboard permission ------------------------------------------------------------
  // Clearing a copied key takes checking that the clipboard still holds it, which the browser
  // allows only with optional permissions (see settings.js). They are asked for here, inside
  // the user's click as the browser requires, and only while clearing is on; with clearing
  // off, KeyScope offers to give them back.
  const CLIPBOARD_PERMISSIONS = KeyScopeSettings.clipboardPermissions();
  let granted = false;
  // Why the last request did not grant them: null (no refusal), '' (the user said no), or the
  // browser's error.
  let refused = null;

  async function readGranted() {
    try {
      granted = CLIPBOARD_PERMISSIONS.permissions.length > 0 && (await api.permissions.contains(CLIPBOARD_PERMISSIONS));
    } catch {
      granted = false;
    }
    showAccess();
  }

  function accessMessage(clearing) {
    if (granted) return t(clearing ? 'options_clipboard_granted' : 'options_clipboard_unneeded');
    if (refused === null) return t('options_clipboard_not_granted');
    if (refused === '') return t('options_clipboard_denied');
    return t('options_clipboard_request_failed', refused);
  }

  // Shown while clearing is on (the permission's state, and the button to grant it), or while
  // the permission is held with clearing off (the button to give it back).
  function showAccess() {
    const clearing = Number(clipboard.value) > 0;
    access.hidden = !clearing && !granted;
    allow.hidden = !clearing || granted;
    remove.hidden = clearing || !granted;
    access.setAttribute('data-keyscope-state', granted ? 'granted' : refused === null ? 'not-granted' : 'denied');
    accessText.textContent = accessMessage(clearing);
  }

  allow.addEventListener('click', async () => {
    let answer;
    try {
      // Called first thing in the click: Firefox grants a request only inside a user action.
      answer = await api.permissions.request(CLIPBOARD_PERMISSIONS);
      refused = answer ? null : '';
    } catch (error) {
      refused = String(error?.message ?? error);
    }
    await readGranted();
  });

  remove.addEventListener('click', async () => {
    try {
      await api.permissions.remove(CLIPBOARD_PERMISSIONS);
    } catch {
      // The state read below says what the browser did.
    }
    refused = null;
    await readGranted();
  });

  clipboard.addEventListener('change', showAccess);
  // Granted or removed elsewhere (the browser's extension page) while this page is open.
  api.permissions.onAdded?.addListener(readGranted);
  api.permissions.onRemoved?.addListener(readGranted);

  KeyScopeSettings.load().then((settings) => {
    fillClipboard(settings.clipboardClearSeconds);
    reviewOpen.checked = settings.reviewOpen;
    language.value = settings.language;
    readGranted();
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    saved.textContent = '';
    await KeyScopeSettings.save({
      clipboardClearSeconds: Number(clipboard.value),
      reviewOpen: reviewOpen.checked,
      language: language.value,
    });
    saved.textContent = t('options_saved');
  });
})();
