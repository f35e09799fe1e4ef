//! Appending scrape batches (`batch.rs`) to the store, in pieces the caller chooses.
//!
//! Contract: per target, the store maps batch series ids to its series. A batch is applied as
//! [`Store::define_batch_series`] for each new series (target labels attached exactly like
//! `ingest.rs`: `exported_` renaming or `honor_labels`), then [`Store::append_batch`] over any
//! slices of the columns, then [`Store::mark_batch_gone`] (staleness markers). Ids whose
//! series retention dropped come back in [`BatchAppend::unknown`]: the numbering side must
//! forget them so their labels are sent again.

use crate::batch::{BatchSeries, NO_TIMESTAMP};
use crate::ingest::{attach_target_labels, TargetLabels};
use crate::{Appended, SeriesRef, Store, STALE_NAN};

/// What appending a slice of a batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchAppend {
    pub stored: usize,
    /// Out of order or conflicting with a stored sample.
    pub rejected: usize,
    /// Ids without a series (never defined, or dropped by retention).
    pub unknown: Vec<u32>,
}

impl Store {
    /// Maps batch series `series.id` of `target` to its store series (created if needed).
    pub fn define_batch_series(&mut self, target: &TargetLabels, series: &BatchSeries<&str>) {
        let target_labels = target.labels();
        let full = attach_target_labels(
            series.name,
            &series.labels,
            &target_labels,
            target.honor_labels,
        );
        let r = self.get_or_create(&full).0;
        let refs = self.batch_refs.entry(target_labels).or_default();
        let i = series.id as usize;
        if refs.len() <= i {
            refs.resize(i + 1, None);
        }
        if let Some(slot) = refs.get_mut(i) {
            *slot = Some(r);
        }
    }

    /// Appends `(ids, values, timestamps)` of `target`; a sample without its own timestamp
    /// ([`NO_TIMESTAMP`]) is stored at `scrape_time_ms`.
    pub fn append_batch(
        &mut self,
        target: &TargetLabels,
        scrape_time_ms: i64,
        ids: &[u32],
        values: &[f64],
        timestamps: &[i64],
    ) -> BatchAppend {
        let mut out = BatchAppend::default();
        let Some(refs) = self.batch_refs.get(&target.labels()) else {
            out.unknown = ids.to_vec();
            return out;
        };
        let refs = refs.clone_for(ids);
        for ((r, (&id, &v)), &ts) in refs.iter().zip(ids.iter().zip(values)).zip(timestamps) {
            let Some(r) = r else {
                out.unknown.push(id);
                continue;
            };
            let t = if ts == NO_TIMESTAMP {
                scrape_time_ms
            } else {
                ts
            };
            match self.append_ref(*r, t, v) {
                Ok(Appended::Stored) => out.stored += 1,
                Ok(_) => {}
                Err(_) => out.rejected += 1,
            }
        }
        out
    }

    /// Staleness markers at `t_ms` for the series `gone` of `target`; returns how many.
    pub fn mark_batch_gone(&mut self, target: &TargetLabels, gone: &[u32], t_ms: i64) -> usize {
        let Some(refs) = self.batch_refs.get(&target.labels()) else {
            return 0;
        };
        refs.clone_for(gone)
            .into_iter()
            .flatten()
            .filter(|r| self.append_ref(*r, t_ms, STALE_NAN).is_ok())
            .count()
    }
}

trait RefsFor {
    fn clone_for(&self, ids: &[u32]) -> Vec<Option<SeriesRef>>;
}

impl RefsFor for Vec<Option<SeriesRef>> {
    /// The refs of `ids` (a copy, so the store can be borrowed mutably while appending).
    fn clone_for(&self, ids: &[u32]) -> Vec<Option<SeriesRef>> {
        ids.iter()
            .map(|&id| self.get(id as usize).copied().flatten())
            .collect()
    }
}

