//! `QueryError`: every way a query can fail, as a value with a Prometheus-like message.
//!
//! Contract: `Display` reads like Prometheus's API errors (`parse error at char 12:
//! unexpected "by"`, `parse error: unclosed left parenthesis`,
//! `query processing would load too many samples into memory …`, execution errors verbatim).

use std::fmt;

/// Broad class of a query failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The expression did not parse or failed a type check.
    Parse,
    /// Evaluation failed (e.g. many-to-many matching, duplicate label sets).
    Execution,
    /// The query would touch more samples than `EngineOptions::max_samples`.
    TooManySamples,
    /// Bad query parameters (e.g. a zero step).
    BadRequest,
    /// A function or feature this engine deliberately does not implement (yet).
    Unsupported,
}

/// A failed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub kind: ErrorKind,
    pub message: String,
}

impl QueryError {
    pub(crate) fn parse(msg: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Parse,
            message: msg.into(),
        }
    }

    pub(crate) fn exec(msg: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Execution,
            message: msg.into(),
        }
    }

    pub(crate) fn bad_request(msg: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::BadRequest,
            message: msg.into(),
        }
    }

    pub(crate) fn unsupported(what: &str) -> Self {
        Self {
            kind: ErrorKind::Unsupported,
            message: format!("unsupported: {what}"),
        }
    }

    pub(crate) fn too_many_samples() -> Self {
        Self {
            kind: ErrorKind::TooManySamples,
            message: "query processing would load too many samples into memory in query execution"
                .into(),
        }
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            // "parse error at char 23: unexpected …" or "parse error: <parser message>".
            ErrorKind::Parse if self.message.starts_with("at char ") => {
                write!(f, "parse error {}", self.message)
            }
            ErrorKind::Parse => write!(f, "parse error: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for QueryError {}
