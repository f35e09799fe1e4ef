//! Instant and range vector selectors: matcher conversion, lookback, staleness, offset, `@`.
//!
//! Contract: an instant selector at reference time `r` yields the newest sample in
//! `(r - lookback, r]` unless that sample is a staleness marker; a range selector yields the
//! non-stale samples in `(r - range, r]` and omits series with none. `r` is the evaluation
//! time, or the `@` time, minus the offset. Output timestamps are the caller's step time.

use std::cell::RefCell;
use std::rc::Rc;

use promql_parser::label::{MatchOp, Matchers};
use promql_parser::parser::{AtModifier, MatrixSelector, Offset, VectorSelector};
use signalboard_store::{
    is_stale_marker, Labels, MatchKind, Matcher, SeriesRef, SeriesSlice, Stale, METRIC_NAME,
};

use super::{duration_ms, Evaluator, RangeWindow, Sample, Series};
use crate::QueryError;

impl<'a> Evaluator<'a> {
    /// Evaluation time adjusted by `@` and `offset`.
    pub(crate) fn reference_time(
        &self,
        t_ms: i64,
        offset: Option<&Offset>,
        at: Option<&AtModifier>,
    ) -> i64 {
        let base = match at {
            None => t_ms,
            Some(AtModifier::Start) => self.start_ms,
            Some(AtModifier::End) => self.end_ms,
            Some(AtModifier::At(st)) => system_time_ms(st),
        };
        match offset {
            None => base,
            Some(Offset::Pos(d)) => base.saturating_sub(duration_ms(d)),
            Some(Offset::Neg(d)) => base.saturating_add(duration_ms(d)),
        }
    }

    /// All series matching the selector with their samples in the node's planned window
    /// (`windows.rs`; the full history when unplanned), sorted by labels; cached per node.
    pub(crate) fn selected(&self, vs: &VectorSelector) -> Rc<Selection<'a>> {
        let key = vs as *const VectorSelector as usize;
        if let Some(hit) = self.cache_get(key) {
            return hit;
        }
        let (mint, maxt) = self
            .windows
            .get(&key)
            .copied()
            .unwrap_or((i64::MIN, i64::MAX));
        let out: Vec<SeriesSlice<'a>> = self
            .matching_series(vs)
            .into_iter()
            .map(|(series, labels)| {
                let (mut timestamps, mut values) = (Vec::new(), Vec::new());
                let window = (mint, maxt);
                self.store
                    .read_window(series, window, Stale::Keep, &mut timestamps, &mut values);
                SeriesSlice {
                    series,
                    labels,
                    timestamps,
                    values,
                }
            })
            .collect();
        let cursors = RefCell::new(vec![[0, 0]; out.len()]);
        let rc = Rc::new(Selection {
            series: out,
            cursors,
        });
        self.cache_put(key, rc.clone());
        rc
    }

    /// The series matching the selector (any of its `or` groups), sorted by labels, without
    /// their samples.
    pub(crate) fn matching_series(&self, vs: &VectorSelector) -> Vec<(SeriesRef, &'a Labels)> {
        let mut out = Vec::new();
        for group in matcher_groups(vs) {
            out.extend(self.store.select_series(&group));
        }
        sort_by_labels(out)
    }

    pub(crate) fn eval_vector_selector(
        &self,
        vs: &VectorSelector,
        t_ms: i64,
    ) -> Result<Vec<Sample>, QueryError> {
        let r = self.reference_time(t_ms, vs.offset.as_ref(), vs.at.as_ref());
        let sel = self.selected(vs);
        let mut out = Vec::new();
        for (i, s) in sel.series.iter().enumerate() {
            if let Some((_, v)) = self.sample_at(&sel, i, r) {
                out.push(Sample {
                    labels: s.labels.clone(),
                    v,
                    drop_name: false,
                });
            }
        }
        self.charge(out.len())?;
        Ok(out)
    }

    /// Newest non-stale sample of series `i` in `(r - lookback, r]` as `(t, v)`.
    pub(crate) fn sample_at(&self, sel: &Selection<'_>, i: usize, r: i64) -> Option<(i64, f64)> {
        let s = sel.series.get(i)?;
        let idx = {
            let mut cursors = sel.cursors.borrow_mut();
            let c = cursors.get_mut(i)?;
            c[1] = advance(&s.timestamps, c[1], r);
            c[1]
        };
        let j = idx.checked_sub(1)?;
        let t = *s.timestamps.get(j)?;
        let v = *s.values.get(j)?;
        if t <= r.saturating_sub(self.lookback_ms) || is_stale_marker(v) {
            return None;
        }
        Some((t, v))
    }

    pub(crate) fn eval_matrix_selector(
        &self,
        ms: &MatrixSelector,
        t_ms: i64,
    ) -> Result<RangeWindow, QueryError> {
        let r = self.reference_time(t_ms, ms.vs.offset.as_ref(), ms.vs.at.as_ref());
        let range = duration_ms(&ms.range);
        let start = r.saturating_sub(range);
        let sel = self.selected(&ms.vs);
        let mut cursors = sel.cursors.borrow_mut();
        let mut out = Vec::new();
        for (s, c) in sel.series.iter().zip(cursors.iter_mut()) {
            // Steps move forward, so each window edge usually advances by a sample or two.
            c[0] = advance(&s.timestamps, c[0], start);
            c[1] = advance(&s.timestamps, c[1], r);
            let (lo, hi) = (c[0], c[1].max(c[0]));
            let ts = s.timestamps.get(lo..hi).unwrap_or(&[]);
            let vs = s.values.get(lo..hi).unwrap_or(&[]);
            let points: Vec<(i64, f64)> = ts
                .iter()
                .zip(vs)
                .filter(|(_, v)| !is_stale_marker(**v))
                .map(|(t, v)| (*t, *v))
                .collect();
            if points.is_empty() {
                continue;
            }
            self.charge(points.len())?;
            out.push(Series {
                labels: s.labels.clone(),
                points,
                drop_name: false,
            });
        }
        Ok(RangeWindow {
            series: out,
            start_ms: start,
            end_ms: r,
            range_ms: range,
        })
    }

    fn cache_get(&self, key: usize) -> Option<Rc<Selection<'a>>> {
        self.cache_ref().get(&key).cloned()
    }

    fn cache_put(&self, key: usize, v: Rc<Selection<'a>>) {
        self.cache_mut().insert(key, v);
    }
}

