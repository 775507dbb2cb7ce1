// KeyScope's words in the content scripts: the same catalog as the engine's (_locales/).
//
// Until the engine has started, messages come from chrome.i18n (the browser's UI language);
// once it answers, from the catalog of the language KeyScope speaks on this page (the
// settings' override, else the browser's preferred language), which the engine hands over,
// so every word KeyScope draws is in one language.
'use strict';

const KeyScopeI18n = (() => {
  const SPOKEN = ['en', 'de'];
  let messages = null;
  let locale = 'en';

  // 'en' or 'de' for a setting ('browser', 'en', 'de'). The browser's choice is the first of
  // its preferred languages KeyScope speaks (navigator.languages starts with the UI language
  // unless the user put another first), else its UI language.
  function choose(setting) {
    if (SPOKEN.includes(setting)) return setting;
    const tags = [...(navigator.languages ?? []), navigator.language, chrome.i18n.getUILanguage()];
    for (const tag of tags) {
      const primary = String(tag ?? '').toLowerCase().split(/[-_]/)[0];
      if (SPOKEN.includes(primary)) return primary;
    }
    return 'en';
  }

  // Uses `map` (key → message with $1.. placeholders) for the language `tag` from now on.
  function use(tag, map) {
    locale = tag;
    messages = map && typeof map === 'object' ? map : null;
  }

  function substitute(message, subs) {
    return message.replace(/\$(\$|[1-9])/g, (_, which) => (which === '$' ? '$' : String(subs[which - 1] ?? '')));
  }

  // Message `key` with `subs` as $1, $2...
  function t(key, ...subs) {
    const own = messages?.[key];
    if (typeof own === 'string') return substitute(own, subs);
    return chrome.i18n.getMessage(key, subs.map(String)) || key;
  }

  // A number grouped the language's way: en 2,434, de 2.434.
  function count(value) {
    return new Intl.NumberFormat(locale === 'de' ? 'de-DE' : 'en-US').format(value);
  }

  // The plural form of `key` (key_one / key_other) for `value`, which is $1.
  function plural(key, value, ...subs) {
    return t(`${key}_${value === 1 ? 'one' : 'other'}`, count(value), ...subs);
  }

  return { choose, use, t, count, plural, locale: () => locale };
})();
