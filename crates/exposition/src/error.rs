//! Parse errors as values: `LINE:COL: message`.
//!
//! The scanners report a byte offset ([`Fail`]); the 1-based line and column (in characters)
//! are computed only when an error is actually returned, so the hot path never counts lines.

use std::fmt;

/// Why an exposition was rejected, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.message)
    }
}

impl std::error::Error for ParseError {}

/// An error located by byte offset into the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fail {
    pub offset: usize,
    pub message: String,
}

impl Fail {
    pub fn new(offset: usize, message: impl Into<String>) -> Fail {
        Fail {
            offset,
            message: message.into(),
        }
    }

    /// Resolve the offset to a line and column of `src`.
    pub fn locate(self, src: &[u8]) -> ParseError {
        let offset = self.offset.min(src.len());
        let before = src.get(..offset).unwrap_or(src);
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let line_prefix = before.get(line_start..).unwrap_or(&[]);
        let col = 1 + String::from_utf8_lossy(line_prefix).chars().count();
        ParseError {
            line,
            col,
            message: self.message,
        }
    }
}

pub(crate) type Scan<T> = Result<T, Fail>;

/// Describe the byte at `pos` for "expected X, found Y" messages.
pub(crate) fn describe_at(src: &str, pos: usize) -> String {
    match src.get(pos..).and_then(|rest| rest.chars().next()) {
        None => "end of input".to_string(),
        Some('\n') => "end of line".to_string(),
        Some('\r') => "carriage return (CRLF line endings are not allowed)".to_string(),
        Some('\t') => "tab".to_string(),
        Some(' ') => "space".to_string(),
        Some(c) if c.is_control() => format!("control character U+{:04X}", c as u32),
        Some(c) => format!("'{c}'"),
    }
}

/// `expected WHAT, found <the byte at pos>`.
pub(crate) fn expected(src: &str, pos: usize, what: &str) -> Fail {
    Fail::new(
        pos,
        format!("expected {what}, found {}", describe_at(src, pos)),
    )
}
