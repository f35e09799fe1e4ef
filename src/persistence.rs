//! History that survives a reload: the store is saved to IndexedDB incrementally and restored
//! at startup, before scraping starts.
//!
//! Contract:
//! - every [`SAVE_EVERY_MS`] and when the page is hidden, the chunks sealed since the last save
//!   are added (each sealed chunk is written once: `Store::records_of_series` with a sequence
//!   window) and the open heads replace the previous heads — so a save costs what changed, not
//!   the whole store; records are stored in bundles of about 256 KB (`store::bundle_records`);
//!   the periodic save encodes them a few thousand series per task and writes one bundle per
//!   transaction and task (head values beyond the new count are deleted last);
//! - chunk records are keyed `[saved_ms, n]`; records saved before now − retention can only
//!   hold expired samples and are deleted;
//! - a record that fails to import (corrupt, other version) is skipped and counted; nothing
//!   already in the store is lost, and IndexedDB being unavailable (private mode, quota)
//!   only means no history across reloads — shown as a notice, never a panic.

use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    IdbDatabase, IdbKeyRange, IdbObjectStore, IdbRequest, IdbRequestReadyState, IdbTransactionMode,
};

use crate::app::{AppSignals, NoticeLevel};
use crate::engine::{now_ms, with_engine};
use signalboard_core::store::{bundle_records, split_bundle};

const DB_NAME: &str = "signalboard";
const DB_VERSION: u32 = 1;
const CHUNKS: &str = "chunks";
const HEADS: &str = "heads";
pub const SAVE_EVERY_MS: i64 = 5_000;

fn js_err(v: JsValue) -> String {
    v.as_string()
        .or_else(|| {
            v.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| format!("{v:?}"))
}

/// Resolves with the request's result once it succeeds (at once if it already has).
async fn done(req: &IdbRequest) -> Result<JsValue, String> {
    if req.ready_state() == IdbRequestReadyState::Done {
        if let Ok(Some(e)) = req.error() {
            return Err(e.message());
        }
        return req.result().map_err(js_err);
    }
    let promise = Promise::new(&mut |resolve, reject| {
        req.set_onsuccess(Some(&resolve));
        req.set_onerror(Some(&reject));
    });
    JsFuture::from(promise).await.map_err(js_err)?;
    req.result().map_err(js_err)
}

async fn open() -> Result<IdbDatabase, String> {
    let factory = web_sys::window()
        .ok_or("no window")?
        .indexed_db()
        .map_err(js_err)?
        .ok_or("IndexedDB is not available")?;
    let req = factory.open_with_u32(DB_NAME, DB_VERSION).map_err(js_err)?;
    let upgrade = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
        let db = ev
            .target()
            .and_then(|t| t.dyn_into::<IdbRequest>().ok())
            .and_then(|r| r.result().ok())
            .and_then(|r| r.dyn_into::<IdbDatabase>().ok());
        if let Some(db) = db {
            for name in [CHUNKS, HEADS] {
                if !db.object_store_names().contains(name) {
                    let _ = db.create_object_store(name);
                }
            }
        }
    });
    req.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let db = done(&req).await?;
    drop(upgrade);
    db.dyn_into::<IdbDatabase>().map_err(js_err)
}

fn store(db: &IdbDatabase, name: &str, mode: IdbTransactionMode) -> Result<IdbObjectStore, String> {
    db.transaction_with_str_and_mode(name, mode)
        .and_then(|tx| tx.object_store(name))
        .map_err(js_err)
}

/// Commits a write transaction now instead of when the event loop next idles: a page being
/// unloaded may not get that far.
/// (`IDBTransaction.commit()` is standard and in every current browser; web-sys marks it
/// deprecated only because its WebIDL source lists it as such.)
#[allow(deprecated)]
fn commit(s: &IdbObjectStore) {
    let _ = s.transaction().commit();
}

