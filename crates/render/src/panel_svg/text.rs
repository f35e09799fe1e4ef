//! The text panel as SVG: the content goes through `signalboard-markup` (Markdown, the
//! allow-listed HTML subset, or code) like the app's text panel, and the safe tree is laid
//! out as lines of escaped text — headings larger and bold, list items bulleted, long lines
//! wrapped by estimated width. No HTML or link reaches the SVG.

use signalboard_dashboard::{PanelOptions, TextMode};
use signalboard_markup::{markdown, sanitize_html, Node};

use super::svg::{Align, Svg};
use super::PanelBody;
use crate::paint::text_width;
use crate::style::palette;

const BODY_PX: f64 = 14.0;
const PAD: f64 = 8.0;

/// One laid-out block: its text, font size, weight and list bullet.
struct Block {
    text: String,
    size: f64,
    weight: u32,
    bullet: bool,
}

fn plain(node: &Node, out: &mut String) {
    match node {
        Node::Text(t) => out.push_str(t),
        Node::Element { tag, children, .. } => {
            if *tag == "br" {
                out.push(' ');
            }
            for c in children {
                plain(c, out);
            }
        }
    }
}

fn blocks(nodes: &[Node], out: &mut Vec<Block>) {
    let mut inline = String::new();
    let flush = |inline: &mut String, out: &mut Vec<Block>| {
        if !inline.trim().is_empty() {
            out.push(Block {
                text: inline.trim().to_string(),
                size: BODY_PX,
                weight: 400,
                bullet: false,
            });
        }
        inline.clear();
    };
    for node in nodes {
        match node {
            Node::Element { tag, children, .. } => {
                let heading = match *tag {
                    "h1" => Some(28.0),
                    "h2" => Some(24.0),
                    "h3" => Some(20.0),
                    "h4" | "h5" | "h6" => Some(16.0),
                    _ => None,
                };
                if let Some(size) = heading {
                    flush(&mut inline, out);
                    let mut text = String::new();
                    plain(node, &mut text);
                    out.push(Block {
                        text: text.trim().to_string(),
                        size,
                        weight: 500,
                        bullet: false,
                    });
                } else if *tag == "li" {
                    flush(&mut inline, out);
                    let mut text = String::new();
                    plain(node, &mut text);
                    out.push(Block {
                        text: text.trim().to_string(),
                        size: BODY_PX,
                        weight: 400,
                        bullet: true,
                    });
                } else if matches!(
                    *tag,
                    "p" | "div" | "ul" | "ol" | "pre" | "blockquote" | "table" | "tr"
                ) {
                    flush(&mut inline, out);
                    blocks(children, out);
                } else {
                    plain(node, &mut inline);
                }
            }
            Node::Text(t) => inline.push_str(t),
        }
    }
    flush(&mut inline, out);
}

/// Words of `text` wrapped to `width` pixels at `size`.
fn wrap(text: &str, width: f64, size: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if text_width(&candidate, size) > width && !line.is_empty() {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The text panel body; see module docs.
pub fn text_svg(body: &PanelBody) -> Svg {
    let nodes = match &body.panel.options {
        PanelOptions::Text(o) => match o.mode {
            TextMode::Html => sanitize_html(&o.content),
            TextMode::Code => vec![Node::el("pre", vec![Node::Text(o.content.clone())])],
            _ => markdown(&o.content),
        },
        _ => Vec::new(),
    };
    let mut list = Vec::new();
    blocks(&nodes, &mut list);
    let color = palette(body.theme).text;
    let mut svg = Svg::new();
    let mut y = PAD;
    for block in &list {
        let indent = if block.bullet { 18.0 } else { 0.0 };
        for (i, line) in wrap(&block.text, body.width - 2.0 * PAD - indent, block.size)
            .iter()
            .enumerate()
        {
            let line_h = block.size * 1.5;
            if y + line_h > body.height {
                return svg;
            }
            if block.bullet && i == 0 {
                svg.text(
                    PAD + 4.0,
                    y + line_h / 2.0,
                    "•",
                    block.size,
                    color,
                    Align::Start,
                    400,
                );
            }
            svg.text(
                PAD + indent,
                y + line_h / 2.0,
                line,
                block.size,
                color,
                Align::Start,
                block.weight,
            );
            y += line_h;
        }
        y += block.size * 0.5;
    }
    svg
}
