// KeyScope's options page: edits the settings in storage.sync (see settings.js). Its words come
// from chrome.i18n, the browser's UI language, like the browser's own extension pages.
'use strict';

(() => {
  const CLEAR_CHOICES = [0, 10, 30, 60, 120, 300];
  const form = document.getElementById('settings');
  const clipboard = document.getElementById('clipboard');
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

  KeyScopeSettings.load().then((settings) => {
    fillClipboard(settings.clipboardClearSeconds);
    reviewOpen.checked = settings.reviewOpen;
    language.value = settings.language;
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
