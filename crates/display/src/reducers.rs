//! Grafana's field reducers ("calcs"): one number from a series, by reducer id.
//!
//! Contract (Grafana's `fieldReducer.ts`, current version):
//! - Input is `&[Option<f64>]`: `None` is null, `Some(NaN)` is NaN. [`reduce_f64`] takes
//!   plain `f64`s and treats NaN as null (a Prometheus gap).
//! - Null handling follows the field's `nullValueMode`, default [`NullMode::Ignore`]:
//!   nulls are skipped (not counted). NaN is counted by `count` but skipped by the
//!   numeric calcs, as in Grafana. `first`/`last` return the raw first/last entry.
//! - Empty input gives Grafana's `emptyInputResult`: `sum`/`count`/`countAll` 0,
//!   `allIsNull` true, `allIsZero` false, everything else null.
//! - Booleans (`allIsNull`, `allIsZero`) are returned as 1.0 / 0.0.
//! - `delta` is counter-aware like Grafana: increases are summed, a decrease is a reset
//!   and the increase right after a reset is not counted.
//! - `logmin` stays at `f64::MAX` when no value is positive (Grafana does not null it).
//! - Percentiles `p1`…`p99` pick `sorted[round((n − 1) × p)]`; NaN is left out of the
//!   sort here (Grafana's comparator leaves NaN order undefined).
//! - `allValues`/`uniqueValues` return lists in Grafana and are rejected here.

use std::fmt;

/// A sample as the reducers see it: a number (possibly NaN) or null.
pub trait Nullable: Copy {
    /// `None` for null.
    fn nullable(self) -> Option<f64>;
}

impl Nullable for Option<f64> {
    fn nullable(self) -> Option<f64> {
        self
    }
}

/// Plain samples: NaN stands for null (a gap).
impl Nullable for f64 {
    fn nullable(self) -> Option<f64> {
        (!self.is_nan()).then_some(self)
    }
}

/// Grafana's `nullValueMode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NullMode {
    /// Skip nulls (Grafana's default, `connected`).
    #[default]
    Ignore,
    /// Treat nulls as 0 (`null as zero`).
    AsZero,
    /// Keep nulls: counted, but not numbers (`null`).
    Null,
}

/// A reducer id Grafana does not know, or one that does not yield a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownReducer {
    /// The id as given.
    pub id: String,
    /// Why it cannot be used.
    pub reason: &'static str,
}

impl fmt::Display for UnknownReducer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "reducer `{}`: {}", self.id, self.reason)
    }
}

impl std::error::Error for UnknownReducer {}

/// Reducer ids computed in Grafana's single standard pass.
const STANDARD_IDS: [&str; 17] = [
    "lastNotNull",
    "last",
    "firstNotNull",
    "first",
    "min",
    "max",
    "mean",
    "sum",
    "count",
    "range",
    "delta",
    "step",
    "diff",
    "logmin",
    "allIsZero",
    "allIsNull",
    "diffperc",
];
/// Reducer ids computed by their own function.
const OTHER_IDS: [&str; 6] = [
    "median",
    "variance",
    "stdDev",
    "countAll",
    "changeCount",
    "distinctCount",
];

/// The canonical reducer id for `calc`, resolving Grafana's aliases (`current`, `avg`,
/// `total`); `None` for unknown ids. List-valued reducers are not included.
pub fn reducer_id(calc: &str) -> Option<&'static str> {
    let resolved = match calc {
        "current" => "lastNotNull",
        "avg" => "mean",
        "total" => "sum",
        other => other,
    };
    STANDARD_IDS
        .iter()
        .chain(OTHER_IDS.iter())
        .find(|id| **id == resolved)
        .copied()
        .or_else(|| percentile_of(resolved).map(|_| "percentile"))
}

