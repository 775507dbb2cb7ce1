// KeyScope content script: wiring. Reads the page data, starts the engine, and keeps KeyScope's
// feedback beside every glob field as the page re-renders. Fails open: whatever goes wrong,
// KeyScope removes what it drew, says why in its status line, and leaves the page alone.
'use strict';

// KeyScope's life on this page, for the other content scripts (preview, review, guards):
// `whenReady(fn)` runs fn once the engine has read the page data, `onInactive(fn)` when
// KeyScope gives up (each feature then removes what it drew and leaves the page alone), and
// `onPageChange(fn)` runs fn after the page re-rendered part of its DOM (one observer for all
// features, coalesced to once per microtask, only while KeyScope is active). Before it is
// ready, `early(fn)` runs fn in the same task as every change the page makes, and
// `whenParsed(fn)` once the document is parsed (the content scripts load at its start).
const KeyScopeApp = (() => {
  let state = 'starting';
  const ready = [];
  const inactive = [];
  const watchers = [];
  let observer = null;
  let scheduled = false;
  // A mutation KeyScope made itself (inside its own elements, or adding/removing one) is not a
  // page change: reacting to it would rescan the page after every one of KeyScope's redraws.
  const ours = (node) => node.nodeType === Node.ELEMENT_NODE && node.closest('[data-keyscope]') !== null;
  const byKeyScope = (record) =>
    ours(record.target) || [...record.addedNodes, ...record.removedNodes].every((node) => node.nodeType === Node.ELEMENT_NODE && node.hasAttribute('data-keyscope'));
  function pageChanged(records) {
    if (records.every(byKeyScope)) return;
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      if (state === 'ready') for (const fn of watchers) run(fn);
    });
  }
  // Until KeyScope is ready or gives up: what features place beside the page's elements as
  // soon as the page draws them (see `early`).
  const earlyFns = [];
  let earlyObserver = null;
  const runEarly = (fn) => {
    try {
      fn();
    } catch {
      // Placing early only saves the page work: a feature that failed at it is not asked
      // again, and places its part once KeyScope is ready, as it would have anyway.
      const at = earlyFns.indexOf(fn);
      if (at >= 0) earlyFns.splice(at, 1);
    }
  };
  function endEarly() {
    earlyObserver?.disconnect();
    earlyObserver = null;
    earlyFns.length = 0;
  }
  const run = (fn, ...args) => {
    try {
      fn(...args);
    } catch (error) {
      // One feature failing must not stop the others; content.js reports it in the status.
      queueMicrotask(() => KeyScopeApp.fail(KeyScopeI18n.t('reason_feature_failed', error?.message ?? error)));
    }
  };
  return {
    whenReady(fn) {
      if (state === 'ready') run(fn);
      else if (state === 'starting') ready.push(fn);
    },
    onInactive(fn) {
      inactive.push(fn);
    },
    // Runs fn now and again in the same task as every change the page makes to the document,
    // until KeyScope is ready or gives up (the content scripts run from the document's start):
    // what a feature puts into the page's forms then goes in with the page's own render.
    early(fn) {
      if (state !== 'starting') return;
      earlyFns.push(fn);
      runEarly(fn);
      if (!earlyObserver) {
        earlyObserver = new MutationObserver((records) => {
          if (records.every(byKeyScope)) return; // what early placing itself did
          for (const each of [...earlyFns]) runEarly(each);
        });
        earlyObserver.observe(document, { childList: true, subtree: true });
      }
    },
    // Runs fn once the page's document has been parsed (at once if it has).
    whenParsed(fn) {
      if (document.readyState !== 'loading') fn();
      else document.addEventListener('DOMContentLoaded', fn, { once: true });
    },
    onPageChange(fn) {
      watchers.push(fn);
      if (!observer) {
        observer = new MutationObserver(pageChanged);
        observer.observe(document.body, { childList: true, subtree: true });
      }
    },
    isActive: () => state === 'ready',
    // Called by content.js alone.
    becomeReady() {
      endEarly();
      state = 'ready';
      for (const fn of ready.splice(0)) run(fn);
    },
    becomeInactive(reason) {
      if (state === 'inactive') return;
      endEarly();
      state = 'inactive';
      observer?.disconnect();
      for (const fn of inactive) run(fn, reason);
    },
    fail: (reason) => KeyScopeApp.onFail?.(reason),
    onFail: null,
  };
})();

