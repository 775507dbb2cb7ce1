// KeyScope content script: keeps KeyScope's boxes still, and cheap to redraw, while the user
// is busy with them.
//
// KeyScope's glob feedback and preview sit above nuget.org's package list. If they shrank and
// grew with every keystroke or tick, everything below them would move: the row a user is about
// to tick jumps away, and the browser paints the list and the rest of the page again (measured
// on `large` in headless Chromium: 10-17 ms a frame, against about 1 ms for a text change that
// moves nothing). So while a box is busy it keeps the tallest height it reached, and it returns
// to its own height once the user has paused, no pointer button is held down and the pointer
// is not over anything below the box, so a click never lands on something that moved under it
// (a user who typed a pattern and went for a row of the list finds the row where it was).
//
// While held, a box carries `data-keyscope-held`: `busy`, or `waiting` once the pause is over
// but the pointer (or a held button) keeps it from letting go.
//
// A busy box is held at a fixed height with size and layout containment, which makes it a
// root of its own layout: a text KeyScope changes inside it is laid out inside it, instead of
// from the top of a page of 100,000 layout objects (Chromium on `large`: a few tenths of a
// millisecond a frame instead of 2-4 ms). Its content can still outgrow it (a warning that
// appears, a confirmation): the box's children are watched, and the box grows to fit them in
// the same frame.
'use strict';

const KeyScopeSteady = (() => {
  const PAUSE_MS = 1500;
  // element → { held: its border-box height, border: border-box height minus scrollHeight's
  // box, timer, watcher: the MutationObserver following its children }
  const boxes = new Map();
  const waiting = new Set(); // boxes whose pause ended while letting go would move things
  let pointerDown = false;
  let hovered = null; // the element under the pointer, while it is over the page

  // Grows a held box to what its content needs. Called after layout (a ResizeObserver
  // callback), so reading the content's height costs no extra layout; growing it changes the
  // size of the box, which is not observed, so the observer never feeds itself (no
  // "ResizeObserver loop" error in the page).
  function fit(element) {
    const box = boxes.get(element);
    if (!box) return;
    const needed = element.scrollHeight + box.border;
    if (!(needed > box.held)) return;
    box.held = needed;
    element.style.height = `${needed}px`;
  }

  const sizes = new ResizeObserver((entries) => {
    const owners = new Set(entries.map((entry) => entry.target.parentElement));
    for (const owner of owners) fit(owner);
  });

  function watch(element) {
    for (const child of element.children) sizes.observe(child, { box: 'border-box' });
  }

  // `element` is busy now (a keystroke or a tick is about to change what it shows).
  function busy(element) {
    if (!element?.isConnected) return;
    let box = boxes.get(element);
    if (!box) {
      // Read before anything is drawn for this keystroke; KeyScope's roots are border-box.
      const held = element.getBoundingClientRect().height;
      box = { held, border: element.offsetHeight - element.clientHeight, timer: 0, watcher: null };
      element.style.height = `${held}px`;
      element.style.contain = 'size layout style';
      boxes.set(element, box);
      box.watcher = new MutationObserver((records) => {
        for (const record of records) {
          for (const node of record.removedNodes) if (node.nodeType === Node.ELEMENT_NODE) sizes.unobserve(node);
          for (const node of record.addedNodes) if (node.nodeType === Node.ELEMENT_NODE) sizes.observe(node, { box: 'border-box' });
        }
      });
      box.watcher.observe(element, { childList: true });
      watch(element);
    }
    clearTimeout(box.timer);
    waiting.delete(element);
    element.setAttribute('data-keyscope-held', 'busy');
    box.timer = setTimeout(() => release(element), PAUSE_MS);
  }

  // Whether letting `element` go back to its own height would move what is under the pointer:
  // what comes after it in the page moves with its bottom edge.
  function movesUnderPointer(element) {
    if (!hovered?.isConnected || element.contains(hovered)) return false;
    return Boolean(element.compareDocumentPosition(hovered) & Node.DOCUMENT_POSITION_FOLLOWING);
  }

  // `force`: whatever the pointer does (KeyScope is stopping).
  function release(element, force = false) {
    const box = boxes.get(element);
    if (!box) return;
    if (!force && element.isConnected && (pointerDown || movesUnderPointer(element))) {
      waiting.add(element);
      element.setAttribute('data-keyscope-held', 'waiting');
      return;
    }
    clearTimeout(box.timer);
    boxes.delete(element);
    waiting.delete(element);
    box.watcher.disconnect();
    for (const child of element.children) sizes.unobserve(child);
    element.style.height = '';
    element.style.contain = '';
    element.removeAttribute('data-keyscope-held');
  }

  // The boxes that waited get another chance.
  function retry() {
    for (const element of [...waiting]) release(element);
  }

  function releaseAll() {
    pointerDown = false;
    for (const element of [...boxes.keys()]) release(element, true);
  }

  document.addEventListener('pointerdown', () => {
    pointerDown = true;
  }, { capture: true, passive: true });
  const pointerUp = () => {
    pointerDown = false;
    // After the click this pointerup ends has been dispatched.
    setTimeout(retry);
  };
  document.addEventListener('pointerup', pointerUp, { capture: true, passive: true });
  document.addEventListener('pointercancel', pointerUp, { capture: true, passive: true });
  // Where the pointer is; a box waiting for it to move away lets go once it has.
  document.addEventListener('pointerover', (event) => {
    hovered = event.target;
    if (waiting.size && !pointerDown) retry();
  }, { capture: true, passive: true });
  document.addEventListener('pointerout', (event) => {
    if (event.relatedTarget) return;
    hovered = null; // it left the page
    if (waiting.size && !pointerDown) retry();
  }, { capture: true, passive: true });

  return { busy, releaseAll };
})();