/// Restores the saved history into the store; returns (samples restored, records skipped).
pub async fn restore(signals: AppSignals) -> Option<IdbDatabase> {
    let db = match open().await {
        Ok(db) => db,
        Err(e) => {
            signals.notify(
                NoticeLevel::Warn,
                format!("history will not survive a reload: {e}"),
            );
            return None;
        }
    };
    let mut records: Vec<Vec<u8>> = Vec::new();
    let mut skipped_values = 0usize;
    for name in [CHUNKS, HEADS] {
        let all = match store(&db, name, IdbTransactionMode::Readonly)
            .and_then(|s| s.get_all().map_err(js_err))
        {
            Ok(req) => done(&req).await,
            Err(e) => Err(e),
        };
        match all {
            Ok(values) => {
                for value in Array::from(&values)
                    .iter()
                    .filter_map(|v| v.dyn_into::<Uint8Array>().ok())
                {
                    match split_bundle(&value.to_vec()) {
                        Ok(rs) => records.extend(rs.into_iter().map(<[u8]>::to_vec)),
                        Err(_) => skipped_values += 1,
                    }
                }
            }
            Err(e) => signals.notify(NoticeLevel::Warn, format!("saved history not read: {e}")),
        }
    }
    let (added, skipped) = with_engine(|e| {
        let (mut added, mut skipped) = (0usize, 0usize);
        for r in &records {
            match e.store.import_record(r) {
                Ok(rep) => added += rep.samples_added,
                Err(_) => skipped += 1,
            }
        }
        e.store.enforce_limits(now_ms() as i64);
        e.persist_cursor = e.store.chunk_cursor();
        if added > 0 {
            e.history_start_ms = e.store.min_time();
        }
        (added, skipped)
    })
    .unwrap_or((0, 0));
    let skipped = skipped + skipped_values;
    if skipped > 0 {
        signals.notify(
            NoticeLevel::Warn,
            format!("{skipped} saved history records could not be read and were skipped"),
        );
    }
    with_engine(|e| e.restored_samples = added);
    Some(db)
}

/// Series encoded per piece of a sliced save (then the page gets a turn).
const SERIES_PER_SLICE: usize = 5_000;
/// Records are stored in bundles of about this many bytes (one IndexedDB value each).
const BUNDLE_BYTES: usize = 256 << 10;

/// Saves what changed since the last save. `sliced`: the records are encoded a few thousand
/// series at a time, yielding to the page in between (the periodic save of a big store);
/// otherwise in one go, with every request issued before the first await, so a save started
/// by `pagehide` is queued completely even if the page goes away.
pub async fn save(db: &IdbDatabase, sliced: bool) -> Result<(), String> {
    let now = now_ms() as i64;
    let Some((from_seq, to_seq, retention)) = with_engine(|e| {
        (
            e.persist_cursor,
            e.store.chunk_cursor(),
            e.config.retention_ms(),
        )
    }) else {
        return Ok(());
    };
    let (mut chunks, mut heads) = (Bundles::default(), Bundles::default());
    let mut start = 0usize;
    loop {
        let step = with_engine(|e| {
            let n = e.store.series_count();
            let step = if sliced { SERIES_PER_SLICE } else { n.max(1) };
            let end = start.saturating_add(step).min(n);
            let (c, h) = e.store.records_of_series(start..end, from_seq, to_seq);
            chunks.add(c);
            heads.add(h);
            (end, n)
        });
        let Some((end, n)) = step else {
            return Ok(());
        };
        start = end;
        if start >= n {
            break;
        }
        crate::scrape::sleep_ms(0).await;
    }
    with_engine(|e| e.persist_cursor = to_seq);
    let (chunks, heads) = (chunks.finish(), heads.finish());
    let expired =
        IdbKeyRange::upper_bound(&Array::of1(&JsValue::from_f64((now - retention) as f64)))
            .map_err(js_err)?;
    let chunk_key =
        |i: usize| Array::of2(&JsValue::from_f64(now as f64), &JsValue::from_f64(i as f64));
    if sliced {
        // One value per transaction and task: copying and cloning megabytes into IndexedDB in
        // one task is what made saves of a big store stall the page.
        for (i, value) in chunks.iter().enumerate() {
            put_alone(db, CHUNKS, value, &chunk_key(i)).await?;
        }
        let c = store(db, CHUNKS, IdbTransactionMode::Readwrite)?;
        let req = c.delete(&expired).map_err(js_err)?;
        commit(&c);
        done(&req).await?;
        for (i, value) in heads.iter().enumerate() {
            put_alone(db, HEADS, value, &JsValue::from_f64(i as f64)).await?;
        }
        // Head values beyond this save's are from an earlier, bigger save.
        let h = store(db, HEADS, IdbTransactionMode::Readwrite)?;
        let stale =
            IdbKeyRange::lower_bound(&JsValue::from_f64(heads.len() as f64)).map_err(js_err)?;
        let req = h.delete(&stale).map_err(js_err)?;
        commit(&h);
        return done(&req).await.map(|_| ());
    }
    let mut pending: Vec<IdbRequest> = Vec::new();
    let c = store(db, CHUNKS, IdbTransactionMode::Readwrite)?;
    for (i, value) in chunks.iter().enumerate() {
        pending.push(
            c.put_with_key(&Uint8Array::from(value.as_slice()), &chunk_key(i))
                .map_err(js_err)?,
        );
    }
    pending.push(c.delete(&expired).map_err(js_err)?);
    commit(&c);
    let h = store(db, HEADS, IdbTransactionMode::Readwrite)?;
    pending.push(h.clear().map_err(js_err)?);
    for (i, value) in heads.iter().enumerate() {
        pending.push(
            h.put_with_key(
                &Uint8Array::from(value.as_slice()),
                &JsValue::from_f64(i as f64),
            )
            .map_err(js_err)?,
        );
    }
    commit(&h);
    for req in &pending {
        done(req).await?;
    }
    Ok(())
}

