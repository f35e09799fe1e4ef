//! The Prometheus peer of `bench query --prometheus`: writes the workload as OpenMetrics,
//! runs `scripts/bench-prometheus.sh` (promtool backfill + a real `prometheus` server + the
//! same range queries with `stats=all`), and reads back Prometheus's own evaluation times and
//! results.
//!
//! Contract: `run_peer` returns, per query name, the median `evalTotalTime` and
//! `innerEvalTime` (ms) of the timed runs and the last response's matrix; `agreement`
//! compares that matrix with ours (same label sets, same timestamps, values equal within a
//! relative 1e-9, NaN equal to NaN). The temporary directory (the OpenMetrics file is
//! hundreds of MB at full size) is removed afterwards.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value as Json;
use signalboard_core::promql::{benchdata, Value};

/// Relative tolerance of the agreement check.
pub const TOLERANCE: f64 = 1e-9;

/// What the Prometheus server reported for one query.
pub struct PeerRun {
    pub eval_total_ms: f64,
    pub inner_eval_ms: f64,
    pub result: Matrix,
}

/// Series (sorted label pairs, `__name__` included when present) to `(t_ms, value)` points.
pub type Matrix = BTreeMap<Vec<(String, String)>, Vec<(i64, f64)>>;

/// The workload and the range queries to run.
pub struct PeerSpec<'a> {
    pub instances: usize,
    pub endpoints: usize,
    pub hours: i64,
    pub repeat: usize,
    pub start_ms: i64,
    pub end_ms: i64,
    pub step_ms: i64,
    pub queries: &'a [(&'a str, &'a str)],
    pub script: Option<PathBuf>,
}

