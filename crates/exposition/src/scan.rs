//! Byte-level scanning shared by both formats: a cursor over the input, name and quoted-string
//! lexing, and unescaping.
//!
//! Contract: the cursor only ever stops on ASCII bytes, so every slice it hands out is a valid
//! `&str` borrowed from the input. Quoted strings are borrowed unless they contain a backslash.

use std::borrow::Cow;

use crate::error::{expected, Fail, Scan};

/// A position in the input text.
pub(crate) struct Cursor<'a> {
    pub src: &'a str,
    bytes: &'a [u8],
    pub pos: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(src: &'a str) -> Self {
        Cursor {
            src,
            bytes: src.as_bytes(),
            pos: 0,
        }
    }

    /// A cursor over `src[start..end]` only (one line), keeping offsets absolute.
    pub fn bounded(src: &'a str, start: usize, end: usize) -> Self {
        let bytes = src.as_bytes();
        Cursor {
            src,
            bytes: bytes.get(..end).unwrap_or(bytes),
            pos: start,
        }
    }

    #[inline]
    pub fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    #[inline]
    pub fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    #[inline]
    pub fn bump(&mut self) {
        self.pos += 1;
    }

    /// Consume `b` if it is next.
    #[inline]
    pub fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Consume `b` or fail with "expected WHAT, found ...".
    pub fn expect(&mut self, b: u8, what: &str) -> Scan<()> {
        if self.eat(b) {
            Ok(())
        } else {
            Err(self.expected(what))
        }
    }

    pub fn expected(&self, what: &str) -> Fail {
        expected(self.src, self.pos, what)
    }

    /// Text between two cursor positions (both on ASCII boundaries or the ends).
    #[inline]
    pub fn slice(&self, start: usize, end: usize) -> &'a str {
        self.src.get(start..end).unwrap_or("")
    }

    /// The rest of the input.
    pub fn rest(&self) -> &'a [u8] {
        self.bytes.get(self.pos..).unwrap_or(&[])
    }

    /// Skip blanks and tabs (Prometheus text separators).
    #[inline]
    pub fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    /// Consume bytes while `keep` holds and return them.
    #[inline]
    pub fn take_while(&mut self, keep: impl Fn(u8) -> bool) -> &'a str {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if !keep(b) {
                break;
            }
            self.pos += 1;
        }
        self.slice(start, self.pos)
    }

    /// Position of the next `\n` (or the end of input), without moving.
    pub fn line_end(&self) -> usize {
        self.rest()
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.bytes.len(), |i| self.pos + i)
    }

    /// A legacy metric name `[a-zA-Z_:][a-zA-Z0-9_:]*`, if one starts here.
    #[inline]
    pub fn metric_name(&mut self) -> Option<&'a str> {
        if !self.peek().is_some_and(is_metric_name_start) {
            return None;
        }
        Some(self.take_while(is_metric_name_char))
    }

    /// A legacy label name `[a-zA-Z_][a-zA-Z0-9_]*`, if one starts here.
    #[inline]
    pub fn label_name(&mut self) -> Option<&'a str> {
        if !self.peek().is_some_and(is_label_name_start) {
            return None;
        }
        Some(self.take_while(is_label_name_char))
    }

    /// A double-quoted string starting at the cursor; `\"`, `\\` and `\n` are unescaped and any
    /// other backslash pair is kept as is. A raw newline inside is allowed only if `multiline`.
    pub fn quoted(&mut self, multiline: bool) -> Scan<Cow<'a, str>> {
        let open = self.pos;
        self.expect(b'"', "'\"'")?;
        let start = self.pos;
        let mut escaped = false;
        loop {
            match self.peek() {
                None => return Err(Fail::new(open, "unterminated quoted string")),
                Some(b'"') => break,
                Some(b'\\') => {
                    escaped = true;
                    self.pos += 2;
                }
                Some(b'\n') if !multiline => {
                    return Err(Fail::new(
                        self.pos,
                        "unterminated quoted string (raw newline)",
                    ))
                }
                Some(_) => self.pos += 1,
            }
        }
        let raw = self.slice(start, self.pos);
        self.pos += 1;
        Ok(if escaped {
            Cow::Owned(unescape(raw, true))
        } else {
            Cow::Borrowed(raw)
        })
    }
}

#[inline]
pub(crate) fn is_metric_name_start(b: u8) -> bool {
    matches!(b, b'a'..=b'z' | b'A'..=b'Z' | b'_' | b':')
}

#[inline]
pub(crate) fn is_metric_name_char(b: u8) -> bool {
    matches!(b, b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | b':')
}

#[inline]
pub(crate) fn is_label_name_start(b: u8) -> bool {
    matches!(b, b'a'..=b'z' | b'A'..=b'Z' | b'_')
}

#[inline]
pub(crate) fn is_label_name_char(b: u8) -> bool {
    matches!(b, b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_')
}

/// Undo `\\`, `\n` and (if `quote`) `\"`; any other backslash pair stays literally.
pub(crate) fn unescape(raw: &str, quote: bool) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\\') => out.push('\\'),
            Some('n') => out.push('\n'),
            Some('"') if quote => out.push('"'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Unescape HELP text if it contains a backslash, else borrow it.
pub(crate) fn help_text(raw: &str, quote: bool) -> Cow<'_, str> {
    if raw.contains('\\') {
        Cow::Owned(unescape(raw, quote))
    } else {
        Cow::Borrowed(raw)
    }
}

/// Reject a repeated label name. Small sets compare pairwise; large ones sort.
pub(crate) fn find_duplicate_label<'l>(
    labels: &'l [(Cow<'_, str>, Cow<'_, str>)],
) -> Option<&'l str> {
    if labels.len() <= 16 {
        for (i, (name, _)) in labels.iter().enumerate() {
            if labels.iter().skip(i + 1).any(|(other, _)| other == name) {
                return Some(name.as_ref());
            }
        }
        return None;
    }
    let mut names: Vec<&str> = labels.iter().map(|(k, _)| k.as_ref()).collect();
    names.sort_unstable();
    names
        .windows(2)
        .find(|w| w.first() == w.get(1))
        .and_then(|w| w.first().copied())
}
