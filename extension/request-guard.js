// KeyScope content script: the request guard, the second pair of eyes on every request that
// changes a key.
//
// nuget.org's server turns a Create/Save with no subject into a key for `*` and one with no
// scope into a key for every action; only the page's own client-side check stands in the way.
// So KeyScope holds every Create/Save submission and every Regenerate/Delete/Revoke click,
// asks the engine (src/request_guard.rs decides and words everything), and then either lets
// it through by replaying it once, or shows the guard: `stop` never lets it out, `confirm`
// replays it only when the user confirms. A replay is the same submission or click again with
// a one-shot bypass, so the page's own checks, confirm dialog and request run exactly as they
// would without KeyScope.
//
// Why window capture listeners: a capture listener on window runs before any listener on the
// form or link itself (the page's, registered before or after KeyScope's), whatever path
// dispatched the event (a click, Enter in a field, form.requestSubmit()).
//
// A request posted without a submit event (a script calling the page's handler directly, or
// posting itself) never passes here; main-world.js stops it at the network instead, when it is
// empty, and asks first in a cancelable `keyscope:empty-request` event. This script cancels
// that event (so the request is refused) only while KeyScope is active, and shows why.
//
// If KeyScope is inactive (or becomes inactive while asking), nothing is held: a held request
// is replayed and the page works alone. The same when KeyScope can't read what the form would
// submit, or can't place its guard: it never stops what it can't see.
'use strict';

