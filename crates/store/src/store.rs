//! `Store`: the series table, the postings index and the append/select paths.
//!
//! Contract: a series is identified by its full `Labels`. `append` creates series on first
//! use. `select` returns every series matching all matchers (logical AND) with the slice of
//! its samples in `[mint_ms, maxt_ms]` (both ends inclusive; callers wanting Prometheus's
//! left-open windows pass `mint + 1`). Series with no samples in the window are still
//! returned (with empty slices) so callers can tell "no data" from "no series". Only the
//! compressed chunks overlapping the window are decoded, into buffers the selection owns.
//! `select_series` + `read_window` are the same read split in two, for callers that consume
//! one series at a time and reuse their buffers (no allocation per series).

use rustc_hash::FxHashMap as HashMap;

use crate::series::{Appended, Series};
use crate::{Labels, MatchKind, Matcher};

/// Index of a series inside a `Store` (stable until the next retention/compaction pass).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SeriesRef(pub u32);

/// Why an append was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppendError {
    OutOfOrder {
        labels: String,
        last_ms: i64,
        t_ms: i64,
    },
    DuplicateTimestamp {
        labels: String,
        t_ms: i64,
    },
    /// `append_ref` with a ref this store does not have (e.g. from before a compaction).
    UnknownSeries(u32),
}

impl std::fmt::Display for AppendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::OutOfOrder { labels, last_ms, t_ms } => write!(
                f,
                "out of order sample for {labels}: t={t_ms}ms is older than the last sample at {last_ms}ms"
            ),
            Self::UnknownSeries(r) => write!(f, "unknown series ref {r}"),
            Self::DuplicateTimestamp { labels, t_ms } => write!(
                f,
                "duplicate sample for {labels} at t={t_ms}ms with a different value"
            ),
        }
    }
}

impl std::error::Error for AppendError {}

/// Outcome of a successful append.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppendOutcome {
    pub series: SeriesRef,
    pub new_series: bool,
    pub stored: bool,
}

/// Whether a read keeps staleness markers (instant selectors need them to end a series'
/// lookback) or drops them (range selectors never return them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stale {
    Keep,
    Drop,
}

/// One selected series: its labels and the samples inside the requested window, decoded
/// into buffers the selection owns.
#[derive(Debug, Clone)]
pub struct SeriesSlice<'a> {
    pub series: SeriesRef,
    pub labels: &'a Labels,
    pub timestamps: Vec<i64>,
    pub values: Vec<f64>,
}

/// Store size figures.
/// One series' window of samples, read by [`Store::read_window_into`] into memory reused from
/// read to read.
#[derive(Debug, Clone, Default)]
pub struct WindowBuf {
    ts: Vec<i64>,
    vs: Vec<f64>,
    len: usize,
}

impl WindowBuf {
    /// The samples' timestamps, increasing.
    pub fn timestamps(&self) -> &[i64] {
        self.ts.get(..self.len).unwrap_or(&[])
    }

