//! Scrape ingestion: what Prometheus's scrape loop does with one target's parsed samples.
//!
//! Contract (honor_timestamps=true):
//! - every sample gets the target labels; a scraped label that collides with a target label
//!   and has a non-empty value is renamed `exported_<name>` (prefixed again until free), or,
//!   with `honor_labels` (as for scraping a Prometheus `/federate` endpoint), keeps its value
//!   and the target label is dropped;
//! - a sample without its own timestamp is stored at the scrape time;
//! - the same series twice in one scrape: the first sample wins, later ones are counted as
//!   duplicates;
//! - series the previous scrape of this target had (without explicit timestamps) and this
//!   one lacks get a staleness marker at the scrape time; `mark_target_down` marks all of
//!   them. The synthetic `up`/`scrape_*` series are the caller's job (plain `append`).

use rustc_hash::FxHashMap as HashMap;

use crate::{Labels, SeriesRef, Store, METRIC_NAME, STALE_NAN};

/// The labels a target attaches to everything scraped from it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TargetLabels {
    pub job: String,
    pub instance: String,
    /// Static labels from the config (`static_configs[].labels`).
    pub extra: Vec<(String, String)>,
    /// Prometheus's `honor_labels`: scraped labels win over target labels on conflict.
    pub honor_labels: bool,
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

/// Per-target scrape cache: raw sample identity (name and labels as exposed) → stored series,
/// stamped with the last scrape that had it. A repeated series costs one hash lookup; the
/// stamps give duplicates, `series_added` and the series that vanished (staleness markers).
#[derive(Debug, Clone, Default)]
pub(crate) struct TargetState {
    cache: HashMap<Box<str>, CacheEntry>,
    /// Scrapes ingested so far (the current scrape's stamp).
    scrapes: u64,
}

#[derive(Debug, Clone)]
struct CacheEntry {
    series: SeriesRef,
    last_scrape: u64,
    /// Exposed without its own timestamp, so it gets staleness markers.
    stale_tracked: bool,
}

impl TargetState {
    /// Rewrites series refs after the store compacted its series table.
    pub(crate) fn remap(&mut self, old_to_new: &[Option<u32>]) {
        let map = |r: u32| old_to_new.get(r as usize).copied().flatten();
        self.cache.retain(|_, e| match map(e.series.0) {
            Some(n) => {
                e.series = SeriesRef(n);
                true
            }
            None => false,
        });
    }

    /// Series of scrape `stamp` that get staleness markers.
    fn tracked_in(&self, stamp: u64) -> Vec<SeriesRef> {
        self.cache
            .values()
            .filter(|e| e.last_scrape == stamp && e.stale_tracked)
            .map(|e| e.series)
            .collect()
    }
}

/// One sample as the ingest loop sees it: name, exposed labels, value, own timestamp.
type Raw<'s, L> = (&'s str, L, f64, Option<i64>);

