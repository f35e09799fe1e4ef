//! `signalboard-cli eval --at TIME [--data FILE@TIME ...] 'EXPR'`
//!
//! Contract: loads each exposition snapshot (format sniffed: `# EOF` ⇒ OpenMetrics) as one
//! scrape of a single target (`job`/`instance` from `--job`/`--instance`) at its scrape time,
//! in time order, through the same parser and store ingestion the app uses (staleness markers
//! and the synthetic `up`/`scrape_*` series included); then evaluates EXPR at `--at` and prints
//! one `labels value` line per result element (or the Prometheus API `data` JSON with
//! `--json`). TIME is RFC 3339 (`2026-01-02T03:04:05Z`) or Unix seconds. Exit 0 ok, 1 query
//! error, 2 usage/IO/parse error of a snapshot.

use std::process::ExitCode;

use signalboard_core::exposition::{self, Format};
use signalboard_core::promql::{self, format_value, EngineOptions, Value};
use signalboard_core::store::{Store, TargetLabels};

#[derive(clap::Args)]
pub struct Args {
    /// Evaluation time: RFC 3339 or Unix seconds.
    #[arg(long)]
    at: String,
    /// An exposition snapshot and its scrape time, `FILE@TIME` (repeatable).
    #[arg(long = "data", value_name = "FILE@TIME")]
    data: Vec<String>,
    /// `job` label of the snapshot target.
    #[arg(long, default_value = "eval")]
    job: String,
    /// `instance` label of the snapshot target.
    #[arg(long, default_value = "localhost")]
    instance: String,
    /// Print the Prometheus API `data` object as JSON.
    #[arg(long)]
    json: bool,
    /// The PromQL expression.
    expr: String,
}

pub fn run(args: Args) -> ExitCode {
    let at_ms = match parse_time_ms(&args.at) {
        Ok(t) => t,
        Err(e) => return usage(&e),
    };
    let target = TargetLabels {
        job: args.job.clone(),
        instance: args.instance.clone(),
        extra: Vec::new(),
        honor_labels: false,
    };
    let store = match load_snapshots(&args.data, &target) {
        Ok(s) => s,
        Err(e) => return usage(&e),
    };
    match promql::instant_query(&store, &args.expr, at_ms, &EngineOptions::default()) {
        Ok(v) if args.json => {
            outln!("{}", v.to_prometheus_json());
            ExitCode::SUCCESS
        }
        Ok(v) => {
            print_value(&v);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn usage(msg: &str) -> ExitCode {
    eprintln!("signalboard-cli eval: {msg}");
    ExitCode::from(2)
}

/// Loads `FILE@TIME` snapshots in time order as scrapes of `target`.
fn load_snapshots(specs: &[String], target: &TargetLabels) -> Result<Store, String> {
    let mut snaps: Vec<(i64, &str)> = Vec::new();
    for spec in specs {
        let (file, time) = spec
            .rsplit_once('@')
            .ok_or_else(|| format!("--data {spec:?}: expected FILE@TIME"))?;
        snaps.push((parse_time_ms(time)?, file));
    }
    snaps.sort_by_key(|(t, _)| *t);
    let mut store = Store::new();
    for (t, file) in snaps {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
        let exp =
            exposition::parse(&text, Format::sniff(&text)).map_err(|e| format!("{file}:{e}"))?;
        let report = store.ingest_scrape(target, t, &exp);
        for (name, v) in [
            ("up", 1.0),
            ("scrape_samples_scraped", report.samples as f64),
            ("scrape_series_added", report.series_added as f64),
        ] {
            let labels = target.labels().with("__name__", name);
            store
                .append(&labels, t, v)
                .map_err(|e| format!("{file}: {e}"))?;
        }
    }
    Ok(store)
}

fn print_value(v: &Value) {
    match v {
        Value::Scalar { v, .. } => outln!("scalar: {}", format_value(*v)),
        Value::String { v, .. } => outln!("string: {v}"),
        Value::Vector(samples) => {
            for s in samples {
                outln!("{} {}", s.labels, format_value(s.v));
            }
        }
        Value::Matrix(series) => {
            for s in series {
                let points: Vec<String> = s
                    .samples
                    .iter()
                    .map(|(t, v)| format!("{} @{}", format_value(*v), *t as f64 / 1000.0))
                    .collect();
                outln!("{} [{}]", s.labels, points.join(", "));
            }
        }
    }
}

/// Parses RFC 3339 (`2026-01-02T03:04:05.5Z`, `…+02:00`) or Unix seconds into milliseconds.
pub fn parse_time_ms(s: &str) -> Result<i64, String> {
    if let Ok(secs) = s.parse::<f64>() {
        if secs.is_finite() {
            return Ok((secs * 1000.0).round() as i64);
        }
    }
    parse_rfc3339_ms(s).ok_or_else(|| format!("invalid time {s:?}: use RFC 3339 or Unix seconds"))
}

fn parse_rfc3339_ms(s: &str) -> Option<i64> {
    let (date, rest) = s.split_once(['T', 't', ' '])?;
    let mut d = date.splitn(3, '-');
    let year: i64 = d.next()?.parse().ok()?;
    let month: i64 = d.next()?.parse().ok()?;
    let day: i64 = d.next()?.parse().ok()?;
    let zone_at = rest.find(['Z', 'z', '+', '-'])?;
    let (clock, zone) = rest.split_at(zone_at);
    let mut c = clock.splitn(3, ':');
    let hour: i64 = c.next()?.parse().ok()?;
    let minute: i64 = c.next()?.parse().ok()?;
    let sec: f64 = c.next()?.parse().ok()?;
    let offset_min = match zone {
        "Z" | "z" => 0,
        z => {
            let sign = if z.starts_with('-') { -1 } else { 1 };
            let (h, m) = z.get(1..)?.split_once(':')?;
            sign * (h.parse::<i64>().ok()? * 60 + m.parse::<i64>().ok()?)
        }
    };
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || !(0.0..61.0).contains(&sec)
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 - offset_min * 60;
    Some(secs * 1000 + (sec * 1000.0).round() as i64)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
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

    #[test]
    fn times_parse_as_rfc3339_or_unix_seconds() {
        assert_eq!(parse_time_ms("15").unwrap(), 15_000);
        assert_eq!(parse_time_ms("1.5").unwrap(), 1_500);
        assert_eq!(parse_time_ms("1970-01-01T00:01:00Z").unwrap(), 60_000);
        assert_eq!(
            parse_time_ms("2026-11-21T23:50:12Z").unwrap(),
            1_795_305_012_000
        );
        assert_eq!(parse_time_ms("1970-01-01T01:00:00.250+01:00").unwrap(), 250);
        assert!(parse_time_ms("yesterday").is_err());
    }
}
