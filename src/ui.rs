//! What KeyScope draws, as plain data: small element trees the content script turns into DOM.
//!
//! Deciding *what* to show lives here, in Rust, where it is tested natively; the browser side
//! (`extension/render.js`) only materialises a [`Node`] tree with `createElement` and
//! `textContent`. It never parses HTML, so nothing a pattern or the page data contains can
//! become markup, and the renderer accepts only the tags and attributes listed in it.

use serde::Serialize;

/// One node of a view: text, or an element with attributes and children.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Node {
    Text(String),
    Element(Element),
}

/// An element: a tag, its attributes in order, its children.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Element {
    pub tag: &'static str,
    pub attrs: Vec<(&'static str, String)>,
    pub children: Vec<Node>,
}

/// Starts an element; chain [`Element::attr`] and [`Element::child`].
pub fn el(tag: &'static str) -> Element {
    Element {
        tag,
        attrs: Vec::new(),
        children: Vec::new(),
    }
}

/// A text node.
pub fn text(value: impl Into<String>) -> Node {
    Node::Text(value.into())
}

impl Element {
    pub fn attr(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.attrs.push((name, value.into()));
        self
    }

    pub fn class(self, value: &'static str) -> Self {
        self.attr("class", value)
    }

    pub fn child(mut self, node: impl Into<Node>) -> Self {
        self.children.push(node.into());
        self
    }

    pub fn children(mut self, nodes: impl IntoIterator<Item = Node>) -> Self {
        self.children.extend(nodes);
        self
    }

    /// The first value of attribute `name`, if set.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.as_str())
    }
}

impl From<Element> for Node {
    fn from(element: Element) -> Node {
        Node::Element(element)
    }
}

impl Node {
    /// All text below this node, concatenated (what a reader would hear).
    pub fn text_content(&self) -> String {
        match self {
            Node::Text(value) => value.clone(),
            Node::Element(element) => element.children.iter().map(Node::text_content).collect(),
        }
    }

    /// Every element below (and including) this node, depth first.
    pub fn elements(&self) -> Vec<&Element> {
        let mut found = Vec::new();
        let mut stack = vec![self];
        while let Some(node) = stack.pop() {
            if let Node::Element(element) = node {
                found.push(element);
                stack.extend(element.children.iter().rev());
            }
        }
        found
    }
}

/// Formats a count with the current language's thousands separators: `2434` → `2,434`
/// (German `2.434`).
pub fn count(value: usize) -> String {
    crate::i18n::count(value)
}

/// A number with its noun, from the plural forms of message `key`: "1 package" /
/// "2,434 packages" (`n_packages_one`, `n_packages_other`).
pub fn plural(value: usize, key: &str) -> String {
    crate::i18n::tn(key, value, &[])
}

/// What the core's tests read off a view, as a user or the content script would: its text,
/// its marked elements, the values of an attribute. One reader for every module's tests.
#[cfg(test)]
pub mod read {
    use super::{Element, Node};

    /// Every element of `view`, depth first.
    pub fn elements(view: &[Node]) -> Vec<&Element> {
        view.iter().flat_map(Node::elements).collect()
    }

    /// All text of `view`, concatenated.
    pub fn text(view: &[Node]) -> String {
        view.iter().map(Node::text_content).collect()
    }

    /// The elements of `view` marked `data-keyscope="name"`.
    pub fn marked<'a>(view: &'a [Node], name: &str) -> Vec<&'a Element> {
        elements(view)
            .into_iter()
            .filter(|element| element.get("data-keyscope") == Some(name))
            .collect()
    }

    /// Every value of `attribute` in `view`, depth first.
    pub fn values(view: &[Node], attribute: &str) -> Vec<String> {
        elements(view)
            .into_iter()
            .filter_map(|element| element.get(attribute))
            .map(str::to_string)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_groups_thousands() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(2434), "2,434");
        assert_eq!(count(100_000), "100,000");
        assert_eq!(count(1_234_567), "1,234,567");
    }

    #[test]
    fn plural_says_one_without_s() {
        assert_eq!(plural(1, "n_packages"), "1 package");
        assert_eq!(plural(2434, "n_packages"), "2,434 packages");
    }

    #[test]
    fn text_content_joins_all_text() {
        let node: Node = el("p")
            .child(text("a "))
            .child(el("mark").child(text("b")))
            .into();
        assert_eq!(node.text_content(), "a b");
        assert_eq!(node.elements().len(), 2);
    }

    #[test]
    fn readers_find_marked_elements_and_attribute_values_depth_first() {
        let view: Vec<Node> = vec![
            el("ul")
                .attr("data-keyscope", "list")
                .child(el("li").attr("data-keyscope-id", "A").child(text("A")))
                .child(el("li").attr("data-keyscope-id", "B").child(text("B")))
                .into(),
            el("p")
                .attr("data-keyscope", "list")
                .child(text(" end"))
                .into(),
        ];
        assert_eq!(read::text(&view), "AB end");
        assert_eq!(read::elements(&view).len(), 4);
        let marked: Vec<&str> = read::marked(&view, "list").iter().map(|e| e.tag).collect();
        assert_eq!(marked, ["ul", "p"]);
        assert_eq!(read::values(&view, "data-keyscope-id"), ["A", "B"]);
    }
}