/// Grafana's display name of a reducer (legend and table headers): `Last *`, `Mean`,
/// `Total`, `95th %` …; `None` for unknown ids.
pub fn reducer_name(calc: &str) -> Option<String> {
    if let Some(p) = percentile_of(calc) {
        let n = (p * 100.0).round() as u32;
        let suffix = match n {
            11..=13 => "th",
            _ if n % 10 == 1 => "st",
            _ if n % 10 == 2 => "nd",
            _ if n % 10 == 3 => "rd",
            _ => "th",
        };
        return Some(format!("{n}{suffix} %"));
    }
    let name = match reducer_id(calc)? {
        "lastNotNull" => "Last *",
        "last" => "Last",
        "firstNotNull" => "First *",
        "first" => "First",
        "min" => "Min",
        "max" => "Max",
        "mean" => "Mean",
        "median" => "Median",
        "variance" => "Variance",
        "stdDev" => "StdDev",
        "sum" => "Total",
        "count" => "Count",
        "countAll" => "Count all",
        "range" => "Range",
        "delta" => "Delta",
        "step" => "Step",
        "diff" => "Difference",
        "diffperc" => "Difference percent",
        "logmin" => "Min (above zero)",
        "allIsZero" => "All Zeros",
        "allIsNull" => "All Nulls",
        "changeCount" => "Change Count",
        "distinctCount" => "Distinct Count",
        _ => return None,
    };
    Some(name.to_string())
}

/// Whether the reducer's result is in the field's unit (Grafana's `preservesUnits`):
/// counts, `diffperc` and `allIsNull` are plain numbers.
pub fn reducer_preserves_units(calc: &str) -> bool {
    !matches!(
        reducer_id(calc),
        None | Some(
            "count" | "countAll" | "changeCount" | "distinctCount" | "diffperc" | "allIsNull"
        )
    )
}

/// Legacy `singlestat` / `graph` legend `valueName` → reducer id, as Grafana migrates
/// them (`current` → `lastNotNull`, `avg` → `mean`, `total` → `sum`); `name` (show the
/// series name) and unknown names give `None`.
pub fn legacy_value_name_to_calc(value_name: &str) -> Option<&'static str> {
    match value_name {
        "name" => None,
        other => reducer_id(other).filter(|id| *id != "percentile"),
    }
}

/// `p1` … `p99` → 0.01 … 0.99.
fn percentile_of(calc: &str) -> Option<f64> {
    let n: u32 = calc.strip_prefix('p')?.parse().ok()?;
    (1..=99).contains(&n).then(|| f64::from(n) / 100.0)
}

/// Reduces `values` with Grafana's reducer `calc` and the default null mode.
pub fn reduce(values: &[Option<f64>], calc: &str) -> Result<Option<f64>, UnknownReducer> {
    reduce_with(values, calc, NullMode::Ignore)
}

/// Reduces plain samples, NaN standing for null.
pub fn reduce_f64(values: &[f64], calc: &str) -> Result<Option<f64>, UnknownReducer> {
    reduce_with(values, calc, NullMode::Ignore)
}

/// Reduces `values` with reducer `calc` and an explicit null mode.
pub fn reduce_with<T: Nullable>(
    values: &[T],
    calc: &str,
    mode: NullMode,
) -> Result<Option<f64>, UnknownReducer> {
    let id = reducer_id(calc).ok_or_else(|| unknown(calc))?;
    if values.is_empty() {
        return Ok(empty_input_result(id));
    }
    if let Some(p) = percentile_of(calc) {
        return Ok(percentile(values, p, mode));
    }
    Ok(match id {
        "median" => Some(median(values, mode)),
        "variance" => Some(variance(values)),
        "stdDev" => Some(variance(values).sqrt()),
        "countAll" => Some(values.len() as f64),
        "changeCount" => Some(change_count(values, mode)),
        "distinctCount" => Some(distinct_count(values, mode)),
        standard => StandardCalcs::compute(values, mode).get(standard),
    })
}