/// Runs the queries on Prometheus over the same workload; `(name, run)` in query order.
pub fn run_peer(spec: &PeerSpec<'_>) -> Result<Vec<(String, PeerRun)>, String> {
    let dir = std::env::temp_dir().join(format!("signalboard-bench-prom-{}", std::process::id()));
    let result = run_in(spec, &dir);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn run_in(spec: &PeerSpec<'_>, dir: &Path) -> Result<Vec<(String, PeerRun)>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let om = dir.join("workload.om");
    write_workload(&om, spec)?;
    let port = free_port()?;
    let script = spec.script.clone().unwrap_or_else(default_script);
    let mut cmd = Command::new(&script);
    cmd.arg(&om)
        .arg(dir)
        .arg(port.to_string())
        .arg(spec.repeat.max(1).to_string())
        .arg(seconds(spec.start_ms))
        .arg(seconds(spec.end_ms))
        .arg(seconds(spec.step_ms));
    for (name, q) in spec.queries {
        cmd.arg(format!("{name}={q}"));
    }
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
    if !out.status.success() {
        return Err(format!(
            "{} failed ({}): {}",
            script.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    spec.queries
        .iter()
        .map(|(name, _)| {
            let (eval_total_ms, inner_eval_ms) = median_timings(&stdout, name)?;
            let result = read_matrix(&dir.join(format!("{name}.1.json")))?;
            let run = PeerRun {
                eval_total_ms,
                inner_eval_ms,
                result,
            };
            Ok((name.to_string(), run))
        })
        .collect()
}

fn write_workload(path: &Path, spec: &PeerSpec<'_>) -> Result<(), String> {
    let file = File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut w = BufWriter::new(file);
    benchdata::write_openmetrics(&mut w, spec.instances, spec.endpoints, spec.hours)
        .and_then(|()| std::io::Write::flush(&mut w))
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn default_script() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scripts/bench-prometheus.sh"
    ))
}

/// A port that was free a moment ago.
fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

/// Milliseconds as the API's decimal seconds.
fn seconds(ms: i64) -> String {
    format!("{}.{:03}", ms.div_euclid(1000), ms.rem_euclid(1000))
}

/// Medians (ms) of the `NAME run=N evalTotalTime=S innerEvalTime=S` lines of `name`.
fn median_timings(stdout: &str, name: &str) -> Result<(f64, f64), String> {
    let mut total = Vec::new();
    let mut inner = Vec::new();
    for line in stdout.lines() {
        let mut words = line.split_whitespace();
        if words.next() != Some(name) {
            continue;
        }
        for w in words {
            let field = |key: &str| w.strip_prefix(key).and_then(|v| v.parse::<f64>().ok());
            if let Some(s) = field("evalTotalTime=") {
                total.push(s * 1e3);
            } else if let Some(s) = field("innerEvalTime=") {
                inner.push(s * 1e3);
            }
        }
    }
    match (median(total), median(inner)) {
        (Some(t), Some(i)) => Ok((t, i)),
        _ => Err(format!("no timings for {name} in the script's output")),
    }
}

fn median(mut xs: Vec<f64>) -> Option<f64> {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs.get(xs.len() / 2).copied()
}

/// The matrix of a saved `/api/v1/query_range` response.
fn read_matrix(path: &Path) -> Result<Matrix, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let json: Json = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let bad = || format!("{}: not a matrix response", path.display());
    let result = json
        .pointer("/data/result")
        .and_then(Json::as_array)
        .ok_or_else(bad)?;
    let mut out = Matrix::new();
    for series in result {
        let labels = series
            .get("metric")
            .and_then(Json::as_object)
            .ok_or_else(bad)?
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
            .collect();
        let points = series
            .get("values")
            .and_then(Json::as_array)
            .ok_or_else(bad)?
            .iter()
            .map(|p| parse_point(p).ok_or_else(bad))
            .collect::<Result<Vec<_>, _>>()?;
        out.insert(labels, points);
    }
    Ok(out)
}

/// `[1234.5, "0.25"]` as `(ms, value)`; values as Go formats them (`NaN`, `+Inf`).
fn parse_point(p: &Json) -> Option<(i64, f64)> {
    let t = p.get(0)?.as_f64()?;
    let v = match p.get(1)?.as_str()? {
        "NaN" => f64::NAN,
        "+Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        s => s.parse().ok()?,
    };
    Some(((t * 1e3).round() as i64, v))
}

/// Our result in the peer's shape.
pub fn matrix_of(value: &Value) -> Matrix {
    let mut out = Matrix::new();
    if let Value::Matrix(series) = value {
        for s in series {
            let labels = s
                .labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            out.insert(labels, s.samples.clone());
        }
    }
    out
}

/// Outcome of comparing two matrices.
#[derive(Debug, PartialEq)]
pub struct Agreement {
    /// Points compared.
    pub points: usize,
    /// Largest relative difference among them (0 when all equal).
    pub max_rel_diff: f64,
    /// First difference beyond [`TOLERANCE`] or in shape, described.
    pub first_mismatch: Option<String>,
}

/// Compares `ours` with `peer` point by point.
pub fn agreement(ours: &Matrix, peer: &Matrix) -> Agreement {
    let mut a = Agreement {
        points: 0,
        max_rel_diff: 0.0,
        first_mismatch: None,
    };
    let note = |a: &mut Agreement, msg: String| {
        a.first_mismatch.get_or_insert(msg);
    };
    for labels in peer.keys().filter(|k| !ours.contains_key(*k)) {
        note(
            &mut a,
            format!("series {labels:?} only in Prometheus's result"),
        );
    }
    for (labels, points) in ours {
        let Some(theirs) = peer.get(labels) else {
            note(&mut a, format!("series {labels:?} only in ours"));
            continue;
        };
        if points.len() != theirs.len() {
            note(
                &mut a,
                format!(
                    "series {labels:?}: {} points here, {} in Prometheus",
                    points.len(),
                    theirs.len()
                ),
            );
        }
        for (&(t, x), &(u, y)) in points.iter().zip(theirs) {
            a.points += 1;
            let diff = relative_diff(x, y);
            a.max_rel_diff = a.max_rel_diff.max(diff);
            if t != u || diff > TOLERANCE {
                note(
                    &mut a,
                    format!("series {labels:?}: ({t}, {x}) here, ({u}, {y}) in Prometheus"),
                );
            }
        }
    }
    a
}

/// `|x - y| / max(|x|, |y|)`; 0 for equal values (NaN equals NaN), infinite for NaN vs number.
fn relative_diff(x: f64, y: f64) -> f64 {
    if x == y || (x.is_nan() && y.is_nan()) {
        return 0.0;
    }
    let scale = x.abs().max(y.abs());
    if !scale.is_finite() || x.is_nan() || y.is_nan() {
        return f64::INFINITY;
    }
    (x - y).abs() / scale
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn m(points: &[(i64, f64)]) -> Matrix {
        Matrix::from([(vec![("a".into(), "1".into())], points.to_vec())])
    }

    #[test]
    fn agreement_tolerates_rounding_not_differences() {
        let ours = m(&[(0, 1.0), (15_000, f64::NAN)]);
        let close = agreement(&ours, &m(&[(0, 1.0 + 1e-12), (15_000, f64::NAN)]));
        assert_eq!(close.points, 2);
        assert!(close.first_mismatch.is_none(), "{close:?}");
        assert!(close.max_rel_diff > 0.0 && close.max_rel_diff < 1e-11);
        let far = agreement(&ours, &m(&[(0, 1.001), (15_000, f64::NAN)]));
        assert!(far.first_mismatch.is_some());
        let missing = agreement(&ours, &Matrix::new());
        assert!(missing.first_mismatch.unwrap().contains("only in ours"));
    }

    #[test]
    fn reads_prometheus_points_and_timings() {
        let p: Json = serde_json::from_str(r#"[21600.5, "+Inf"]"#).unwrap();
        assert_eq!(parse_point(&p), Some((21_600_500, f64::INFINITY)));
        let out = "p99 run=1 evalTotalTime=0.03 innerEvalTime=0.02\n\
                   p99 run=2 evalTotalTime=0.01 innerEvalTime=0.005\n\
                   p99 run=3 evalTotalTime=0.02 innerEvalTime=0.01\n";
        let (total, inner) = median_timings(out, "p99").unwrap();
        assert!((total - 20.0).abs() < 1e-9 && (inner - 10.0).abs() < 1e-9);
        assert!(median_timings(out, "error-ratio").is_err());
        assert_eq!(seconds(21_600_000), "21600.000");
    }
}
