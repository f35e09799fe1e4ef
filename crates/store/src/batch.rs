//! Scrape batches: one parsed scrape of one target as compact columns, so parsing can run in
//! a Web Worker and the page only appends numbers.
//!
//! Contract: a [`SeriesNumbering`] (one per target, living where parsing happens) gives every
//! raw sample identity (name + labels as exposed) a small integer id and turns an exposition
//! into a [`Batch`]: the label sets of series it has not numbered before (`new_series`), then
//! `(id, value, own timestamp or [`NO_TIMESTAMP`])` columns, the ids of the previous scrape's
//! series missing now (`gone`, they get staleness markers), and per family its metadata and the
//! largest plain sample value (what the golden catalog needs without re-reading every sample).
//! Duplicates (same identity twice in one scrape: the first wins), `series_added` and staleness
//! follow `ingest.rs` exactly. Ids of series absent for two scrapes are recycled. [`encode`] /
//! [`BatchReader`] move a batch through one byte buffer (transferable between threads); new
//! series are read one at a time so the receiver can spread the work over several tasks.

use rustc_hash::FxHashMap as HashMap;
use signalboard_exposition::{Exposition, MetricType};

/// Timestamp column value of a sample without its own timestamp (stored at the scrape time).
pub const NO_TIMESTAMP: i64 = i64::MIN;

/// One family of the scrape: what the golden-signal catalog keeps per family.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchFamily {
    pub name: String,
    pub kind: MetricType,
    pub help: String,
    /// Largest finite value of the family's plain series (`-inf` if none).
    pub max_value: f64,
}

/// A series the receiver has not seen under this id: its family (index into `families`),
/// sample name and labels as exposed.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchSeries<S> {
    pub id: u32,
    pub family: u32,
    pub name: S,
    pub labels: Vec<(S, S)>,
}

/// One scrape of one target as columns (see the module docs).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Batch {
    pub families: Vec<BatchFamily>,
    pub new_series: Vec<BatchSeries<String>>,
    pub ids: Vec<u32>,
    pub values: Vec<f64>,
    pub timestamps: Vec<i64>,
    pub gone: Vec<u32>,
    /// Samples offered by the parser (duplicates included).
    pub samples: usize,
    /// Series not present in the previous scrape.
    pub series_added: usize,
    pub duplicates: usize,
}

#[derive(Debug, Clone)]
struct Numbered {
    id: u32,
    last_scrape: u64,
    stale_tracked: bool,
}

/// Per-target numbering of raw series identities (see the module docs).
#[derive(Debug, Default)]
pub struct SeriesNumbering {
    ids: HashMap<Box<str>, Numbered>,
    free: Vec<u32>,
    next_id: u32,
    scrapes: u64,
}

impl SeriesNumbering {
    pub fn new() -> Self {
        Self::default()
    }

    /// Numbers one successfully parsed scrape.
    pub fn collect(&mut self, exposition: &Exposition<'_>) -> Batch {
        self.scrapes += 1;
        let now = self.scrapes;
        let mut batch = Batch::default();
        let mut key = String::new();
        for (fi, family) in exposition.families.iter().enumerate() {
            let mut max_value = f64::NEG_INFINITY;
            for s in &family.samples {
                batch.samples += 1;
                if s.name == family.name && s.value.is_finite() {
                    max_value = max_value.max(s.value);
                }
                raw_key(&mut key, &s.name, &s.labels);
                let (id, in_previous) = match self.ids.get_mut(key.as_str()) {
                    Some(e) if e.last_scrape == now => {
                        batch.duplicates += 1;
                        continue;
                    }
                    Some(e) => {
                        let in_previous = e.last_scrape + 1 == now;
                        e.last_scrape = now;
                        e.stale_tracked = s.timestamp_ms.is_none();
                        (e.id, in_previous)
                    }
                    None => {
                        let id = self.free.pop().unwrap_or_else(|| {
                            self.next_id += 1;
                            self.next_id - 1
                        });
                        let entry = Numbered {
                            id,
                            last_scrape: now,
                            stale_tracked: s.timestamp_ms.is_none(),
                        };
                        self.ids.insert(key.as_str().into(), entry);
                        batch.new_series.push(BatchSeries {
                            id,
                            family: fi as u32,
                            name: s.name.to_string(),
                            labels: s
                                .labels
                                .iter()
                                .map(|(n, v)| (n.to_string(), v.to_string()))
                                .collect(),
                        });
                        (id, false)
                    }
                };
                if !in_previous {
                    batch.series_added += 1;
                }
                batch.ids.push(id);
                batch.values.push(s.value);
                batch
                    .timestamps
                    .push(s.timestamp_ms.unwrap_or(NO_TIMESTAMP));
            }
            batch.families.push(BatchFamily {
                name: family.name.to_string(),
                kind: family.kind,
                help: family.help.as_deref().unwrap_or("").to_string(),
                max_value,
            });
        }
        batch.gone = self.tracked_in(now - 1);
        // Forget series absent for two scrapes (their ids are reused), keeping the map bounded.
        let free = &mut self.free;
        self.ids.retain(|_, e| {
            let keep = e.last_scrape + 1 >= now;
            if !keep {
                free.push(e.id);
            }
            keep
        });
        batch
    }

