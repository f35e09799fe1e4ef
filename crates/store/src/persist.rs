//! Incremental persistence: sealed chunks exported once each, open heads exported whole, and an
//! import that rebuilds (or merges into) a store from such records.
//!
//! Contract:
//! - `sealed_chunks_since(cursor)` returns a record for every chunk sealed at or after `cursor`
//!   and the cursor to pass next time. Sealed chunks are immutable, so each is saved once. A
//!   chunk dropped by retention before it was exported is not returned.
//! - `head_records()` returns one record per series with an open head; heads change on every
//!   append, so a saver replaces its previous set of head records with the new one.
//! - `import_record(bytes)` validates the record completely (checksum, labels, every sample of
//!   the chunk) before touching the store: bad input gives a [`PersistError`], never a panic
//!   or a half-applied record. Samples are merged into the series with the same labels, never
//!   duplicated: a head record newer than all the series' samples is appended (it stays an open
//!   head); any other chunk that fits entirely before the series' data or into a gap between
//!   its sealed chunks is inserted whole; otherwise only its samples newer than the series'
//!   newest sample are appended and the rest are counted as skipped. Imported chunks get new sequence
//!   numbers, so a saver takes `chunk_cursor()` after restoring to avoid saving them again.
//!
//! Record format, version 1 (integers are unsigned LEB128 varints unless noted):
//! - byte 0: format version (`1`); byte 1: kind (`0` sealed chunk, `1` open head);
//! - label count, then per label: name length, name bytes (UTF-8), value length, value bytes;
//! - chunk length, chunk bytes (the chunk format of `chunk.rs`, header included);
//! - 4 bytes: FNV-1a 32-bit hash of everything before it, big-endian.

use crate::chunk::{self, ChunkError};
use crate::series::Chunk;
use crate::{Labels, Store};

const FORMAT_VERSION: u8 = 1;
const KIND_SEALED: u8 = 0;
const KIND_HEAD: u8 = 1;

/// Why a record could not be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersistError {
    /// The record is shorter than its fields say.
    Truncated(&'static str),
    UnsupportedVersion(u8),
    UnknownKind(u8),
    Checksum,
    BadLabel(String),
    /// The record is longer than its fields (trailing bytes).
    TrailingBytes(usize),
    Chunk(ChunkError),
}

impl std::fmt::Display for PersistError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Truncated(what) => write!(f, "record truncated in {what}"),
            Self::UnsupportedVersion(v) => write!(f, "unsupported record version {v}"),
            Self::UnknownKind(k) => write!(f, "unknown record kind {k}"),
            Self::Checksum => write!(f, "record checksum mismatch"),
            Self::BadLabel(m) => write!(f, "bad label in record: {m}"),
            Self::TrailingBytes(n) => write!(f, "{n} unexpected bytes after the record"),
            Self::Chunk(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for PersistError {}

/// Sealed-chunk records and the cursor to continue from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkExport {
    pub records: Vec<Vec<u8>>,
    pub cursor: u64,
}

/// What one import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportReport {
    pub samples_added: usize,
    /// Samples already covered by the series (older than its newest sample, or duplicates).
    pub samples_skipped: usize,
    pub new_series: bool,
}

impl Store {
    /// The cursor after every chunk sealed so far.
    pub fn chunk_cursor(&self) -> u64 {
        self.next_chunk_seq
    }

    /// Records of the chunks sealed at or after `cursor`; see the module docs.
    pub fn sealed_chunks_since(&self, cursor: u64) -> ChunkExport {
        let mut found: Vec<(u64, Vec<u8>)> = Vec::new();
        for s in &self.series {
            // Chunks are in sealing order within a series: walk back from the newest.
            for c in s.sealed.iter().rev().take_while(|c| c.seq >= cursor) {
                found.push((c.seq, encode_record(KIND_SEALED, &s.labels, &c.bytes)));
            }
        }
        found.sort_by_key(|(seq, _)| *seq);
        ChunkExport {
            records: found.into_iter().map(|(_, r)| r).collect(),
            cursor: self.next_chunk_seq.max(cursor),
        }
    }

