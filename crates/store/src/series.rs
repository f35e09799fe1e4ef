//! One series: its labels, its sealed compressed chunks and its open head chunk.
//!
//! Contract: timestamps strictly increase. An append older than the last sample is rejected;
//! an append at the last timestamp is ignored when the value is bit-identical (a re-scrape of
//! the same sample, as Prometheus ignores it) and rejected otherwise.
//!
//! Samples are appended, compressed as they arrive, to the open head chunk (see `chunk.rs`);
//! at `CHUNK_SAMPLES` samples the head is sealed into an immutable chunk (re-encoded with the
//! smallest value encoding) that keeps its min/max time, so a time window decodes only the
//! chunks overlapping it. Dropping old samples works on whole chunks: a chunk is dropped when
//! all its samples are older than the cut-off, so up to `CHUNK_SAMPLES - 1` samples older than
//! the cut-off can stay with newer ones in a straddling chunk.

use crate::chunk::{self, Encoder, CHUNK_SAMPLES};
use crate::{AppendError, Labels, Stale};

/// One immutable compressed chunk: its bytes (which hold the count and the first time), its
/// last time and its store-wide sealing sequence number (the export cursor orders by it).
#[derive(Debug, Clone)]
pub(crate) struct Chunk {
    pub(crate) max_t: i64,
    pub(crate) seq: u64,
    pub(crate) bytes: Box<[u8]>,
}

impl Chunk {
    pub(crate) fn min_t(&self) -> i64 {
        chunk::first_timestamp(&self.bytes).unwrap_or(self.max_t)
    }

    pub(crate) fn samples(&self) -> usize {
        chunk::sample_count(&self.bytes)
    }
}

/// A series' samples, compressed.
#[derive(Debug, Clone)]
pub struct Series {
    pub(crate) labels: Labels,
    pub(crate) sealed: Vec<Chunk>,
    pub(crate) head: Encoder,
    /// Newest sample (time, value bits), for the out-of-order and duplicate checks.
    last: Option<(i64, u64)>,
}

/// What an accepted append did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Appended {
    Stored,
    /// Same timestamp and value as the last sample: nothing stored.
    Duplicate,
}

impl Series {
    pub(crate) fn new(labels: Labels) -> Self {
        Self {
            labels,
            sealed: Vec::new(),
            head: Encoder::default(),
            last: None,
        }
    }

    /// Appends one sample; when the head fills up it is sealed with sequence number `*seq`,
    /// which is then incremented.
    pub(crate) fn append(
        &mut self,
        t_ms: i64,
        v: f64,
        seq: &mut u64,
    ) -> Result<Appended, AppendError> {
        if let Some((last_t, last_v)) = self.last {
            if t_ms < last_t {
                return Err(AppendError::OutOfOrder {
                    labels: self.labels.to_string(),
                    last_ms: last_t,
                    t_ms,
                });
            }
            if t_ms == last_t {
                if last_v == v.to_bits() {
                    return Ok(Appended::Duplicate);
                }
                return Err(AppendError::DuplicateTimestamp {
                    labels: self.labels.to_string(),
                    t_ms,
                });
            }
        }
        self.head.push(t_ms, v);
        self.last = Some((t_ms, v.to_bits()));
        if self.head.len() >= CHUNK_SAMPLES {
            self.seal_head(*seq);
            *seq += 1;
        }
        Ok(Appended::Stored)
    }

    /// Seals the head into an immutable chunk (no-op when empty).
    pub(crate) fn seal_head(&mut self, seq: u64) {
        if self.head.len() == 0 {
            return;
        }
        let head = std::mem::take(&mut self.head);
        let Ok(samples) = chunk::decode_all(head.bytes()) else {
            // Our own encoder's output always decodes; keep the head rather than lose it.
            self.head = head;
            return;
        };
        let Some(&(max_t, _)) = samples.last() else {
            return;
        };
        self.sealed.push(Chunk {
            max_t,
            seq,
            bytes: chunk::encode_best(&samples),
        });
    }

    /// Inserts an imported chunk where it overlaps nothing (before the data, or into a gap
    /// between sealed chunks); false when it would overlap or follow the head's samples.
    /// `newest` is the chunk's last sample (time, value bits).
    pub(crate) fn insert_sealed(&mut self, c: Chunk, newest: (i64, u64)) -> bool {
        let min_t = c.min_t();
        let i = self.sealed.partition_point(|s| s.max_t < min_t);
        let next_min = match self.sealed.get(i) {
            Some(next) => Some(next.min_t()),
            None => (self.head.len() > 0).then(|| self.head.first_t()),
        };
        let fits = match next_min {
            Some(next) => c.max_t < next,
            None => self.last.is_none(),
        };
        if !fits {
            return false;
        }
        if self.last.is_none() {
            self.last = Some(newest);
        }
        self.sealed.insert(i, c);
        true
    }

    /// Number of stored samples.
    pub(crate) fn len(&self) -> usize {
        self.sealed.iter().map(Chunk::samples).sum::<usize>() + self.head.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.sealed.is_empty() && self.head.len() == 0
    }

    pub(crate) fn first_timestamp(&self) -> Option<i64> {
        match self.sealed.first() {
            Some(c) => Some(c.min_t()),
            None => (self.head.len() > 0).then(|| self.head.first_t()),
        }
    }