    /// A failed scrape: the ids of the last scrape's series that get staleness markers. The
    /// next successful scrape counts every series as added (as after `mark_target_down`).
    pub fn target_down(&mut self) -> Vec<u32> {
        let gone = self.tracked_in(self.scrapes);
        self.scrapes += 1;
        gone
    }

    /// The receiver lost these ids' series (dropped by retention): number them afresh, so the
    /// next batch sends their labels again.
    pub fn forget(&mut self, ids: &[u32]) {
        if ids.is_empty() {
            return;
        }
        let forget: rustc_hash::FxHashSet<u32> = ids.iter().copied().collect();
        let free = &mut self.free;
        self.ids.retain(|_, e| {
            let keep = !forget.contains(&e.id);
            if !keep {
                free.push(e.id);
            }
            keep
        });
    }

    fn tracked_in(&self, stamp: u64) -> Vec<u32> {
        let mut ids: Vec<u32> = self
            .ids
            .values()
            .filter(|e| e.last_scrape == stamp && e.stale_tracked)
            .map(|e| e.id)
            .collect();
        ids.sort_unstable();
        ids
    }
}

fn raw_key(key: &mut String, name: &str, labels: &[signalboard_exposition::Label<'_>]) {
    key.clear();
    key.push_str(name);
    for (n, v) in labels {
        key.push('\u{0}');
        key.push_str(n);
        key.push('\u{1}');
        key.push_str(v);
    }
}

const KINDS: [MetricType; 9] = [
    MetricType::Counter,
    MetricType::Gauge,
    MetricType::Histogram,
    MetricType::Summary,
    MetricType::Untyped,
    MetricType::Info,
    MetricType::StateSet,
    MetricType::GaugeHistogram,
    MetricType::Unknown,
];

/// Writes `batch` as one byte buffer (little endian; strings length-prefixed).
pub fn encode(batch: &Batch) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + batch.ids.len() * 20 + batch.new_series.len() * 64);
    let u32s = |out: &mut Vec<u8>, v: usize| out.extend_from_slice(&(v as u32).to_le_bytes());
    u32s(&mut out, batch.samples);
    u32s(&mut out, batch.series_added);
    u32s(&mut out, batch.duplicates);
    u32s(&mut out, batch.families.len());
    for f in &batch.families {
        put_str(&mut out, &f.name);
        let kind = KINDS.iter().position(|k| *k == f.kind).unwrap_or(8);
        out.push(kind as u8);
        put_str(&mut out, &f.help);
        out.extend_from_slice(&f.max_value.to_le_bytes());
    }
    u32s(&mut out, batch.gone.len());
    batch
        .gone
        .iter()
        .for_each(|g| out.extend_from_slice(&g.to_le_bytes()));
    u32s(&mut out, batch.ids.len());
    batch
        .ids
        .iter()
        .for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
    batch
        .values
        .iter()
        .for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
    batch
        .timestamps
        .iter()
        .for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
    u32s(&mut out, batch.new_series.len());
    for s in &batch.new_series {
        out.extend_from_slice(&s.id.to_le_bytes());
        out.extend_from_slice(&s.family.to_le_bytes());
        put_str(&mut out, &s.name);
        u32s(&mut out, s.labels.len());
        for (n, v) in &s.labels {
            put_str(&mut out, n);
            put_str(&mut out, v);
        }
    }
    out
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

