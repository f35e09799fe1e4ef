//! Per-query label memoisation and interning, so label work is done once per series rather
//! than once per series per step.
//!
//! Contract: `map`/`map2` return the interned result of a pure label transform, memoised by
//! (call site, input identity); inputs are kept alive in the memo so their storage addresses
//! cannot be reused while the query runs. Interned label sets with equal contents share one
//! `ptr_id`, so callers may group by `ptr_id` instead of hashing contents.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::cell::RefCell;

use signalboard_store::Labels;

/// Memo sites for transforms that have no AST node of their own.
pub(crate) const SITE_IDENTITY: usize = 1;
pub(crate) const SITE_DROP_NAME: usize = 2;
pub(crate) const SITE_WITHOUT_LE: usize = 3;
pub(crate) const SITE_WITHOUT_LE_AND_NAME: usize = 4;

type Key = (usize, usize, usize);
/// Memo entry: the inputs (kept alive so their addresses stay unique) and the output.
type Entry = (Labels, Option<Labels>, Labels);

#[derive(Default)]
pub(crate) struct LabelCache {
    memo: RefCell<HashMap<Key, Entry>>,
    interned: RefCell<HashSet<Labels>>,
    bounds: RefCell<HashMap<usize, (Labels, Option<f64>)>>,
}

impl LabelCache {
    /// The interned `f(input)`, computed once per (site, input).
    pub(crate) fn map(
        &self,
        site: usize,
        input: &Labels,
        f: impl FnOnce(&Labels) -> Labels,
    ) -> Labels {
        let key = (site, input.ptr_id(), 0);
        if let Some((_, _, out)) = self.memo.borrow().get(&key) {
            return out.clone();
        }
        let out = self.intern(f(input));
        self.memo
            .borrow_mut()
            .insert(key, (input.clone(), None, out.clone()));
        out
    }

    /// The interned `f(a, b)`, computed once per (site, a, b).
    pub(crate) fn map2(
        &self,
        site: usize,
        a: &Labels,
        b: &Labels,
        f: impl FnOnce(&Labels, &Labels) -> Labels,
    ) -> Labels {
        let key = (site, a.ptr_id(), b.ptr_id());
        if let Some((_, _, out)) = self.memo.borrow().get(&key) {
            return out.clone();
        }
        let out = self.intern(f(a, b));
        self.memo
            .borrow_mut()
            .insert(key, (a.clone(), Some(b.clone()), out.clone()));
        out
    }

    /// `f(input)` for a numeric property of a label set (e.g. a parsed `le`), memoised.
    pub(crate) fn number(
        &self,
        input: &Labels,
        f: impl FnOnce(&Labels) -> Option<f64>,
    ) -> Option<f64> {
        if let Some((_, v)) = self.bounds.borrow().get(&input.ptr_id()) {
            return *v;
        }
        let v = f(input);
        self.bounds
            .borrow_mut()
            .insert(input.ptr_id(), (input.clone(), v));
        v
    }

    /// The canonical copy of `l`.
    pub(crate) fn intern(&self, l: Labels) -> Labels {
        if let Some(found) = self.interned.borrow().get(&l) {
            return found.clone();
        }
        self.interned.borrow_mut().insert(l.clone());
        l
    }

    /// Interned `l` (memoised by identity, so repeated calls are cheap).
    pub(crate) fn canonical(&self, l: &Labels) -> Labels {
        self.map(SITE_IDENTITY, l, Labels::clone)
    }

    /// Interned `l` without `__name__` (and the experimental `__type__`/`__unit__` metadata
    /// labels, which Prometheus drops together with the name).
    pub(crate) fn without_name(&self, l: &Labels) -> Labels {
        self.map(SITE_DROP_NAME, l, |l| {
            l.filtered(|n| !matches!(n, "__name__" | "__type__" | "__unit__"))
        })
    }
}

/// The memo site of an AST node (its address), offset to tell transforms of one node apart.
pub(crate) fn site<T>(node: &T, offset: usize) -> usize {
    node as *const T as usize + offset
}