    /// One record per series with samples in its open head; see the module docs.
    pub fn head_records(&self) -> Vec<Vec<u8>> {
        self.series
            .iter()
            .filter(|s| s.head.len() > 0)
            .map(|s| encode_record(KIND_HEAD, &s.labels, s.head.bytes()))
            .collect()
    }

    /// How many series the store holds (the bound for [`Store::records_of_series`]).
    pub fn series_count(&self) -> usize {
        self.series.len()
    }

    /// The records of the series with indexes in `series` (a saver walks the store in such
    /// ranges to spread the work): sealed chunks with `from_seq <= seq < to_seq`, and open
    /// heads. Returns (chunk records, head records).
    pub fn records_of_series(
        &self,
        series: std::ops::Range<usize>,
        from_seq: u64,
        to_seq: u64,
    ) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
        let (mut chunks, mut heads) = (Vec::new(), Vec::new());
        let end = series.end.min(self.series.len());
        let start = series.start.min(end);
        for s in self.series.get(start..end).unwrap_or_default() {
            let sealed = s.sealed.iter().rev().take_while(|c| c.seq >= from_seq);
            let mut mine: Vec<&Chunk> = sealed.filter(|c| c.seq < to_seq).collect();
            mine.reverse();
            chunks.extend(
                mine.into_iter()
                    .map(|c| encode_record(KIND_SEALED, &s.labels, &c.bytes)),
            );
            if s.head.len() > 0 {
                heads.push(encode_record(KIND_HEAD, &s.labels, s.head.bytes()));
            }
        }
        (chunks, heads)
    }

    /// Merges one record into the store; see the module docs.
    pub fn import_record(&mut self, record: &[u8]) -> Result<ImportReport, PersistError> {
        let (kind, labels, chunk_bytes) = decode_record(record)?;
        let samples = chunk::decode_all(chunk_bytes).map_err(PersistError::Chunk)?;
        let (Some(&(min_t, _)), Some(&(max_t, last_v))) = (samples.first(), samples.last()) else {
            return Err(PersistError::Chunk(ChunkError("no samples".into())));
        };
        let (r, new_series) = self.get_or_create(&labels);
        let seq = self.next_chunk_seq;
        let Some(series) = self.series.get_mut(r.0 as usize) else {
            return Err(PersistError::BadLabel("series table out of step".into()));
        };
        let mut report = ImportReport {
            new_series,
            ..ImportReport::default()
        };
        let chunk = Chunk {
            max_t,
            seq,
            bytes: chunk::encode_best(&samples),
        };
        // A head newer than everything stored goes back into the head (so a reload does not
        // leave a small sealed chunk behind); anything else is inserted whole when it fits.
        let appends_cleanly = series.last_timestamp().is_none_or(|t| t < min_t);
        if !(kind == KIND_HEAD && appends_cleanly)
            && series.insert_sealed(chunk, (max_t, last_v.to_bits()))
        {
            self.next_chunk_seq += 1;
            report.samples_added = samples.len();
            return Ok(report);
        }
        for (t, v) in samples {
            match series.append(t, v, &mut self.next_chunk_seq) {
                Ok(crate::Appended::Stored) => report.samples_added += 1,
                _ => report.samples_skipped += 1,
            }
        }
        Ok(report)
    }
}

/// First byte of a bundle: many records in one stored value (saving 100,000 heads as one
/// value each costs seconds of main-thread time in IndexedDB calls alone).
const BUNDLE: u8 = 0xB5;

/// Many records as one value: [`BUNDLE`], then per record its varint length and bytes.
pub fn bundle_records(records: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 + records.iter().map(|r| r.len() + 4).sum::<usize>());
    out.push(BUNDLE);
    for r in records {
        put_bytes(&mut out, r);
    }
    out
}

/// The records of a stored value: a bundle's records, or the value itself when it is a
/// single record (as saved before bundles existed).
pub fn split_bundle(value: &[u8]) -> Result<Vec<&[u8]>, PersistError> {
    if value.first() != Some(&BUNDLE) {
        return Ok(vec![value]);
    }
    let mut r = Reader {
        bytes: value,
        pos: 1,
    };
    let mut out = Vec::new();
    while r.pos < value.len() {
        out.push(r.bytes_field("bundled record")?);
    }
    Ok(out)
}

