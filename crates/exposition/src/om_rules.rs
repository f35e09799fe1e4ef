//! OpenMetrics semantic rules, checked as lines arrive (as the reference Python parser does).
//!
//! Contract: families are contiguous and declared at most once; metadata precedes samples and
//! appears at most once per family; a sample joins the current family only under a name its
//! type allows (`foo_total`/`foo_created` for counter `foo`, ...), else it starts an `unknown`
//! family; family names (with their type's suffixes) never clash; counter-like values are
//! non-negative and not NaN; histograms are sorted, cumulative, end in `+Inf` and agree with
//! `_count`; summaries carry quantiles in [0,1]; stateset/info values are 0|1 / 1; exemplars
//! only on counter `_total` and histogram `_bucket`; within a group, timestamps are all present
//! or all absent and never go backwards; a group, once left, does not come back.

use std::borrow::Cow;
use std::hash::BuildHasher;

use foldhash::HashSet;

use crate::error::{Fail, Scan};
use crate::labels::BoundCache;
use crate::model::{Family, Label, Limits, MetricType, Sample};
use crate::number::parse_go_float;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum MetaKind {
    Help,
    Type,
    Unit,
}

/// A syntactically valid sample line, before the rules see it.
pub(crate) struct ParsedSample<'a> {
    pub sample: Sample<'a>,
    /// The timestamp in seconds as written (ordering checks need more than milliseconds).
    pub timestamp_s: Option<f64>,
}

/// The family being read.
struct Current {
    idx: usize,
    typed: bool,
    has_help: bool,
    has_unit: bool,
    offset: usize,
    group: Option<u64>,
    group_ts: Option<f64>,
    seen_groups: HashSet<u64>,
}

pub(crate) struct OmRules<'a> {
    families: Vec<Family<'a>>,
    current: Option<Current>,
    seen_names: HashSet<String>,
    samples: usize,
    max_samples: usize,
    /// All rules (the OpenMetrics suite) or only what Prometheus' own parser enforces.
    strict: bool,
    bounds: BoundCache<'a>,
}

impl<'a> OmRules<'a> {
    pub fn new(limits: &Limits, strict: bool) -> Self {
        OmRules {
            families: Vec::new(),
            current: None,
            seen_names: HashSet::default(),
            samples: 0,
            max_samples: limits.max_samples,
            bounds: BoundCache::default(),
            strict,
        }
    }

    pub fn metadata(
        &mut self,
        kind: MetaKind,
        name: Cow<'a, str>,
        text: Cow<'a, str>,
        at: usize,
    ) -> Scan<()> {
        let same = self.current_family().is_some_and(|f| f.name == name);
        let has_samples = self.current_family().is_some_and(|f| !f.samples.is_empty());
        if self.strict && same && has_samples {
            return Err(Fail::new(
                at,
                format!("metadata for \"{name}\" after its samples"),
            ));
        }
        // Lenient: metadata after samples starts a new family (client_golang's OpenMetrics
        // 0.0.1 output reuses a gauge's name for a counter).
        if !same || has_samples {
            self.start_family(name, None, at)?;
        }
        let (idx, cur) = match self.current.as_mut() {
            Some(cur) => (cur.idx, cur),
            None => return Err(Fail::new(at, "internal: no current family")),
        };
        let family = self
            .families
            .get_mut(idx)
            .ok_or_else(|| Fail::new(at, "internal: bad family index"))?;
        let repeated =
            |what: &str| Fail::new(at, format!("second {what} line for \"{}\"", family.name));
        let strict = self.strict;
        match kind {
            MetaKind::Help if strict && cur.has_help => return Err(repeated("HELP")),
            MetaKind::Type if strict && cur.typed => return Err(repeated("TYPE")),
            MetaKind::Unit if strict && cur.has_unit => return Err(repeated("UNIT")),
            MetaKind::Help => {
                cur.has_help = true;
                family.help = Some(text);
            }
            MetaKind::Type => {
                cur.typed = true;
                family.kind = parse_om_type(&text).ok_or_else(|| {
                    Fail::new(at, format!("expected counter, gauge, histogram, gaugehistogram, summary, info, stateset or unknown, found \"{}\"", text.escape_debug()))
                })?;
            }
            MetaKind::Unit => {
                cur.has_unit = true;
                family.unit = if text.is_empty() { None } else { Some(text) };
            }
        }
        Ok(())
    }

