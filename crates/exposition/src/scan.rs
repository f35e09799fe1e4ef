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
        self.pos = self.scan(self.pos, BLANK);
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

    /// Consume the bytes up to the next one in `class` (or the end) and return them.
    #[inline]
    pub fn take_until(&mut self, class: u8) -> &'a str {
        let start = self.pos;
        let mut i = start;
        while let Some(&b) = self.bytes.get(i) {
            if class_of(b) & class != 0 {
                break;
            }
            i += 1;
        }
        self.pos = i;
        self.slice(start, i)
    }

    /// First position at or after `from` holding `"`, a backslash or a newline (or the end):
    /// eight bytes at a time with the SWAR zero-byte test, then byte by byte for the tail.
    #[inline(always)]
    fn find_quote_stop(&self, from: usize) -> usize {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGHS: u64 = 0x8080_8080_8080_8080;
        let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
        let mut i = from;
        while let Some(chunk) = self.bytes.get(i..i + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let w = u64::from_le_bytes(word);
            let hits = zero_byte(w ^ (ONES * u64::from(b'"')))
                | zero_byte(w ^ (ONES * u64::from(b'\\')))
                | zero_byte(w ^ (ONES * u64::from(b'\n')));
            if hits != 0 {
                // The lowest flagged byte is always a true match (borrows only run upwards).
                return i + (hits.trailing_zeros() / 8) as usize;
            }
            i += 8;
        }
        while let Some(&b) = self.bytes.get(i) {
            if class_of(b) & QUOTE_STOP != 0 {
                break;
            }
            i += 1;
        }
        i
    }

    /// First position at or after `from` whose byte is not in `class`.
    #[inline(always)]
    fn scan(&self, from: usize, class: u8) -> usize {
        let mut i = from;
        while let Some(&b) = self.bytes.get(i) {
            if class_of(b) & class == 0 {
                break;
            }
            i += 1;
        }
        i
    }

    /// Position of the next `\n` (or the end of input), without moving.
    pub fn line_end(&self) -> usize {
        memchr::memchr(b'\n', self.rest()).map_or(self.bytes.len(), |i| self.pos + i)
    }

    /// A legacy metric name `[a-zA-Z_:][a-zA-Z0-9_:]*`, if one starts here.
    #[inline]
    pub fn metric_name(&mut self) -> Option<&'a str> {
        self.name(METRIC_START, METRIC_CHAR)
    }

    /// Consume `name` if the input continues with exactly that metric name (one memcmp
    /// instead of a byte scan when consecutive lines share a name).
    #[inline]
    pub fn eat_metric_name(&mut self, name: &str) -> bool {
        self.eat_name(name, METRIC_CHAR)
    }

    /// [`Cursor::eat_metric_name`] for a label name.
    #[inline]
    pub fn eat_label_name(&mut self, name: &str) -> bool {
        self.eat_name(name, LABEL_CHAR)
    }

    #[inline(always)]
    fn eat_name(&mut self, name: &str, class: u8) -> bool {
        let end = self.pos + name.len();
        let same = !name.is_empty() && self.bytes.get(self.pos..end) == Some(name.as_bytes());
        let name_continues = self
            .bytes
            .get(end)
            .is_some_and(|&b| class_of(b) & class != 0);
        if same && !name_continues {
            self.pos = end;
            return true;
        }
        false
    }

    /// A legacy label name `[a-zA-Z_][a-zA-Z0-9_]*`, if one starts here.
    #[inline]
    pub fn label_name(&mut self) -> Option<&'a str> {
        self.name(LABEL_START, LABEL_CHAR)
    }

    #[inline(always)]
    fn name(&mut self, first: u8, rest: u8) -> Option<&'a str> {
        let start = self.pos;
        if class_of(self.peek()?) & first == 0 {
            return None;
        }
        let end = self.scan(start + 1, rest);
        self.pos = end;
        Some(self.slice(start, end))
    }

    /// A double-quoted string starting at the cursor; `\"`, `\\` and `\n` are unescaped and any
    /// other backslash pair is kept as is. A raw newline inside is allowed only if `multiline`.
    #[inline]
    pub fn quoted(&mut self, multiline: bool) -> Scan<Cow<'a, str>> {
        // Fast path: no escape before the closing quote, so the value is a plain borrow.
        if self.peek() == Some(b'"') {
            let stop = self.find_quote_stop(self.pos + 1);
            if self.bytes.get(stop) == Some(&b'"') {
                let raw = self.slice(self.pos + 1, stop);
                self.pos = stop + 1;
                return Ok(Cow::Borrowed(raw));
            }
        }
        self.quoted_slow(multiline)
    }

    #[inline(never)]
    fn quoted_slow(&mut self, multiline: bool) -> Scan<Cow<'a, str>> {
        let open = self.pos;
        self.expect(b'"', "'\"'")?;
        let start = self.pos;
        let mut escaped = false;
        loop {
            let stop = self.find_quote_stop(self.pos);
            self.pos = stop;
            match self.peek() {
                None => return Err(Fail::new(open, "unterminated quoted string")),
                Some(b'"') => break,
                Some(b'\\') => {
                    escaped = true;
                    self.pos += 2;
                }
                _ if multiline => self.pos += 1,
                _ => {
                    return Err(Fail::new(
                        self.pos,
                        "unterminated quoted string (raw newline)",
                    ))
                }
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

/// Byte classes, as bit flags of [`CLASSES`].
pub(crate) const METRIC_START: u8 = 1;
pub(crate) const METRIC_CHAR: u8 = 2;
pub(crate) const LABEL_START: u8 = 4;
pub(crate) const LABEL_CHAR: u8 = 8;
pub(crate) const BLANK: u8 = 16;
/// Ends a Prometheus text value token: blank, tab, newline, `{`.
pub(crate) const VALUE_END: u8 = 32;
/// Ends an OpenMetrics token: space or newline.
pub(crate) const SPACE_OR_NL: u8 = 64;

/// Ends or complicates a quoted string: `"`, backslash, newline.
pub(crate) const QUOTE_STOP: u8 = 128;

/// One table lookup per byte instead of a chain of range comparisons.
static CLASSES: [u8; 256] = build_classes();

// Evaluated at compile time: an out-of-range index would fail the build, never a run.
#[allow(clippy::indexing_slicing)]
const fn build_classes() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        let alpha = b.is_ascii_alphabetic() || b == b'_';
        let digit = b.is_ascii_digit();
        let mut class = 0;
        if alpha || b == b':' {
            class |= METRIC_START | METRIC_CHAR;
        }
        if digit {
            class |= METRIC_CHAR | LABEL_CHAR;
        }
        if alpha {
            class |= LABEL_START | LABEL_CHAR;
        }
        if b == b' ' || b == b'\t' {
            class |= BLANK | VALUE_END;
        }
        if b == b'\n' || b == b'{' {
            class |= VALUE_END;
        }
        if b == b' ' || b == b'\n' {
            class |= SPACE_OR_NL;
        }
        if b == b'"' || b == b'\\' || b == b'\n' {
            class |= QUOTE_STOP;
        }
        table[i] = class;
        i += 1;
    }
    table
}

#[inline(always)]
fn class_of(b: u8) -> u8 {
    CLASSES.get(usize::from(b)).copied().unwrap_or(0)
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
