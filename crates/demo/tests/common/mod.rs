//! Shared helpers of the integration tests: an in-process server on an ephemeral port, scraping,
//! sample lookup and a strict OpenMetrics shape check (independent of the project's parser).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    dead_code
)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Duration;

use signalboard_demo::http_client::{self, HttpResponse};
use signalboard_demo::{serve_with_shutdown, Config};

pub const OPENMETRICS_ACCEPT: &str =
    "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5";

/// A config for deterministic tests: no load generator, no background errors, fixed seed.
pub fn quiet_config() -> Config {
    Config {
        load: false,
        baseline_error_rate: 0.0,
        seed: Some(1),
        ..Config::default()
    }
}

/// Starts the service in-process; it lives until the test's runtime shuts down.
pub async fn start(config: Config) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(serve_with_shutdown(
        listener,
        config,
        std::future::pending(),
    ));
    addr
}

pub async fn get(addr: SocketAddr, path: &str) -> HttpResponse {
    tokio::time::timeout(Duration::from_secs(20), http_client::get(addr, path))
        .await
        .unwrap_or_else(|_| panic!("GET {path} timed out"))
        .unwrap_or_else(|e| panic!("GET {path}: {e}"))
}

pub async fn post(addr: SocketAddr, path: &str, body: &str) -> HttpResponse {
    tokio::time::timeout(
        Duration::from_secs(20),
        http_client::post_json(addr, path, body),
    )
    .await
    .unwrap_or_else(|_| panic!("POST {path} timed out"))
    .unwrap_or_else(|e| panic!("POST {path}: {e}"))
}

/// Scrapes `/metrics` asking for OpenMetrics.
pub async fn scrape(addr: SocketAddr) -> String {
    let response = http_client::send(
        addr,
        "GET",
        "/metrics",
        &[("Accept", OPENMETRICS_ACCEPT)],
        None,
    )
    .await
    .unwrap();
    assert_eq!(response.status, 200);
    response.body
}

type Labels = Vec<(String, String)>;
/// A series of a family: (family name, labels without `le`, sorted).
type SeriesKey = (String, Labels);

/// One parsed sample line.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub name: String,
    pub labels: Vec<(String, String)>,
    pub value: f64,
}

