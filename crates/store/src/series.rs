//! One series: its labels and its samples in two columns (timestamps, values).
//!
//! Contract: timestamps strictly increase. An append older than the last sample is rejected;
//! an append at the last timestamp is ignored when the value is bit-identical (a re-scrape of
//! the same sample, as Prometheus ignores it) and rejected otherwise.

use crate::{AppendError, Labels};

/// A series' samples, columnar.
#[derive(Debug, Clone)]
pub struct Series {
    pub(crate) labels: Labels,
    pub(crate) timestamps: Vec<i64>,
    pub(crate) values: Vec<f64>,
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
            timestamps: Vec::new(),
            values: Vec::new(),
        }
    }

    pub(crate) fn append(&mut self, t_ms: i64, v: f64) -> Result<Appended, AppendError> {
        if let (Some(&last_t), Some(&last_v)) = (self.timestamps.last(), self.values.last()) {
            if t_ms < last_t {
                return Err(AppendError::OutOfOrder {
                    labels: self.labels.to_string(),
                    last_ms: last_t,
                    t_ms,
                });
            }
            if t_ms == last_t {
                if last_v.to_bits() == v.to_bits() {
                    return Ok(Appended::Duplicate);
                }
                return Err(AppendError::DuplicateTimestamp {
                    labels: self.labels.to_string(),
                    t_ms,
                });
            }
        }
        self.timestamps.push(t_ms);
        self.values.push(v);
        Ok(Appended::Stored)
    }

    /// Drops samples older than `min_t_ms`; returns how many were dropped.
    pub(crate) fn drop_before(&mut self, min_t_ms: i64) -> usize {
        let n = self.timestamps.partition_point(|&t| t < min_t_ms);
        if n > 0 {
            self.timestamps.drain(..n);
            self.values.drain(..n);
        }
        n
    }

    /// Index range of samples with `mint <= t <= maxt`.
    pub(crate) fn window(&self, mint: i64, maxt: i64) -> std::ops::Range<usize> {
        let lo = self.timestamps.partition_point(|&t| t < mint);
        let hi = self.timestamps.partition_point(|&t| t <= maxt);
        lo..hi.max(lo)
    }

    pub(crate) fn last_timestamp(&self) -> Option<i64> {
        self.timestamps.last().copied()
    }

    pub(crate) fn bytes(&self) -> usize {
        SERIES_OVERHEAD_BYTES + self.labels.heap_bytes() + self.timestamps.len() * SAMPLE_BYTES
    }
}

/// Bytes per stored sample (i64 + f64, uncompressed).
pub(crate) const SAMPLE_BYTES: usize = 16;
/// Fixed per-series cost: struct, two vectors, index entries.
pub(crate) const SERIES_OVERHEAD_BYTES: usize = 160;