/// A selector's series plus, per series, cursors `[lo, hi]` remembering the last window's
/// edges so consecutive steps advance instead of binary-searching the whole history.
pub(crate) struct Selection<'a> {
    pub series: Vec<SeriesSlice<'a>>,
    cursors: RefCell<Vec<[usize; 2]>>,
}

/// First index `i >= 0` with `ts[i] > bound`, searching forward from `from` when that is valid
/// (a short linear walk, then binary search), else from scratch.
pub(crate) fn advance(ts: &[i64], from: usize, bound: i64) -> usize {
    let valid = from <= ts.len()
        && from
            .checked_sub(1)
            .and_then(|p| ts.get(p))
            .is_none_or(|&t| t <= bound);
    if !valid {
        return ts.partition_point(|&t| t <= bound);
    }
    let mut i = from;
    while let Some(&t) = ts.get(i) {
        if t > bound {
            return i;
        }
        i += 1;
        if i - from >= 8 {
            return i + ts.get(i..).unwrap_or(&[]).partition_point(|&t| t <= bound);
        }
    }
    i
}

/// `series` sorted by labels, each series once.
fn sort_by_labels<'l>(series: Vec<(SeriesRef, &'l Labels)>) -> Vec<(SeriesRef, &'l Labels)> {
    // Label sets are unique per series, so any sort gives the one sorted order (and
    // duplicates from overlapping `or` groups end up adjacent). Comparing `Labels` chases a
    // pointer per string, for a dozen comparisons per series: one contiguous key per series,
    // built once, makes each comparison a single slice compare. The keys of one selector
    // mostly share a long prefix (name, first labels), which every comparison would re-read:
    // they are compared after it.
    let mut keyed: Vec<(Vec<u8>, (SeriesRef, &'l Labels))> =
        series.into_iter().map(|s| (order_key(s.1), s)).collect();
    let shared = keyed.first().map_or(0, |(first, _)| {
        keyed.iter().fold(first.len(), |n, (k, _)| {
            n.min(first.iter().zip(k).take_while(|(a, b)| a == b).count())
        })
    });
    keyed.sort_unstable_by(|(a, _), (b, _)| a.get(shared..).cmp(&b.get(shared..)));
    let mut out: Vec<(SeriesRef, &'l Labels)> = keyed.into_iter().map(|(_, s)| s).collect();
    out.dedup_by_key(|(r, _)| *r);
    out
}

/// Bytes whose lexicographic order is the label sets' order (`Labels::cmp`: pair by pair,
/// name then value, a prefix first). Every string is written with each 0x00 byte escaped as
/// 0x00 0x01 and ended by 0x00 0x00, which keeps string order and makes the strings
/// prefix-free, so comparing keys compares the strings one after the other.
fn order_key(labels: &Labels) -> Vec<u8> {
    let mut key = Vec::with_capacity(labels.iter().map(|(n, v)| n.len() + v.len() + 4).sum());
    for s in labels.iter().flat_map(|(n, v)| [n, v]) {
        let bytes = s.as_bytes();
        if bytes.contains(&0) {
            for &b in bytes {
                key.push(b);
                if b == 0 {
                    key.push(1);
                }
            }
        } else {
            key.extend_from_slice(bytes);
        }
        key.extend_from_slice(&[0, 0]);
    }
    key
}

/// The selector's matchers as AND-groups (more than one only for `{a="1" or b="2"}`).
fn matcher_groups(vs: &VectorSelector) -> Vec<Vec<Matcher>> {
    let name: Vec<Matcher> = vs
        .name
        .iter()
        .map(|n| Matcher::equal(METRIC_NAME, n))
        .collect();
    let mut groups: Vec<Vec<Matcher>> = Vec::new();
    let Matchers {
        matchers,
        or_matchers,
    } = &vs.matchers;
    if or_matchers.is_empty() {
        groups.push(
            name.iter()
                .cloned()
                .chain(matchers.iter().map(convert))
                .collect(),
        );
    } else {
        for g in or_matchers {
            groups.push(
                name.iter()
                    .cloned()
                    .chain(matchers.iter().chain(g).map(convert))
                    .collect(),
            );
        }
    }
    groups
}

fn convert(m: &promql_parser::label::Matcher) -> Matcher {
    let kind = match &m.op {
        MatchOp::Equal => MatchKind::Equal(m.value.clone()),
        MatchOp::NotEqual => MatchKind::NotEqual(m.value.clone()),
        MatchOp::Re(re) => MatchKind::Regex(re.clone()),
        MatchOp::NotRe(re) => MatchKind::NotRegex(re.clone()),
    };
    Matcher {
        name: m.name.clone(),
        kind,
    }
}

/// Milliseconds since the epoch of a `SystemTime` (negative before 1970).
pub(crate) fn system_time_ms(st: &std::time::SystemTime) -> i64 {
    match st.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => duration_ms(&d),
        Err(e) => -duration_ms(&e.duration()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]
    use super::{order_key, sort_by_labels};
    use signalboard_store::{Labels, SeriesRef};

    #[test]
    fn series_sort_like_labels_after_their_shared_prefix_once_each() {
        let sets: Vec<Labels> = [
            vec![("__name__", "x"), ("le", "0.5")],
            vec![("__name__", "x"), ("le", "+Inf")],
            vec![("__name__", "x")],
            vec![("__name__", "x"), ("le", "0.5"), ("z", "1")],
            vec![("__name__", "x"), ("le", "0.25")],
            vec![("__name__", "x"), ("le", "0\0")],
        ]
        .into_iter()
        .map(Labels::from_pairs)
        .collect();
        let mut input: Vec<(SeriesRef, &Labels)> = sets
            .iter()
            .enumerate()
            .map(|(i, l)| (SeriesRef(i as u32), l))
            .collect();
        // An overlapping `or` group selects series 0 twice.
        input.push((SeriesRef(0), &sets[0]));
        let got: Vec<&Labels> = sort_by_labels(input).into_iter().map(|(_, l)| l).collect();
        let mut want: Vec<&Labels> = sets.iter().collect();
        want.sort();
        assert_eq!(got, want);
    }

    #[test]
    fn order_keys_sort_like_labels() {
        let sets: Vec<Labels> = [
            vec![("a", "1")],
            vec![("a", "1"), ("b", "2")],
            vec![("a", "10")],
            vec![("a", "1\0")],
            vec![("a", "1\0\0x")],
            vec![("a", "1\u{1}")],
            vec![("a\0", "1")],
            vec![("ab", "1")],
            vec![("a", "1"), ("b", "")],
            vec![("__name__", "x"), ("le", "+Inf")],
            vec![("__name__", "x"), ("le", "0.5")],
            vec![("__name__", "xy")],
            vec![],
        ]
        .into_iter()
        .map(Labels::from_pairs)
        .collect();
        for a in &sets {
            for b in &sets {
                assert_eq!(order_key(a).cmp(&order_key(b)), a.cmp(b), "{a} vs {b}");
            }
        }
    }
}