fn unknown(calc: &str) -> UnknownReducer {
    let reason = if matches!(calc, "allValues" | "uniqueValues") {
        "returns a list of values, not a number"
    } else {
        "unknown reducer id"
    };
    UnknownReducer {
        id: calc.to_string(),
        reason,
    }
}

/// Grafana's `emptyInputResult`.
fn empty_input_result(id: &str) -> Option<f64> {
    match id {
        "sum" | "count" | "countAll" | "allIsZero" => Some(0.0),
        "allIsNull" => Some(1.0),
        _ => None,
    }
}

/// Applies the null mode to one entry: `None` = skip it, `Some(v)` = use it (still `None`
/// inside for a kept null).
fn apply_null_mode(value: Option<f64>, mode: NullMode) -> Option<Option<f64>> {
    match (value, mode) {
        (None, NullMode::Ignore) => None,
        (None, NullMode::AsZero) => Some(Some(0.0)),
        (v, _) => Some(v),
    }
}

/// The results of Grafana's `doStandardCalcs`.
struct StandardCalcs {
    sum: f64,
    max: f64,
    min: f64,
    logmin: f64,
    first: Option<f64>,
    last: Option<f64>,
    first_not_null: Option<f64>,
    last_not_null: Option<f64>,
    count: usize,
    non_null_count: usize,
    all_is_null: bool,
    all_is_zero: bool,
    delta: f64,
    step: f64,
    previous_delta_up: bool,
}

impl StandardCalcs {
    fn compute<T: Nullable>(values: &[T], mode: NullMode) -> Self {
        let mut c = Self {
            sum: 0.0,
            max: -f64::MAX,
            min: f64::MAX,
            logmin: f64::MAX,
            first: values.first().and_then(|v| v.nullable()),
            last: values.last().and_then(|v| v.nullable()),
            first_not_null: None,
            last_not_null: None,
            count: 0,
            non_null_count: 0,
            all_is_null: true,
            all_is_zero: true,
            delta: 0.0,
            step: f64::MAX,
            previous_delta_up: true,
        };
        for raw in values {
            let Some(current) = apply_null_mode(raw.nullable(), mode) else {
                continue;
            };
            c.count += 1;
            if let Some(v) = current.filter(|v| !v.is_nan()) {
                c.add_number(v);
            }
        }
        c
    }

    fn add_number(&mut self, v: f64) {
        let previous = self.last_not_null;
        if self.first_not_null.is_none() {
            self.first_not_null = Some(v);
        }
        self.sum += v;
        self.all_is_null = false;
        self.non_null_count += 1;
        if let Some(prev) = previous {
            let step = v - prev;
            if self.step > step {
                self.step = step;
            }
            if prev > v {
                self.previous_delta_up = false; // counter reset
            } else {
                if self.previous_delta_up {
                    self.delta += step;
                }
                self.previous_delta_up = true;
            }
        }
        self.max = self.max.max(v);
        self.min = self.min.min(v);
        if v < self.logmin && v > 0.0 {
            self.logmin = v;
        }
        if v != 0.0 {
            self.all_is_zero = false;
        }
        self.last_not_null = Some(v);
    }

    fn max(&self) -> Option<f64> {
        (self.max != -f64::MAX).then_some(self.max)
    }

    fn min(&self) -> Option<f64> {
        (self.min != f64::MAX).then_some(self.min)
    }

    fn diff(&self) -> Option<f64> {
        Some(self.last_not_null? - self.first_not_null?)
    }

    fn get(&self, id: &str) -> Option<f64> {
        let flag = |b: bool| Some(if b { 1.0 } else { 0.0 });
        match id {
            "sum" => Some(self.sum),
            "max" => self.max(),
            "min" => self.min(),
            "logmin" => Some(self.logmin),
            "mean" => (self.non_null_count > 0).then(|| self.sum / self.non_null_count as f64),
            "first" => self.first,
            "last" => self.last,
            "firstNotNull" => self.first_not_null,
            "lastNotNull" => self.last_not_null,
            "count" => Some(self.count as f64),
            "allIsNull" => flag(self.all_is_null),
            "allIsZero" => flag(self.all_is_zero && !self.all_is_null),
            "range" => Some(self.max()? - self.min()?),
            "diff" => self.diff(),
            "diffperc" => Some(match (self.diff(), self.first_not_null) {
                (Some(d), Some(first)) => d / first * 100.0,
                _ => 0.0,
            }),
            "delta" => Some(self.delta),
            "step" => (self.step != f64::MAX).then_some(self.step),
            _ => None,
        }
    }
}

