// KeyScope's only script in the page's own JavaScript world (MAIN), run at document_start. It
// hooks the page's XMLHttpRequest and fetch for three jobs, and leaves every other request alone.
//
// 1. Seeing a new key. nuget.org never puts a new key's value in the DOM; it arrives in the
//    JSON answer to the page's Generate/Regenerate request and lives in the page's view model.
//    This script adds a `load` listener to those XMLHttpRequests (and reads a clone of fetch
//    answers), and hands the new key to KeyScope's isolated content script (guard.js) the
//    moment the page has it, Copy link clicked or not. It never changes, delays or keeps an
//    answer or the value. The value is passed once, synchronously, in a DOM event on
//    `document`: the page's scripts (which hold the value already) could see it; nothing
//    outside the page can. Nothing is logged.
//
// 2. The request guard's backstop. request-guard.js holds Create and Save at the DOM submit
//    event, but a script can post the page's Generate or Edit request without one (a jQuery
//    `.trigger('submit')` calling the page's handler directly, a handler posting by itself).
//    nuget.org's server turns such a request with no non-blank `subjects[]` into a key for every
//    package, and a Generate with no non-blank `scopes[]` into one for every action. So a POST
//    to the page's GenerateUrl or EditUrl that is empty that way never reaches the network: the
//    XMLHttpRequest fails as a network error does (readyState 4, status 0, `error`, `loadend`;
//    a synchronous one throws a NetworkError), a fetch rejects with a TypeError, so the page's
//    own error handling runs and nothing hangs. Every other request is sent as the page made
//    it, unchanged and undelayed. A request the user confirmed in KeyScope's guard is never
//    empty (KeyScope stops an empty one outright, it never asks about it), so it is never
//    refused here.
//
//    Only while KeyScope is active: before refusing, the hook asks in a cancelable DOM event
//    (`keyscope:empty-request`, carrying the kind, the key number, the subjects and the scope
//    ids, never a secret, the name or the page's token). request-guard.js cancels it, and
//    explains the stop, only while KeyScope is active on the page. While KeyScope is starting
//    or inactive, nobody cancels and the page works exactly as without it.
//
//    The rule is the native one (src/subjects.rs: `decide_create`, `decide_save`), kept minimal
//    here because this world can't reach the engine: tests/fixtures/backstop-requests.json
//    holds the cases both are tested on (natively in src/request_guard.rs, against this hook in
//    tests/e2e/request-guard.test.mjs). A body KeyScope can't read as form fields (a Blob, an
//    ArrayBuffer, a stream, a Request object's own body) goes out untouched: KeyScope never
//    stops what it can't see.
//
// 3. Following the keys. The coverage review (review.js, the engine) starts from initialData
//    as loaded; the page changes its keys afterwards. When a Generate, Regenerate, Edit, Remove
//    or Revoke request succeeded (a 2xx answer, not saying `success: false`; Remove and Revoke
//    followed only at the URLs initialData names), a DOM event `keyscope:keys-changed` on `document` says what changed:
//    the key object of a Generate/Regenerate answer copied field by field from an allow-list
//    (never `Value`, and no text holding the secret), the key number the request was about
//    (`credentialKey`), an edit's subjects as posted; never the secret or the page's token.
//    review.js hands it to the engine, which checks it before applying it to its page data.
'use strict';

