// KeyScope content script: the page adapter, the only file that knows nuget.org's API Keys
// markup (ids, classes, where things sit). A markup change on nuget.org is fixed here alone.
//
// The page renders its forms and key rows client-side and re-creates them after every action,
// so nothing here holds on to an element: every function looks the page up afresh.
'use strict';

const KeyScopePage = (() => {
  const GLOB_ID = /^glob-pattern-(\d+)$/;
  const FORM_ID = /^form-(\d+)$/;
  // Controls whose own id ends in their form's number.
  const NUMBERED_CONTROL = /^(?:glob-pattern|package-owner|package-push|package-push-version|package-unlist)-(\d+)$/;
  const CREATE_FORM = 0;

  // A <form> answers property reads with its named controls first (a control named "id" would
  // shadow `form.id`), so after the page changes a form of 20,000 named checkboxes, the first
  // property read on that form (`form.id`, `form.querySelector`, ...) makes the browser rebuild
  // the form's index of names: 1–2 ms, measured, and KeyScope read forms on every keystroke.
  // Forms are therefore only reached through Element.prototype's own functions, below.
  const ELEMENT = Element.prototype;
  const find = (root, selector) => (root === document ? document.querySelector(selector) : ELEMENT.querySelector.call(root, selector));
  const findAll = (root, selector) => (root === document ? document.querySelectorAll(selector) : ELEMENT.querySelectorAll.call(root, selector));
  const idOf = (element) => ELEMENT.getAttribute.call(element, 'id') ?? '';
  const closestOf = (element, selector) => ELEMENT.closest.call(element, selector);
  // The document's forms, through the prototype's getter: an element named "forms" would
  // shadow `document.forms` itself.
  const formsGetter = (Object.getOwnPropertyDescriptor(Document.prototype, 'forms') ?? Object.getOwnPropertyDescriptor(HTMLDocument.prototype, 'forms'))?.get;
  const allForms = () => Array.from(formsGetter ? formsGetter.call(document) : document.forms);

  // The text of the inline script that assigns `initialData`, or null.
  function initialDataScript() {
    for (const script of document.querySelectorAll('script:not([src])')) {
      const text = script.textContent;
      if (/\binitialData\s*=/.test(text)) return text;
    }
    return null;
  }

  // Every glob-pattern field on the page, one per form: the create form's and each key's edit
  // form's, open or not. Found from the document's list of forms (one pass that checks each
  // node's tag alone) and by id, not by two selector queries from the document, each matching
  // a selector against all of a large page's 200,000 nodes (7-8 ms on `large`, measured; this
  // runs after every change the page makes). A form's own elements are searched only when the
  // id lookup fails (a renamed id, a form drawn twice), and its labels only for a form whose
  // field has lost its id: a form holds one label per package row. A glob field outside any
  // form is not found (nuget.org's are all inside their form).
  function globInputs() {
    const inputs = [];
    for (const form of allForms()) {
      const number = idOf(form).match(FORM_ID)?.[1];
      const byId = number === undefined ? null : document.getElementById(`glob-pattern-${number}`);
      const input = byId?.localName === 'input' && byId.form === form ? byId : ownGlob(form) ?? (number === undefined ? null : labelledGlob(form));
      if (input) inputs.push(input);
    }
    return inputs;
  }

  // The glob field inside `form` by its id alone, or null.
  function ownGlob(form) {
    return Array.from(findAll(form, 'input[id^="glob-pattern-"]')).find((input) => GLOB_ID.test(input.id)) ?? null;
  }

  // The number of the form `element` is or sits in (0 = create form, N = edit form of key N),
  // from `form#form-N`, else from the element's own numbered id; null for anything else.
  function formNumber(element) {
    if (!(element instanceof Element)) return null;
    const form = element instanceof HTMLFormElement ? element : closestOf(element, 'form');
    const match = (form && idOf(form).match(FORM_ID)) ?? (element instanceof HTMLFormElement ? null : idOf(element).match(NUMBERED_CONTROL));
    return match ? Number(match[1]) : null;
  }

  // Whether `element` is a form's glob field (by its id, or by the label that names it).
  function isGlobInput(element) {
    if (GLOB_ID.test(element?.id ?? '')) return true;
    // The element's own labels, not the form's: called for every input event. KeyScope's own
    // fields are never the page's (and `labels` is costly on a page of many labelled rows).
    return element?.localName === 'input' && element.type === 'text' && Boolean(element.form)
      && !element.closest('[data-keyscope]')
      && Array.from(element.labels ?? []).some(isGlobLabel);
  }

  function isGlobLabel(label) {
    return label.textContent.trim().toLowerCase() === 'glob pattern';
  }

  // The create form, or null while the page hasn't drawn it.
  function createForm() {
    return document.getElementById(`form-${CREATE_FORM}`);
  }

  function globInput(form) {
    return document.getElementById(`glob-pattern-${form}`) ?? labelledGlob(document.getElementById(`form-${form}`));
  }

  // The field the form's "Glob Pattern" label points at: if nuget.org renames the field's id,
  // its label still names it, so KeyScope (and its request guard) keep reading the right field.
  function labelledGlob(form) {
    if (!(form instanceof Element)) return null;
    const label = Array.from(findAll(form, 'label[for]')).find(isGlobLabel);
    const input = label?.control;
    return input?.localName === 'input' && input.type === 'text' && input.form === form ? input : null;
  }

  // What KeyScope needs from form `form`: the owner chosen and the scopes ticked, and whether
  // the scope controls were found at all (`scopesReadable`: none found is not none ticked).
  function formState(form) {
    const root = document.getElementById(`form-${form}`) ?? document;
    let owner = null;
    const ownerSelect = document.getElementById(`package-owner-${form}`);
    if (ownerSelect && ownerSelect.value !== '' && ownerSelect.selectedIndex >= 0) {
      owner = ownerSelect.options[ownerSelect.selectedIndex]?.text?.trim() || null;
    }
    const scopes = [];
    const first = find(root, 'input[name="PushScope"]');
    const push = pushCheckbox(root, first);
    const choice = push?.checked ? checkedPushScope(root, first) : null;
    if (choice) scopes.push(choice.value);
    const unlist = find(root, 'input[type="checkbox"][value="package:unlist"]');
    if (unlist?.checked) scopes.push(unlist.value);
    // Readable when every scope control was found (Push ticked names its choice).
    const scopesReadable = Boolean(push && unlist && (!push.checked || choice));
    return { owner, scopes, scopesReadable };
  }

  // The "Push" checkbox that enables the PushScope radios. nuget.org gives it no id (the
  // numbered ids `package-push-N` and `package-push-version-N` are the radios'): it is the
  // last checkbox before the first radio.
  function pushCheckbox(root, firstRadio) {
    if (!firstRadio) return null;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
    walker.currentNode = firstRadio;
    for (let steps = 0; steps < 50 && walker.previousNode(); steps += 1) {
      const element = walker.currentNode;
      if (element.localName === 'input' && element.type === 'checkbox') return element;
    }
    return null;
  }

  // The ticked `PushScope` radio of `root`, or null. The radios sit together before the
  // package rows: the first is found by selector (which stops at it), the others by walking
  // forward from it. One selector for "the ticked radio" was measured at about 2 ms per call
  // on a form of 20,000 rows (it runs on every keystroke), so it is only the last resort.
  function checkedPushScope(root, first) {
    if (!first || first.checked) return first;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
    walker.currentNode = first;
    for (let steps = 0; steps < 200 && walker.nextNode(); steps += 1) {
      const element = walker.currentNode;
      if (element.localName === 'input' && element.name === 'PushScope' && element.checked) return element;
    }
    return find(root, 'input[name="PushScope"]:checked');
  }

  // Whether `element` is one of the form controls whose change alters KeyScope's answer: the
  // owner, the PushScope radios, and the Push and Unlist checkboxes (no ids on nuget.org: any
  // checkbox of a numbered form that is not a package row).
  function isFormControl(element) {
    if (!(element instanceof HTMLInputElement || element instanceof HTMLSelectElement)) return false;
    if (/^(package-owner|package-push|package-push-version|package-unlist)-\d+$/.test(element.id) || element.name === 'PushScope') return true;
    return element.type === 'checkbox' && element.name !== 'Packages' && !element.closest('[data-keyscope]') && formNumber(element) !== null;
  }

  // Where the feedback for glob field `input` goes: right after the field (inside its group),
  // so it moves with the form and disappears when the page re-renders the form.
  function placeAfterGlob(input, element) {
    input.insertAdjacentElement('afterend', element);
  }

  // Where KeyScope's status line goes: above the create form when there is one.
  function placeStatus(element) {
    const create = document.getElementById('create-container');
    if (create?.parentElement) create.parentElement.insertBefore(element, create);
    else document.body.prepend(element);
  }

  // Puts `value` into glob field `form` the way typing would, so the page's own state follows.
  function typeIntoGlob(form, value) {
    const input = globInput(form);
    if (!input) return false;
    input.focus();
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
    return true;
  }

  return { CREATE_FORM, find, findAll, closestOf, allForms, initialDataScript, globInputs, formNumber, isGlobInput, createForm, globInput, formState, isFormControl, placeAfterGlob, placeStatus, typeIntoGlob };
})();