impl Sample {
    pub fn label(&self, name: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Every sample of an exposition (comment lines skipped).
pub fn samples(text: &str) -> Vec<Sample> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .map(|line| parse_sample(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

/// The value of the sample with exactly this name and label set (any label order).
pub fn value(text: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    let mut wanted: Vec<(String, String)> = labels
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    wanted.sort();
    samples(text).into_iter().find_map(|sample| {
        let mut have = sample.labels.clone();
        have.sort();
        (sample.name == name && have == wanted).then_some(sample.value)
    })
}

/// Like [`value`] but a missing series counts as 0 (a counter never incremented).
pub fn value_or_zero(text: &str, name: &str, labels: &[(&str, &str)]) -> f64 {
    value(text, name, labels).unwrap_or(0.0)
}

/// Parses `name{k="v",...} value [timestamp]`, honouring quotes and escapes in label values.
pub fn parse_sample(line: &str) -> Result<Sample, String> {
    let name_end = line.find(['{', ' ']).ok_or("no value")?;
    let name = &line[..name_end];
    if !is_metric_name(name) {
        return Err(format!("bad metric name `{name}`"));
    }
    let mut rest = &line[name_end..];
    let mut labels = Vec::new();
    if let Some(inner) = rest.strip_prefix('{') {
        let (parsed, after) = parse_labels(inner)?;
        labels = parsed;
        rest = after;
    }
    let rest = rest.strip_prefix(' ').ok_or("missing space before value")?;
    let mut parts = rest.split(' ');
    let value = parse_value(parts.next().ok_or("missing value")?)?;
    if let Some(timestamp) = parts.next() {
        timestamp
            .parse::<f64>()
            .map_err(|_| format!("bad timestamp `{timestamp}`"))?;
    }
    if parts.next().is_some() {
        return Err("trailing text".to_string());
    }
    Ok(Sample {
        name: name.to_string(),
        labels,
        value,
    })
}

fn parse_labels(mut rest: &str) -> Result<(Labels, &str), String> {
    let mut labels = Vec::new();
    loop {
        if let Some(after) = rest.strip_prefix('}') {
            return Ok((labels, after));
        }
        let eq = rest.find('=').ok_or("label without =")?;
        let key = &rest[..eq];
        if !is_label_name(key) {
            return Err(format!("bad label name `{key}`"));
        }
        let mut chars = rest[eq + 1..].char_indices();
        if chars.next().map(|(_, c)| c) != Some('"') {
            return Err("label value not quoted".to_string());
        }
        let mut value = String::new();
        let mut end = None;
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => match chars.next().map(|(_, c)| c) {
                    Some('n') => value.push('\n'),
                    Some('\\') => value.push('\\'),
                    Some('"') => value.push('"'),
                    other => return Err(format!("bad escape {other:?}")),
                },
                '"' => {
                    end = Some(eq + 1 + i + 1);
                    break;
                }
                '\n' => return Err("raw newline in label value".to_string()),
                c => value.push(c),
            }
        }
        let end = end.ok_or("unterminated label value")?;
        labels.push((key.to_string(), value));
        rest = &rest[end..];
        if let Some(after) = rest.strip_prefix(',') {
            rest = after;
        } else if !rest.starts_with('}') {
            return Err("expected , or } after label".to_string());
        }
    }
}

fn parse_value(raw: &str) -> Result<f64, String> {
    match raw {
        "+Inf" => Ok(f64::INFINITY),
        "-Inf" => Ok(f64::NEG_INFINITY),
        "NaN" => Ok(f64::NAN),
        _ if raw
            .chars()
            .all(|c| c.is_ascii_digit() || "+-.eE".contains(c)) =>
        {
            raw.parse().map_err(|_| format!("bad value `{raw}`"))
        }
        _ => Err(format!("bad value `{raw}`")),
    }
}

pub fn is_metric_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

pub fn is_label_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Sample-name suffixes allowed for each OpenMetrics family type.
fn allowed_suffixes(kind: &str) -> &'static [&'static str] {
    match kind {
        "counter" => &["_total", "_created"],
        "histogram" => &["_bucket", "_sum", "_count", "_created"],
        "summary" => &["", "_sum", "_count", "_created"],
        "info" => &["_info"],
        _ => &[""],
    }
}

/// Strict OpenMetrics 1.0 shape check: every line is a valid descriptor or sample, each sample
/// belongs to the family declared just before it with an allowed suffix, families are not
/// repeated, no sample (name + label set) appears twice, histograms are cumulative with a `+Inf` bucket equal to `_count`, and the text ends
/// with exactly one `# EOF`.
pub fn check_openmetrics(text: &str) -> Result<(), String> {
    let body = text
        .strip_suffix("# EOF\n")
        .ok_or("does not end with `# EOF\\n`")?;
    let mut family: Option<(String, String)> = None;
    let mut seen = std::collections::HashSet::new();
    let mut seen_samples = std::collections::HashSet::new();
    let mut histograms: HashMap<SeriesKey, Vec<(f64, f64)>> = HashMap::new();
    let mut counts: HashMap<SeriesKey, f64> = HashMap::new();
    for (number, line) in body.lines().enumerate() {
        let at = |msg: String| format!("line {}: {msg}: `{line}`", number + 1);
        if let Some(rest) = line.strip_prefix("# ") {
            let mut parts = rest.splitn(3, ' ');
            let (keyword, name) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            let arg = parts.next();
            if !is_metric_name(name) {
                return Err(at(format!("bad family name `{name}`")));
            }
            match keyword {
                "TYPE" => {
                    let kind = arg.unwrap_or("");
                    let known = [
                        "counter",
                        "gauge",
                        "histogram",
                        "gaugehistogram",
                        "summary",
                        "info",
                        "stateset",
                        "unknown",
                    ];
                    if !known.contains(&kind) {
                        return Err(at(format!("unknown type `{kind}`")));
                    }
                    if !seen.insert(name.to_string()) {
                        return Err(at("family declared twice".to_string()));
                    }
                    family = Some((name.to_string(), kind.to_string()));
                }
                "HELP" => {}
                "UNIT" => {
                    let unit = arg.unwrap_or("");
                    if !name.ends_with(&format!("_{unit}")) {
                        return Err(at("unit is not the name's suffix".to_string()));
                    }
                }
                _ => return Err(at(format!("unknown comment keyword `{keyword}`"))),
            }
            continue;
        }
        let sample = parse_sample(line).map_err(at)?;
        let mut identity = sample.labels.clone();
        identity.sort();
        if !seen_samples.insert((sample.name.clone(), identity)) {
            return Err(at("duplicate sample".to_string()));
        }
        let (family_name, kind) = family
            .as_ref()
            .ok_or_else(|| at("sample before any TYPE".to_string()))?;
        let suffix = sample
            .name
            .strip_prefix(family_name.as_str())
            .ok_or_else(|| at(format!("sample outside family `{family_name}`")))?;
        if !allowed_suffixes(kind).contains(&suffix) {
            return Err(at(format!("suffix `{suffix}` not allowed for a {kind}")));
        }
        if kind == "counter" && suffix == "_total" && (sample.value.is_nan() || sample.value < 0.0)
        {
            return Err(at("negative counter".to_string()));
        }
        let mut series: Vec<(String, String)> = sample
            .labels
            .iter()
            .filter(|(k, _)| k != "le")
            .cloned()
            .collect();
        series.sort();
        let key = (family_name.clone(), series);
        match (kind.as_str(), suffix) {
            ("histogram", "_bucket") => {
                let le = sample
                    .label("le")
                    .ok_or_else(|| at("bucket without le".to_string()))?;
                let bound = parse_value(le).map_err(at)?;
                histograms
                    .entry(key)
                    .or_default()
                    .push((bound, sample.value));
            }
            ("histogram", "_count") => {
                counts.insert(key, sample.value);
            }
            _ => {}
        }
    }
    if text.matches("# EOF").count() != 1 {
        return Err("more than one # EOF".to_string());
    }
    for (key, buckets) in &histograms {
        let bounds_ascending = buckets.windows(2).all(|w| w[0].0 < w[1].0);
        let cumulative = buckets.windows(2).all(|w| w[0].1 <= w[1].1);
        let last = buckets.last().copied().unwrap_or((0.0, 0.0));
        if !bounds_ascending || !cumulative || last.0 != f64::INFINITY {
            return Err(format!(
                "histogram {key:?}: buckets not ascending/cumulative/+Inf-terminated"
            ));
        }
        if counts.get(key) != Some(&last.1) {
            return Err(format!(
                "histogram {key:?}: _count differs from the +Inf bucket"
            ));
        }
    }
    Ok(())
}

/// Polls `/metrics` until `predicate` holds on the scrape, or fails after `limit`.
pub async fn wait_for_metrics(
    addr: SocketAddr,
    limit: Duration,
    predicate: impl Fn(&str) -> bool,
) -> String {
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        let text = scrape(addr).await;
        if predicate(&text) {
            return text;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "condition not met within {limit:?}; last scrape:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
