//! Grouping Prometheus-text samples into metric families.
//!
//! Contract: a sample joins the current family when its name is the family name plus a suffix
//! the family's type allows (`_bucket`/`_sum`/`_count` for histograms, ...); otherwise the
//! family declared (by HELP/TYPE) or created for that name; otherwise a new `untyped` family
//! named after the sample. Metadata may come in any order, repeat, or follow samples, as
//! Prometheus tolerates: the last TYPE/HELP wins. The hot path is one string comparison.

use foldhash::HashMap;
use std::borrow::Cow;

use crate::model::{Family, MetricType};

/// Suffixes under which a family of `kind` groups its series (besides the bare name).
pub(crate) fn series_suffixes(kind: MetricType) -> &'static [&'static str] {
    match kind {
        MetricType::Counter => &["_total", "_created"],
        MetricType::Histogram => &["_bucket", "_sum", "_count", "_created"],
        MetricType::GaugeHistogram => &["_bucket", "_gsum", "_gcount"],
        MetricType::Summary => &["_sum", "_count", "_created"],
        MetricType::Info => &["_info"],
        _ => &[],
    }
}

const ALL_SUFFIXES: [&str; 8] = [
    "_bucket", "_sum", "_count", "_total", "_created", "_info", "_gsum", "_gcount",
];

/// True if a series called `series` belongs to a family `family` of type `kind`.
#[inline]
pub(crate) fn belongs(series: &str, family: &str, kind: MetricType) -> bool {
    match series.strip_prefix(family) {
        Some("") => true,
        Some(suffix) => series_suffixes(kind).contains(&suffix),
        None => false,
    }
}

#[derive(Default)]
pub(crate) struct Families<'a> {
    pub list: Vec<Family<'a>>,
    current: Option<usize>,
    by_name: HashMap<Cow<'a, str>, usize>,
}

impl<'a> Families<'a> {
    /// The family named `name`, created (untyped, empty) if new; it becomes current.
    pub fn declare(&mut self, name: Cow<'a, str>) -> usize {
        let idx = match self.by_name.get(&name) {
            Some(&idx) => idx,
            None => self.create(name),
        };
        self.current = Some(idx);
        idx
    }

    pub fn get_mut(&mut self, idx: usize) -> Option<&mut Family<'a>> {
        self.list.get_mut(idx)
    }

    /// The family a series named `name` belongs to; it becomes current.
    #[inline]
    #[allow(clippy::ptr_arg)] // the Cow is cloned into a new family without copying the text
    pub fn resolve(&mut self, name: &Cow<'a, str>) -> usize {
        if let Some(idx) = self.current {
            if let Some(f) = self.list.get(idx) {
                if belongs(name, &f.name, f.kind) {
                    return idx;
                }
            }
        }
        let idx = self
            .lookup(name)
            .unwrap_or_else(|| self.create(name.clone()));
        self.current = Some(idx);
        idx
    }

    fn lookup(&self, name: &str) -> Option<usize> {
        if let Some(&idx) = self.by_name.get(name) {
            return Some(idx);
        }
        ALL_SUFFIXES.iter().find_map(|suffix| {
            let base = name.strip_suffix(suffix)?;
            let &idx = self.by_name.get(base)?;
            let f = self.list.get(idx)?;
            belongs(name, &f.name, f.kind).then_some(idx)
        })
    }

    fn create(&mut self, name: Cow<'a, str>) -> usize {
        let idx = self.list.len();
        self.list.push(Family {
            name: name.clone(),
            kind: MetricType::Untyped,
            help: None,
            unit: None,
            samples: Vec::new(),
        });
        self.by_name.insert(name, idx);
        idx
    }
}
