//! A small CommonMark subset: ATX headings, paragraphs, `-`/`*`/`+` and `1.` lists, `>`
//! quotes, fenced code, `---` rules; inline code, `**strong**`, `*em*`/`_em_`, links
//! `[text](url)` and `<https://autolinks>`. Raw HTML inside Markdown is shown as text —
//! the safe choice, since Markdown is the default text-panel mode for untrusted dashboards.

use crate::url::safe_href;
use crate::Node;

/// Renders Markdown into safe nodes.
pub fn markdown(input: &str) -> Vec<Node> {
    let lines: Vec<&str> = input.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(line) = lines.get(i) {
        let t = line.trim_start();
        if t.is_empty() {
            i += 1;
        } else if let Some(fence) = t.strip_prefix("```") {
            let _lang = fence.trim();
            let mut code = Vec::new();
            i += 1;
            while let Some(l) = lines.get(i) {
                i += 1;
                if l.trim_start().starts_with("```") {
                    break;
                }
                code.push(*l);
            }
            out.push(Node::el(
                "pre",
                vec![Node::el("code", vec![Node::Text(code.join("\n"))])],
            ));
        } else if let Some((level, text)) = heading(t) {
            out.push(Node::el(level, inline(text)));
            i += 1;
        } else if is_rule(t) {
            out.push(Node::el("hr", vec![]));
            i += 1;
        } else if t.starts_with('>') {
            let mut quoted = Vec::new();
            while let Some(l) = lines
                .get(i)
                .map(|l| l.trim_start())
                .filter(|l| l.starts_with('>'))
            {
                quoted.push(l.trim_start_matches('>').trim_start());
                i += 1;
            }
            out.push(Node::el("blockquote", markdown(&quoted.join("\n"))));
        } else if list_item(t).is_some() {
            let ordered = list_item(t).is_some_and(|(o, _)| o);
            let mut items = Vec::new();
            while let Some((o, text)) = lines.get(i).and_then(|l| list_item(l.trim_start())) {
                if o != ordered {
                    break;
                }
                items.push(Node::el("li", inline(text)));
                i += 1;
            }
            out.push(Node::el(if ordered { "ol" } else { "ul" }, items));
        } else {
            let mut para = Vec::new();
            while let Some(l) = lines.get(i).map(|l| l.trim()) {
                if l.is_empty()
                    || heading(l).is_some()
                    || l.starts_with("```")
                    || list_item(l).is_some()
                    || l.starts_with('>')
                {
                    break;
                }
                para.push(l);
                i += 1;
            }
            out.push(Node::el("p", inline(&para.join("\n"))));
        }
    }
    out
}

fn heading(t: &str) -> Option<(&'static str, &str)> {
    let hashes = t.bytes().take_while(|b| *b == b'#').count();
    let text = t.get(hashes..)?;
    if hashes == 0 || hashes > 6 || !(text.is_empty() || text.starts_with(' ')) {
        return None;
    }
    let tag = ["h1", "h2", "h3", "h4", "h5", "h6"].get(hashes - 1)?;
    Some((tag, text.trim().trim_end_matches('#').trim_end()))
}

fn is_rule(t: &str) -> bool {
    let c: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    c.len() >= 3
        && (c.chars().all(|x| x == '-')
            || c.chars().all(|x| x == '*')
            || c.chars().all(|x| x == '_'))
}

/// `(ordered, text)` for a list item line.
fn list_item(t: &str) -> Option<(bool, &str)> {
    for m in ["- ", "* ", "+ "] {
        if let Some(rest) = t.strip_prefix(m) {
            return Some((false, rest));
        }
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && digits < 10 {
        let rest = t.get(digits..)?;
        if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some((true, r));
        }
    }
    None
}

