//! In-memory time series store: labels, compressed chunked samples, staleness markers,
//! scrape ingestion, retention and selection by label matchers and time window.
//!
//! Contract: plain Rust (wasm32-compatible: no clock, no threads). Times are i64 milliseconds
//! since the Unix epoch, values f64. Per series, samples are append-only in time order.
//! Staleness markers (`STALE_NAN`) are stored like samples; readers must honour them.

mod batch;
mod batch_ingest;
mod chunk;
mod ingest;
mod labels;
mod matcher;
mod persist;
mod retention;
mod series;
mod stale;
mod store;

pub use batch::{
    encode as encode_batch, Batch, BatchError, BatchFamily, BatchHead, BatchReader, BatchSeries,
    SeriesNumbering, NO_TIMESTAMP,
};
pub use batch_ingest::BatchAppend;
pub use chunk::ChunkError;
pub use ingest::{ScrapeReport, ScrapedSample, TargetLabels};
pub use labels::{Labels, METRIC_NAME};
pub use matcher::{MatchKind, Matcher};
pub use persist::{
    bundle_records, sealed_chunk_record, split_bundle, with_record_checksum, ChunkExport,
    ImportReport, PersistError,
};
pub use retention::{LimitReport, LimitsPart};
pub use series::Appended;
pub use stale::{is_stale_marker, STALE_NAN, STALE_NAN_BITS};
pub use store::{
    AppendError, AppendOutcome, SeriesRef, SeriesSlice, Stale, Store, StoreStats, WindowBuf,
};