/// A sealed-chunk record of `labels` carrying `chunk_bytes` as they are, valid or not: what
/// [`Store::import_record`] reads. For tools and the restore fuzz target, which feed the decoder
/// chunk bytes no store wrote.
pub fn sealed_chunk_record(labels: &Labels, chunk_bytes: &[u8]) -> Vec<u8> {
    encode_record(KIND_SEALED, labels, chunk_bytes)
}

/// Appends the checksum to a record body (a record without its last 4 bytes), so a record
/// edited byte by byte still passes the checksum and reaches the decoders.
pub fn with_record_checksum(mut body: Vec<u8>) -> Vec<u8> {
    let sum = fnv1a32(&body);
    body.extend_from_slice(&sum.to_be_bytes());
    body
}

fn encode_record(kind: u8, labels: &Labels, chunk_bytes: &[u8]) -> Vec<u8> {
    let mut out = vec![FORMAT_VERSION, kind];
    put_varint(&mut out, labels.len() as u64);
    for (n, v) in labels.iter() {
        put_bytes(&mut out, n.as_bytes());
        put_bytes(&mut out, v.as_bytes());
    }
    put_bytes(&mut out, chunk_bytes);
    with_record_checksum(out)
}

fn decode_record(record: &[u8]) -> Result<(u8, Labels, &[u8]), PersistError> {
    let split = record
        .len()
        .checked_sub(4)
        .ok_or(PersistError::Truncated("checksum"))?;
    let (body, sum) = record.split_at(split);
    let mut r = Reader {
        bytes: body,
        pos: 0,
    };
    let version = r.byte("version")?;
    if version != FORMAT_VERSION {
        return Err(PersistError::UnsupportedVersion(version));
    }
    if sum != fnv1a32(body).to_be_bytes() {
        return Err(PersistError::Checksum);
    }
    let kind = r.byte("kind")?;
    if kind != KIND_SEALED && kind != KIND_HEAD {
        return Err(PersistError::UnknownKind(kind));
    }
    let count = r.varint("label count")?;
    let mut pairs = Vec::new();
    for _ in 0..count {
        let name = r.text("label name")?;
        let value = r.text("label value")?;
        pairs.push((name, value));
    }
    if pairs.is_empty() {
        return Err(PersistError::BadLabel("series without labels".into()));
    }
    let chunk_bytes = r.bytes_field("chunk")?;
    let rest = body.len() - r.pos;
    if rest > 0 {
        return Err(PersistError::TrailingBytes(rest));
    }
    Ok((kind, Labels::from_pairs(pairs), chunk_bytes))
}

struct Reader<'b> {
    bytes: &'b [u8],
    pos: usize,
}

impl<'b> Reader<'b> {
    fn byte(&mut self, what: &'static str) -> Result<u8, PersistError> {
        let b = *self
            .bytes
            .get(self.pos)
            .ok_or(PersistError::Truncated(what))?;
        self.pos += 1;
        Ok(b)
    }

    fn varint(&mut self, what: &'static str) -> Result<u64, PersistError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte(what)?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(PersistError::Truncated(what))
    }

    fn bytes_field(&mut self, what: &'static str) -> Result<&'b [u8], PersistError> {
        let len = usize::try_from(self.varint(what)?).map_err(|_| PersistError::Truncated(what))?;
        let end = self
            .pos
            .checked_add(len)
            .ok_or(PersistError::Truncated(what))?;
        let out = self
            .bytes
            .get(self.pos..end)
            .ok_or(PersistError::Truncated(what))?;
        self.pos = end;
        Ok(out)
    }

    fn text(&mut self, what: &'static str) -> Result<String, PersistError> {
        let b = self.bytes_field(what)?;
        String::from_utf8(b.to_vec())
            .map_err(|_| PersistError::BadLabel(format!("{what} is not UTF-8")))
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    put_varint(out, b.len() as u64);
    out.extend_from_slice(b);
}

fn fnv1a32(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5u32, |h, &b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}
