//! The parsed exposition: formats, limits and the typed families/samples the parser yields.
//!
//! Contract: every string borrows from the input text unless unescaping or `le`/`quantile`
//! normalisation forced an owned copy. Timestamps are always milliseconds since the epoch.

use std::borrow::Cow;
use std::collections::HashSet;

/// Which text format an exposition is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Prometheus text format 0.0.4 (and the 1.0.0 quoted-name extension).
    Prometheus,
    /// OpenMetrics 1.0 text format.
    OpenMetrics,
}

impl Format {
    /// Parser selection by response `Content-Type`, as Prometheus does: OpenMetrics iff the
    /// media type is `application/openmetrics-text`; anything else is read as Prometheus text.
    pub fn from_content_type(content_type: &str) -> Format {
        let media = content_type.split(';').next().unwrap_or("").trim();
        if media.eq_ignore_ascii_case("application/openmetrics-text") {
            Format::OpenMetrics
        } else {
            Format::Prometheus
        }
    }

    /// Guess the format of a body whose Content-Type is unknown: OpenMetrics ends with `# EOF`.
    pub fn sniff(text: &str) -> Format {
        let trimmed = text.strip_suffix('\n').unwrap_or(text);
        let last_line_is_eof = trimmed
            .strip_suffix("# EOF")
            .is_some_and(|before| before.is_empty() || before.ends_with('\n'));
        if last_line_is_eof {
            Format::OpenMetrics
        } else {
            Format::Prometheus
        }
    }
}

/// The `Accept` header Prometheus 3.x sends when scraping (default scrape protocols).
pub const ACCEPT_HEADER: &str = "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";

/// A shorter `Accept` for browsers: under 128 bytes, so it stays a CORS-safelisted header.
pub const BROWSER_ACCEPT_HEADER: &str =
    "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5";

/// Resource limits; exceeding one is a parse error, never an out-of-memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted input, in bytes.
    pub max_bytes: usize,
    /// Most samples accepted in one exposition.
    pub max_samples: usize,
    /// Longest accepted line, in bytes (newline excluded).
    pub max_line_len: usize,
    /// Most labels on one sample (or exemplar).
    pub max_labels: usize,
}

impl Default for Limits {
    /// Generous: far above real exporters (cAdvisor tops out near 160 MB).
    fn default() -> Self {
        Limits {
            max_bytes: 256 << 20,
            max_samples: 10_000_000,
            max_line_len: 1 << 20,
            max_labels: 1024,
        }
    }
}

/// A metric family's declared type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MetricType {
    Counter,
    Gauge,
    Histogram,
    Summary,
    /// Prometheus text `untyped` (and samples without a TYPE line).
    Untyped,
    Info,
    StateSet,
    GaugeHistogram,
    /// OpenMetrics `unknown` (and OpenMetrics samples without a TYPE line).
    Unknown,
}

impl MetricType {
    /// The keyword as written in a TYPE line.
    pub fn as_str(self) -> &'static str {
        match self {
            MetricType::Counter => "counter",
            MetricType::Gauge => "gauge",
            MetricType::Histogram => "histogram",
            MetricType::Summary => "summary",
            MetricType::Untyped => "untyped",
            MetricType::Info => "info",
            MetricType::StateSet => "stateset",
            MetricType::GaugeHistogram => "gaugehistogram",
            MetricType::Unknown => "unknown",
        }
    }
}

/// A label pair: (name, value), unescaped.
pub type Label<'a> = (Cow<'a, str>, Cow<'a, str>);

/// One metric family: metadata plus its samples in input order.
#[derive(Debug, Clone, PartialEq)]
pub struct Family<'a> {
    /// Family name (for OpenMetrics without suffixes: `foo` for `foo_total`).
    pub name: Cow<'a, str>,
    pub kind: MetricType,
    pub help: Option<Cow<'a, str>>,
    pub unit: Option<Cow<'a, str>>,
    pub samples: Vec<Sample<'a>>,
}

/// One sample line.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample<'a> {
    /// Full series name, e.g. `http_request_duration_seconds_bucket`.
    pub name: Cow<'a, str>,
    /// Labels in input order, unescaped; `le`/`quantile` normalised like Prometheus ≥ 3.0.
    pub labels: Vec<Label<'a>>,
    pub value: f64,
    /// Milliseconds since the epoch (OpenMetrics seconds are converted, truncating).
    pub timestamp_ms: Option<i64>,
    pub exemplar: Option<Exemplar<'a>>,
}

impl Sample<'_> {
    /// The value of label `name`, if present.
    pub fn label(&self, name: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_ref())
    }
}

/// An OpenMetrics exemplar attached to a sample.
#[derive(Debug, Clone, PartialEq)]
pub struct Exemplar<'a> {
    pub labels: Vec<Label<'a>>,
    pub value: f64,
    pub timestamp_ms: Option<i64>,
}

/// A whole parsed exposition.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Exposition<'a> {
    pub families: Vec<Family<'a>>,
}

impl Exposition<'_> {
    /// Number of sample lines.
    pub fn sample_count(&self) -> usize {
        self.families.iter().map(|f| f.samples.len()).sum()
    }

    /// Number of distinct series (name plus label set, label order ignored).
    pub fn series_count(&self) -> usize {
        let mut seen: HashSet<(&str, Vec<(&str, &str)>)> = HashSet::new();
        for sample in self.families.iter().flat_map(|f| f.samples.iter()) {
            let mut labels: Vec<(&str, &str)> = sample
                .labels
                .iter()
                .map(|(k, v)| (k.as_ref(), v.as_ref()))
                .collect();
            labels.sort_unstable();
            seen.insert((sample.name.as_ref(), labels));
        }
        seen.len()
    }

    /// Iterate over every sample of every family, in input order per family.
    pub fn samples(&self) -> impl Iterator<Item = &Sample<'_>> {
        self.families.iter().flat_map(|f| f.samples.iter())
    }
}