/// Writes one value in a transaction of its own and waits for it.
async fn put_alone(
    db: &IdbDatabase,
    name: &str,
    value: &[u8],
    key: &JsValue,
) -> Result<(), String> {
    let s = store(db, name, IdbTransactionMode::Readwrite)?;
    let req = s
        .put_with_key(&Uint8Array::from(value), key)
        .map_err(js_err)?;
    commit(&s);
    done(&req).await.map(|_| ())
}

/// Records gathered into values of about [`BUNDLE_BYTES`].
#[derive(Default)]
struct Bundles {
    done: Vec<Vec<u8>>,
    open: Vec<Vec<u8>>,
    open_bytes: usize,
}

impl Bundles {
    fn add(&mut self, records: Vec<Vec<u8>>) {
        for r in records {
            self.open_bytes += r.len();
            self.open.push(r);
            if self.open_bytes >= BUNDLE_BYTES {
                self.seal();
            }
        }
    }

    fn seal(&mut self) {
        if !self.open.is_empty() {
            self.done.push(bundle_records(&self.open));
            self.open.clear();
            self.open_bytes = 0;
        }
    }

    fn finish(mut self) -> Vec<Vec<u8>> {
        self.seal();
        self.done
    }
}

/// Saves every [`SAVE_EVERY_MS`] and when the page is hidden (closing, switching tabs).
pub fn start_saving(signals: AppSignals, db: IdbDatabase) {
    let db2 = db.clone();
    leptos::task::spawn_local(async move {
        let mut warned = false;
        loop {
            crate::scrape::sleep_ms(SAVE_EVERY_MS).await;
            if let Err(e) = save(&db2, true).await {
                if !warned {
                    signals.notify(NoticeLevel::Warn, format!("history not saved: {e}"));
                    warned = true;
                }
            }
        }
    });
    let on_hide = Closure::<dyn FnMut()>::new(move || {
        let db = db.clone();
        leptos::task::spawn_local(async move {
            let _ = save(&db, false).await;
        });
    });
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("pagehide", on_hide.as_ref().unchecked_ref());
        if let Some(d) = w.document() {
            let _ = d.add_event_listener_with_callback(
                "visibilitychange",
                on_hide.as_ref().unchecked_ref(),
            );
        }
    }
    // Lives as long as the page.
    on_hide.forget();
}