/// Inline spans.
fn inline(text: &str) -> Vec<Node> {
    let mut out: Vec<Node> = Vec::new();
    let mut buf = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let consumed = match c {
            '`' => span(rest, "`", |t| {
                Node::el("code", vec![Node::Text(t.to_string())])
            }),
            '*' if rest.starts_with("**") => span(rest, "**", |t| Node::el("strong", inline(t))),
            '_' if rest.starts_with("__") => span(rest, "__", |t| Node::el("strong", inline(t))),
            '*' => span(rest, "*", |t| Node::el("em", inline(t))),
            '_' => span(rest, "_", |t| Node::el("em", inline(t))),
            '[' => link(rest),
            '<' => autolink(rest),
            '\n' => Some((Node::el("br", vec![]), 1)),
            '\\' => rest
                .chars()
                .nth(1)
                .filter(|c| c.is_ascii_punctuation())
                .map(|c| (Node::Text(c.to_string()), 1 + c.len_utf8())),
            _ => None,
        };
        match consumed {
            Some((node, len)) => {
                if !buf.is_empty() {
                    out.push(Node::Text(std::mem::take(&mut buf)));
                }
                out.push(node);
                rest = rest.get(len..).unwrap_or("");
            }
            None => {
                buf.push(c);
                rest = rest.get(c.len_utf8()..).unwrap_or("");
            }
        }
    }
    if !buf.is_empty() {
        out.push(Node::Text(buf));
    }
    out
}

/// `<delim>inner<delim>` at the start of `s` → (node, bytes consumed).
fn span(s: &str, delim: &str, make: impl Fn(&str) -> Node) -> Option<(Node, usize)> {
    let inner_start = delim.len();
    let body = s.get(inner_start..)?;
    let end = body.find(delim)?;
    if end == 0 {
        return None;
    }
    let inner = body.get(..end)?;
    Some((make(inner), inner_start + end + delim.len()))
}

fn link(s: &str) -> Option<(Node, usize)> {
    let close = s.find("](")?;
    let text = s.get(1..close)?;
    let after = s.get(close + 2..)?;
    let end = closing_paren(after)?;
    let href = after.get(..end)?.split_whitespace().next().unwrap_or("");
    let consumed = close + 2 + end + 1;
    let children = inline(text);
    Some((anchor(href, children), consumed))
}

/// Index of the `)` closing a link destination, counting nested parentheses like CommonMark.
fn closing_paren(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return Some(i),
            ')' => depth -= 1,
            _ => {}
        }
    }
    None
}

fn autolink(s: &str) -> Option<(Node, usize)> {
    let end = s.find('>')?;
    let url = s.get(1..end)?;
    if !(url.starts_with("http://") || url.starts_with("https://"))
        || url.contains(char::is_whitespace)
    {
        return None;
    }
    Some((anchor(url, vec![Node::Text(url.to_string())]), end + 1))
}

fn anchor(href: &str, children: Vec<Node>) -> Node {
    match safe_href(href) {
        Some(h) => Node::Element {
            tag: "a",
            attrs: vec![
                ("href", h),
                ("rel", "noopener noreferrer".into()),
                ("target", "_blank".into()),
            ],
            children,
        },
        // Unsafe target: keep the text, drop the link.
        None => Node::el("span", children),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
    use super::*;

    #[test]
    fn headings_lists_and_inline() {
        let out = markdown(
            "# Title\n\nSome **bold** and `code`.\n\n- one\n- two [link](https://x.org)\n",
        );
        assert_eq!(out.len(), 3);
        assert!(matches!(&out[0], Node::Element { tag: "h1", .. }));
        assert_eq!(out[0].text(), "Title");
        assert_eq!(out[1].text(), "Some bold and code.");
        let Node::Element {
            tag: "ul",
            children,
            ..
        } = &out[2]
        else {
            panic!("{:?}", out[2])
        };
        assert_eq!(children.len(), 2);
        let Node::Element { children: li, .. } = &children[1] else {
            panic!()
        };
        assert!(
            matches!(&li[1], Node::Element { tag: "a", attrs, .. } if attrs[0].1 == "https://x.org")
        );
    }

    #[test]
    fn raw_html_and_bad_links_stay_inert() {
        let out = markdown(
            "<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>",
        );
        let p = &out[0];
        assert_eq!(
            p.text(),
            "<script>alert(1)</script> x <img src=x onerror=alert(1)>"
        );
        let Node::Element { children, .. } = p else {
            panic!()
        };
        assert!(children
            .iter()
            .all(|c| !matches!(c, Node::Element { tag: "a", .. })));
    }

    #[test]
    fn fenced_code_keeps_text() {
        let out = markdown("```\n<b>x</b>\n```");
        assert_eq!(out[0].text(), "<b>x</b>");
    }
}
