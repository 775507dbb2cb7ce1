// KeyScope content script: the preview of the pending key, beside each create/edit form.
//
// What it owns in the page: one `data-keyscope="preview"` panel per form with KeyScope's own
// inputs (the instant pattern field, the list filter, the multi-pattern helper), the virtual
// id list's scrolling, "copy list", and ticking packages through the page's own checkboxes.
// What to show is decided by the engine (`preview`, `preview-copy`, `multi-pattern`
// requests); this file only gathers the form's state and draws the answers, part by part, so
// a keystroke re-draws the counts and the visible rows, not the whole panel.
//
// Hand-ticked ids are tracked from the rows' `change` events; the rows are read in full only
// when the page re-draws them (owner change, re-render), never per keystroke: an owner can
// have 20,000 rows.
'use strict';

(() => {
  const ROW_PX = 22; // keep in sync with .keyscope-row's height in keyscope.css
  const LIST_PX = 220; // keep in sync with .keyscope-list's height in keyscope.css
  const OVERSCAN = 6;
  const PARTS = ['feedback', 'counts', 'subjects', 'actions', 'diff'];
  const forms = new Map(); // form number → its preview state
  const early = new Map(); // form number → its panel placed before KeyScope was ready
  let active = false;

  function make(tag, attrs = {}, text = null) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, value);
    if (text !== null) element.textContent = text;
    return element;
  }

  function button(action, text, extra = {}) {
    return make('button', { type: 'button', class: 'keyscope-button', 'data-keyscope-action': action, ...extra }, text);
  }

  // Builds the panel of form `form`; the page never sees these inputs (they carry no name).
  // Its words are set by `localize`: a panel built before KeyScope knew its language (see
  // `placeEarly`) gets them again once it does.
  function buildPanel(form) {
    const words = [];
    const say = (element, where, key) => {
      words.push([element, where, key]);
      return element;
    };
    const panel = make('section', { class: 'keyscope-preview', 'data-keyscope': 'preview', 'data-keyscope-form': String(form) });
    say(panel, 'aria-label', 'preview_label');
    panel.append(say(make('h3', { class: 'keyscope-preview-title' }), 'text', 'preview_title'));

    const instantRow = make('div', { class: 'keyscope-instant' });
    const instantId = `keyscope-instant-${form}`;
    instantRow.append(say(make('label', { for: instantId }), 'text', 'preview_instant_label'));
    const instant = make('input', { id: instantId, type: 'text', class: 'keyscope-input', 'data-keyscope': 'instant-pattern', autocomplete: 'off', spellcheck: 'false' });
    say(instant, 'placeholder', 'preview_instant_placeholder');
    instantRow.append(instant, say(button('apply-pattern', ''), 'text', 'preview_apply'));
    const confirm = make('div', { class: 'keyscope-apply-warning', 'data-keyscope': 'apply-warning', role: 'alert', hidden: '' });
    const feedback = make('div', { class: 'keyscope-feedback', 'data-keyscope': 'instant-feedback', 'aria-live': 'polite' });
    panel.append(instantRow, confirm, feedback);

    const parts = { feedback };
    for (const name of PARTS.slice(1)) {
      parts[name] = make('div', { class: `keyscope-preview-${name}`, 'data-keyscope': `preview-${name}` });
      panel.append(parts[name]);
    }
    parts.counts.setAttribute('aria-live', 'polite');

    const listBar = make('div', { class: 'keyscope-list-bar' });
    const matchedTab = say(button('show-list', '', { 'data-keyscope-value': 'matched', 'aria-pressed': 'true' }), 'text', 'preview_tab_matched');
    const unmatchedTab = say(button('show-list', '', { 'data-keyscope-value': 'unmatched', 'aria-pressed': 'false' }), 'text', 'preview_tab_unmatched');
    const filter = make('input', { type: 'search', class: 'keyscope-input', 'data-keyscope': 'list-filter', autocomplete: 'off' });
    say(filter, 'placeholder', 'preview_filter');
    say(filter, 'aria-label', 'preview_filter_label');
    const copyStatus = make('span', { class: 'keyscope-preview-note', 'data-keyscope': 'copy-status', 'aria-live': 'polite' });
    listBar.append(matchedTab, unmatchedTab, filter, say(button('copy-list', ''), 'text', 'preview_copy_list'), copyStatus);
    const viewport = make('div', { class: 'keyscope-list', 'data-keyscope': 'id-list', tabindex: '0', role: 'list' });
    const spacer = make('div', { class: 'keyscope-list-spacer', role: 'none' });
    const rows = make('div', { class: 'keyscope-list-window', role: 'none' });
    viewport.append(spacer, rows);
    panel.append(listBar, viewport);

    const multi = make('div', { class: 'keyscope-multi' });
    const multiId = `keyscope-multi-${form}`;
    multi.append(say(make('label', { for: multiId }), 'text', 'preview_multi_label'));
    const multiField = make('textarea', { id: multiId, rows: '3', class: 'keyscope-input', 'data-keyscope': 'multi-pattern', spellcheck: 'false' });
    const multiFeedback = make('div', { class: 'keyscope-feedback', 'data-keyscope': 'multi-feedback', 'aria-live': 'polite' });
    const tick = say(button('tick-matching', '', { disabled: '' }), 'text', 'preview_tick_matching');
    const tickStatus = make('span', { class: 'keyscope-preview-note', 'data-keyscope': 'tick-status', 'aria-live': 'polite' });
    multi.append(multiField, multiFeedback, tick, tickStatus);
    panel.append(multi);

    const ui = { panel, instant, confirm, parts, matchedTab, unmatchedTab, filter, copyStatus, viewport, spacer, rows, multiField, multiFeedback, tick, tickStatus, words };
    localize(ui);
    return ui;
  }

  function localize(ui) {
    for (const [element, where, key] of ui.words) {
      if (where === 'text') element.textContent = KeyScopeI18n.t(key);
      else element.setAttribute(where, KeyScopeI18n.t(key));
    }
  }

  // Until KeyScope is ready, each form gets its panel, hidden, in the same task as the page
  // draws the form (KeyScopeApp.early): a text field added to the page later makes Chromium's
  // autofill read every form again, which over 20,000 rows holds up the user's first click
  // (docs/LEARNED.md). Only in its usual place: a form drawn in pieces gets its panel once
  // KeyScope is ready.
  function placeEarly() {
    for (const { form } of KeyScopePage.previewForms()) {
      if (early.get(form)?.panel.isConnected) continue;
      const ui = buildPanel(form);
      ui.panel.hidden = true;
      if (KeyScopePage.placePreview(form, ui.panel, { usualOnly: true })) early.set(form, ui);
      else early.delete(form);
    }
  }

  // The panel placed early for form `element`, if it is still there; else a new one, placed.
  function panelFor(form, element) {
    const ui = early.get(form);
    early.delete(form);
    if (ui?.panel.isConnected && ui.panel.closest('form') === element) {
      localize(ui);
      ui.panel.hidden = false;
      return ui;
    }
    ui?.panel.remove();
    const built = buildPanel(form);
    return KeyScopePage.placePreview(form, built.panel) ? built : null;
  }

  function attach(form, element) {
    const ui = panelFor(form, element);
    if (!ui) return;
    const state = {
      form,
      ui,
      list: 'matched',
      ticked: new Set(),
      rowsSeen: null,
      listElement: null,
      scrollTop: 0,
      inFlight: false,
      again: false,
      shown: {},
      last: null,
      multiInFlight: false,
      multiAgain: false,
      tickIds: null, // the ids "Tick matching packages" waits to tick until confirmed
    };
    ui.instant.value = KeyScopePage.globInput(form)?.value ?? '';
    // The scroll position is read here, where layout is fresh anyway: reading it while
    // building a request would force a layout of the page's 20,000 rows on every keystroke.
    ui.viewport.addEventListener('scroll', () => {
      state.scrollTop = ui.viewport.scrollTop;
      refresh(state);
    }, { passive: true });
    forms.set(form, state);
    refresh(state);
  }

  // What identifies the page's current rows of a form; a change means the page re-drew them.
  // Cheap enough for every page change: the list element is remembered while it stays in the
  // page, and its first and last rows are read, never its 20,000 children counted.
  function rowsSignature(state) {
    if (!state.listElement?.isConnected) state.listElement = KeyScopePage.packageList(state.form);
    const list = state.listElement;
    return list ? { list, first: list.firstElementChild, last: list.lastElementChild } : null;
  }

  function sameRows(a, b) {
    return a && b && a.list === b.list && a.first === b.first && a.last === b.last;
  }

  // Reads the hand-ticked ids afresh after the page re-drew the rows. A row the glob matches
  // is disabled, so whether it was also ticked by hand can't be read: keep what we knew.
  function rescan(state) {
    const seen = rowsSignature(state);
    if (sameRows(seen, state.rowsSeen)) return;
    const ticked = new Set(KeyScopePage.handTickedIds(state.form));
    if (state.ticked.size) {
      const matched = new Set(KeyScopePage.globMatchedIds(state.form));
      for (const id of state.ticked) if (matched.has(id)) ticked.add(id);
    }
    state.ticked = ticked;
    state.rowsSeen = seen;
  }

  // The form's owner and scopes, read afresh for every request: the page's script can reset
  // them without an event (its Cancel does), and reading them costs a few lookups.
  function formState(state) {
    return KeyScopePage.formState(state.form);
  }

  function query(state, type) {
    const { owner, scopes } = formState(state);
    const { filter, instant } = state.ui;
    const offset = Math.max(0, Math.floor(state.scrollTop / ROW_PX) - 1);
    const count = Math.ceil(LIST_PX / ROW_PX) + OVERSCAN;
    return {
      type,
      form: state.form,
      owner,
      scopes,
      pattern: instant.value,
      pagePattern: KeyScopePage.globInput(state.form)?.value ?? '',
      ticked: Array.from(state.ticked),
      filter: filter.value,
      list: state.list,
      offset,
      count,
    };
  }

  // Asks the engine for this form's preview; at most one request per form is on its way,
  // later changes collapse into one follow-up so fast typing never queues up.
  async function refresh(state) {
    if (!active || !state.ui.panel.isConnected) return;
    if (state.inFlight) {
      state.again = true;
      return;
    }
    state.inFlight = true;
    rescan(state);
    const asked = query(state, 'preview');
    const answer = await KeyScopeEngine.request(asked);
    state.inFlight = false;
    if (!active) return;
    if (answer.type === 'preview') draw(state, asked, answer);
    if (state.again) {
      state.again = false;
      refresh(state);
    }
  }

  function draw(state, asked, answer) {
    const { ui } = state;
    state.last = answer;
    for (const name of PARTS) {
      const json = JSON.stringify(answer[name]);
      if (state.shown[name] === json) continue;
      state.shown[name] = json;
      KeyScopeRender.into(ui.parts[name], answer[name]);
    }
    // Only what changed touches the DOM: on a page with tens of thousands of rows, any change
    // makes the browser lay the page out again before the next frame.
    const rows = JSON.stringify([answer.listTotal, answer.offset, answer.rows]);
    if (state.shown.rows !== rows) {
      state.shown.rows = rows;
      ui.spacer.style.height = `${answer.listTotal * ROW_PX}px`;
      ui.rows.style.transform = `translateY(${answer.offset * ROW_PX}px)`;
      KeyScopeRender.into(ui.rows, answer.rows);
    }
    ui.viewport.setAttribute('data-keyscope-total', String(answer.listTotal));
    // Which inputs this preview is about, so a reader (or a test) never pairs newer field
    // values with an older answer.
    ui.panel.setAttribute('data-keyscope-for', answer.pattern);
    ui.panel.setAttribute('data-keyscope-valid', String(answer.valid));
    ui.panel.setAttribute('data-keyscope-ticked', String(asked.ticked.length));
    ui.panel.setAttribute('data-keyscope-owner', asked.owner ?? '');
    ui.panel.setAttribute('data-keyscope-scopes', asked.scopes.join(' '));
    ui.panel.setAttribute('data-keyscope-list', asked.list);
    ui.panel.setAttribute('data-keyscope-filter', asked.filter);
    const applied = asked.pattern === asked.pagePattern;
    ui.panel.querySelector('[data-keyscope-action="apply-pattern"]').disabled = applied || !answer.valid;
  }

  function resetScroll(state) {
    state.ui.viewport.scrollTop = 0;
    state.scrollTop = 0;
  }

  // --- Apply to nuget.org ------------------------------------------------------------------

  async function apply(state) {
    const asked = query(state, 'preview');
    const answer = await KeyScopeEngine.request(asked);
    if (answer.type !== 'preview' || !answer.valid) return;
    if (!answer.applyWarning) {
      KeyScopePage.typeIntoGlob(state.form, asked.pattern);
      return;
    }
    askFirst(state, 'apply-confirm', answer.applyWarning, asked.pattern);
  }

  // The page will freeze for a while: say so and let the user choose, inside KeyScope.
  function askFirst(state, action, warning, about) {
    const confirm = state.ui.confirm;
    const yes = button(action, KeyScopeI18n.t('preview_apply_anyway'));
    const no = button('apply-cancel', KeyScopeI18n.t('rguard_cancel'));
    confirm.replaceChildren(make('p', {}, warning), yes, no);
    confirm.setAttribute('data-keyscope-for', about);
    confirm.setAttribute('data-keyscope-kind', action);
    confirm.hidden = false;
    yes.focus();
  }

  function closeConfirm(state) {
    if (state.ui.confirm.hidden) return;
    state.ui.confirm.hidden = true;
    state.ui.confirm.replaceChildren();
    state.tickIds = null;
  }

  // --- copy list ---------------------------------------------------------------------------

  async function copyList(state) {
    const answer = await KeyScopeEngine.request(query(state, 'preview-copy'));
    const status = state.ui.copyStatus;
    if (answer.type !== 'preview-copy') return;
    try {
      await navigator.clipboard.writeText(answer.text);
      status.textContent = KeyScopeI18n.plural('preview_copied', answer.count);
      status.setAttribute('data-keyscope-count', String(answer.count));
    } catch (error) {
      status.textContent = KeyScopeI18n.t('preview_copy_failed', error?.message ?? error);
      status.removeAttribute('data-keyscope-count');
    }
  }

  // --- several patterns --------------------------------------------------------------------

  async function multiRefresh(state, wantIds = false) {
    if (state.multiInFlight && !wantIds) {
      state.multiAgain = true;
      return null;
    }
    state.multiInFlight = true;
    const { owner, scopes } = formState(state);
    const text = state.ui.multiField.value;
    const answer = await KeyScopeEngine.request({ type: 'multi-pattern', form: state.form, owner, scopes, text, wantIds });
    state.multiInFlight = false;
    if (active && answer.type === 'multi-pattern') {
      KeyScopeRender.into(state.ui.multiFeedback, answer.view);
      state.ui.multiFeedback.setAttribute('data-keyscope-for', answer.text);
      state.ui.multiFeedback.setAttribute('data-keyscope-valid', String(answer.valid));
      state.ui.tick.disabled = !answer.valid;
    }
    if (state.multiAgain) {
      state.multiAgain = false;
      multiRefresh(state);
    }
    return answer;
  }

  async function tickMatching(state) {
    const answer = await multiRefresh(state, true);
    if (!answer || answer.type !== 'multi-pattern' || !answer.valid) return;
    if (answer.tickWarning) {
      askFirst(state, 'tick-confirm', answer.tickWarning, answer.text);
      state.tickIds = answer.ids;
      return;
    }
    tick(state, answer.ids);
  }

  function tick(state, ids) {
    // Each click makes the page recount its rows, as a hand click would; the page's own
    // `change` handling then keeps its selection, and our ticked set, in step.
    const clicked = KeyScopePage.tickPackages(state.form, ids);
    state.ui.tickStatus.textContent = KeyScopeI18n.plural('preview_ticked', clicked);
    state.ui.tickStatus.setAttribute('data-keyscope-count', String(clicked));
    refresh(state);
  }

  // --- events ------------------------------------------------------------------------------

  function stateOf(element) {
    const panel = element?.closest?.('[data-keyscope="preview"]');
    return panel ? forms.get(Number(panel.getAttribute('data-keyscope-form'))) : null;
  }

  function onInput(event) {
    const target = event.target;
    const globForm = KeyScopePage.isGlobInput(target) ? KeyScopePage.formNumber(target) : null;
    if (globForm !== null) {
      // The page's own glob field changed: KeyScope's field follows it.
      const state = forms.get(globForm);
      if (state) {
        KeyScopeSteady.busy(state.ui.panel);
        state.ui.instant.value = target.value;
        refresh(state);
      }
      return;
    }
    const state = stateOf(target);
    if (!state) return;
    KeyScopeSteady.busy(state.ui.panel);
    const kind = target.getAttribute('data-keyscope');
    if (kind === 'instant-pattern') {
      closeConfirm(state);
      refresh(state);
    } else if (kind === 'list-filter') {
      resetScroll(state);
      refresh(state);
    } else if (kind === 'multi-pattern') {
      multiRefresh(state);
    }
  }

  function onChange(event) {
    const target = event.target;
    if (KeyScopePage.isPackageBox(target)) {
      const state = forms.get(KeyScopePage.formNumber(target));
      if (!state) return;
      KeyScopeSteady.busy(state.ui.panel);
      if (target.checked && !target.disabled) state.ticked.add(target.value);
      else state.ticked.delete(target.value);
      refresh(state);
      return;
    }
    if (KeyScopePage.isFormControl(target)) {
      const state = forms.get(KeyScopePage.formNumber(target));
      if (!state) return;
      // After the page's own handlers have run (they redraw the rows on an owner change).
      setTimeout(() => refresh(state));
    }
  }

  function onClick(event) {
    const action = event.target.closest?.('[data-keyscope-action]');
    const state = action && stateOf(action);
    if (!state) return;
    switch (action.getAttribute('data-keyscope-action')) {
      case 'apply-pattern':
        apply(state);
        break;
      case 'apply-confirm':
        closeConfirm(state);
        KeyScopePage.typeIntoGlob(state.form, state.ui.instant.value);
        break;
      case 'tick-confirm': {
        const ids = state.tickIds;
        closeConfirm(state);
        if (ids) tick(state, ids);
        break;
      }
      case 'apply-cancel':
        closeConfirm(state);
        break;
      case 'show-list':
        state.list = action.getAttribute('data-keyscope-value') === 'unmatched' ? 'unmatched' : 'matched';
        state.ui.matchedTab.setAttribute('aria-pressed', String(state.list === 'matched'));
        state.ui.unmatchedTab.setAttribute('aria-pressed', String(state.list === 'unmatched'));
        resetScroll(state);
        refresh(state);
        break;
      case 'copy-list':
        copyList(state);
        break;
      case 'tick-matching':
        tickMatching(state);
        break;
      default:
    }
  }

  // Enter in one of KeyScope's single-line fields must not submit the page's form.
  function onKeyDown(event) {
    if (event.key !== 'Enter') return;
    const kind = event.target?.getAttribute?.('data-keyscope');
    if (kind === 'instant-pattern' || kind === 'list-filter') event.preventDefault();
  }

  // Gives every form a preview, and notices when the page re-drew a form's rows.
  function attachAll() {
    for (const { form, element } of KeyScopePage.previewForms()) {
      const state = forms.get(form);
      // Asked of the panel, never of the form: see KeyScopePage's note on reading forms.
      if (!state || !state.ui.panel.isConnected || state.ui.panel.closest('form') !== element) {
        attach(form, element);
      } else if (!sameRows(rowsSignature(state), state.rowsSeen)) {
        refresh(state);
      }
    }
    for (const [form, state] of forms) if (!state.ui.panel.isConnected) forms.delete(form);
  }

  function start() {
    active = true;
    document.addEventListener('input', onInput, true);
    document.addEventListener('change', onChange, true);
    document.addEventListener('click', onClick, true);
    document.addEventListener('keydown', onKeyDown, true);
    KeyScopeApp.onPageChange(() => {
      if (active) attachAll();
    });
    attachAll();
  }

  function stop() {
    active = false;
    document.removeEventListener('input', onInput, true);
    document.removeEventListener('change', onChange, true);
    document.removeEventListener('click', onClick, true);
    document.removeEventListener('keydown', onKeyDown, true);
    KeyScopeSteady.releaseAll();
    for (const state of forms.values()) state.ui.panel.remove();
    forms.clear();
    for (const ui of early.values()) ui.panel.remove();
    early.clear();
  }

  KeyScopeApp.early(placeEarly);
  KeyScopeApp.whenReady(start);
  KeyScopeApp.onInactive(stop);
})();