impl Store {
    /// Ingests one successful scrape of `target` taken at `scrape_time_ms`.
    pub fn ingest_samples<'a>(
        &mut self,
        target: &TargetLabels,
        scrape_time_ms: i64,
        samples: impl IntoIterator<Item = ScrapedSample<'a>>,
    ) -> ScrapeReport {
        let raw = samples
            .into_iter()
            .map(|s| (s.name, s.labels.iter().copied(), s.value, s.timestamp_ms));
        self.ingest_raw(target, scrape_time_ms, raw)
    }

    /// Ingests one successfully parsed exposition of `target` scraped at `scrape_time_ms`
    /// (see the module docs for the rules).
    pub fn ingest_scrape(
        &mut self,
        target: &TargetLabels,
        scrape_time_ms: i64,
        exposition: &signalboard_exposition::Exposition<'_>,
    ) -> ScrapeReport {
        let raw = exposition
            .families
            .iter()
            .flat_map(|f| f.samples.iter())
            .map(|s| {
                let labels = s.labels.iter().map(|(n, v)| (n.as_ref(), v.as_ref()));
                (s.name.as_ref(), labels, s.value, s.timestamp_ms)
            });
        self.ingest_raw(target, scrape_time_ms, raw)
    }

    fn ingest_raw<'s, L>(
        &mut self,
        target: &TargetLabels,
        scrape_time_ms: i64,
        samples: impl Iterator<Item = Raw<'s, L>>,
    ) -> ScrapeReport
    where
        L: Iterator<Item = (&'s str, &'s str)> + Clone,
    {
        let target_labels = target.labels();
        let mut state = self.targets.remove(&target_labels).unwrap_or_default();
        state.scrapes += 1;
        let now = state.scrapes;
        let mut report = ScrapeReport::default();
        let mut key = String::new();
        for (name, labels, value, ts) in samples {
            report.samples += 1;
            raw_key(&mut key, name, labels.clone());
            let (series, in_previous) = match state.cache.get_mut(key.as_str()) {
                Some(e) if e.last_scrape == now => {
                    report.duplicates += 1;
                    continue;
                }
                Some(e) => {
                    let in_previous = e.last_scrape + 1 == now;
                    e.last_scrape = now;
                    e.stale_tracked = ts.is_none();
                    (e.series, in_previous)
                }
                None => {
                    let scraped: Vec<(&str, &str)> = labels.collect();
                    let full =
                        attach_target_labels(name, &scraped, &target_labels, target.honor_labels);
                    let series = self.get_or_create(&full).0;
                    let entry = CacheEntry {
                        series,
                        last_scrape: now,
                        stale_tracked: ts.is_none(),
                    };
                    state.cache.insert(key.as_str().into(), entry);
                    (series, false)
                }
            };
            if !in_previous {
                report.series_added += 1;
            }
            match self.append_ref(series, ts.unwrap_or(scrape_time_ms), value) {
                Ok(crate::Appended::Stored) => report.stored += 1,
                Ok(_) => {}
                Err(_) => report.rejected += 1,
            }
        }
        // Series the previous scrape had and this one lacks.
        for gone in state.tracked_in(now - 1) {
            if self.append_ref(gone, scrape_time_ms, STALE_NAN).is_ok() {
                report.stale_markers += 1;
            }
        }
        // Forget series absent for more than a scrape, keeping the cache bounded.
        if state.cache.len() > 2 * report.samples + 16 {
            state.cache.retain(|_, e| e.last_scrape + 1 >= now);
        }
        self.targets.insert(target_labels, state);
        report
    }

    /// Writes staleness markers for every series of `target`'s last scrape (failed scrape or
    /// target gone). Returns how many markers were written.
    pub fn mark_target_down(&mut self, target: &TargetLabels, t_ms: i64) -> usize {
        let Some(state) = self.targets.remove(&target.labels()) else {
            return 0;
        };
        state
            .tracked_in(state.scrapes)
            .into_iter()
            .filter(|&r| self.append_ref(r, t_ms, STALE_NAN).is_ok())
            .count()
    }
}

/// The raw identity of a scraped sample: name and labels as exposed, in exposition order.
fn raw_key<'s>(key: &mut String, name: &str, labels: impl Iterator<Item = (&'s str, &'s str)>) {
    key.clear();
    key.push_str(name);
    for (n, v) in labels {
        key.push('\u{0}');
        key.push_str(n);
        key.push('\u{1}');
        key.push_str(v);
    }
}

/// Scraped labels plus target labels: on a conflict the scraped label is renamed
/// `exported_<name>`, or with `honor` keeps its value and the target label is dropped.
pub(crate) fn attach_target_labels(
    name: &str,
    scraped: &[(&str, &str)],
    target: &Labels,
    honor: bool,
) -> Labels {
    let mut pairs: Vec<(String, String)> = scraped
        .iter()
        .filter(|(n, _)| *n != METRIC_NAME)
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    let clashes = |pairs: &[(String, String)], tn: &str| {
        pairs.iter().position(|(n, v)| n == tn && !v.is_empty())
    };
    let mut kept_target: Vec<(String, String)> = Vec::new();
    for (tn, tv) in target.iter() {
        match clashes(&pairs, tn) {
            Some(_) if honor => continue,
            Some(i) => {
                let mut new_name = format!("exported_{tn}");
                while pairs.iter().any(|(n, _)| *n == new_name) {
                    new_name = format!("exported_{new_name}");
                }
                if let Some(p) = pairs.get_mut(i) {
                    p.0 = new_name;
                }
            }
            None => {}
        }
        kept_target.push((tn.to_string(), tv.to_string()));
    }
    // An empty scraped label means no label; `from_pairs` keeps the later (target) value.
    pairs.push((METRIC_NAME.to_string(), name.to_string()));
    pairs.extend(kept_target);
    Labels::from_pairs(pairs)
}