    /// The samples' values, one per timestamp.
    pub fn values(&self) -> &[f64] {
        self.vs.get(..self.len).unwrap_or(&[])
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StoreStats {
    pub series: usize,
    pub samples: usize,
    /// Bytes used by series, labels, samples and the indexes (sizes of the real allocations;
    /// hash-table and allocator slack estimated).
    pub bytes: usize,
    /// Bytes of compressed sample data alone (sealed chunks and open heads), the figure
    /// comparable to Prometheus's ~1.3 bytes/sample for its XOR chunks.
    pub sample_bytes: usize,
    /// Samples dropped so far by retention and by the memory bound.
    pub dropped_samples: u64,
}

/// Inverted index from label pairs to series.
#[derive(Debug, Default)]
pub(crate) struct Postings {
    by_pair: HashMap<Box<str>, HashMap<Box<str>, Vec<SeriesRef>>>,
    refs: usize,
}

impl Postings {
    pub(crate) fn add(&mut self, labels: &Labels, r: SeriesRef) {
        for (n, v) in labels.iter() {
            let values = match self.by_pair.get_mut(n) {
                Some(values) => values,
                None => self.by_pair.entry(n.into()).or_default(),
            };
            match values.get_mut(v) {
                Some(list) => list.push(r),
                None => {
                    values.insert(v.into(), vec![r]);
                }
            }
            self.refs += 1;
        }
    }

    pub(crate) fn get(&self, name: &str, value: &str) -> &[SeriesRef] {
        self.by_pair
            .get(name)
            .and_then(|vals| vals.get(value))
            .map_or(&[], Vec::as_slice)
    }

    pub(crate) fn clear(&mut self) {
        self.by_pair.clear();
        self.refs = 0;
    }

    /// Estimated bytes: one ref per (series, label) plus the keys.
    pub(crate) fn bytes(&self) -> usize {
        self.refs * std::mem::size_of::<SeriesRef>()
            + self
                .by_pair
                .iter()
                .map(|(n, vals)| n.len() + vals.keys().map(|v| v.len() + 48).sum::<usize>())
                .sum::<usize>()
    }
}

/// The in-memory time series store.
#[derive(Debug, Default)]
pub struct Store {
    pub(crate) series: Vec<Series>,
    pub(crate) by_labels: HashMap<Labels, SeriesRef>,
    /// Postings: label name → label value → series having that pair (ascending refs).
    pub(crate) postings: Postings,
    pub(crate) retention_ms: Option<i64>,
    pub(crate) memory_limit: Option<usize>,
    pub(crate) dropped_samples: u64,
    /// Sequence number the next sealed chunk gets.
    pub(crate) next_chunk_seq: u64,
    pub(crate) targets: HashMap<Labels, crate::ingest::TargetState>,
    /// Per target: batch series id → stored series (`batch_ingest.rs`).
    pub(crate) batch_refs: HashMap<Labels, Vec<Option<SeriesRef>>>,
}

impl Store {
    /// An empty store with no retention and no memory bound.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends one sample, creating the series if needed.
    pub fn append(
        &mut self,
        labels: &Labels,
        t_ms: i64,
        v: f64,
    ) -> Result<AppendOutcome, AppendError> {
        let (series, new_series) = self.get_or_create(labels);
        let stored = match self.series.get_mut(series.0 as usize) {
            Some(s) => s.append(t_ms, v, &mut self.next_chunk_seq)? == Appended::Stored,
            None => false,
        };
        Ok(AppendOutcome {
            series,
            new_series,
            stored,
        })
    }

    /// The ref of the series with exactly these labels, if it exists.
    pub fn lookup(&self, labels: &Labels) -> Option<SeriesRef> {
        self.by_labels.get(labels).copied()
    }

    /// Timestamp of the newest sample of a series.
    pub fn last_timestamp(&self, series: SeriesRef) -> Option<i64> {
        self.series
            .get(series.0 as usize)
            .and_then(Series::last_timestamp)
    }

    /// Appends one sample to an existing series by reference (the fast path for callers that
    /// cache refs, like scrape ingestion).
    pub fn append_ref(
        &mut self,
        series: SeriesRef,
        t_ms: i64,
        v: f64,
    ) -> Result<Appended, AppendError> {
        match self.series.get_mut(series.0 as usize) {
            Some(s) => s.append(t_ms, v, &mut self.next_chunk_seq),
            None => Err(AppendError::UnknownSeries(series.0)),
        }
    }

    pub(crate) fn get_or_create(&mut self, labels: &Labels) -> (SeriesRef, bool) {
        if let Some(r) = self.by_labels.get(labels) {
            return (*r, false);
        }
        let r = SeriesRef(self.series.len() as u32);
        self.series.push(Series::new(labels.clone()));
        self.by_labels.insert(labels.clone(), r);
        self.postings.add(labels, r);
        (r, true)
    }

    /// Series matching all `matchers`, with their samples in `[mint_ms, maxt_ms]`.
    pub fn select(&self, matchers: &[Matcher], mint_ms: i64, maxt_ms: i64) -> Vec<SeriesSlice<'_>> {
        self.select_series(matchers)
            .into_iter()
            .map(|(r, labels)| {
                let (mut timestamps, mut values) = (Vec::new(), Vec::new());
                let window = (mint_ms, maxt_ms);
                self.read_window(r, window, Stale::Keep, &mut timestamps, &mut values);
                SeriesSlice {
                    series: r,
                    labels,
                    timestamps,
                    values,
                }
            })
            .collect()
    }

    /// Series matching all `matchers`, without decoding anything: callers that consume one
    /// series at a time read each with [`Store::read_window`] into buffers they reuse.
    pub fn select_series(&self, matchers: &[Matcher]) -> Vec<(SeriesRef, &Labels)> {
        let (candidates, exact) = self.candidates(matchers);
        // The matcher whose postings list gave the candidates holds for all of them.
        let rest: Vec<&Matcher> = matchers
            .iter()
            .enumerate()
            .filter(|&(i, _)| Some(i) != exact)
            .map(|(_, m)| m)
            .collect();
        candidates
            .filter_map(|r| self.series.get(r.0 as usize).map(|s| (r, &s.labels)))
            .filter(|(_, labels)| rest.iter().all(|m| m.matches(labels)))
            .collect()
    }

    /// Appends the samples of `series` in `[mint_ms, maxt_ms]` to `ts`/`vs` (nothing for an
    /// unknown ref), decoding only the chunks overlapping the window; `Stale::Drop` leaves
    /// staleness markers out.
    pub fn read_window(
        &self,
        series: SeriesRef,
        (mint_ms, maxt_ms): (i64, i64),
        stale: Stale,
        ts: &mut Vec<i64>,
        vs: &mut Vec<f64>,
    ) {
        if let Some(s) = self.series.get(series.0 as usize) {
            s.read_window(mint_ms, maxt_ms, stale, ts, vs);
        }
    }

    /// [`Store::read_window`] into `buf`, replacing its samples: the buffer keeps its memory
    /// from read to read, so reading series after series neither clears nor grows it.
    pub fn read_window_into(
        &self,
        series: SeriesRef,
        (mint_ms, maxt_ms): (i64, i64),
        stale: Stale,
        buf: &mut WindowBuf,
    ) {
        buf.len = match self.series.get(series.0 as usize) {
            Some(s) => s.read_at(mint_ms, maxt_ms, stale, (&mut buf.ts, &mut buf.vs), (0, 0)),
            None => 0,
        };
    }

    /// Narrows the scan to the shortest postings list among the `name="value"` matchers
    /// (non-empty values only: `a=""` matches series without `a`), also returning that
    /// matcher's index; a full scan (and None) otherwise. Every candidate must still be
    /// checked against the other matchers.
    fn candidates<'s>(
        &'s self,
        matchers: &[Matcher],
    ) -> (Box<dyn Iterator<Item = SeriesRef> + 's>, Option<usize>) {
        let shortest = matchers
            .iter()
            .enumerate()
            .filter_map(|(i, m)| match &m.kind {
                MatchKind::Equal(v) if !v.is_empty() => Some((i, self.postings.get(&m.name, v))),
                _ => None,
            })
            .min_by_key(|(_, list)| list.len());
        match shortest {
            Some((i, list)) => (Box::new(list.iter().copied()), Some(i)),
            None => (Box::new((0..self.series.len() as u32).map(SeriesRef)), None),
        }
    }

    /// The oldest sample time held, if any (where the history starts).
    pub fn min_time(&self) -> Option<i64> {
        self.series.iter().filter_map(Series::first_timestamp).min()
    }

    /// Counts and memory.
    pub fn stats(&self) -> StoreStats {
        let samples = self.series.iter().map(Series::len).sum();
        let bytes = self.series.iter().map(Series::bytes).sum::<usize>() + self.postings.bytes();
        StoreStats {
            series: self.series.len(),
            samples,
            bytes,
            sample_bytes: self.series.iter().map(Series::sample_bytes).sum(),
            dropped_samples: self.dropped_samples,
        }
    }
}
