// KeyScope content script: turns the engine's view trees into DOM.
//
// A view node is a string (text) or { tag, attrs: [[name, value], ...], children }. Only the
// tags and attributes below are ever created, always with createElement/setAttribute/text
// nodes: nothing is parsed as HTML, so no pattern or page data can become markup or script.
'use strict';

const KeyScopeRender = (() => {
  const TAGS = new Set(['div', 'span', 'p', 'ul', 'ol', 'li', 'mark', 'strong', 'em', 'code', 'small', 'button', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'details', 'summary', 'h3', 'h4']);
  const ATTRS = /^(class|role|title|type|tabindex|lang|colspan|open|data-keyscope(-[a-z-]+)?|aria-[a-z]+)$/;

  function node(view) {
    if (typeof view === 'string') return document.createTextNode(view);
    const tag = TAGS.has(view?.tag) ? view.tag : 'span';
    const element = document.createElement(tag);
    for (const [name, value] of view.attrs ?? []) {
      if (ATTRS.test(name)) element.setAttribute(name, String(value));
    }
    for (const child of view.children ?? []) element.append(node(child));
    return element;
  }

  // Replaces the children of `container` with the view, in one DOM operation.
  function into(container, views) {
    const fragment = document.createDocumentFragment();
    for (const view of views ?? []) fragment.append(node(view));
    container.replaceChildren(fragment);
  }

  return { node, into };
})();