    pub fn sample(&mut self, parsed: ParsedSample<'a>, at: usize) -> Scan<()> {
        self.samples += 1;
        if self.samples > self.max_samples {
            return Err(Fail::new(
                at,
                format!("more than the limit of {} samples", self.max_samples),
            ));
        }
        let joins = self
            .current_family()
            .is_some_and(|f| allowed(&parsed.sample.name, &f.name, f.kind));
        if !joins {
            let name = parsed.sample.name.clone();
            self.start_family(name, Some(MetricType::Unknown), at)?;
        }
        let (family, cur) = match (self.current.as_mut(), &mut self.families) {
            (Some(cur), families) => match families.get_mut(cur.idx) {
                Some(f) => (f, cur),
                None => return Err(Fail::new(at, "internal: bad family index")),
            },
            (None, _) => return Err(Fail::new(at, "internal: no current family")),
        };
        let mut sample = parsed.sample;
        if self.strict {
            check_sample(family, &sample).map_err(|m| Fail::new(at, m))?;
            check_grouping(family, cur, &sample, parsed.timestamp_s)
                .map_err(|m| Fail::new(at, m))?;
        }
        match family.kind {
            MetricType::Histogram | MetricType::GaugeHistogram => {
                self.bounds.normalise(&mut sample.labels, "le")
            }
            MetricType::Summary => self.bounds.normalise(&mut sample.labels, "quantile"),
            _ => {}
        }
        family.samples.push(sample);
        Ok(())
    }

    pub fn finish(mut self) -> Scan<Vec<Family<'a>>> {
        self.finish_family()?;
        Ok(self.families)
    }

    fn current_family(&self) -> Option<&Family<'a>> {
        self.current.as_ref().and_then(|c| self.families.get(c.idx))
    }

    fn start_family(
        &mut self,
        name: Cow<'a, str>,
        kind: Option<MetricType>,
        at: usize,
    ) -> Scan<()> {
        self.finish_family()?;
        let idx = self.families.len();
        self.families.push(Family {
            name,
            kind: kind.unwrap_or(MetricType::Unknown),
            help: None,
            unit: None,
            samples: Vec::new(),
        });
        self.current = Some(Current {
            idx,
            typed: kind.is_some(),
            has_help: false,
            has_unit: false,
            offset: at,
            group: None,
            group_ts: None,
            seen_groups: HashSet::default(),
        });
        Ok(())
    }

    /// Family-level rules, checked when the family ends.
    fn finish_family(&mut self) -> Scan<()> {
        let Some(cur) = self.current.take() else {
            return Ok(());
        };
        let Some(family) = self.families.get(cur.idx) else {
            return Ok(());
        };
        let fail = |m: String| Fail::new(cur.offset, m);
        if let Some(unit) = &family.unit {
            if !family.name.ends_with(&format!("_{unit}")) {
                return Err(fail(format!(
                    "metric name \"{}\" does not end with its unit \"_{unit}\"",
                    family.name
                )));
            }
        }
        if !self.strict {
            return Ok(());
        }
        for suffix in std::iter::once("").chain(
            clash_suffixes(family.kind)
                .iter()
                .copied()
                .filter(|s| !s.is_empty()),
        ) {
            let full = format!("{}{suffix}", family.name);
            if !self.seen_names.insert(full.clone()) {
                return Err(fail(format!(
                    "metric name \"{full}\" clashes with an earlier family"
                )));
            }
        }
        if family.unit.is_some() && matches!(family.kind, MetricType::Info | MetricType::StateSet) {
            return Err(fail(format!(
                "{} families cannot have a unit",
                family.kind.as_str()
            )));
        }
        if matches!(
            family.kind,
            MetricType::Histogram | MetricType::GaugeHistogram
        ) {
            check_histogram(family).map_err(fail)?;
        }
        Ok(())
    }
}

fn parse_om_type(text: &str) -> Option<MetricType> {
    Some(match text {
        "counter" => MetricType::Counter,
        "gauge" => MetricType::Gauge,
        "histogram" => MetricType::Histogram,
        "gaugehistogram" => MetricType::GaugeHistogram,
        "summary" => MetricType::Summary,
        "info" => MetricType::Info,
        "stateset" => MetricType::StateSet,
        "unknown" => MetricType::Unknown,
        _ => return None,
    })
}