/// A buffer that does not hold what [`encode`] writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchError(pub String);

impl std::fmt::Display for BatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "malformed scrape batch: {}", self.0)
    }
}

/// The decoded head of an encoded batch: everything but the new series, which
/// [`BatchReader::next_series`] reads one at a time from `series_pos`.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchHead {
    pub families: Vec<BatchFamily>,
    pub gone: Vec<u32>,
    pub ids: Vec<u32>,
    pub values: Vec<f64>,
    pub timestamps: Vec<i64>,
    pub samples: usize,
    pub series_added: usize,
    pub duplicates: usize,
    pub new_series: usize,
}

/// Reads an encoded batch (see [`encode`]).
pub struct BatchReader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> BatchReader<'a> {
    /// Reads the head; the reader is then positioned at the first new series.
    pub fn open(bytes: &'a [u8]) -> Result<(BatchHead, usize), BatchError> {
        let mut r = BatchReader { bytes, pos: 0 };
        let samples = r.u32()? as usize;
        let series_added = r.u32()? as usize;
        let duplicates = r.u32()? as usize;
        let nfam = r.u32()? as usize;
        let mut families = Vec::with_capacity(nfam.min(bytes.len()));
        for _ in 0..nfam {
            let name = r.str()?.to_string();
            let kind = *KINDS
                .get(r.take(1)?.first().copied().unwrap_or(8) as usize)
                .unwrap_or(&MetricType::Unknown);
            let help = r.str()?.to_string();
            let max_value = f64::from_le_bytes(r.array()?);
            families.push(BatchFamily {
                name,
                kind,
                help,
                max_value,
            });
        }
        let ngone = r.u32()? as usize;
        let gone = r.column(ngone, u32::from_le_bytes)?;
        let n = r.u32()? as usize;
        let ids = r.column(n, u32::from_le_bytes)?;
        let values = r.column(n, f64::from_le_bytes)?;
        let timestamps = r.column(n, i64::from_le_bytes)?;
        let new_series = r.u32()? as usize;
        let head = BatchHead {
            families,
            gone,
            ids,
            values,
            timestamps,
            samples,
            series_added,
            duplicates,
            new_series,
        };
        Ok((head, r.pos))
    }

    /// A reader of the new series starting at byte `pos` (from [`BatchReader::open`] or a
    /// previous reader's [`BatchReader::position`]).
    pub fn at(bytes: &'a [u8], pos: usize) -> Self {
        BatchReader { bytes, pos }
    }

    pub fn position(&self) -> usize {
        self.pos
    }

    /// The next new series, borrowing its strings from the buffer.
    pub fn next_series(&mut self) -> Result<BatchSeries<&'a str>, BatchError> {
        let id = self.u32()?;
        let family = self.u32()?;
        let name = self.str()?;
        let n = self.u32()? as usize;
        let mut labels = Vec::with_capacity(n.min(64));
        for _ in 0..n {
            let k = self.str()?;
            let v = self.str()?;
            labels.push((k, v));
        }
        Ok(BatchSeries {
            id,
            family,
            name,
            labels,
        })
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], BatchError> {
        let end = self
            .pos
            .checked_add(n)
            .ok_or_else(|| BatchError("length overflow".into()))?;
        let out = self
            .bytes
            .get(self.pos..end)
            .ok_or_else(|| BatchError(format!("truncated at byte {}", self.pos)))?;
        self.pos = end;
        Ok(out)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], BatchError> {
        let b = self.take(N)?;
        let mut a = [0u8; N];
        a.copy_from_slice(b);
        Ok(a)
    }

    fn u32(&mut self) -> Result<u32, BatchError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn str(&mut self) -> Result<&'a str, BatchError> {
        let n = self.u32()? as usize;
        let b = self.take(n)?;
        std::str::from_utf8(b)
            .map_err(|_| BatchError(format!("invalid UTF-8 at byte {}", self.pos)))
    }

    fn column<T, const N: usize>(
        &mut self,
        n: usize,
        read: impl Fn([u8; N]) -> T,
    ) -> Result<Vec<T>, BatchError> {
        let bytes = self.take(
            n.checked_mul(N)
                .ok_or_else(|| BatchError("length overflow".into()))?,
        )?;
        Ok(bytes
            .chunks_exact(N)
            .map(|c| {
                let mut a = [0u8; N];
                a.copy_from_slice(c);
                read(a)
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use signalboard_exposition::{parse, Format};

    fn scrape(n: &mut SeriesNumbering, text: &str) -> Batch {
        let e = parse(text, Format::Prometheus).unwrap();
        n.collect(&e)
    }

    #[test]
    fn numbers_new_series_once_and_marks_the_vanished() {
        let mut n = SeriesNumbering::new();
        let b1 = scrape(
            &mut n,
            "# TYPE a counter\na_total{x=\"1\"} 1\na_total{x=\"2\"} 5\nb 3 1000\n",
        );
        assert_eq!(b1.new_series.len(), 3);
        assert_eq!(b1.ids, vec![0, 1, 2]);
        assert_eq!(b1.timestamps, vec![NO_TIMESTAMP, NO_TIMESTAMP, 1000]);
        assert_eq!(b1.series_added, 3);
        assert_eq!(b1.families[0].kind, MetricType::Counter);
        assert_eq!(
            b1.families[0].max_value,
            f64::NEG_INFINITY,
            "a_total is not the plain series"
        );
        assert_eq!(b1.families[1].max_value, 3.0);
        // x="2" vanished (stale marker); b vanished but had its own timestamp (none).
        let b2 = scrape(&mut n, "a_total{x=\"1\"} 2\na_total{x=\"1\"} 9\nc 1\n");
        assert_eq!(b2.new_series.len(), 1);
        assert_eq!(b2.new_series[0].name, "c");
        assert_eq!(b2.ids, vec![0, 3]);
        assert_eq!(b2.values, vec![2.0, 1.0]);
        assert_eq!(b2.duplicates, 1);
        assert_eq!(b2.series_added, 1);
        assert_eq!(b2.gone, vec![1]);
        // Absent for two scrapes: x="2" and b are forgotten, their ids reused.
        let b3 = scrape(&mut n, "d 1\ne 1\n");
        assert_eq!(b3.gone, vec![0, 3]);
        let b4 = scrape(&mut n, "a_total{x=\"2\"} 1\n");
        assert!(
            b4.ids[0] == 1 || b4.ids[0] == 2,
            "recycled id, got {:?}",
            b4.ids
        );
        assert_eq!(b4.gone.len(), 2, "d and e");
    }

    #[test]
    fn target_down_marks_last_scrape_and_next_counts_all_added() {
        let mut n = SeriesNumbering::new();
        scrape(&mut n, "a 1\nb 2\n");
        assert_eq!(n.target_down(), vec![0, 1]);
        let b = scrape(&mut n, "a 1\nb 2\n");
        assert_eq!(b.series_added, 2);
        assert!(b.gone.is_empty());
        assert!(b.new_series.is_empty(), "ids are kept across a failure");
    }

    #[test]
    fn forgotten_ids_are_sent_again() {
        let mut n = SeriesNumbering::new();
        scrape(&mut n, "a 1\nb 2\n");
        n.forget(&[1]);
        let b = scrape(&mut n, "a 1\nb 2\n");
        assert_eq!(b.new_series.len(), 1);
        assert_eq!(b.new_series[0].name, "b");
    }

    #[test]
    fn encode_and_read_back() {
        let mut n = SeriesNumbering::new();
        let b = scrape(
            &mut n,
            "# HELP m Help \\\\ text.\n# TYPE m gauge\nm{a=\"\\\"x\\\"\",b=\"ü\"} 1.5\nm 2 77\n",
        );
        let bytes = encode(&b);
        let (head, pos) = BatchReader::open(&bytes).unwrap();
        assert_eq!(head.families, b.families);
        assert_eq!(
            (head.ids, head.values, head.timestamps),
            (b.ids, b.values, b.timestamps)
        );
        assert_eq!(head.new_series, 2);
        let mut r = BatchReader::at(&bytes, pos);
        let s0 = r.next_series().unwrap();
        assert_eq!(s0.labels, vec![("a", "\"x\""), ("b", "ü")]);
        let s1 = r.next_series().unwrap();
        assert_eq!((s1.id, s1.name, s1.labels.len()), (1, "m", 0));
        assert_eq!(r.position(), bytes.len());
        assert!(r.next_series().is_err());
        assert!(BatchReader::open(&bytes[..bytes.len() / 2]).is_err());
    }
}