(() => {
  const NEW_KEY_EVENT = 'keyscope:new-key';
  const EMPTY_REQUEST_EVENT = 'keyscope:empty-request';
  const KEYS_CHANGED_EVENT = 'keyscope:keys-changed';
  // Where the page posts: the URLs initialData names, nuget.org's own paths where it names none.
  const ENDPOINTS = {
    GenerateUrl: '/account/GenerateApiKey',
    RegenerateUrl: '/account/RegenerateCredential',
    EditUrl: '/account/EditCredential',
  };
  // A blank value holds only what Rust's `char::is_whitespace` calls white space: the blank the
  // native decision trims. (JavaScript's `\s` and `trim()` differ: they add U+FEFF and drop
  // U+0085.) src/request_guard.rs checks this class against Rust.
  const BLANK = /^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028-\u2029\u202f\u205f\u3000]*$/;
  // What a refused request's failure says to whoever reads the console.
  const STOPPED = 'KeyScope stopped this request: nuget.org would have widened its empty selection to every package or every action';

  // Where `url` points, for comparing endpoints: origin and path (nuget.org's routes ignore
  // case), or null when it is no URL.
  function place(url) {
    try {
      // Resolved as XHR and fetch resolve it; a trailing slash and percent-escapes do not make
      // another route on nuget.org's server.
      const resolved = new URL(String(url), document.baseURI);
      let path = resolved.pathname;
      try {
        path = decodeURIComponent(path);
      } catch {
        // A malformed escape stays as written.
      }
      return resolved.origin + path.replace(/\/+$/, '').toLowerCase();
    } catch {
      return null;
    }
  }

  // Where the page's endpoint `name` is (looked up at request time: initialData is set after
  // this script runs).
  function endpoint(name) {
    let named = null;
    try {
      named = window.initialData?.[name];
    } catch {
      named = null;
    }
    // RemoveUrl and RevokeUrl have no fallback: KeyScope follows them only where named.
    return (typeof named === 'string' && named !== '' ? place(named) : null) ?? (name in ENDPOINTS ? place(ENDPOINTS[name]) : null);
  }

  // 'generate' | 'regenerate' | 'edit' | 'remove' | 'revoke' | null for a request to `url`
  // with `method`.
  function endpointOf(method, url) {
    if (String(method).toUpperCase() !== 'POST') return null;
    const target = place(url);
    if (target === null) return null;
    if (target === endpoint('GenerateUrl')) return 'generate';
    if (target === endpoint('RegenerateUrl')) return 'regenerate';
    if (target === endpoint('EditUrl')) return 'edit';
    if (target === endpoint('RemoveUrl')) return 'remove';
    if (target === endpoint('RevokeUrl')) return 'revoke';
    return null;
  }

  // ---- 1. the new key ----------------------------------------------------------------------

  // Passes the key object of an answer to the isolated world, if it carries a value.
  function handOver(target, answer) {
    if (!answer || typeof answer !== 'object' || typeof answer.Value !== 'string' || answer.Value === '') return;
    const detail = JSON.stringify({
      kind: target === 'generate' ? 'created' : 'regenerated',
      key: answer.Key,
      value: answer.Value,
      name: answer.Description,
      owner: answer.Owner ?? null,
      expires: answer.Expires ?? null,
      scopes: Array.isArray(answer.Scopes) ? answer.Scopes : [],
    });
    document.dispatchEvent(new CustomEvent(NEW_KEY_EVENT, { detail }));
  }

  const answersAKey = (target) => target === 'generate' || target === 'regenerate';

  // ---- 2. the backstop ---------------------------------------------------------------------

  // The fields of a request as nuget.org's server binds them, as [name, value] pairs: the
  // URL's query, then the body when KeyScope can read it as the server would: form-encoded text
  // (what the page's jQuery sends), JSON text, URLSearchParams, FormData, or no body; text of
  // any other type (or none, which the browser sends as text/plain) binds no field at all.
  // null when the body is something else (a stream, a Blob, a buffer): KeyScope can't tell
  // what the server will read, and never refuses it.
  function requestFields(url, body, contentType) {
    const fields = [];
    try {
      for (const pair of new URL(String(url), document.baseURI).searchParams) fields.push(pair);
    } catch {
      // No query to read.
    }
    if (body === undefined || body === null) return fields;
    if (body instanceof URLSearchParams || body instanceof FormData) return [...fields, ...body];
    if (typeof body !== 'string') return null;
    const type = String(contentType ?? '').toLowerCase();
    if (type.includes('application/x-www-form-urlencoded')) return [...fields, ...new URLSearchParams(body)];
    if (!type.includes('json')) return fields;
    const object = parsed(body);
    if (object === null || typeof object !== 'object' || Array.isArray(object)) return fields;
    for (const [name, value] of Object.entries(object)) {
      for (const item of Array.isArray(value) ? value : [value]) fields.push([name, item]);
    }
    return fields;
  }

  // The values of the field `family` as the server binds a list: `subjects`, `subjects[]` or
  // `subjects[0]`, in any case.
  function valuesOf(fields, family) {
    const name = new RegExp(`^${family}(\\[\\d*\\])?$`, 'i');
    return fields.filter(([field]) => name.test(field)).map(([, value]) => value);
  }

  const texts = (values) => values.filter((value) => typeof value === 'string');
  const anyFilled = (values) => texts(values).some((value) => !BLANK.test(value));

  // The request a POST to `target` is, when it is empty the way the server widens (no
  // non-blank subject; Generate: or no non-blank scope); null when it is not, or unread.
  function emptyRequest(target, fields) {
    if (target !== 'generate' && target !== 'edit') return null;
    if (fields === null) return null;
    const subjects = valuesOf(fields, 'subjects');
    const scopes = valuesOf(fields, 'scopes');
    if (anyFilled(subjects) && (target === 'edit' || anyFilled(scopes))) return null;
    const key = target === 'edit' ? Number.parseInt(valuesOf(fields, 'credentialKey')[0], 10) : NaN;
    return {
      kind: target === 'generate' ? 'create' : 'save',
      key: Number.isSafeInteger(key) ? key : null,
      subjects: texts(subjects),
      scopes: texts(scopes),
    };
  }

  // Whether KeyScope stops this request to `target`: it must be empty, and KeyScope's isolated
  // world must say so by cancelling the event (it does only while KeyScope is active).
  function refuses(target, fields) {
    try {
      const request = emptyRequest(target, fields);
      if (request === null) return false;
      const asked = new CustomEvent(EMPTY_REQUEST_EVENT, { detail: JSON.stringify(request), cancelable: true });
      return !document.dispatchEvent(asked);
    } catch {
      return false; // KeyScope's check never breaks the page's request.
    }
  }

  // ---- 3. changes to the keys -------------------------------------------------------------

  // The fields of a key object passed on: what the engine reads of a key, never `Value`.
  const KEY_FIELDS = ['Key', 'Type', 'Description', 'Expires', 'HasExpired', 'IsNonScopedApiKey', 'RevocationSource', 'Owner', 'Scopes', 'Packages', 'GlobPattern'];

  // A copy of key object `answer` with the allow-listed fields only, or null when it is no key
  // object. Texts, lists of texts, numbers and flags are copied; a text holding the key's
  // secret is left out wherever it stands, whatever else sits there.
  function keyFields(answer) {
    if (!answer || typeof answer !== 'object' || !Number.isSafeInteger(answer.Key)) return null;
    const secret = typeof answer.Value === 'string' && answer.Value !== '' ? answer.Value : null;
    const clean = (text) => typeof text === 'string' && (secret === null || !text.includes(secret));
    const copy = (value) => {
      if (typeof value === 'string') return clean(value) ? value : null;
      if (Array.isArray(value)) return value.filter(clean);
      return typeof value === 'number' || typeof value === 'boolean' ? value : null;
    };
    const key = {};
    for (const field of KEY_FIELDS) if (field in answer) key[field] = copy(answer[field]);
    return key;
  }

  // What a request to one of the page's key endpoints said, read when it is sent: the key
  // number (`credentialKey`) and the subjects posted; null and [] where it can't be read.
  function sentFacts(fields) {
    try {
      const key = fields ? Number.parseInt(valuesOf(fields, 'credentialKey')[0], 10) : NaN;
      return { key: Number.isSafeInteger(key) ? key : null, subjects: fields ? texts(valuesOf(fields, 'subjects')) : [] };
    } catch {
      return { key: null, subjects: [] };
    }
  }

  // The change a successful request to `target` made, or null when KeyScope can't tell.
  function changeOf(target, sent, answer) {
    const key = keyFields(answer);
    switch (target) {
      case 'generate':
        return key && { kind: 'created', key: key.Key, answer: key };
      case 'regenerate':
        return key && sent.key !== null ? { kind: 'regenerated', key: key.Key, replaces: sent.key, answer: key } : null;
      case 'edit':
        return sent.key !== null ? { kind: 'edited', key: sent.key, subjects: sent.subjects, answer: key } : null;
      case 'remove':
        return sent.key !== null ? { kind: 'removed', key: sent.key } : null;
      case 'revoke':
        return sent.key !== null ? { kind: 'revoked', key: sent.key, answer: key } : null;
      default:
        return null;
    }
  }

  // Says what changed, once a request to `target` was answered with `status` and `answer`
  // (parsed JSON, or null), if it succeeded.
  function reportChange(target, sent, status, answer) {
    try {
      if (!(status >= 200 && status < 300) || answer?.success === false) return;
      const change = changeOf(target, sent, answer);
      if (change) document.dispatchEvent(new CustomEvent(KEYS_CHANGED_EVENT, { detail: JSON.stringify(change) }));
    } catch {
      // Reporting never breaks the page's request.
    }
  }

  const parsed = (text) => {
    try {
      return JSON.parse(text);
    } catch {
      return null;
    }
  };

  // The JSON answer of a done XMLHttpRequest, or null.
  function answerOf(xhr) {
    try {
      if (xhr.responseType === 'json') return xhr.response;
      return xhr.responseType === '' || xhr.responseType === 'text' ? parsed(xhr.responseText) : null;
    } catch {
      return null;
    }
  }

  // ---- XMLHttpRequest ----------------------------------------------------------------------

  const open = XMLHttpRequest.prototype.open;
  const send = XMLHttpRequest.prototype.send;
  const setRequestHeader = XMLHttpRequest.prototype.setRequestHeader;
  const opened = new WeakMap(); // xhr → { target, sync, url, contentType } of the request it was opened for
  const failing = new WeakMap(); // xhr → the timer that ends its refusal
  const ended = new WeakSet(); // xhrs whose readyState a refusal set to done

  XMLHttpRequest.prototype.open = function (method, url, async) {
    const result = open.apply(this, arguments);
    // Reopened: whatever an earlier refusal left on this object is gone, as open() resets it.
    clearTimeout(failing.get(this));
    failing.delete(this);
    if (ended.delete(this)) delete this.readyState;
    let target = null;
    try {
      target = endpointOf(method, url);
    } catch {
      target = null;
    }
    if (target) opened.set(this, { target, sync: arguments.length > 2 && !async, url, contentType: null });
    else opened.delete(this);
    return result;
  };

  XMLHttpRequest.prototype.setRequestHeader = function (name, value) {
    const request = opened.get(this);
    if (request && String(name).toLowerCase() === 'content-type') request.contentType = String(value);
    return setRequestHeader.apply(this, arguments);
  };

  XMLHttpRequest.prototype.send = function (body) {
    const request = opened.get(this);
    // Read now: a FormData body may change after it was sent.
    const fields = request ? requestFields(request.url, body, request.contentType) : null;
    if (request && refuses(request.target, fields)) return failAsNetworkError(this, request.sync);
    if (request && answersAKey(request.target)) {
      const target = request.target;
      // Added at send time, so it runs after the page's own onload/listeners: the page has
      // drawn the new key's row by the time KeyScope looks for it.
      this.addEventListener('load', () => {
        try {
          if (this.status !== 200) return;
          const answer = this.responseType === 'json' ? this.response
            : this.responseType === '' || this.responseType === 'text' ? JSON.parse(this.responseText) : null;
          handOver(target, answer);
        } catch {
          // Not the JSON nuget.org sends: nothing to guard.
        }
      }, { once: true });
    }
    if (request) {
      // Added after the new-key listener, so guard.js hears of a new key before the review does.
      const target = request.target;
      const sent = sentFacts(fields);
      this.addEventListener('load', () => reportChange(target, sent, this.status, answerOf(this)), { once: true });
    }
    return send.apply(this, arguments);
  };

  // Ends `xhr` the way a network error does, without sending it. Unsent, the object already
  // answers status 0, no headers, an empty response; only readyState must say done (4).
  function failAsNetworkError(xhr, sync) {
    const done = () => {
      Object.defineProperty(xhr, 'readyState', { configurable: true, get: () => XMLHttpRequest.DONE });
      ended.add(xhr);
    };
    if (sync) {
      done();
      throw new DOMException(STOPPED, 'NetworkError');
    }
    xhr.dispatchEvent(new ProgressEvent('loadstart'));
    // A network error arrives in a later task, never inside send().
    failing.set(xhr, setTimeout(() => {
      failing.delete(xhr);
      done();
      xhr.dispatchEvent(new Event('readystatechange'));
      xhr.dispatchEvent(new ProgressEvent('error'));
      xhr.dispatchEvent(new ProgressEvent('loadend'));
    }));
  }

  // ---- fetch -------------------------------------------------------------------------------

  const fetch = window.fetch;
  if (typeof fetch === 'function') {
    window.fetch = function (input, init) {
      let target = null;
      let fields = null;
      try {
        const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
        const url = input instanceof Request ? input.url : input;
        target = endpointOf(method, url);
        if (target) {
          // init's body when it gives one; otherwise a Request's own body, a stream that can't
          // be read now, stands for "unread" (requestFields says null).
          const given = init !== null && typeof init === 'object' && init.body !== undefined;
          const body = given ? init.body : input instanceof Request ? input : null;
          const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
          fields = requestFields(url, body, headers.get('content-type'));
        }
      } catch {
        target = null;
      }
      if (target && refuses(target, fields)) return Promise.reject(new TypeError(STOPPED));
      const result = fetch.apply(this, arguments);
      if (answersAKey(target)) {
        // A clone is read, so the page's own body stays unread for the page.
        result.then((response) => response.ok && response.clone().json())
          .then((answer) => handOver(target, answer), () => {});
      }
      if (target) {
        const sent = sentFacts(fields);
        result.then((response) => response.ok && response.clone().text()
          .then((text) => reportChange(target, sent, response.status, parsed(text))))
          .catch(() => {});
      }
      return result;
    };
  }
})();
