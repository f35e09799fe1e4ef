//! `Labels`: an immutable, sorted label set (the identity of a series).
//!
//! Contract: pairs are sorted by name, names are unique, empty values are dropped (an empty
//! value means "absent", as in Prometheus), and `__name__` is an ordinary label. Cloning is
//! cheap (shared `Arc`), equality and hashing are by content.

use std::fmt;
use std::sync::Arc;

/// The label holding the metric name.
pub const METRIC_NAME: &str = "__name__";

/// A sorted set of `(name, value)` pairs, with its content hash computed once.
#[derive(Clone)]
pub struct Labels {
    pairs: Arc<[(String, String)]>,
    /// Hash of the contents (so map lookups and rehashing never re-read the strings).
    hash: u64,
}

impl Default for Labels {
    fn default() -> Self {
        Self::from_sorted(Vec::new())
    }
}

impl PartialEq for Labels {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash
            && (Arc::ptr_eq(&self.pairs, &other.pairs) || self.pairs == other.pairs)
    }
}

impl Eq for Labels {}

impl std::hash::Hash for Labels {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

impl PartialOrd for Labels {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Labels {
    /// Prometheus's `labels.Compare`: pairwise by name, then value.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.pairs.cmp(&other.pairs)
    }
}

impl Labels {
    /// The empty label set.
    pub fn empty() -> Self {
        Self::default()
    }

    /// Builds a label set from pairs in any order. Later duplicates of a name win; empty values
    /// are dropped.
    pub fn from_pairs<N: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (N, V)>,
    ) -> Self {
        let mut v: Vec<(String, String)> = pairs
            .into_iter()
            .map(|(n, v)| (n.into(), v.into()))
            .collect();
        // Stable sort keeps input order among equal names, so `dedup` below keeps the last.
        v.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(String, String)> = Vec::with_capacity(v.len());
        for (n, val) in v {
            match out.last_mut() {
                Some(last) if last.0 == n => last.1 = val,
                _ => out.push((n, val)),
            }
        }
        out.retain(|(_, val)| !val.is_empty());
        Self::from_sorted(out)
    }

    /// Wraps pairs that are already sorted, unique and non-empty.
    fn from_sorted(pairs: Vec<(String, String)>) -> Self {
        use std::hash::Hasher;
        let mut h = rustc_hash::FxHasher::default();
        for (n, v) in &pairs {
            h.write(n.as_bytes());
            h.write_u8(0xff);
            h.write(v.as_bytes());
            h.write_u8(0xfe);
        }
        Self {
            pairs: pairs.into(),
            hash: h.finish(),
        }
    }

    /// Value of label `name`, if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .binary_search_by(|(n, _)| n.as_str().cmp(name))
            .ok()
            .and_then(|i| self.pairs.get(i))
            .map(|(_, v)| v.as_str())
    }

    /// The metric name (`__name__`), if any.
    pub fn metric_name(&self) -> Option<&str> {
        self.get(METRIC_NAME)
    }

    /// Iterates `(name, value)` in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.pairs.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// Number of labels.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// True when there are no labels.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// A copy with `name` set to `value` (removed when `value` is empty).
    pub fn with(&self, name: &str, value: &str) -> Self {
        let pairs = self
            .iter()
            .filter(|(n, _)| *n != name)
            .chain(std::iter::once((name, value)));
        Self::from_pairs(pairs)
    }

    /// A copy without label `name`.
    pub fn without(&self, name: &str) -> Self {
        if self.get(name).is_none() {
            return self.clone();
        }
        self.filtered(|n| n != name)
    }

    /// A copy without `__name__`.
    pub fn without_metric_name(&self) -> Self {
        self.without(METRIC_NAME)
    }

    /// A copy keeping only the labels for which `keep(name)` is true.
    pub fn filtered(&self, keep: impl Fn(&str) -> bool) -> Self {
        let pairs: Vec<(String, String)> = self
            .pairs
            .iter()
            .filter(|(n, _)| keep(n))
            .cloned()
            .collect();
        Self::from_sorted(pairs)
    }

    /// Identity of this label set's shared storage (equal ids imply equal contents; equal
    /// contents may have different ids unless interned by the caller).
    pub fn ptr_id(&self) -> usize {
        Arc::as_ptr(&self.pairs) as *const () as usize
    }

    /// Approximate heap bytes used (for the store's memory estimate).
    pub fn heap_bytes(&self) -> usize {
        self.pairs
            .iter()
            .map(|(n, v)| n.len() + v.len() + 2 * std::mem::size_of::<String>())
            .sum()
    }
}

impl fmt::Display for Labels {
    /// Prometheus style: `name{a="b", c="d"}`; `{}` for the empty set.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.metric_name();
        if let Some(n) = name {
            f.write_str(n)?;
        }
        let rest: Vec<(&str, &str)> = self.iter().filter(|(n, _)| *n != METRIC_NAME).collect();
        if rest.is_empty() && name.is_some() {
            return Ok(());
        }
        f.write_str("{")?;
        for (i, (n, v)) in rest.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{n}=\"{}\"", escape_label_value(v))?;
        }
        f.write_str("}")
    }
}

impl fmt::Debug for Labels {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

fn escape_label_value(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )]
    use super::*;

    #[test]
    fn sorted_deduped_and_empty_values_dropped() {
        let l = Labels::from_pairs([("b", "2"), ("a", "1"), ("c", ""), ("a", "3")]);
        let v: Vec<_> = l.iter().collect();
        assert_eq!(v, vec![("a", "3"), ("b", "2")]);
        assert_eq!(l.get("b"), Some("2"));
        assert_eq!(l.get("c"), None);
    }

    #[test]
    fn display_like_prometheus() {
        let l = Labels::from_pairs([("__name__", "up"), ("job", "a\"b")]);
        assert_eq!(l.to_string(), "up{job=\"a\\\"b\"}");
        assert_eq!(Labels::from_pairs([("__name__", "up")]).to_string(), "up");
        assert_eq!(Labels::empty().to_string(), "{}");
    }

    #[test]
    fn with_and_without() {
        let l = Labels::from_pairs([("__name__", "x"), ("a", "1")]);
        assert_eq!(l.with("b", "2").get("b"), Some("2"));
        assert_eq!(l.with("a", "").get("a"), None);
        assert_eq!(l.without_metric_name().metric_name(), None);
        assert_eq!(l.without_metric_name().len(), 1);
    }
}
