//! Label matchers used by `Store::select`.
//!
//! Contract: `=`/`!=` compare the whole value; `=~`/`!~` are fully anchored regexes (RE2
//! syntax via the `regex` crate). A missing label matches as the empty string, as in Prometheus.

use regex::Regex;

use crate::Labels;

/// How a matcher compares a label value.
#[derive(Debug, Clone)]
pub enum MatchKind {
    Equal(String),
    NotEqual(String),
    /// Must already be anchored (`^(?:…)$`); see [`Matcher::regex`].
    Regex(Regex),
    NotRegex(Regex),
}

/// One label matcher: `name <op> value`.
#[derive(Debug, Clone)]
pub struct Matcher {
    pub name: String,
    pub kind: MatchKind,
}

impl Matcher {
    /// `name="value"`.
    pub fn equal(name: &str, value: &str) -> Self {
        Self {
            name: name.to_string(),
            kind: MatchKind::Equal(value.to_string()),
        }
    }

    /// `name=~"re"`, anchoring the regex like Prometheus. Errors on an invalid regex.
    pub fn regex(name: &str, re: &str, negate: bool) -> Result<Self, regex::Error> {
        let re = Regex::new(&format!("^(?s:{re})$"))?;
        let kind = if negate {
            MatchKind::NotRegex(re)
        } else {
            MatchKind::Regex(re)
        };
        Ok(Self {
            name: name.to_string(),
            kind,
        })
    }

    /// Whether `value` (empty when the label is missing) satisfies the matcher.
    pub fn matches_value(&self, value: &str) -> bool {
        match &self.kind {
            MatchKind::Equal(v) => v == value,
            MatchKind::NotEqual(v) => v != value,
            MatchKind::Regex(re) => re.is_match(value),
            MatchKind::NotRegex(re) => !re.is_match(value),
        }
    }

    /// Whether the series with `labels` satisfies the matcher.
    pub fn matches(&self, labels: &Labels) -> bool {
        self.matches_value(labels.get(&self.name).unwrap_or(""))
    }

    /// True if the matcher accepts the empty string (and so series lacking the label).
    pub fn matches_empty(&self) -> bool {
        self.matches_value("")
    }
}
