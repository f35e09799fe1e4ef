//! Label-set checks and `le`/`quantile` normalisation shared by both formats.
//!
//! Contract: a label set is refused when a name repeats or `__name__` appears (the TSDB would
//! refuse the series, failing the scrape). Bucket bounds and quantiles that parse as floats are
//! rewritten to Prometheus' canonical form (`1` → `1.0`); other values stay verbatim.

use std::borrow::Cow;

use crate::model::{Label, Limits};
use crate::number::normalise_float_label;
use crate::scan::find_duplicate_label;

/// Refuse duplicate label names, an explicit `__name__`, and too many labels.
pub(crate) fn check_labels(labels: &[Label<'_>], limits: &Limits) -> Result<(), String> {
    if labels.len() > limits.max_labels {
        return Err(format!(
            "more than the limit of {} labels",
            limits.max_labels
        ));
    }
    // Fast path for ordinary label sets: pairwise, comparing bytes only when lengths match.
    if labels.len() <= 16 {
        let mut clash = false;
        for (i, (name, _)) in labels.iter().enumerate() {
            let name = name.as_bytes();
            clash |= name.len() == 8 && name == b"__name__";
            for (other, _) in labels.iter().skip(i + 1) {
                clash |= other.len() == name.len() && other.as_bytes() == name;
            }
        }
        if !clash {
            return Ok(());
        }
    }
    if labels.iter().any(|(k, _)| k == "__name__") {
        return Err("label __name__ is reserved for the metric name".to_string());
    }
    match find_duplicate_label(labels) {
        Some(dup) => Err(format!("duplicate label name \"{}\"", dup.escape_debug())),
        None => Ok(()),
    }
}

/// Remembers how recent `le`/`quantile` texts normalise: real expositions repeat a handful of
/// bucket bounds on every series, so most lookups skip float parsing and formatting.
#[derive(Default)]
pub(crate) struct BoundCache<'a> {
    entries: Vec<(&'a str, Cow<'a, str>)>,
    /// Index of the last hit: buckets come in order, so the next one is usually next.
    last: usize,
}

const BOUND_CACHE_SIZE: usize = 64;

impl<'a> BoundCache<'a> {
    /// Rewrite the value of label `which` (`le` or `quantile`) to its canonical float form,
    /// through the cache.
    pub fn normalise(&mut self, labels: &mut [Label<'a>], which: &str) {
        for (name, value) in labels.iter_mut() {
            if name != which {
                continue;
            }
            let Cow::Borrowed(raw) = *value else {
                if let Some(Some(canonical)) = normalise_float_label(value) {
                    *value = Cow::Owned(canonical);
                }
                continue;
            };
            let guess = self
                .entries
                .get(self.last + 1)
                .filter(|(text, _)| *text == raw)
                .map(|_| self.last + 1);
            let hit = guess.or_else(|| self.entries.iter().position(|(text, _)| *text == raw));
            if let Some((i, (_, cached))) = hit.and_then(|i| self.entries.get(i).map(|e| (i, e))) {
                *value = cached.clone();
                self.last = i;
                continue;
            }
            let normalised = match normalise_float_label(raw) {
                Some(Some(canonical)) => Cow::Owned(canonical),
                _ => Cow::Borrowed(raw),
            };
            if self.entries.len() < BOUND_CACHE_SIZE {
                self.last = self.entries.len();
                self.entries.push((raw, normalised.clone()));
            }
            *value = normalised;
        }
    }
}