// ---- the request guard's view of the page (extension/request-guard.js) ----------------------
// Added to KeyScopePage without touching the functions above.
Object.assign(KeyScopePage, (() => {
  // Key actions the page asks window.confirm about; their links are `regenerate-N` etc.
  const ACTION_LINK = /^(regenerate|delete|revoke)-(\d+)$/;
  // The links every key row carries, with the key number after the dash.
  const KEY_LINKS = ['copy', 'start-edit', 'regenerate', 'revoke', 'delete'];

  // What form `form` would submit, read from its fields: the glob text, the ids ticked by
  // hand (rows the pattern matches are disabled and shown checked; they are not hand ticks),
  // the scopes and the owner; and which of them KeyScope could read (`readable`): a field it
  // can't find says nothing, it is not an empty one. Synchronous and cheap enough for 20,000 rows.
  function submitState(form) {
    const glob = KeyScopePage.globInput(form);
    const list = KeyScopePage.packageList(form);
    const { owner, scopes, scopesReadable } = KeyScopePage.formState(form);
    return {
      pattern: glob?.value ?? '',
      ticked: KeyScopePage.handTickedIds(form),
      scopes,
      owner,
      readable: { pattern: Boolean(glob), packages: Boolean(list), scopes: scopesReadable },
    };
  }

  // The row of key `key`: its links carry the key number (`copy-N`, `start-edit-N`,
  // `regenerate-N`, `revoke-N`, `delete-N`). Should the row lose its class, the largest
  // ancestor of such a link that holds no other key's links stands in for it.
  function keyRow(key) {
    const links = KEY_LINKS.map((name) => document.getElementById(`${name}-${key}`)).filter(Boolean);
    const row = links.map((link) => link.closest('.api-key-details')).find(Boolean);
    if (row || links.length === 0) return row ?? null;
    let node = links[0];
    while (node.parentElement && node.parentElement !== document.body
      && !node.parentElement.querySelector(`[id^="delete-"]:not([id="delete-${key}"])`)) {
      node = node.parentElement;
    }
    return node;
  }

  // Whether the page offers key `key`'s Copy link: it shows it only while it holds the value.
  function offersCopy(key) {
    const link = document.getElementById(`copy-${key}`);
    return Boolean(link && link.getClientRects().length > 0);
  }

  // Key `key`'s subjects as its row shows them now ("Glob pattern: X", "Packages: a, b"), or
  // null when the row doesn't say. Package ids never contain ", ", so the split is exact.
  function keySubjects(key) {
    const row = keyRow(key);
    if (!row) return null;
    const glob = row.querySelector('.api-key-glob span')?.textContent.trim() ?? '';
    const packages = row.querySelector('.api-key-packages span')?.textContent ?? '';
    const subjects = [glob, ...packages.split(', ')].map((s) => s.trim()).filter(Boolean);
    return subjects.length ? subjects : null;
  }

  // Every key row on the page: its number and whether the page shows it revoked.
  function keyRows() {
    return Array.from(document.querySelectorAll('.api-keys-list .api-key-details'), (row) => {
      const link = row.querySelector('a[id^="delete-"]');
      const key = Number(link?.id.slice('delete-'.length));
      return Number.isInteger(key) && link ? { key, revoked: row.classList.contains('api-key-revoked') } : null;
    }).filter(Boolean);
  }

  // The key action a click on `element` is about: { action, key, link }, or null.
  function keyAction(element) {
    const link = element?.closest?.('a[id^="regenerate-"], a[id^="delete-"], a[id^="revoke-"]');
    const match = link?.id.match(ACTION_LINK);
    return match ? { action: match[1], key: Number(match[2]), link } : null;
  }

  function actionLink(action, key) {
    return document.getElementById(`${action}-${key}`);
  }

  // Where the guard of form `form` goes: just above its Create/Save buttons.
  function placeFormGuard(form, element) {
    const root = document.getElementById(`form-${form}`);
    if (!root) return false;
    const actions = KeyScopePage.find(root, '.form-actions');
    if (actions) actions.before(element);
    else Element.prototype.append.call(root, element);
    return true;
  }

  // Where the guard of a key action goes: below the key's action links; without a row it
  // knows, right after the link clicked (`link`), if that is still on the page.
  function placeKeyGuard(key, element, link = null) {
    const row = keyRow(key);
    if (!row) {
      if (!link?.isConnected) return false;
      link.after(element);
      return true;
    }
    const actions = row.querySelector('.api-key-actions');
    if (actions) actions.after(element);
    else row.append(element);
    return true;
  }

  return { submitState, keyRow, offersCopy, keySubjects, keyRows, keyAction, actionLink, placeFormGuard, placeKeyGuard };
})());

