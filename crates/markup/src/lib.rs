//! Text-panel markup made safe: Markdown and the HTML subset Grafana allows, turned into a
//! tree of [`Node`]s that contains only allow-listed elements and attributes.
//!
//! Contract: nothing produced here can run script. There is no raw-HTML escape hatch: the
//! renderer builds DOM nodes from this tree (text via `textContent`), `<script>`/`<style>`
//! /`<iframe>`… are dropped with their content, every `on*` attribute is dropped, and link
//! targets are kept only when they are http(s), mailto, relative or fragment URLs.

mod html;
mod markdown;
mod url;

pub use html::sanitize_html;
pub use markdown::markdown;
pub use url::safe_href;

/// A safe document node.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Text(String),
    Element {
        tag: &'static str,
        attrs: Vec<(&'static str, String)>,
        children: Vec<Node>,
    },
}

impl Node {
    pub fn el(tag: &'static str, children: Vec<Node>) -> Node {
        Node::Element {
            tag,
            attrs: Vec::new(),
            children,
        }
    }

    /// All text, concatenated (for tests and accessibility labels).
    pub fn text(&self) -> String {
        match self {
            Node::Text(t) => t.clone(),
            Node::Element { children, .. } => children.iter().map(Node::text).collect(),
        }
    }
}

/// Elements kept by the HTML sanitizer (Grafana's text panel subset, minus anything active).
pub(crate) const ALLOWED_TAGS: &[&str] = &[
    "a",
    "b",
    "blockquote",
    "br",
    "code",
    "div",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
];

/// Elements dropped together with everything inside them.
pub(crate) const DROP_WITH_CONTENT: &[&str] = &[
    "script", "style", "iframe", "object", "embed", "svg", "math", "template", "noscript", "frame",
    "frameset", "textarea", "select", "button", "form", "head", "title",
];
