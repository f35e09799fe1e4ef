//! Retention by age and by memory: drop the oldest samples first.
//!
//! Contract: `enforce_limits(now_ms)` first drops samples older than `now_ms - retention`,
//! then, while the bytes exceed `memory_limit`, raises a global cut-off time and drops
//! everything older (oldest samples go first across all series). Dropping works on whole
//! compressed chunks (see `series.rs`): a chunk goes when all its samples are older than the
//! cut-off, so a few older samples can outlive the cut-off inside a straddling chunk. Series
//! left without samples are removed and the indexes rebuilt, so `SeriesRef`s from before are
//! invalid. `limits_part` + `finish_limits` do the same spread over several calls, measuring
//! the store on the way (so the caller gets its statistics for free).

use crate::series::Series;
use crate::{Store, StoreStats};

/// The sums of [`Store::limits_part`] over a pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LimitsPart {
    pub dropped_by_retention: usize,
    pub series: usize,
    pub samples: usize,
    pub bytes: usize,
    pub sample_bytes: usize,
}

impl std::ops::AddAssign for LimitsPart {
    fn add_assign(&mut self, o: LimitsPart) {
        self.dropped_by_retention += o.dropped_by_retention;
        self.series += o.series;
        self.samples += o.samples;
        self.bytes += o.bytes;
        self.sample_bytes += o.sample_bytes;
    }
}

/// What `enforce_limits` dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LimitReport {
    pub dropped_by_retention: usize,
    pub dropped_by_memory: usize,
    pub series_removed: usize,
}

impl Store {
    /// Keep samples for at most `retention_ms` (None: forever).
    pub fn set_retention(&mut self, retention_ms: Option<i64>) {
        self.retention_ms = retention_ms;
    }

    /// Bound the estimated memory use to `bytes` (None: unbounded).
    pub fn set_memory_limit(&mut self, bytes: Option<usize>) {
        self.memory_limit = bytes;
    }

    /// Applies retention and the memory bound; see the module docs.
    pub fn enforce_limits(&mut self, now_ms: i64) -> LimitReport {
        let mut report = LimitReport::default();
        if let Some(r) = self.retention_ms {
            report.dropped_by_retention = self.drop_before(now_ms.saturating_sub(r));
        }
        if let Some(limit) = self.memory_limit {
            if self.stats().bytes > limit {
                let cut = self.cutoff_for_limit(limit);
                report.dropped_by_memory = self.drop_before(cut);
            }
        }
        report.series_removed = self.remove_empty_series();
        self.dropped_samples += (report.dropped_by_retention + report.dropped_by_memory) as u64;
        report
    }

    /// One piece of [`Store::enforce_limits`] spread over several calls (a page must not spend
    /// tens of milliseconds in one task on a big store): applies the age bound to the series with
    /// indexes in `series` and measures them. Add the parts up and pass the sum to
    /// [`Store::finish_limits`]; series appended meanwhile are simply measured next time.
    pub fn limits_part(&mut self, series: std::ops::Range<usize>, now_ms: i64) -> LimitsPart {
        let min_t = self.retention_ms.map(|r| now_ms.saturating_sub(r));
        let mut part = LimitsPart::default();
        let end = series.end.min(self.series.len());
        let start = series.start.min(end);
        for s in self.series.get_mut(start..end).unwrap_or_default() {
            if let Some(t) = min_t {
                part.dropped_by_retention += s.drop_before(t);
            }
            if s.is_empty() {
                // Removed by `finish_limits`.
                continue;
            }
            part.series += 1;
            part.samples += s.len();
            part.bytes += s.bytes();
            part.sample_bytes += s.sample_bytes();
        }
        part
    }

    /// Completes a pass of [`Store::limits_part`] calls: applies the memory bound if the
    /// measured bytes exceed it (one full pass, only then), removes emptied series and counts
    /// the drops. Returns what was dropped and the store's statistics as measured.
    pub fn finish_limits(&mut self, parts: LimitsPart) -> (LimitReport, StoreStats) {
        let mut report = LimitReport {
            dropped_by_retention: parts.dropped_by_retention,
            ..LimitReport::default()
        };
        let bytes = parts.bytes + self.postings.bytes();
        let mut stats = None;
        if let Some(limit) = self.memory_limit.filter(|l| bytes > *l) {
            let cut = self.cutoff_for_limit(limit);
            report.dropped_by_memory = self.drop_before(cut);
        }
        if report.dropped_by_retention + report.dropped_by_memory > 0 {
            report.series_removed = self.remove_empty_series();
        }
        if report.dropped_by_memory > 0 {
            stats = Some(self.stats());
        }
        let mut stats = stats.unwrap_or(StoreStats {
            series: parts.series,
            samples: parts.samples,
            bytes: parts.bytes + self.postings.bytes(),
            sample_bytes: parts.sample_bytes,
            dropped_samples: 0,
        });
        self.dropped_samples += (report.dropped_by_retention + report.dropped_by_memory) as u64;
        stats.dropped_samples = self.dropped_samples;
        (report, stats)
    }

    fn drop_before(&mut self, min_t_ms: i64) -> usize {
        self.series
            .iter_mut()
            .map(|s| s.drop_before(min_t_ms))
            .sum()
    }

    /// Smallest cut-off time such that dropping samples older than it fits `limit`
    /// (binary search over time; bytes kept shrink monotonically as the cut-off rises).
    fn cutoff_for_limit(&self, limit: usize) -> i64 {
        let min_t = self.series.iter().filter_map(Series::first_timestamp).min();
        let max_t = self.series.iter().filter_map(Series::last_timestamp).max();
        let (Some(mut lo), Some(mut hi)) = (min_t, max_t.map(|t| t.saturating_add(1))) else {
            return i64::MIN;
        };
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.bytes_if_cut_at(mid) <= limit {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        lo
    }

    fn bytes_if_cut_at(&self, cut: i64) -> usize {
        self.postings.bytes()
            + self
                .series
                .iter()
                .map(|s| match s.bytes_dropped_by(cut) {
                    (_, true) => 0,
                    (freed, false) => s.bytes().saturating_sub(freed),
                })
                .sum::<usize>()
    }

    fn remove_empty_series(&mut self) -> usize {
        let before = self.series.len();
        let mut next = 0u32;
        let old_to_new: Vec<Option<u32>> = self
            .series
            .iter()
            .map(|s| {
                (!s.is_empty()).then(|| {
                    next += 1;
                    next - 1
                })
            })
            .collect();
        self.series.retain(|s| !s.is_empty());
        let removed = before - self.series.len();
        if removed > 0 {
            self.rebuild_indexes();
            for state in self.targets.values_mut() {
                state.remap(&old_to_new);
            }
            for refs in self.batch_refs.values_mut() {
                crate::batch_ingest::remap(refs, &old_to_new);
            }
        }
        removed
    }

    fn rebuild_indexes(&mut self) {
        let series: Vec<Series> = std::mem::take(&mut self.series);
        self.by_labels.clear();
        self.postings.clear();
        for s in series {
            let r = crate::SeriesRef(self.series.len() as u32);
            self.by_labels.insert(s.labels.clone(), r);
            self.postings.add(&s.labels, r);
            self.series.push(s);
        }
    }
}
