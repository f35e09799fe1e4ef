//! Time windows of the selectors: which samples a query can read, worked out before it runs.
//!
//! Contract: for every vector selector node of the expression (matrix selectors' inner
//! selectors included) `plan` gives the inclusive window `[mint, maxt]` holding every sample
//! evaluation can look at — query start − lookback (instant) or − range (matrix), minus the
//! ranges of enclosing subqueries, shifted by every `offset`, with `@` pinning the reference
//! time — as Prometheus's `FindMinMaxTimes` does. The store then decodes only that window.
//! A selector missing from the plan is read in full.

use promql_parser::parser::{AtModifier, Expr, Offset, VectorSelector};
use rustc_hash::FxHashMap as HashMap;

use super::{duration_ms, Evaluator};

/// Selector node (by address, as the selection cache keys it) → `[mint, maxt]`.
pub(crate) type Windows = HashMap<usize, (i64, i64)>;

impl Evaluator<'_> {
    /// The windows of every selector of `expr` evaluated at times in `[start, end]`.
    pub(crate) fn plan(&self, expr: &Expr) -> Windows {
        let mut out = Windows::default();
        self.plan_into(expr, (self.start_ms, self.end_ms), &mut out);
        out
    }

    fn plan_into(&self, expr: &Expr, times: (i64, i64), out: &mut Windows) {
        match expr {
            Expr::VectorSelector(vs) => self.plan_selector(vs, times, self.lookback_ms, out),
            Expr::MatrixSelector(ms) => {
                self.plan_selector(&ms.vs, times, duration_ms(&ms.range), out)
            }
            Expr::Subquery(sq) => {
                let (lo, hi) = self.reference_span(times, sq.offset.as_ref(), sq.at.as_ref());
                let inner = (lo.saturating_sub(duration_ms(&sq.range)), hi);
                self.plan_into(&sq.expr, inner, out);
            }
            Expr::Aggregate(a) => {
                self.plan_into(&a.expr, times, out);
                if let Some(p) = &a.param {
                    self.plan_into(p, times, out);
                }
            }
            Expr::Unary(u) => self.plan_into(&u.expr, times, out),
            Expr::Paren(p) => self.plan_into(&p.expr, times, out),
            Expr::Binary(b) => {
                self.plan_into(&b.lhs, times, out);
                self.plan_into(&b.rhs, times, out);
            }
            Expr::Call(c) => {
                for arg in &c.args.args {
                    self.plan_into(arg, times, out);
                }
            }
            Expr::NumberLiteral(_) | Expr::StringLiteral(_) | Expr::Extension(_) => {}
        }
    }

    fn plan_selector(&self, vs: &VectorSelector, times: (i64, i64), back: i64, out: &mut Windows) {
        let (lo, hi) = self.reference_span(times, vs.offset.as_ref(), vs.at.as_ref());
        let key = vs as *const VectorSelector as usize;
        let window = (lo.saturating_sub(back), hi);
        // A node reached twice (never in a tree, but cheap to be safe) gets the union.
        let merged = match out.get(&key) {
            Some(&(a, b)) => (a.min(window.0), b.max(window.1)),
            None => window,
        };
        out.insert(key, merged);
    }

    /// Reference times for evaluation times in `times`, after `@` and `offset`.
    fn reference_span(
        &self,
        (lo, hi): (i64, i64),
        offset: Option<&Offset>,
        at: Option<&AtModifier>,
    ) -> (i64, i64) {
        let a = self.reference_time(lo, offset, at);
        let b = self.reference_time(hi, offset, at);
        (a.min(b), a.max(b))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
    use super::*;
    use signalboard_store::Store;

    const MIN: i64 = 60_000;
    const H: i64 = 60 * MIN;

    /// Windows of every selector of `q` for a query over [start, end], in source order.
    fn windows(q: &str, start: i64, end: i64) -> Vec<(i64, i64)> {
        let store = Store::new();
        let ev = Evaluator::new(&store, 5 * MIN, 1_000_000, start, end, 15_000);
        let expr = crate::parse(q).unwrap();
        let plan = ev.plan(&expr);
        let mut found: Vec<(usize, (i64, i64))> = plan.into_iter().collect();
        found.sort();
        found.into_iter().map(|(_, w)| w).collect()
    }

    #[test]
    fn instant_and_range_selectors_read_lookback_or_range_before_the_start() {
        assert_eq!(windows("up", 5 * H, 6 * H), vec![(5 * H - 5 * MIN, 6 * H)]);
        assert_eq!(
            windows("rate(x[10m])", 5 * H, 6 * H),
            vec![(5 * H - 10 * MIN, 6 * H)]
        );
    }

    #[test]
    fn offsets_shift_and_at_pins_the_window() {
        assert_eq!(
            windows("x offset 1h", 5 * H, 6 * H),
            vec![(4 * H - 5 * MIN, 5 * H)]
        );
        assert_eq!(
            windows("x offset -1h", 5 * H, 6 * H),
            vec![(6 * H - 5 * MIN, 7 * H)]
        );
        assert_eq!(
            windows("x @ 100", 5 * H, 6 * H),
            vec![(100_000 - 5 * MIN, 100_000)]
        );
        assert_eq!(
            windows("x[1m] @ end()", 5 * H, 6 * H),
            vec![(6 * H - MIN, 6 * H)]
        );
    }

    #[test]
    fn a_one_hour_query_over_six_hours_of_data_decodes_about_one_hour() {
        let mut store = Store::new();
        let labels = signalboard_store::Labels::from_pairs([("__name__", "x"), ("i", "0")]);
        for k in 0..=(6 * H / 15_000) {
            store.append(&labels, k * 15_000, k as f64).unwrap();
        }
        let expr = crate::parse("rate(x[5m])").unwrap();
        let ev =
            Evaluator::new(&store, 5 * MIN, 1_000_000, 5 * H, 6 * H, 15_000).with_windows_of(&expr);
        let Expr::Call(call) = &expr else {
            panic!("not a call")
        };
        let Expr::MatrixSelector(ms) = call.args.args[0].as_ref() else {
            panic!("not a matrix selector")
        };
        let sel = ev.selected(&ms.vs);
        let ts = &sel.series[0].timestamps;
        // (5h - 5m, 6h]: 65 minutes of 15 s samples, not 6 hours'.
        assert_eq!(ts.len(), 65 * 4 + 1);
        assert_eq!((ts[0], *ts.last().unwrap()), (5 * H - 5 * MIN, 6 * H));
    }

    #[test]
    fn subqueries_widen_by_their_range_and_offset() {
        assert_eq!(
            windows(
                "max_over_time(rate(x[5m])[30m:1m] offset 10m)",
                5 * H,
                6 * H
            ),
            vec![(5 * H - 10 * MIN - 30 * MIN - 5 * MIN, 6 * H - 10 * MIN)]
        );
        assert_eq!(
            windows("max_over_time(x[30m:1m] @ 1000)", 5 * H, 6 * H),
            vec![(1_000_000 - 30 * MIN - 5 * MIN, 1_000_000)]
        );
    }
}
