//! Text panel: Markdown (default) or the HTML subset Grafana allows, made safe by
//! `signalboard-markup` and turned into DOM nodes here — text only via text nodes,
//! attributes only from the sanitizer's allow-list. No `innerHTML` anywhere.

use std::sync::Arc;

use leptos::prelude::*;
use signalboard_core::dashboard::{Panel, PanelOptions, TextMode};
use signalboard_markup::{markdown, sanitize_html, Node};

fn nodes(panel: &Panel) -> Vec<Node> {
    let PanelOptions::Text(opts) = &panel.options else {
        return Vec::new();
    };
    match opts.mode {
        TextMode::Html => sanitize_html(&opts.content),
        TextMode::Code => vec![Node::el(
            "pre",
            vec![Node::el("code", vec![Node::Text(opts.content.clone())])],
        )],
        _ => markdown(&opts.content),
    }
}

/// Builds DOM for safe nodes: elements and attributes from the tree, text as text nodes.
pub fn markup_fragment(nodes: &[Node]) -> Option<web_sys::DocumentFragment> {
    let doc = web_sys::window()?.document()?;
    let frag = doc.create_document_fragment();
    for n in nodes {
        frag.append_child(&build(&doc, n)?).ok()?;
    }
    Some(frag)
}

fn build(doc: &web_sys::Document, node: &Node) -> Option<web_sys::Node> {
    match node {
        Node::Text(t) => Some(doc.create_text_node(t).into()),
        Node::Element {
            tag,
            attrs,
            children,
        } => {
            let el = doc.create_element(tag).ok()?;
            for (k, v) in attrs {
                let _ = el.set_attribute(k, v);
            }
            for c in children {
                if let Some(child) = build(doc, c) {
                    let _ = el.append_child(&child);
                }
            }
            Some(el.into())
        }
    }
}

#[component]
pub fn TextBody(panel: Arc<Panel>) -> impl IntoView {
    let target = NodeRef::<leptos::html::Div>::new();
    let tree = nodes(&panel);
    Effect::new(move |_| {
        let (Some(div), Some(frag)) = (target.get(), markup_fragment(&tree)) else {
            return;
        };
        div.set_text_content(None);
        let _ = div.append_child(&frag);
    });
    view! { <div class="text-panel" node_ref=target></div> }
}