/// Grafana's `first`/`last` keep a NaN entry as NaN; nulls as null.
fn numbers_for_sorting<T: Nullable>(values: &[T], mode: NullMode) -> Vec<f64> {
    values
        .iter()
        .filter_map(|v| match (v.nullable(), mode) {
            (None, NullMode::Ignore) => None,
            // JS compares null as 0 when sorting and averaging.
            (None, _) => Some(0.0),
            (Some(x), _) => Some(x),
        })
        .collect()
}

fn percentile<T: Nullable>(values: &[T], p: f64, mode: NullMode) -> Option<f64> {
    let mut sorted: Vec<f64> = numbers_for_sorting(values, mode)
        .into_iter()
        .filter(|v| !v.is_nan())
        .collect();
    sorted.sort_by(f64::total_cmp);
    let index = crate::jsnum::js_round((sorted.len() as f64 - 1.0) * p);
    if index < 0.0 {
        return None;
    }
    sorted.get(index as usize).copied()
}

fn median<T: Nullable>(values: &[T], mode: NullMode) -> f64 {
    let mut numbers = numbers_for_sorting(values, mode);
    numbers.sort_by(f64::total_cmp);
    let mid = numbers.len() / 2;
    if numbers.len().is_multiple_of(2) {
        // An empty list gives NaN, as `(undefined + undefined) / 2` does in Grafana.
        match (
            mid.checked_sub(1).and_then(|i| numbers.get(i)),
            numbers.get(mid),
        ) {
            (Some(a), Some(b)) => (a + b) / 2.0,
            _ => f64::NAN,
        }
    } else {
        numbers.get(mid).copied().unwrap_or(f64::NAN)
    }
}

/// Population variance over non-null entries (NaN propagates), Welford's method as in
/// Grafana; 0 when there are none.
fn variance<T: Nullable>(values: &[T]) -> f64 {
    let mut square_sum = 0.0;
    let mut mean = 0.0;
    let mut count = 0.0;
    for v in values.iter().filter_map(|v| v.nullable()) {
        count += 1.0;
        let old_mean = mean;
        mean += (v - old_mean) / count;
        square_sum += (v - old_mean) * (v - mean);
    }
    if count > 0.0 {
        square_sum / count
    } else {
        0.0
    }
}