    /// Drops the chunks whose samples are all older than `min_t_ms` (the head counts as one
    /// chunk); returns how many samples were dropped.
    pub(crate) fn drop_before(&mut self, min_t_ms: i64) -> usize {
        let n = self.sealed.partition_point(|c| c.max_t < min_t_ms);
        let mut dropped: usize = self.sealed.drain(..n).map(|c| c.samples()).sum();
        if self.sealed.is_empty() && self.last.is_some_and(|(t, _)| t < min_t_ms) {
            dropped += self.head.len();
            self.head = Encoder::default();
        }
        dropped
    }

    /// Bytes that `drop_before(cut)` would free, and whether the series would become empty.
    pub(crate) fn bytes_dropped_by(&self, cut: i64) -> (usize, bool) {
        let n = self.sealed.partition_point(|c| c.max_t < cut);
        let freed = self
            .sealed
            .iter()
            .take(n)
            .map(|c| c.bytes.len())
            .sum::<usize>();
        let empty = n == self.sealed.len() && self.last.is_some_and(|(t, _)| t < cut);
        (freed, empty)
    }

    /// Appends the samples with `mint <= t <= maxt` to `ts`/`vs`, decoding only the chunks
    /// overlapping the window.
    pub(crate) fn read_window(
        &self,
        mint: i64,
        maxt: i64,
        stale: Stale,
        ts: &mut Vec<i64>,
        vs: &mut Vec<f64>,
    ) {
        let base = (ts.len(), vs.len());
        let n = self.read_at(mint, maxt, stale, (ts, vs), base);
        ts.truncate(base.0 + n);
        vs.truncate(base.1 + n);
    }

    /// Writes the samples with `mint <= t <= maxt` to `ts`/`vs` from indices `base` on
    /// (overwriting what is there, growing a vector only when it is too short) and returns
    /// their number; entries after them are unspecified.
    pub(crate) fn read_at(
        &self,
        mint: i64,
        maxt: i64,
        stale: Stale,
        (ts, vs): (&mut Vec<i64>, &mut Vec<f64>),
        (base_t, base_v): (usize, usize),
    ) -> usize {
        if mint > maxt {
            return 0;
        }
        let first = self.sealed.partition_point(|c| c.max_t < mint);
        let overlapping = self
            .sealed
            .get(first..)
            .unwrap_or(&[])
            .iter()
            .take_while(|c| c.min_t() <= maxt);
        let head = (self.head.len() > 0 && self.head.first_t() <= maxt).then(|| self.head.bytes());
        // Slots for every sample of the overlapping chunks, made before decoding: no capacity
        // check per sample.
        let upper = overlapping.clone().map(Chunk::samples).sum::<usize>()
            + head.map_or(0, |_| self.head.len());
        if ts.len() < base_t + upper {
            ts.resize(base_t + upper, 0);
        }
        if vs.len() < base_v + upper {
            vs.resize(base_v + upper, 0.0);
        }
        let mut used = 0;
        PAD.with(|cell| {
            // The thread's buffer is only borrowed here; a fresh one would do all the same.
            let mut own;
            let mut guard = cell.try_borrow_mut();
            let pad = match &mut guard {
                Ok(p) => &mut **p,
                Err(_) => {
                    own = chunk::PadBuf::new();
                    &mut own
                }
            };
            for bytes in overlapping.map(|c| &c.bytes[..]).chain(head) {
                let free_t = ts.get_mut(base_t + used..).unwrap_or(&mut []);
                let free_v = vs.get_mut(base_v + used..).unwrap_or(&mut []);
                // A chunk the store wrote always decodes; should one not, its samples after
                // the fault are left out rather than failing the read.
                let (n, _) = chunk::decode_window(
                    bytes,
                    pad,
                    (mint, maxt),
                    stale == Stale::Drop,
                    free_t,
                    free_v,
                );
                used += n;
            }
        });
        used
    }

    pub(crate) fn last_timestamp(&self) -> Option<i64> {
        self.last.map(|(t, _)| t)
    }

    /// Real bytes held for samples: sealed chunk bytes plus the head's allocation.
    pub(crate) fn sample_bytes(&self) -> usize {
        self.sealed.iter().map(|c| c.bytes.len()).sum::<usize>() + self.head.capacity_bytes()
    }

    /// All bytes attributable to the series: the struct, its labels, chunk headers and data,
    /// and its `by_labels` index entry.
    pub(crate) fn bytes(&self) -> usize {
        SERIES_OVERHEAD_BYTES
            + self.labels.heap_bytes()
            + self.sealed.capacity() * std::mem::size_of::<Chunk>()
            + self.sample_bytes()
    }
}

thread_local! {
    /// The decoder's scratch copy of a chunk, made once per thread (it is 2 KB).
    static PAD: std::cell::RefCell<chunk::PadBuf> = std::cell::RefCell::new(chunk::PadBuf::new());
}

/// Fixed per-series cost: the `Series` struct in the series table plus its `by_labels` entry
/// (key, ref and hash-table control byte, at the table's 7/8 load factor).
pub(crate) const SERIES_OVERHEAD_BYTES: usize =
    std::mem::size_of::<Series>() + (std::mem::size_of::<(Labels, crate::SeriesRef)>() + 1) * 8 / 7;
