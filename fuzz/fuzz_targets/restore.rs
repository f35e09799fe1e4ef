//! Fuzz the store's restore path (what a page reload reads back from IndexedDB): persisted
//! records and bundles are imported into an empty store, then every series is read back
//! through `read_window`, the query engine's decoder. Import must return a value or a
//! `PersistError`, never panic; what it accepted must decode, in time order, inside the window.
//!
//! The first byte picks how the rest is used:
//! - 0: raw bytes, split as a bundle of records (checksums rarely hold, so this mostly
//!   exercises the framing);
//! - 1: one valid exported record, with (position, xor) byte pairs applied to its body and the
//!   checksum recomputed, so corrupt chunk bytes reach the chunk decoder;
//! - 2: the rest as the chunk bytes of a record with a valid frame and checksum.
#![no_main]

use libfuzzer_sys::fuzz_target;
use signalboard_store::{
    sealed_chunk_record, split_bundle, with_record_checksum, Labels, Matcher, Stale, Store,
    STALE_NAN,
};
use std::sync::OnceLock;

const STEP_MS: i64 = 15_000;

/// Valid records exported from a store holding the encodings the chunk format chooses between:
/// integer counters with resets, floats with NaN/±Inf and stale markers, jittered timestamps,
/// sealed chunks and open heads.
fn records() -> &'static [Vec<u8>] {
    static RECORDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    RECORDS.get_or_init(|| {
        let mut store = Store::new();
        let counter = Labels::from_pairs(vec![("__name__", "c_total".to_string())]);
        let gauge = Labels::from_pairs(vec![("__name__", "g".to_string()), ("x", "y".into())]);
        let ratio = Labels::from_pairs(vec![("__name__", "r".to_string())]);
        for k in 0..300i64 {
            let jitter = (k * 7919) % 40 - 20;
            let _ = store.append(&counter, k * STEP_MS, (k % 130) as f64);
            let g = match k % 11 {
                3 => f64::NAN,
                5 => f64::INFINITY,
                6 => f64::NEG_INFINITY,
                7 => STALE_NAN,
                _ => (k as f64).sin() * 1e6,
            };
            let _ = store.append(&gauge, k * STEP_MS + jitter, g);
            let _ = store.append(&ratio, k * STEP_MS, k as f64 / 1000.0);
        }
        let mut all = store.sealed_chunks_since(0).records;
        all.extend(store.head_records());
        all
    })
}

fn mutated_record(data: &[u8]) -> Option<Vec<u8>> {
    let (&pick, edits) = data.split_first()?;
    let all = records();
    let record = all.get(usize::from(pick) % all.len())?;
    let mut body = record.get(..record.len().checked_sub(4)?)?.to_vec();
    for edit in edits.chunks_exact(3) {
        if let [hi, lo, xor] = edit {
            let pos = usize::from(u16::from_be_bytes([*hi, *lo])) % body.len().max(1);
            if let Some(b) = body.get_mut(pos) {
                *b ^= xor;
            }
        }
    }
    Some(with_record_checksum(body))
}

/// Every accepted sample reads back in time order and inside the window asked for.
fn check_reads(store: &Store) {
    let Ok(any) = Matcher::regex("__name__", ".+", false) else {
        return;
    };
    let (mut ts, mut vs) = (Vec::new(), Vec::new());
    for (series, _) in store.select_series(std::slice::from_ref(&any)) {
        for window in [(i64::MIN, i64::MAX), (1_000_000, 3_000_000), (0, 0)] {
            for stale in [Stale::Keep, Stale::Drop] {
                ts.clear();
                vs.clear();
                store.read_window(series, window, stale, &mut ts, &mut vs);
                assert_eq!(ts.len(), vs.len());
                assert!(
                    ts.windows(2).all(|w| w[0] < w[1]),
                    "timestamps not increasing"
                );
                assert!(ts.iter().all(|t| (window.0..=window.1).contains(t)));
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let mut store = Store::new();
    match mode % 3 {
        0 => {
            if let Ok(parts) = split_bundle(rest) {
                for part in parts {
                    let _ = store.import_record(part);
                }
            }
        }
        1 => {
            if let Some(record) = mutated_record(rest) {
                let _ = store.import_record(&record);
            }
        }
        _ => {
            let name = Labels::from_pairs(vec![("__name__", "f".to_string())]);
            let _ = store.import_record(&sealed_chunk_record(&name, rest));
        }
    }
    check_reads(&store);
});
