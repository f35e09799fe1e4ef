//! Scrape ingestion: what Prometheus's scrape loop does with one target's parsed samples.
//!
//! Contract (honor_labels=false, honor_timestamps=true):
//! - every sample gets the target labels; a scraped label that collides with a target label
//!   and has a non-empty value is renamed `exported_<name>` (prefixed again until free);
//! - a sample without its own timestamp is stored at the scrape time;
//! - the same series twice in one scrape: the first sample wins, later ones are counted as
//!   duplicates;
//! - series the previous scrape of this target had (without explicit timestamps) and this
//!   one lacks get a staleness marker at the scrape time; `mark_target_down` marks all of
//!   them. The synthetic `up`/`scrape_*` series are the caller's job (plain `append`).

use rustc_hash::FxHashSet as HashSet;

use crate::{Labels, Store, METRIC_NAME, STALE_NAN};

/// The labels a target attaches to everything scraped from it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TargetLabels {
    pub job: String,
    pub instance: String,
    /// Static labels from the config (`static_configs[].labels`).
    pub extra: Vec<(String, String)>,
}

impl TargetLabels {
    /// `job`, `instance` and the extra labels as one label set.
    pub fn labels(&self) -> Labels {
        let base = [
            ("job", self.job.as_str()),
            ("instance", self.instance.as_str()),
        ];
        Labels::from_pairs(
            self.extra
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .chain(base),
        )
    }
}

/// One parsed sample, independent of the parser's own types.
#[derive(Debug, Clone, Copy)]
pub struct ScrapedSample<'a> {
    pub name: &'a str,
    pub labels: &'a [(&'a str, &'a str)],
    pub value: f64,
    pub timestamp_ms: Option<i64>,
}

/// What one scrape ingestion did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ScrapeReport {
    /// Samples offered by the parser.
    pub samples: usize,
    /// Samples actually stored.
    pub stored: usize,
    /// Series not present in this target's previous scrape.
    pub series_added: usize,
    /// Same series repeated within the scrape (dropped).
    pub duplicates: usize,
    /// Samples rejected as out of order or conflicting with a stored sample.
    pub rejected: usize,
    /// Staleness markers written for series that disappeared.
    pub stale_markers: usize,
}

/// Per-target memory of the previous scrape (series eligible for staleness markers).
#[derive(Debug, Clone, Default)]
pub(crate) struct TargetState {
    last_series: HashSet<Labels>,
}

impl Store {
    /// Ingests one successful scrape of `target` taken at `scrape_time_ms`.
    pub fn ingest_samples<'a>(
        &mut self,
        target: &TargetLabels,
        scrape_time_ms: i64,
        samples: impl IntoIterator<Item = ScrapedSample<'a>>,
    ) -> ScrapeReport {
        let target_labels = target.labels();
        let previous = self.targets.remove(&target_labels).unwrap_or_default();
        let mut report = ScrapeReport::default();
        let mut seen: HashSet<Labels> = HashSet::default();
        let mut current = TargetState::default();
        for s in samples {
            report.samples += 1;
            let labels = attach_target_labels(s.name, s.labels, &target_labels);
            if !seen.insert(labels.clone()) {
                report.duplicates += 1;
                continue;
            }
            if !previous.last_series.contains(&labels) {
                report.series_added += 1;
            }
            let t = s.timestamp_ms.unwrap_or(scrape_time_ms);
            match self.append(&labels, t, s.value) {
                Ok(o) if o.stored => report.stored += 1,
                Ok(_) => {}
                Err(_) => report.rejected += 1,
            }
            // Series with explicit timestamps never get staleness markers (Prometheus default).
            if s.timestamp_ms.is_none() {
                current.last_series.insert(labels);
            }
        }
        for gone in previous.last_series.difference(&current.last_series) {
            if self.append(gone, scrape_time_ms, STALE_NAN).is_ok() {
                report.stale_markers += 1;
            }
        }
        self.targets.insert(target_labels, current);
        report
    }

    /// Ingests one successfully parsed exposition of `target` scraped at `scrape_time_ms`
    /// (see the module docs for the rules).
    pub fn ingest_scrape(
        &mut self,
        target: &TargetLabels,
        scrape_time_ms: i64,
        exposition: &signalboard_exposition::Exposition<'_>,
    ) -> ScrapeReport {
        let samples: Vec<&signalboard_exposition::Sample<'_>> = exposition
            .families
            .iter()
            .flat_map(|f| f.samples.iter())
            .collect();
        let labels: Vec<Vec<(&str, &str)>> = samples
            .iter()
            .map(|s| {
                s.labels
                    .iter()
                    .map(|(n, v)| (n.as_ref(), v.as_ref()))
                    .collect()
            })
            .collect();
        let scraped = samples.iter().zip(&labels).map(|(s, l)| ScrapedSample {
            name: s.name.as_ref(),
            labels: l,
            value: s.value,
            timestamp_ms: s.timestamp_ms,
        });
        self.ingest_samples(target, scrape_time_ms, scraped)
    }

    /// Writes staleness markers for every series of `target`'s last scrape (failed scrape or
    /// target gone). Returns how many markers were written.
    pub fn mark_target_down(&mut self, target: &TargetLabels, t_ms: i64) -> usize {
        let Some(state) = self.targets.remove(&target.labels()) else {
            return 0;
        };
        state
            .last_series
            .iter()
            .filter(|l| self.append(l, t_ms, STALE_NAN).is_ok())
            .count()
    }
}

/// Scraped labels plus target labels, with `exported_` renaming on conflicts.
fn attach_target_labels(name: &str, scraped: &[(&str, &str)], target: &Labels) -> Labels {
    let mut pairs: Vec<(String, String)> = scraped
        .iter()
        .filter(|(n, _)| *n != METRIC_NAME)
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    for (tn, _) in target.iter() {
        let clash = pairs.iter().position(|(n, v)| n == tn && !v.is_empty());
        if let Some(i) = clash {
            let mut new_name = format!("exported_{tn}");
            while pairs.iter().any(|(n, _)| *n == new_name) {
                new_name = format!("exported_{new_name}");
            }
            if let Some(p) = pairs.get_mut(i) {
                p.0 = new_name;
            }
        }
    }
    pairs.push((METRIC_NAME.to_string(), name.to_string()));
    pairs.extend(target.iter().map(|(n, v)| (n.to_string(), v.to_string())));
    Labels::from_pairs(pairs)
}
