// KeyScope's settings: what the options page edits and the content scripts read once at start.
// They live in storage.sync (the user's own settings, synced by the browser); never a secret.
'use strict';

const KeyScopeSettings = (() => {
  const DEFAULTS = Object.freeze({
    // Seconds until a copied key is cleared from the clipboard; 0 = never.
    clipboardClearSeconds: 60,
    // Whether the coverage review under the key list starts open.
    reviewOpen: false,
    // 'browser' follows the browser's language; 'en' or 'de' overrides it.
    language: 'browser',
  });
  const LANGUAGES = ['browser', 'en', 'de'];
  const MIN_CLEAR_S = 10;
  const MAX_CLEAR_S = 300;

  // A stored value coerced to what KeyScope understands; anything else is the default.
  function clean(stored) {
    const out = { ...DEFAULTS };
    const seconds = Number(stored?.clipboardClearSeconds);
    if (seconds === 0 || (Number.isInteger(seconds) && seconds >= MIN_CLEAR_S && seconds <= MAX_CLEAR_S)) {
      out.clipboardClearSeconds = seconds;
    }
    if (typeof stored?.reviewOpen === 'boolean') out.reviewOpen = stored.reviewOpen;
    if (LANGUAGES.includes(stored?.language)) out.language = stored.language;
    return out;
  }

  let loaded = null;
  // The settings, read once per page life; defaults when storage is unavailable.
  function load() {
    loaded ??= new Promise((resolve) => {
      try {
        chrome.storage.sync.get(DEFAULTS, (stored) => resolve(clean(chrome.runtime.lastError ? {} : stored)));
      } catch {
        resolve(clean({}));
      }
    });
    return loaded;
  }

  function save(values) {
    return chrome.storage.sync.set(clean(values));
  }

  // The permissions clearing a copied key needs, as the build named them in this browser's
  // manifest (optional there, granted on the options page): clipboardRead to check that the
  // clipboard still holds the key, and in Firefox clipboardWrite to clear it without a click.
  // Only extension pages may ask about or for them (the options page, the engine frame).
  function clipboardPermissions() {
    const manifest = chrome.runtime.getManifest();
    const named = [...(manifest.permissions ?? []), ...(manifest.optional_permissions ?? [])];
    return { permissions: ['clipboardRead', 'clipboardWrite'].filter((permission) => named.includes(permission)) };
  }

  return { DEFAULTS, LANGUAGES, MIN_CLEAR_S, MAX_CLEAR_S, clean, load, save, clipboardPermissions };
})();