/// Series names a family of `kind` may use, as suffixes of its name.
fn allowed_suffixes(kind: MetricType) -> &'static [&'static str] {
    match kind {
        MetricType::Counter => &["_total", "_created"],
        MetricType::Summary => &["", "_count", "_sum", "_created"],
        MetricType::Histogram => &["_count", "_sum", "_bucket", "_created"],
        MetricType::GaugeHistogram => &["_gcount", "_gsum", "_bucket"],
        MetricType::Info => &["_info"],
        _ => &[""],
    }
}

/// Names a family reserves against later families (besides its own name).
fn clash_suffixes(kind: MetricType) -> &'static [&'static str] {
    match kind {
        MetricType::Counter
        | MetricType::Summary
        | MetricType::Histogram
        | MetricType::GaugeHistogram
        | MetricType::Info => allowed_suffixes(kind),
        _ => &[],
    }
}

fn allowed(series: &str, family: &str, kind: MetricType) -> bool {
    series
        .strip_prefix(family)
        .is_some_and(|suffix| allowed_suffixes(kind).contains(&suffix))
}

fn label<'s>(labels: &'s [Label<'_>], name: &str) -> Option<&'s str> {
    labels
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_ref())
}

/// A float label value; non-finite values only in their canonical spellings.
fn float_label(text: &str) -> Option<f64> {
    let v = parse_go_float(text)?;
    if !v.is_finite() && !matches!(text, "+Inf" | "-Inf" | "NaN") {
        return None;
    }
    Some(v)
}

fn is_integral(v: f64) -> bool {
    v.is_finite() && v.fract() == 0.0
}

/// Per-sample rules (labels and values by type and suffix).
fn check_sample(family: &Family<'_>, sample: &Sample<'_>) -> Result<(), String> {
    let name = family.name.as_ref();
    let suffix = sample.name.get(name.len()..).unwrap_or("");
    let v = sample.value;
    match family.kind {
        MetricType::StateSet if label(&sample.labels, name).is_none() => {
            return Err(format!("stateset sample needs a label named \"{name}\""));
        }
        MetricType::StateSet if v != 0.0 && v != 1.0 => {
            return Err("stateset values must be 0 or 1".into())
        }
        MetricType::Info if v != 1.0 => return Err("info values must be 1".into()),
        MetricType::Summary if suffix.is_empty() => {
            let q = label(&sample.labels, "quantile").and_then(float_label);
            if !q.is_some_and(|q| (0.0..=1.0).contains(&q)) {
                return Err(
                    "summary quantile samples need a quantile label between 0 and 1".into(),
                );
            }
            if v < 0.0 {
                return Err("quantile values cannot be negative".into());
            }
        }
        _ => {}
    }
    match suffix {
        "_bucket" => {
            let le = label(&sample.labels, "le").and_then(float_label);
            if le.is_none_or(f64::is_nan) {
                return Err("bucket needs an le label holding a number".into());
            }
            if !is_integral(v) {
                return Err("bucket values must be integers".into());
            }
        }
        "_count" | "_gcount" if !is_integral(v) => {
            return Err("count values must be integers".into())
        }
        _ => {}
    }
    let counter_like = matches!(
        suffix,
        "_total" | "_sum" | "_count" | "_bucket" | "_gcount" | "_gsum"
    );
    if counter_like && v.is_nan() {
        return Err(format!("{suffix} samples cannot be NaN"));
    }
    if counter_like && suffix != "_gsum" && v < 0.0 {
        return Err(format!("{suffix} samples cannot be negative"));
    }
    if sample.exemplar.is_some() {
        let ok = match family.kind {
            MetricType::Histogram | MetricType::GaugeHistogram => suffix == "_bucket",
            MetricType::Counter => suffix == "_total",
            _ => false,
        };
        if !ok {
            return Err(
                "exemplars are only allowed on counter _total and histogram _bucket samples".into(),
            );
        }
    }
    Ok(())
}

