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
    /// Records one series' sample name, label names and (bounded) label values.
    fn note_series<'a>(&mut self, name: &str, labels: impl Iterator<Item = (&'a str, &'a str)>) {
        if !self.sample_names.contains(name) {
            self.sample_names.insert(name.to_string());
        }
        for (label, value) in labels {
            match label {
                "le" => {}
                "quantile" => {
                    if !self.quantiles.contains(value) {
                        self.quantiles.insert(value.to_string());
                    }
                }
                _ => {
                    let values = match self.labels.get_mut(label) {
                        Some(v) => v,
                        None => self.labels.entry(label.to_string()).or_default(),
                    };
                    if values.len() < MAX_VALUES_KEPT && !values.contains(value) {
                        values.insert(value.to_string());
                    }
                }
            }
        }
    }

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
                if sample.name == family.name && sample.value.is_finite() {
                    info.max_value = info.max_value.max(sample.value);
                }
                let labels = sample.labels.iter().map(|(n, v)| (n.as_ref(), v.as_ref()));
                info.note_series(&sample.name, labels);
            }
        }
    }

    /// Incremental form of [`Catalog::add_exposition`], part 1: one family of a scrape of
    /// `job` with the largest finite value of its plain series (`-inf` if none). Call it for
    /// every family of every scrape (cheap), and [`Catalog::add_series`] only for series the
    /// job's target did not have before.
    pub fn add_family(&mut self, job: &str, name: &str, kind: MetricType, help: &str, max: f64) {
        if is_synthetic(name) {
            return;
        }
        let families = match self.jobs.get_mut(job) {
            Some(f) => f,
            None => self.jobs.entry(job.to_string()).or_default(),
        };
        let info = match families.get_mut(name) {
            Some(i) => i,
            None => families
                .entry(name.to_string())
                .or_insert_with(|| FamilyInfo::new(name, kind, help)),
        };
        info.max_value = info.max_value.max(max);
    }

    /// Incremental form, part 2: one series (sample name and labels as exposed) of family
    /// `family` of `job`, added with [`Catalog::add_family`] before.
    pub fn add_series<'a>(
        &mut self,
        job: &str,
        family: &str,
        sample_name: &str,
        labels: impl Iterator<Item = (&'a str, &'a str)>,
    ) {
        if let Some(info) = self.jobs.get_mut(job).and_then(|f| f.get_mut(family)) {
            info.note_series(sample_name, labels);
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use signalboard_exposition::{parse, Format};

    #[test]
    fn incremental_updates_build_the_same_catalog() {
        let scrapes = [
            "# TYPE http_requests counter\nhttp_requests_total{code=\"200\",le=\"x\"} 5\n\
             # TYPE lat summary\nlat{quantile=\"0.5\"} 1\nlat_sum 3\nlat_count 2\nup 1\n",
            "http_requests_total{code=\"500\"} 9\n# TYPE g gauge\ng 42\ng{x=\"1\"} 50\n",
        ];
        let mut whole = Catalog::new();
        let mut incremental = Catalog::new();
        let mut numbering = signalboard_store::SeriesNumbering::new();
        for text in scrapes {
            let e = parse(text, Format::Prometheus).unwrap();
            whole.add_exposition("j", &e);
            let batch = numbering.collect(&e);
            for f in &batch.families {
                incremental.add_family("j", &f.name, f.kind, &f.help, f.max_value);
            }
            for s in &batch.new_series {
                let family = &batch.families[s.family as usize].name;
                let labels = s.labels.iter().map(|(n, v)| (n.as_str(), v.as_str()));
                incremental.add_series("j", family, &s.name, labels);
            }
        }
        assert_eq!(incremental, whole);
        assert_eq!(whole.family("j", "g").unwrap().max_value, 50.0);
    }
}