// ---- the preview's view of the page (extension/preview.js) ----------------------------------
// Added to KeyScopePage without touching the functions above.
Object.assign(KeyScopePage, (() => {
  const PACKAGE_BOX = 'input[type="checkbox"][name="Packages"]';

  // The forms that get a preview: [{ form, element }]. The create form, and the edit forms
  // the user opened: nuget.org draws a hidden edit form for every key from the start, and a
  // preview (with its engine request) for each of 50 keys would cost for nothing.
  function previewForms() {
    // The document's list of forms: no selector matched against every node of the page.
    return KeyScopePage.allForms().map((element) => {
      const form = KeyScopePage.formNumber(element);
      if (form === null) return null;
      // nuget.org keeps each key's edit form in a closed Bootstrap collapse until Edit opens it.
      return form === KeyScopePage.CREATE_FORM || !KeyScopePage.closestOf(element, '.hidden, .collapse:not(.in)') ? { form, element } : null;
    }).filter(Boolean);
  }

  // The container of form `form`'s package rows (re-created when the page redraws the rows).
  function packageList(form) {
    const root = document.getElementById(`form-${form}`);
    return root ? KeyScopePage.find(root, '.available-packages .panel-body') : null;
  }

  // Whether `element` is a package row's checkbox; and the form it belongs to.
  function isPackageBox(element) {
    return Boolean(element?.matches?.(PACKAGE_BOX));
  }

  // The ids ticked by hand: checked rows the pattern doesn't match (matched rows are disabled
  // and shown checked by the page, so they say nothing about a hand tick).
  function handTickedIds(form) {
    const list = packageList(form);
    return list ? Array.from(list.querySelectorAll(`${PACKAGE_BOX}:checked:not(:disabled)`), (input) => input.value) : [];
  }

  // The ids of the rows the page shows as matched by its glob field.
  function globMatchedIds(form) {
    const list = packageList(form);
    return list ? Array.from(list.querySelectorAll(`${PACKAGE_BOX}:disabled`), (input) => input.value) : [];
  }

  // The page's own "N of M packages selected" label of form `form`: { selected, total } or null.
  function selectedCount(form) {
    const match = document.getElementById(`selected-count-${form}`)?.textContent.match(/(\d[\d,]*)\s+of\s+(\d[\d,]*)/);
    return match ? { selected: Number(match[1].replace(/,/g, '')), total: Number(match[2].replace(/,/g, '')) } : null;
  }

  // Where form `form`'s preview goes: just above its Available Packages list.
  // `usualOnly`: only right before the package list, nowhere else.
  function placePreview(form, element, { usualOnly = false } = {}) {
    const root = document.getElementById(`form-${form}`);
    if (!root) return false;
    const packages = KeyScopePage.find(root, '.available-packages');
    if (packages) packages.before(element);
    else if (!usualOnly) KeyScopePage.globInput(form)?.parentElement?.append(element);
    return element.isConnected;
  }

  // Ticks every row of form `form` whose id is in `ids` (case ignored) exactly as a click does,
  // so the page's own state (and so its request) follows; rows already ticked or matched by
  // the glob (disabled) are left alone. Returns how many rows were clicked.
  function tickPackages(form, ids) {
    const wanted = new Set(ids.map((id) => id.toLowerCase()));
    const list = packageList(form);
    if (!list) return 0;
    let clicked = 0;
    for (const input of list.querySelectorAll(`${PACKAGE_BOX}:not(:checked):not(:disabled)`)) {
      if (!wanted.has(input.value.toLowerCase())) continue;
      input.click();
      clicked += 1;
    }
    return clicked;
  }

  return { previewForms, packageList, isPackageBox, handTickedIds, globMatchedIds, selectedCount, placePreview, tickPackages };
})());

// ---- the coverage review's place on the page (extension/review.js) --------------------------
Object.assign(KeyScopePage, (() => {
  // The review sits right after the page's key list, outside it: the page re-creates the
  // list's rows after every action, never the list itself.
  function placeReview(element) {
    const list = document.querySelector('.api-keys-list');
    if (!list?.parentElement) return false;
    list.after(element);
    return true;
  }

  return { placeReview };
})());
