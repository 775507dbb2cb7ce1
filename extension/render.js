// KeyScope content script: turns the engine's view trees into DOM.
//
// A view node is a string (text) or { tag, attrs: [[name, value], ...], children }. Only the
// tags and attributes below are ever created, always with createElement/setAttribute/text
// nodes: nothing is parsed as HTML, so no pattern or page data can become markup or script.
//
// Drawing a new view over an old one changes only what differs (a text, an attribute, a node
// of another kind), keeping every other node as it is: a keystroke mostly changes a few texts,
// and a node the browser keeps needs no new style, layout or paint, which on a page of tens
// of thousands of rows is what a frame costs. The result is exactly what building the view
// afresh would give.
'use strict';

const KeyScopeRender = (() => {
  const TAGS = new Set(['div', 'span', 'p', 'ul', 'ol', 'li', 'mark', 'strong', 'em', 'code', 'small', 'button', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'details', 'summary', 'h3', 'h4']);
  const ATTRS = /^(class|role|title|type|tabindex|lang|colspan|open|data-keyscope(-[a-z-]+)?|aria-[a-z]+)$/;

  const tagOf = (view) => (TAGS.has(view?.tag) ? view.tag : 'span');

  // The attributes a view node gets, in order, the last of a repeated name winning.
  function attrsOf(view) {
    const attrs = new Map();
    for (const [name, value] of view.attrs ?? []) {
      if (ATTRS.test(name)) attrs.set(name, String(value));
    }
    return attrs;
  }

  function node(view) {
    if (typeof view === 'string') return document.createTextNode(view);
    const element = document.createElement(tagOf(view));
    for (const [name, value] of attrsOf(view)) element.setAttribute(name, value);
    for (const child of view.children ?? []) element.append(node(child));
    return element;
  }

  // Whether `existing` can be made to show `view` in place: a text for a text, an element of
  // the same tag for an element.
  function fits(existing, view) {
    if (typeof view === 'string') return existing.nodeType === Node.TEXT_NODE;
    return existing.nodeType === Node.ELEMENT_NODE && existing.localName === tagOf(view);
  }

  function update(existing, view) {
    if (typeof view === 'string') {
      if (existing.data !== view) existing.data = view;
      return;
    }
    const attrs = attrsOf(view);
    for (const name of existing.getAttributeNames()) {
      if (!attrs.has(name)) existing.removeAttribute(name);
    }
    for (const [name, value] of attrs) {
      if (existing.getAttribute(name) !== value) existing.setAttribute(name, value);
    }
    patch(existing, view.children ?? []);
  }

  // Makes `parent`'s children show `views`, node by node.
  function patch(parent, views) {
    const children = parent.childNodes;
    views.forEach((view, at) => {
      const existing = children[at];
      if (existing && fits(existing, view)) update(existing, view);
      else if (existing) existing.replaceWith(node(view));
      else parent.append(node(view));
    });
    while (children.length > views.length) parent.lastChild.remove();
  }

  // Makes the children of `container` show the view.
  function into(container, views) {
    patch(container, views ?? []);
  }

  return { node, into };
})();