/// Rewrites refs after the store compacted its series table (dropped series become unknown).
pub(crate) fn remap(refs: &mut [Option<SeriesRef>], old_to_new: &[Option<u32>]) {
    for r in refs.iter_mut() {
        *r = r.and_then(|old| {
            old_to_new
                .get(old.0 as usize)
                .copied()
                .flatten()
                .map(SeriesRef)
        });
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crate::batch::{encode, BatchReader, SeriesNumbering};
    use crate::{is_stale_marker, Matcher};
    use signalboard_exposition::{parse, Format};

    fn target(honor: bool) -> TargetLabels {
        TargetLabels {
            job: "j".into(),
            instance: "h:1".into(),
            extra: vec![("env".into(), "prod".into())],
            honor_labels: honor,
        }
    }

    /// Applies one scrape through numbering + encode + read, in slices of 1 sample.
    fn ingest_via_batch(
        store: &mut Store,
        n: &mut SeriesNumbering,
        t: &TargetLabels,
        text: &str,
        at: i64,
    ) {
        let e = parse(text, Format::Prometheus).unwrap();
        let bytes = encode(&n.collect(&e));
        let (head, pos) = BatchReader::open(&bytes).unwrap();
        let mut r = BatchReader::at(&bytes, pos);
        for _ in 0..head.new_series {
            store.define_batch_series(t, &r.next_series().unwrap());
        }
        for i in 0..head.ids.len() {
            let a = store.append_batch(
                t,
                at,
                &head.ids[i..=i],
                &head.values[i..=i],
                &head.timestamps[i..=i],
            );
            assert!(a.unknown.is_empty());
        }
        store.mark_batch_gone(t, &head.gone, at);
    }

    fn ingest_direct(store: &mut Store, t: &TargetLabels, text: &str, at: i64) {
        let e = parse(text, Format::Prometheus).unwrap();
        store.ingest_scrape(t, at, &e);
    }

    fn dump(store: &Store) -> Vec<String> {
        store
            .select(
                &[Matcher::regex("__name__", ".+", false).unwrap()],
                0,
                i64::MAX,
            )
            .iter()
            .map(|s| {
                let pts: Vec<String> = s
                    .timestamps
                    .iter()
                    .zip(&s.values)
                    .map(|(t, v)| {
                        if is_stale_marker(*v) {
                            format!("{t}:stale")
                        } else {
                            format!("{t}:{v}")
                        }
                    })
                    .collect();
                format!(
                    "{:?} {}",
                    s.labels.iter().collect::<Vec<_>>(),
                    pts.join(",")
                )
            })
            .collect()
    }

    #[test]
    fn batches_store_exactly_what_direct_ingestion_stores() {
        let scrapes = [
            "a{job=\"x\",env=\"\"} 1\nb{instance=\"other\"} 2\nc 3 500\n",
            "a{job=\"x\",env=\"\"} 2\na{job=\"x\",env=\"\"} 7\nd 1\n",
            "d 2\n",
            "a{job=\"x\",env=\"\"} 4\nd 3\n",
        ];
        for honor in [false, true] {
            let t = target(honor);
            let (mut direct, mut batched, mut n) =
                (Store::new(), Store::new(), SeriesNumbering::new());
            for (i, text) in scrapes.iter().enumerate() {
                let at = 1000 * (i as i64 + 1);
                ingest_direct(&mut direct, &t, text, at);
                ingest_via_batch(&mut batched, &mut n, &t, text, at);
            }
            direct.mark_target_down(&t, 9000);
            let gone = n.target_down();
            batched.mark_batch_gone(&t, &gone, 9000);
            assert_eq!(dump(&batched), dump(&direct), "honor_labels={honor}");
        }
    }

    #[test]
    fn unknown_ids_are_reported() {
        let mut store = Store::new();
        let t = target(false);
        let a = store.append_batch(&t, 1, &[3], &[1.0], &[NO_TIMESTAMP]);
        assert_eq!(a.unknown, vec![3]);
    }
}
