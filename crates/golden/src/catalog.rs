//! What detection looks at: per job, the scraped families with their type, help, sample names,
//! label names and a bounded set of label values.
//!
//! Contract: [`Catalog::add_exposition`] may be called for every scrape of every target; it
//! merges into the job's families (a family seen with different types keeps the first). Label
//! values are kept up to [`MAX_VALUES_KEPT`] per label (enough to recognise `"2xx"`-style status
//! classes and count cardinality up to that bound). Series named `up`/`scrape_*` (synthetic)
//! are ignored.

use std::collections::{BTreeMap, BTreeSet};

use signalboard_exposition::{Exposition, MetricType};

/// Distinct values remembered per label of a family.
pub const MAX_VALUES_KEPT: usize = 200;

/// One metric family of one job.
#[derive(Debug, Clone, PartialEq)]
pub struct FamilyInfo {
    /// The family name as declared (OpenMetrics counters without `_total`).
    pub name: String,
    pub kind: MetricType,
    pub help: String,
    /// Full sample names seen (`x_total`, `x_bucket`, `x_count`, …).
    pub sample_names: BTreeSet<String>,
    /// Label name → distinct values (at most [`MAX_VALUES_KEPT`]); `le`/`quantile` excluded.
    pub labels: BTreeMap<String, BTreeSet<String>>,
    /// `quantile` values of a summary (normalised, e.g. `0.95`).
    pub quantiles: BTreeSet<String>,
    /// Largest sample value seen on the family's plain series (for gauges: "is a limit set").
    pub max_value: f64,
}

impl FamilyInfo {
    fn new(name: &str, kind: MetricType, help: &str) -> Self {
        FamilyInfo {
            name: name.to_string(),
            kind,
            help: help.to_string(),
            sample_names: BTreeSet::new(),
            labels: BTreeMap::new(),
            quantiles: BTreeSet::new(),
            max_value: f64::NEG_INFINITY,
        }
    }

    /// Whether the family has label `name`.
    pub fn has_label(&self, name: &str) -> bool {
        self.labels.contains_key(name)
    }

    /// The first of `candidates` that is a label of this family.
    pub fn first_label(&self, candidates: &[&str]) -> Option<String> {
        candidates
            .iter()
            .find(|c| self.has_label(c))
            .map(|c| (*c).to_string())
    }

    /// The series name a counter is queried by: the `_total` sample if there is one.
    pub fn counter_series(&self) -> String {
        let total = format!("{}_total", self.name);
        if !self.name.ends_with("_total") && self.sample_names.contains(&total) {
            total
        } else {
            self.name.clone()
        }
    }

    /// Whether a sample `<name><suffix>` exists (`_bucket`, `_count`, `_sum`).
    pub fn has_suffix_series(&self, suffix: &str) -> bool {
        self.sample_names
            .contains(&format!("{}{suffix}", self.name))
    }
}

/// Families per job.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Catalog {
    jobs: BTreeMap<String, BTreeMap<String, FamilyInfo>>,
}

impl Catalog {
    pub fn new() -> Self {
        Self::default()
    }

    /// A catalog of one job from one exposition.
    pub fn from_exposition(job: &str, exposition: &Exposition) -> Self {
        let mut catalog = Self::new();
        catalog.add_exposition(job, exposition);
        catalog
    }

    /// Merges one scrape of a target of `job`.
    pub fn add_exposition(&mut self, job: &str, exposition: &Exposition) {
        let families = self.jobs.entry(job.to_string()).or_default();
        for family in &exposition.families {
            if is_synthetic(&family.name) {
                continue;
            }
            let info = families.entry(family.name.to_string()).or_insert_with(|| {
                FamilyInfo::new(
                    &family.name,
                    family.kind,
                    family.help.as_deref().unwrap_or(""),
                )
            });
            for sample in &family.samples {
                if !info.sample_names.contains(sample.name.as_ref()) {
                    info.sample_names.insert(sample.name.to_string());
                }
                if sample.name == family.name && sample.value.is_finite() {
                    info.max_value = info.max_value.max(sample.value);
                }
                for (name, value) in &sample.labels {
                    match name.as_ref() {
                        "le" => {}
                        "quantile" => {
                            info.quantiles.insert(value.to_string());
                        }
                        _ => {
                            let values = info.labels.entry(name.to_string()).or_default();
                            if values.len() < MAX_VALUES_KEPT {
                                values.insert(value.to_string());
                            }
                        }
                    }
                }
            }
        }
    }

    /// Job names, sorted.
    pub fn jobs(&self) -> impl Iterator<Item = &str> {
        self.jobs.keys().map(String::as_str)
    }

    /// The families of `job`, sorted by name.
    pub fn families(&self, job: &str) -> impl Iterator<Item = &FamilyInfo> {
        self.jobs.get(job).into_iter().flat_map(|f| f.values())
    }

    /// One family of `job` by declared name.
    pub fn family(&self, job: &str, name: &str) -> Option<&FamilyInfo> {
        self.jobs.get(job).and_then(|f| f.get(name))
    }
}

fn is_synthetic(name: &str) -> bool {
    name == "up" || name.starts_with("scrape_")
}
