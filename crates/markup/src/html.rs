//! A forgiving HTML tokenizer + allow-list tree builder. It does not try to be a full HTML5
//! parser: anything it does not understand becomes text or is dropped, never markup.

use crate::url::safe_href;
use crate::{Node, ALLOWED_TAGS, DROP_WITH_CONTENT};

/// An element being built: tag, kept attributes, children so far.
type Open = (&'static str, Vec<(&'static str, String)>, Vec<Node>);
/// Parsed attributes, whether the tag self-closes, and the input after it.
type ParsedAttrs<'a> = (Vec<(String, String)>, bool, &'a str);

const VOID: &[&str] = &[
    "br", "hr", "img", "input", "meta", "link", "col", "area", "base", "wbr", "source",
];

struct Tag {
    name: String,
    closing: bool,
    self_closing: bool,
    attrs: Vec<(String, String)>,
}

/// Sanitizes an HTML fragment into safe nodes.
pub fn sanitize_html(input: &str) -> Vec<Node> {
    // Stack of open elements: (tag, attrs, children).
    let mut stack: Vec<Open> = vec![("", Vec::new(), Vec::new())];
    let mut rest = input;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after
                .find("-->")
                .and_then(|i| after.get(i + 3..))
                .unwrap_or("");
            continue;
        }
        if rest.starts_with('<') {
            if let Some((tag, after)) = parse_tag(rest) {
                rest = after;
                handle_tag(&mut stack, tag, &mut rest);
                continue;
            }
        }
        let end = rest
            .get(1..)
            .and_then(|r| r.find('<'))
            .map(|i| i + 1)
            .unwrap_or(rest.len());
        let (text, after) = rest.split_at(end);
        push(&mut stack, Node::Text(decode_entities(text)));
        rest = after;
    }
    while stack.len() > 1 {
        close_top(&mut stack);
    }
    stack.pop().map(|(_, _, c)| c).unwrap_or_default()
}

fn push(stack: &mut [Open], node: Node) {
    if let Some(top) = stack.last_mut() {
        top.2.push(node);
    }
}

fn close_top(stack: &mut Vec<Open>) {
    if let Some((tag, attrs, children)) = stack.pop() {
        push(
            stack,
            Node::Element {
                tag,
                attrs,
                children,
            },
        );
    }
}

fn handle_tag(stack: &mut Vec<Open>, tag: Tag, rest: &mut &str) {
    if DROP_WITH_CONTENT.contains(&tag.name.as_str()) {
        if !tag.closing && !tag.self_closing {
            *rest = skip_until_close(rest, &tag.name);
        }
        return;
    }
    let Some(allowed) = ALLOWED_TAGS.iter().find(|t| **t == tag.name) else {
        return; // unknown element: dropped, its text content stays
    };
    if tag.closing {
        if let Some(pos) = stack.iter().rposition(|(t, _, _)| t == allowed) {
            while stack.len() > pos {
                close_top(stack);
            }
        }
        return;
    }
    let attrs = safe_attrs(allowed, &tag.attrs);
    if tag.self_closing || VOID.contains(allowed) {
        push(
            stack,
            Node::Element {
                tag: allowed,
                attrs,
                children: Vec::new(),
            },
        );
    } else {
        stack.push((allowed, attrs, Vec::new()));
    }
}

fn safe_attrs(tag: &str, attrs: &[(String, String)]) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for (name, value) in attrs {
        match (tag, name.as_str()) {
            ("a", "href") => {
                if let Some(h) = safe_href(value) {
                    out.push(("href", h));
                }
            }
            (_, "title") => out.push(("title", value.clone())),
            ("td" | "th", "colspan" | "rowspan") if value.chars().all(|c| c.is_ascii_digit()) => {
                out.push((
                    if name == "colspan" {
                        "colspan"
                    } else {
                        "rowspan"
                    },
                    value.clone(),
                ))
            }
            _ => {}
        }
    }
    if tag == "a" && out.iter().any(|(n, _)| *n == "href") {
        out.push(("rel", "noopener noreferrer".into()));
        out.push(("target", "_blank".into()));
    }
    out
}

/// Everything after the matching `</name ...>` (case-insensitive), or "" if unclosed.
fn skip_until_close<'a>(s: &'a str, name: &str) -> &'a str {
    let lower = s.to_ascii_lowercase();
    let needle = format!("</{name}");
    match lower.find(&needle) {
        Some(i) => s
            .get(i..)
            .and_then(|r| r.find('>').and_then(|j| r.get(j + 1..)))
            .unwrap_or(""),
        None => "",
    }
}

fn parse_tag(s: &str) -> Option<(Tag, &str)> {
    let mut chars = s.char_indices().skip(1).peekable();
    let mut closing = false;
    if let Some((_, '/')) = chars.peek() {
        closing = true;
        chars.next();
    }
    let (name_start, first) = chars.peek().copied()?;
    if !first.is_ascii_alphabetic() {
        if first == '!' || first == '?' {
            // <!DOCTYPE ...> / <?xml ...?>: dropped.
            let end = s.find('>')?;
            return Some((
                Tag {
                    name: "!".into(),
                    closing: true,
                    self_closing: true,
                    attrs: vec![],
                },
                s.get(end + 1..)?,
            ));
        }
        return None;
    }
    let name_end = s
        .get(name_start..)?
        .find(|c: char| !c.is_ascii_alphanumeric())
        .map(|i| i + name_start)
        .unwrap_or(s.len());
    let name = s.get(name_start..name_end)?.to_ascii_lowercase();
    let (attrs, self_closing, rest) = parse_attrs(s.get(name_end..)?)?;
    Some((
        Tag {
            name,
            closing,
            self_closing,
            attrs,
        },
        rest,
    ))
}

/// Attributes up to the closing `>`; `None` if the tag never closes (then it is text).
fn parse_attrs(mut s: &str) -> Option<ParsedAttrs<'_>> {
    let mut attrs = Vec::new();
    loop {
        s = s.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if let Some(rest) = s.strip_prefix('>') {
            return Some((attrs, false, rest));
        }
        if s.is_empty() {
            return None;
        }
        let name_end = s
            .find(|c: char| c.is_whitespace() || c == '=' || c == '>' || c == '/')
            .unwrap_or(s.len());
        let name = s.get(..name_end)?.to_ascii_lowercase();
        s = s.get(name_end..)?.trim_start();
        let mut value = String::new();
        if let Some(after_eq) = s.strip_prefix('=') {
            let v = after_eq.trim_start();
            let (val, rest) = match v.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let inner = v.get(1..)?;
                    let end = inner.find(q)?;
                    (inner.get(..end)?, inner.get(end + 1..)?)
                }
                _ => {
                    let end = v
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .unwrap_or(v.len());
                    (v.get(..end)?, v.get(end..)?)
                }
            };
            value = decode_entities(val);
            s = rest;
        }
        if !name.is_empty() {
            attrs.push((name, value));
        } else if name_end == 0 {
            s = s.get(1..)?; // stray character
        }
    }
}

/// Decodes the common named entities and numeric references.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(rest.get(..i).unwrap_or(""));
        let tail = rest.get(i..).unwrap_or("");
        let semi = tail.find(';').filter(|&j| j <= 10);
        let decoded = semi.and_then(|j| entity(tail.get(1..j)?).map(|c| (c, j)));
        match decoded {
            Some((c, j)) => {
                out.push(c);
                rest = tail.get(j + 1..).unwrap_or("");
            }
            None => {
                out.push('&');
                rest = tail.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).filter(|c| *c != '\0');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        _ => return None,
    })
}

#[cfg(test)]
#[path = "html/tests.rs"]
mod tests;
