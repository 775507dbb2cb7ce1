// KeyScope content script: keeps KeyScope's boxes from shrinking while the user is busy with them.
//
// KeyScope's glob feedback and preview sit above nuget.org's package list. If they shrank and
// grew with every keystroke or tick, everything below them would move: the row a user is about
// to tick jumps away, and the browser paints the list and the rest of the page again (measured
// on `large` in headless Chromium: 10-17 ms a frame, against about 1 ms for a text change that
// moves nothing). So while a box is busy it keeps the tallest height it reached, and it returns
// to its own height once the user has paused and no pointer button is held down, so a click
// never lands on something that moved under it.
'use strict';

const KeyScopeSteady = (() => {
  const PAUSE_MS = 1500;
  const boxes = new Map(); // element → { held: its tallest border-box height, timer }
  const waiting = new Set(); // boxes whose pause ended while a pointer button was down
  let pointerDown = false;

  // Learns how tall a busy box has grown. Holding it at the height it has just reached changes
  // no size, so this observer never feeds itself (no "ResizeObserver loop" error in the page).
  const observer = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const box = boxes.get(entry.target);
      const height = entry.borderBoxSize?.[0]?.blockSize;
      if (!box || !(height > box.held)) continue;
      box.held = height;
      entry.target.style.minHeight = `${height}px`;
    }
  });

  // `element` is busy now (a keystroke or a tick is about to change what it shows).
  function busy(element) {
    if (!element?.isConnected) return;
    let box = boxes.get(element);
    if (!box) {
      // Read before anything is drawn for this keystroke; KeyScope's roots are border-box.
      box = { held: element.getBoundingClientRect().height, timer: 0 };
      element.style.minHeight = `${box.held}px`;
      boxes.set(element, box);
      observer.observe(element, { box: 'border-box' });
    }
    clearTimeout(box.timer);
    box.timer = setTimeout(() => release(element), PAUSE_MS);
  }

  function release(element) {
    const box = boxes.get(element);
    if (!box) return;
    if (pointerDown && element.isConnected) {
      waiting.add(element);
      return;
    }
    clearTimeout(box.timer);
    boxes.delete(element);
    waiting.delete(element);
    observer.unobserve(element);
    element.style.minHeight = '';
  }

  function releaseAll() {
    pointerDown = false;
    for (const element of [...boxes.keys()]) release(element);
  }

  document.addEventListener('pointerdown', () => {
    pointerDown = true;
  }, { capture: true, passive: true });
  const pointerUp = () => {
    pointerDown = false;
    // After the click this pointerup ends has been dispatched.
    setTimeout(() => {
      for (const element of [...waiting]) release(element);
    });
  };
  document.addEventListener('pointerup', pointerUp, { capture: true, passive: true });
  document.addEventListener('pointercancel', pointerUp, { capture: true, passive: true });

  return { busy, releaseAll };
})();