/// The MetricPoint a sample belongs to: its labels minus the one that varies within a point.
fn group_key(family: &Family<'_>, sample: &Sample<'_>) -> u64 {
    let name = family.name.as_ref();
    let is_bucket = sample.name.len() == name.len() + 7 && sample.name.ends_with("_bucket");
    let skip: Option<&str> = match family.kind {
        MetricType::Info => return 0,
        MetricType::Summary if sample.name == family.name => Some("quantile"),
        MetricType::StateSet => Some(name),
        MetricType::Histogram | MetricType::GaugeHistogram if is_bucket => Some("le"),
        _ => None,
    };
    // Order-insensitive: a sum of per-pair hashes.
    sample
        .labels
        .iter()
        .filter(|(k, _)| Some(k.as_ref()) != skip)
        .map(|pair| foldhash::quality::FixedState::default().hash_one(pair))
        .fold(0x51_7c_c1_b7_27_22_0a_95, u64::wrapping_add)
}

fn check_grouping(
    family: &Family<'_>,
    cur: &mut Current,
    sample: &Sample<'_>,
    ts: Option<f64>,
) -> Result<(), String> {
    let g = group_key(family, sample);
    if cur.group != Some(g) {
        if cur.group.is_some() && cur.seen_groups.contains(&g) {
            return Err(
                "samples of one metric point must be contiguous (this label set appeared before)"
                    .into(),
            );
        }
    } else {
        if ts.is_none() != cur.group_ts.is_none() {
            return Err("mix of samples with and without timestamps in one metric point".into());
        }
        if let (Some(prev), Some(now)) = (cur.group_ts, ts) {
            if prev > now && family.kind != MetricType::Info {
                return Err("timestamps went backwards within a metric point".into());
            }
        }
    }
    cur.group = Some(g);
    cur.group_ts = ts;
    cur.seen_groups.insert(g);
    Ok(())
}

/// Histogram structure per metric point, as the reference parser checks it.
fn check_histogram(family: &Family<'_>) -> Result<(), String> {
    let name = family.name.as_ref();
    let mut point: Option<(u64, Option<i64>)> = None;
    let mut state = PointState::default();
    for s in &family.samples {
        let suffix = s.name.get(name.len()..).unwrap_or("");
        if suffix.is_empty() {
            continue;
        }
        let key = (group_key(family, s), s.timestamp_ms);
        if point != Some(key) {
            if point.is_some() {
                state.check(name)?;
            }
            state = PointState::default();
        }
        point = Some(key);
        match suffix {
            "_bucket" => {
                let le = label(&s.labels, "le")
                    .and_then(parse_go_float)
                    .unwrap_or(f64::NAN);
                if le < 0.0 {
                    state.negative_buckets = true;
                }
                if state.bucket.is_some_and(|prev| le <= prev) {
                    return Err(format!("buckets of \"{name}\" are not sorted by le"));
                }
                if s.value < state.value {
                    return Err(format!("bucket counts of \"{name}\" are not cumulative"));
                }
                state.bucket = Some(le);
                state.value = s.value;
            }
            "_count" | "_gcount" => state.count = Some(s.value),
            "_sum" => state.has_sum = true,
            "_gsum" => {
                state.has_gsum = true;
                state.negative_gsum |= s.value < 0.0;
            }
            _ => {}
        }
    }
    if point.is_some() {
        state.check(name)?;
    }
    Ok(())
}

#[derive(Default)]
struct PointState {
    bucket: Option<f64>,
    value: f64,
    count: Option<f64>,
    has_sum: bool,
    has_gsum: bool,
    negative_buckets: bool,
    negative_gsum: bool,
}

impl PointState {
    fn check(&self, name: &str) -> Result<(), String> {
        if self.bucket != Some(f64::INFINITY) {
            return Err(format!("histogram \"{name}\" has no le=\"+Inf\" bucket"));
        }
        if self.count.is_some_and(|c| c != self.value) {
            return Err(format!("_count of \"{name}\" differs from its +Inf bucket"));
        }
        if (self.has_sum || self.has_gsum) && self.count.is_none() {
            return Err(format!("histogram \"{name}\" has a sum but no count"));
        }
        if !(self.has_sum || self.has_gsum) && self.count.is_some() {
            return Err(format!("histogram \"{name}\" has a count but no sum"));
        }
        if self.negative_buckets && self.has_sum {
            return Err(format!(
                "histogram \"{name}\" has negative buckets, so it cannot have a _sum"
            ));
        }
        if !self.negative_buckets && self.negative_gsum {
            return Err(format!(
                "gauge histogram \"{name}\" has a negative _gsum without negative buckets"
            ));
        }
        Ok(())
    }
}
