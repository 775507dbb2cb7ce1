// KeyScope content script: the coverage review, a section reviewers can open under the key
// list (`details[data-keyscope="coverage"]`, closed by default so it costs nothing unless
// opened).
//
// The engine computes and draws it (src/review.rs); this file places it, sends what changed
// (the key rows the page shows, the create form's state as the "what if" column, the filter
// text), and redraws while it is open: after the page re-renders its key list (Create,
// Regenerate, Delete, Revoke, Edit) and as the create form changes.
//
// It also hands the engine every change to the keys main-world.js reports
// (`keyscope:keys-changed`: a key created, regenerated, edited, deleted or revoked, never its
// secret), so the engine's page data, and with it the review, the request guard and the
// preview, follow the keys as they are now rather than as the page loaded them.
'use strict';

(() => {
  const KEYS_CHANGED_EVENT = 'keyscope:keys-changed';
  // The class of a review placed early, unseen until KeyScope is ready (see placeEarly).
  const WAITING = 'keyscope-waiting';
  // Changes reported while KeyScope is still starting wait for the engine; more than this many
  // before it is ready is no user's doing, and the rest are dropped (the review then names the
  // key rows it does not know).
  const MAX_WAITING_CHANGES = 100;
  let waitingChanges = [];
  let details = null;
  let filter = null;
  let body = null;
  let inFlight = false;
  let again = false;
  let lastRows = '';
  let frame = 0; // a redraw asked for the next animation frame

  function build() {
    details = document.createElement('details');
    details.className = 'keyscope-review';
    details.setAttribute('data-keyscope', 'coverage');
    const summary = document.createElement('summary');
    filter = document.createElement('input');
    filter.type = 'search';
    filter.className = 'keyscope-review-filter';
    filter.setAttribute('data-keyscope', 'coverage-filter');
    filter.autocomplete = 'off';
    body = document.createElement('div');
    body.setAttribute('data-keyscope', 'coverage-body');
    body.setAttribute('aria-live', 'polite');
    details.append(summary, filter, body);
    details.addEventListener('toggle', () => {
      if (details.open) refresh();
    });
    filter.addEventListener('input', refresh);
    KeyScopeSettings.load().then(({ reviewOpen }) => {
      if (reviewOpen) details.open = true;
    });
    localize();
  }

  // Its words; set again once KeyScope knows its language (the review may be built early).
  function localize() {
    details.querySelector('summary').textContent = KeyScopeI18n.t('review_summary');
    filter.setAttribute('aria-label', KeyScopeI18n.t('review_filter'));
    filter.placeholder = KeyScopeI18n.t('review_filter');
  }

  // Until KeyScope is ready, the review is placed unseen as soon as the key list is drawn,
  // with the page's own render: its filter is a text field (see preview.js's placeEarly).
  // Unseen, not hidden: Chromium spends 5-10 ms of style on a page of large's size each time
  // a <details> starts being rendered (any <details>, open or not, wherever it is; a <div> costs
  // nothing), so the review is rendered, invisible, from the start and only made visible when
  // KeyScope is ready, in the task that the user's first click may be waiting on.
  function placeEarly() {
    if (!details) {
      build();
      details.classList.add(WAITING);
    }
    if (!details.isConnected) KeyScopePage.placeReview(details);
  }

  // The create form as the engine's "what if": once an owner is chosen and a pattern typed or
  // an id ticked (an untouched form is not a key anyone is about to create).
  function pending() {
    if (!KeyScopePage.createForm()) return null;
    const state = KeyScopePage.submitState(KeyScopePage.CREATE_FORM);
    return state.owner && (state.pattern.trim() || state.ticked.length) ? state : null;
  }

  // One request at a time; changes meanwhile collapse into one follow-up.
  async function refresh() {
    if (!details?.open || !KeyScopeApp.isActive()) return;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    const rows = KeyScopePage.keyRows();
    lastRows = JSON.stringify(rows);
    const answer = await KeyScopeEngine.request({ type: 'review', now: Date.now(), rows, filter: filter.value, pending: pending() });
    inFlight = false;
    if (!KeyScopeApp.isActive()) return;
    if (answer?.type === 'review') {
      KeyScopeRender.into(body, answer.view);
      body.setAttribute('data-keyscope-rows', lastRows);
    }
    if (again) {
      again = false;
      refresh();
    }
  }

  // After any page re-render: put the review back if it was dropped, redraw when rows changed.
  function onMutation() {
    if (!details.isConnected) KeyScopePage.placeReview(details);
    if (details.open && JSON.stringify(KeyScopePage.keyRows()) !== lastRows) refresh();
  }

  // Only the page's own create-form controls change the "what if" column; KeyScope's own
  // fields in the form (the preview's) don't. A burst of keystrokes makes one redraw per frame,
  // and a closed review none (opening it recomputes).
  function onFormChange(event) {
    const target = event.target;
    if (!details?.open || frame || target?.closest?.('[data-keyscope]')) return;
    if (KeyScopePage.formNumber(target) !== KeyScopePage.CREATE_FORM) return;
    if (!KeyScopePage.isGlobInput(target) && !KeyScopePage.isFormControl(target) && !KeyScopePage.isPackageBox(target)) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      refresh();
    });
  }

  // The engine applies the change (and answers why not, when it can't); the review redraws.
  async function forward(change) {
    await KeyScopeEngine.request({ type: 'keys-changed', change });
    refresh();
  }

  // The event's detail is JSON text; the engine reads and checks it.
  function onKeysChanged(event) {
    const change = event.detail;
    if (typeof change !== 'string') return;
    if (KeyScopeApp.isActive()) forward(change);
    else if (waitingChanges && waitingChanges.length < MAX_WAITING_CHANGES) waitingChanges.push(change);
  }

  document.addEventListener(KEYS_CHANGED_EVENT, onKeysChanged);
  KeyScopeApp.early(placeEarly);

  KeyScopeApp.whenReady(() => {
    for (const change of waitingChanges.splice(0)) forward(change);
    if (details) localize();
    else build();
    details.classList.remove(WAITING);
    if (!details.isConnected && !KeyScopePage.placeReview(details)) document.body.append(details);
    // Opened before KeyScope was ready (the setting "review starts open"): draw it now.
    if (details.open) refresh();
    KeyScopeApp.onPageChange(onMutation);
    document.addEventListener('input', onFormChange, true);
    document.addEventListener('change', onFormChange, true);
  });

  KeyScopeApp.onInactive(() => {
    document.removeEventListener(KEYS_CHANGED_EVENT, onKeysChanged);
    waitingChanges = null;
    document.removeEventListener('input', onFormChange, true);
    document.removeEventListener('change', onFormChange, true);
    details?.remove();
  });
})();