/// JS `!==` between entries: nulls equal each other, NaN equals nothing.
fn js_strict_equal(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

fn change_count<T: Nullable>(values: &[T], mode: NullMode) -> f64 {
    let mut count = 0.0;
    let mut last: Option<Option<f64>> = None;
    for raw in values {
        let Some(current) = apply_null_mode(raw.nullable(), mode) else {
            continue;
        };
        if let Some(previous) = last {
            if !js_strict_equal(previous, current) {
                count += 1.0;
            }
        }
        last = Some(current);
    }
    count
}

/// Distinct entries with JS `Set` equality (NaN equals NaN, 0 equals −0), by sorting.
fn distinct_count<T: Nullable>(values: &[T], mode: NullMode) -> f64 {
    let mut has_null = false;
    let mut keys: Vec<u64> = Vec::with_capacity(values.len());
    for raw in values {
        match apply_null_mode(raw.nullable(), mode) {
            None => {}
            Some(None) => has_null = true,
            // Canonical bits: one NaN, and −0 folded into 0.
            Some(Some(v)) if v.is_nan() => keys.push(f64::NAN.to_bits()),
            Some(Some(v)) => keys.push((v + 0.0).to_bits()),
        }
    }
    keys.sort_unstable();
    keys.dedup();
    keys.len() as f64 + if has_null { 1.0 } else { 0.0 }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )]
    use super::*;

    fn r(values: &[Option<f64>], calc: &str) -> Option<f64> {
        reduce(values, calc).unwrap()
    }

    const SERIES: [Option<f64>; 6] = [None, Some(3.0), Some(1.0), None, Some(4.0), Some(2.0)];

    #[test]
    fn standard_calcs_skip_nulls() {
        assert_eq!(r(&SERIES, "lastNotNull"), Some(2.0));
        assert_eq!(r(&SERIES, "current"), Some(2.0));
        assert_eq!(r(&SERIES, "last"), Some(2.0));
        assert_eq!(r(&SERIES, "first"), None);
        assert_eq!(r(&SERIES, "firstNotNull"), Some(3.0));
        assert_eq!(r(&SERIES, "min"), Some(1.0));
        assert_eq!(r(&SERIES, "max"), Some(4.0));
        assert_eq!(r(&SERIES, "sum"), Some(10.0));
        assert_eq!(r(&SERIES, "mean"), Some(2.5));
        assert_eq!(r(&SERIES, "avg"), Some(2.5));
        assert_eq!(r(&SERIES, "count"), Some(4.0));
        assert_eq!(r(&SERIES, "countAll"), Some(6.0));
        assert_eq!(r(&SERIES, "range"), Some(3.0));
        assert_eq!(r(&SERIES, "diff"), Some(-1.0));
        // (last − first) / first × 100, in that order of operations.
        assert_eq!(r(&SERIES, "diffperc"), Some(-1.0 / 3.0 * 100.0));
        assert_eq!(r(&SERIES, "step"), Some(-2.0));
        assert_eq!(r(&SERIES, "logmin"), Some(1.0));
        assert_eq!(r(&SERIES, "allIsNull"), Some(0.0));
        assert_eq!(r(&SERIES, "allIsZero"), Some(0.0));
    }

    #[test]
    fn delta_is_counter_aware() {
        let counter: Vec<Option<f64>> = [1.0, 2.0, 3.0, 1.0, 2.0, 3.0]
            .iter()
            .map(|v| Some(*v))
            .collect();
        // +1 +1, reset, the first increase after a reset is skipped, +1.
        assert_eq!(r(&counter, "delta"), Some(3.0));
        let rising: Vec<Option<f64>> = [10.0, 15.0, 30.0].iter().map(|v| Some(*v)).collect();
        assert_eq!(r(&rising, "delta"), Some(20.0));
    }

    #[test]
    fn nan_is_counted_but_not_summed() {
        let v = [Some(1.0), Some(f64::NAN), Some(3.0)];
        assert_eq!(r(&v, "count"), Some(3.0));
        assert_eq!(r(&v, "sum"), Some(4.0));
        assert_eq!(r(&v, "lastNotNull"), Some(3.0));
        assert!(r(&v, "variance").unwrap().is_nan());
        assert_eq!(
            reduce_f64(&[1.0, f64::NAN, 3.0], "count").unwrap(),
            Some(2.0)
        );
    }

    #[test]
    fn empty_and_all_null() {
        assert_eq!(r(&[], "sum"), Some(0.0));
        assert_eq!(r(&[], "count"), Some(0.0));
        assert_eq!(r(&[], "allIsNull"), Some(1.0));
        assert_eq!(r(&[], "allIsZero"), Some(0.0));
        assert_eq!(r(&[], "mean"), None);
        assert_eq!(r(&[None, None], "allIsNull"), Some(1.0));
        assert_eq!(r(&[None, None], "allIsZero"), Some(0.0));
        assert_eq!(r(&[None, None], "max"), None);
        assert_eq!(r(&[None, None], "logmin"), Some(f64::MAX));
        assert!(r(&[None, None], "median").unwrap().is_nan());
        assert_eq!(r(&[Some(0.0), Some(0.0)], "allIsZero"), Some(1.0));
    }

    #[test]
    fn null_modes() {
        assert_eq!(
            reduce_with(&SERIES, "mean", NullMode::AsZero).unwrap(),
            Some(10.0 / 6.0)
        );
        assert_eq!(
            reduce_with(&SERIES, "count", NullMode::Null).unwrap(),
            Some(6.0)
        );
        assert_eq!(
            reduce_with(&SERIES, "mean", NullMode::Null).unwrap(),
            Some(2.5)
        );
    }

    #[test]
    fn other_calcs() {
        let v: Vec<Option<f64>> = [1.0, 2.0, 2.0, 4.0, 9.0].iter().map(|x| Some(*x)).collect();
        assert_eq!(r(&v, "median"), Some(2.0));
        assert_eq!(r(&v[..4], "median"), Some(2.0));
        assert!((r(&v, "variance").unwrap() - 8.24).abs() < 1e-12);
        assert!((r(&v, "stdDev").unwrap() - 8.24f64.sqrt()).abs() < 1e-12);
        assert_eq!(r(&v, "changeCount"), Some(3.0));
        assert_eq!(r(&v, "distinctCount"), Some(4.0));
        let odd = [
            Some(0.0),
            Some(-0.0),
            Some(f64::NAN),
            Some(f64::NAN),
            None,
            None,
        ];
        assert_eq!(
            reduce_with(&odd, "distinctCount", NullMode::Null).unwrap(),
            Some(3.0)
        );
        assert_eq!(r(&odd, "distinctCount"), Some(2.0));
        assert_eq!(r(&v, "p50"), Some(2.0));
        assert_eq!(r(&v, "p99"), Some(9.0));
        assert_eq!(r(&v, "p1"), Some(1.0));
        assert_eq!(r(&v, "p90"), Some(9.0));
        assert_eq!(r(&v, "p75"), Some(4.0));
    }

    #[test]
    fn unknown_and_list_reducers() {
        let e = reduce(&SERIES, "bogus").unwrap_err();
        assert_eq!(e.reason, "unknown reducer id");
        let e = reduce(&SERIES, "allValues").unwrap_err();
        assert!(e.to_string().contains("list"));
        assert!(reduce(&SERIES, "p100").is_err());
        assert!(reduce(&SERIES, "p0").is_err());
    }

    #[test]
    fn names_and_units() {
        assert_eq!(reducer_name("lastNotNull").as_deref(), Some("Last *"));
        assert_eq!(reducer_name("current").as_deref(), Some("Last *"));
        assert_eq!(reducer_name("sum").as_deref(), Some("Total"));
        assert_eq!(reducer_name("p95").as_deref(), Some("95th %"));
        assert_eq!(reducer_name("p1").as_deref(), Some("1st %"));
        assert_eq!(reducer_name("p12").as_deref(), Some("12th %"));
        assert_eq!(reducer_name("p22").as_deref(), Some("22nd %"));
        assert_eq!(reducer_name("nope"), None);
        assert!(reducer_preserves_units("mean"));
        assert!(reducer_preserves_units("p99"));
        assert!(!reducer_preserves_units("count"));
        assert!(!reducer_preserves_units("diffperc"));
        assert!(!reducer_preserves_units("bogus"));
    }

    #[test]
    fn legacy_value_names() {
        assert_eq!(legacy_value_name_to_calc("current"), Some("lastNotNull"));
        assert_eq!(legacy_value_name_to_calc("avg"), Some("mean"));
        assert_eq!(legacy_value_name_to_calc("total"), Some("sum"));
        assert_eq!(legacy_value_name_to_calc("delta"), Some("delta"));
        assert_eq!(legacy_value_name_to_calc("name"), None);
        assert_eq!(legacy_value_name_to_calc("p95"), None);
    }
}
