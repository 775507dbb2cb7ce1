// KeyScope's only script in the page's own JavaScript world (MAIN), run at document_start.
//
// Why it exists: nuget.org never puts a new key's value in the DOM; it arrives in the JSON
// answer to the page's Generate/Regenerate request and lives in the page's view model. This
// script watches those two answers, and hands the new key to KeyScope's isolated content
// script (guard.js) the moment the page has it, Copy link clicked or not.
//
// What it must never do: change a request or an answer, delay them, or keep the value. It only
// adds a `load` listener to the page's XMLHttpRequests and reads a clone of fetch answers. The
// value is passed once, synchronously, in a DOM event on `document`: the page's scripts (which
// hold the value already) could see it; nothing outside the page can. Nothing is logged.
'use strict';

(() => {
  const EVENT = 'keyscope:new-key';
  // Where the page posts; initialData names them, these are nuget.org's paths if it does not.
  const ENDPOINTS = { GenerateUrl: '/account/GenerateApiKey', RegenerateUrl: '/account/RegenerateCredential' };

  // 'created' | 'regenerated' | null for a request to `url` with `method`.
  function kindOf(method, url) {
    if (String(method).toUpperCase() !== 'POST') return null;
    let path;
    try {
      path = new URL(String(url), location.href).pathname.toLowerCase();
    } catch {
      return null;
    }
    const data = window.initialData;
    const known = (name) => String(data?.[name] ?? ENDPOINTS[name]).toLowerCase();
    if (path === known('GenerateUrl') || path === ENDPOINTS.GenerateUrl.toLowerCase()) return 'created';
    if (path === known('RegenerateUrl') || path === ENDPOINTS.RegenerateUrl.toLowerCase()) return 'regenerated';
    return null;
  }

  // Passes the key object of an answer to the isolated world, if it carries a value.
  function handOver(kind, answer) {
    if (!answer || typeof answer !== 'object' || typeof answer.Value !== 'string' || answer.Value === '') return;
    const detail = JSON.stringify({
      kind,
      key: answer.Key,
      value: answer.Value,
      name: answer.Description,
      owner: answer.Owner ?? null,
      expires: answer.Expires ?? null,
      scopes: Array.isArray(answer.Scopes) ? answer.Scopes : [],
    });
    document.dispatchEvent(new CustomEvent(EVENT, { detail }));
  }

  const open = XMLHttpRequest.prototype.open;
  const send = XMLHttpRequest.prototype.send;
  const watched = new WeakMap(); // xhr → kind of the request it was opened for

  XMLHttpRequest.prototype.open = function (method, url) {
    const kind = kindOf(method, url);
    if (kind) watched.set(this, kind);
    else watched.delete(this);
    return open.apply(this, arguments);
  };

  XMLHttpRequest.prototype.send = function () {
    const kind = watched.get(this);
    if (kind) {
      // Added at send time, so it runs after the page's own onload/listeners: the page has
      // drawn the new key's row by the time KeyScope looks for it.
      this.addEventListener('load', () => {
        try {
          if (this.status !== 200) return;
          const answer = this.responseType === 'json' ? this.response
            : this.responseType === '' || this.responseType === 'text' ? JSON.parse(this.responseText) : null;
          handOver(kind, answer);
        } catch {
          // Not the JSON nuget.org sends: nothing to guard.
        }
      }, { once: true });
    }
    return send.apply(this, arguments);
  };

  const fetch = window.fetch;
  if (typeof fetch === 'function') {
    window.fetch = function (input, init) {
      const result = fetch.apply(this, arguments);
      try {
        const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
        const url = input instanceof Request ? input.url : input;
        const kind = kindOf(method, url);
        if (kind) {
          // A clone is read, so the page's own body stays unread for the page.
          result.then((response) => response.ok && response.clone().json())
            .then((answer) => handOver(kind, answer), () => {});
        }
      } catch {
        // Never let KeyScope's watching break the page's request.
      }
      return result;
    };
  }
})();