(() => {
  const status = document.createElement('div');
  status.setAttribute('data-keyscope', 'status');
  status.setAttribute('data-keyscope-state', 'starting');
  status.setAttribute('role', 'status');
  status.className = 'keyscope-status';
  status.textContent = KeyScopeI18n.t('status_starting');

  let active = false;
  // Per form (one edit form per key row) only while a request is on its way, so a page life
  // of thousands of keys leaves nothing behind.
  const inFlight = new Set(); // forms with a request on its way
  const waiting = new Set(); // forms typed into while theirs was on its way

  function showStatus(state, views) {
    status.setAttribute('data-keyscope-state', state);
    KeyScopeRender.into(status, views);
    if (!status.isConnected) KeyScopePage.placeStatus(status);
  }

  function deactivate(reason) {
    active = false;
    KeyScopeApp.becomeInactive(reason);
    document.removeEventListener('input', onInput, true);
    document.removeEventListener('change', onChange, true);
    document.removeEventListener('click', onClick, true);
    for (const slot of document.querySelectorAll('[data-keyscope="glob-feedback"]')) slot.remove();
    showStatus('inactive', [KeyScopeI18n.t('status_inactive', reason)]);
  }

  // The feedback container of form `form`, created beside its glob field if missing.
  function feedbackSlot(form) {
    const input = KeyScopePage.globInput(form);
    if (!input) return null;
    let slot = input.parentElement?.querySelector(`[data-keyscope="glob-feedback"][data-keyscope-form="${form}"]`);
    if (!slot) {
      slot = document.createElement('div');
      slot.setAttribute('data-keyscope', 'glob-feedback');
      slot.setAttribute('data-keyscope-form', String(form));
      slot.setAttribute('aria-live', 'polite');
      slot.className = 'keyscope-feedback';
      slot.id = `keyscope-feedback-${form}`;
      KeyScopePage.placeAfterGlob(input, slot);
      const described = (input.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
      if (!described.includes(slot.id)) input.setAttribute('aria-describedby', [...described, slot.id].join(' '));
    }
    return slot;
  }

  // Asks the engine about form `form`'s current pattern; at most one request per form is on
  // its way, later keystrokes collapse into one follow-up so fast typing never queues up.
  async function refresh(form) {
    if (!active) return;
    if (inFlight.has(form)) {
      waiting.add(form);
      return;
    }
    const input = KeyScopePage.globInput(form);
    if (!input) return;
    inFlight.add(form);
    const { owner, scopes } = KeyScopePage.formState(form);
    const text = input.value;
    const answer = await KeyScopeEngine.request({ type: 'glob', form, text, owner, scopes });
    inFlight.delete(form);
    if (!active) return;
    if (answer.type === 'feedback') {
      const slot = feedbackSlot(form);
      const view = JSON.stringify(answer.view);
      if (slot && slot.keyscopeView !== view) {
        // Unchanged feedback leaves the DOM alone (no relayout of a page of many rows).
        slot.keyscopeView = view;
        KeyScopeRender.into(slot, answer.view);
      }
      if (slot) {
        slot.setAttribute('data-keyscope-valid', String(answer.valid));
        // Which text this feedback is about, so a reader (or a test) never pairs a newer
        // field value with an older answer.
        slot.setAttribute('data-keyscope-for', text);
      }
    }
    if (waiting.delete(form)) refresh(form);
  }

  function onInput(event) {
    if (!KeyScopePage.isGlobInput(event.target)) return;
    const form = KeyScopePage.formNumber(event.target);
    if (form === null) return;
    KeyScopeSteady.busy(event.target.parentElement?.querySelector(`[data-keyscope="glob-feedback"][data-keyscope-form="${form}"]`));
    refresh(form);
  }

  function onChange(event) {
    if (!KeyScopePage.isFormControl(event.target)) return;
    const form = KeyScopePage.formNumber(event.target);
    if (form !== null) refresh(form);
  }

  function onClick(event) {
    const button = event.target.closest?.('[data-keyscope-action="use-suggestion"]');
    if (!button) return;
    const slot = button.closest('[data-keyscope="glob-feedback"]');
    const form = Number(slot?.getAttribute('data-keyscope-form'));
    const value = button.getAttribute('data-keyscope-value');
    if (Number.isInteger(form) && value !== null) KeyScopePage.typeIntoGlob(form, value);
  }

  // Gives every glob field on the page its feedback, after the page (re-)rendered some.
  function attachAll() {
    if (!status.isConnected) KeyScopePage.placeStatus(status);
    for (const input of KeyScopePage.globInputs()) {
      const form = KeyScopePage.formNumber(input);
      if (form === null) continue;
      const present = input.parentElement?.querySelector(`[data-keyscope="glob-feedback"][data-keyscope-form="${form}"]`);
      if (!present) refresh(form);
    }
  }

  async function main() {
    // After the page's own DOMContentLoaded handlers (registered after this script's), which
    // may draw the elements the status line goes beside.
    await new Promise((resolve) => KeyScopeApp.whenParsed(() => setTimeout(resolve)));
    showStatus('starting', [KeyScopeI18n.t('status_starting')]);
    const script = KeyScopePage.initialDataScript();
    if (!script) {
      deactivate(KeyScopeI18n.t('reason_no_page_data'));
      return;
    }
    try {
      await KeyScopeEngine.start((reason) => deactivate(reason));
    } catch (error) {
      deactivate(error.message);
      return;
    }
    const settings = await KeyScopeSettings.load();
    const locale = KeyScopeI18n.choose(settings.language);
    const answer = await KeyScopeEngine.request({ type: 'init', script, locale });
    if (answer.messages) KeyScopeI18n.use(locale, answer.messages);
    if (answer.type !== 'status') {
      deactivate(answer.reason ?? answer.message ?? KeyScopeI18n.t('reason_no_status'));
      return;
    }
    if (answer.state !== 'ready') {
      deactivate(answer.reason ?? KeyScopeI18n.t('reason_unexpected_page'));
      return;
    }
    active = true;
    showStatus('ready', answer.view);
    document.addEventListener('input', onInput, true);
    document.addEventListener('change', onChange, true);
    document.addEventListener('click', onClick, true);
    KeyScopeApp.onPageChange(() => {
      if (active) attachAll();
    });
    attachAll();
    KeyScopeApp.onFail = deactivate;
    KeyScopeApp.becomeReady();
  }

  main().catch((error) => deactivate(KeyScopeI18n.t('reason_unexpected_error', error?.message ?? error)));
})();