(() => {
  // An engine answer takes a few ms; past this KeyScope gives up and lets the page act alone.
  const ANSWER_TIMEOUT_MS = 5000;

  let bypassForm = null; // the form whose next submit event is KeyScope's own replay
  let bypassLink = null; // the link whose next click is KeyScope's own replay
  const checking = new Set(); // forms whose submission is being asked about
  let open = null; // the guard on screen: { host, cancel, confirm, returnFocus }

  // The engine may answer within the very event held (where it runs in this content script),
  // and the browser ignores a submission or a click replayed while that event is still being
  // dispatched; so an answer is taken up in a task of its own.
  async function ask(request) {
    let timer;
    const late = new Promise((resolve) => {
      timer = setTimeout(() => resolve({ type: 'error', message: 'the engine did not answer in time' }), ANSWER_TIMEOUT_MS);
    });
    const answer = await Promise.race([KeyScopeEngine.request(request), late]).finally(() => clearTimeout(timer));
    await new Promise((resolve) => setTimeout(resolve));
    return answer;
  }

  // The page acts alone from now on: KeyScope says why in its status line.
  function giveUp(answer) {
    KeyScopeApp.fail(`the request guard got no answer (${answer?.message ?? answer?.type ?? 'none'})`);
  }

  // ---- Create / Save ---------------------------------------------------------------------

  function onSubmit(event) {
    const form = event.target;
    const number = KeyScopePage.formNumber(form);
    if (number === null) return;
    if (bypassForm === form) {
      bypassForm = null;
      return;
    }
    if (!KeyScopeApp.isActive()) return;
    // A form KeyScope can't read is not an empty one: don't hold it at all, so the page's
    // own checks decide (a replay from inside this very submit event would be ignored by the
    // browser, which drops a submission requested while one is being dispatched).
    if (!readsEnough(number, KeyScopePage.submitState(number).readable)) return;
    // Held synchronously, before the page's own handler sees it.
    event.preventDefault();
    event.stopImmediatePropagation();
    if (checking.has(form)) return; // a second click while asking: the first one decides
    close();
    check(form, number, event.submitter ?? null);
  }

  async function check(form, number, submitter) {
    checking.add(form);
    try {
      for (;;) {
        const asked = KeyScopePage.submitState(number);
        const { readable, ...state } = asked;
        if (!readsEnough(number, readable)) {
          replaySubmit(form, submitter);
          return;
        }
        const current = number === 0 ? null : KeyScopePage.keySubjects(number);
        const answer = await ask({ type: 'submit-check', form: number, ...state, current });
        if (answer?.type !== 'request-guard') {
          giveUp(answer);
          replaySubmit(form, submitter);
          return;
        }
        if (!KeyScopeApp.isActive()) {
          replaySubmit(form, submitter);
          return;
        }
        if (answer.decision === 'go') {
          // The answer is about the state asked; if the form changed meanwhile, ask again.
          if (JSON.stringify(KeyScopePage.submitState(number)) !== JSON.stringify(asked)) continue;
          replaySubmit(form, submitter);
          return;
        }
        if (!form.isConnected) return; // the page re-drew the form: nothing left to send
        show(answer, {
          kind: number === 0 ? 'create' : 'save',
          form: number,
          place: (host) => KeyScopePage.placeFormGuard(number, host),
          confirm: () => replaySubmit(form, submitter),
          returnFocus: submitter ?? KeyScopePage.globInput(number),
        });
        return;
      }
    } finally {
      checking.delete(form);
    }
  }

  // Create decides on the subjects and the scopes, Save on the subjects alone; a control
  // KeyScope can't find is not an empty one.
  function readsEnough(number, readable) {
    const needed = number === 0 ? ['pattern', 'packages', 'scopes'] : ['pattern', 'packages'];
    return needed.every((part) => readable?.[part]);
  }

  function replaySubmit(form, submitter) {
    if (!form.isConnected) return;
    bypassForm = form;
    try {
      if (submitter?.isConnected && submitter.form === form) form.requestSubmit(submitter);
      else form.requestSubmit();
    } finally {
      bypassForm = null;
    }
  }

  // ---- Regenerate / Delete / Revoke ------------------------------------------------------

  function onClick(event) {
    const found = KeyScopePage.keyAction(event.target);
    if (!found) return;
    if (bypassLink === found.link) {
      bypassLink = null;
      return;
    }
    if (!KeyScopeApp.isActive()) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    close();
    checkAction(found);
  }

  async function checkAction({ action, key, link }) {
    const answer = await ask({ type: 'action-check', action, key, now: Date.now(), rows: KeyScopePage.keyRows() });
    if (answer?.type !== 'request-guard') {
      giveUp(answer);
      replayClick(action, key, link);
      return;
    }
    if (!KeyScopeApp.isActive() || answer.decision === 'go') {
      replayClick(action, key, link);
      return;
    }
    show(answer, {
      kind: action,
      key,
      place: (host) => KeyScopePage.placeKeyGuard(key, host, link),
      confirm: () => replayClick(action, key, link),
      returnFocus: link,
    });
  }

  // Clicks the page's own link again (looked up afresh: the page may have redrawn the row), so
  // its own confirm dialog and request follow exactly as without KeyScope.
  function replayClick(action, key, link) {
    const target = KeyScopePage.actionLink(action, key) ?? (link.isConnected ? link : null);
    if (!target) return;
    bypassLink = target;
    try {
      target.click();
    } finally {
      bypassLink = null;
    }
  }

  // ---- Create / Save posted without a submit event ------------------------------------------

  // main-world.js asks before it refuses an empty Generate/Edit request: cancelling the event
  // says "stop it". Synchronous, so only what is known now decides: whether KeyScope is active.
  function onEmptyRequest(event) {
    if (!KeyScopeApp.isActive()) return;
    let request;
    try {
      request = JSON.parse(event.detail);
    } catch {
      return;
    }
    if (request?.kind !== 'create' && request?.kind !== 'save') return;
    event.preventDefault();
    explainStopped(request);
  }

  // The engine words the stop, deciding again on exactly what the request carried (its subjects
  // as ids ticked by hand, its scope ids), so the words are those of a stopped Create or Save.
  async function explainStopped({ kind, key, subjects, scopes }) {
    const form = kind === 'create' ? 0 : Number.isSafeInteger(key) && key > 0 ? key : null;
    const texts = (values) => (Array.isArray(values) ? values.filter((value) => typeof value === 'string') : []);
    const answer = await ask({
      type: 'submit-check',
      form: form ?? 0,
      pattern: '',
      ticked: texts(subjects),
      scopes: texts(scopes),
      current: form ? KeyScopePage.keySubjects(form) : null,
    });
    if (answer?.type !== 'request-guard') {
      giveUp(answer);
      return;
    }
    if (answer.decision !== 'stop' || !KeyScopeApp.isActive()) return;
    show(answer, {
      kind,
      form: form ?? undefined,
      place: (host) => placeStopped(form, host),
      confirm: () => {}, // nothing is held: the request was refused already
      returnFocus: form === null ? null : KeyScopePage.globInput(form),
    });
  }

  // Where the explanation of a refused request goes: above the form's buttons while that form
  // is on screen, otherwise right after KeyScope's status line.
  function placeStopped(form, host) {
    const onScreen = form !== null && (KeyScopePage.globInput(form)?.getClientRects().length ?? 0) > 0;
    if (onScreen && KeyScopePage.placeFormGuard(form, host)) return true;
    const status = document.querySelector('[data-keyscope="status"]');
    if (!status) return false;
    status.after(host);
    return true;
  }

  // ---- the guard on screen ---------------------------------------------------------------

  function show(answer, { kind, form, key, place, confirm, returnFocus }) {
    close();
    const host = document.createElement('div');
    host.className = 'keyscope-request-guard';
    host.setAttribute('data-keyscope', 'request-guard');
    host.setAttribute('data-keyscope-decision', answer.decision);
    host.setAttribute('data-keyscope-kind', kind);
    if (form !== undefined) host.setAttribute('data-keyscope-form', String(form));
    if (key !== undefined) host.setAttribute('data-keyscope-key', String(key));
    host.setAttribute('role', 'alertdialog');
    host.setAttribute('aria-label', KeyScopeI18n.t('rguard_label'));
    host.tabIndex = -1;
    KeyScopeRender.into(host, answer.view);
    if (!place(host)) {
      // Nowhere to ask: the held request goes out as the page would send it alone.
      confirm();
      return;
    }
    const guard = { host, returnFocus };
    guard.cancel = () => {
      close();
      if (returnFocus?.isConnected) returnFocus.focus({ preventScroll: true });
    };
    guard.confirm = () => {
      close();
      confirm();
    };
    host.addEventListener('click', (event) => {
      const action = event.target.closest?.('[data-keyscope-action]')?.getAttribute('data-keyscope-action');
      if (action === 'confirm' && answer.decision === 'confirm') guard.confirm();
      else if (action === 'cancel') guard.cancel();
    });
    host.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      event.stopPropagation();
      guard.cancel();
    });
    open = guard;
    const first = host.querySelector('[data-keyscope-action="confirm"]') ?? host.querySelector('[data-keyscope-action="cancel"]') ?? host;
    first.focus({ preventScroll: false });
  }

  function close() {
    open?.host.remove();
    open = null;
  }

  window.addEventListener('submit', onSubmit, true);
  window.addEventListener('click', onClick, true);
  document.addEventListener('keyscope:empty-request', onEmptyRequest);
  KeyScopeApp.onInactive(() => {
    close();
    window.removeEventListener('submit', onSubmit, true);
    window.removeEventListener('click', onClick, true);
    document.removeEventListener('keyscope:empty-request', onEmptyRequest);
  });
})();
