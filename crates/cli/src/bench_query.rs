//! `signalboard-cli bench query [--json] [--repeat N] [--hours H] [--prometheus]
//! [--export-openmetrics FILE]`: range-query latency of the issue-5 dashboard queries
//! (12 instances x 30 endpoints x 12 buckets, 15 s scrapes, the last 1 h at 15 s step) on the
//! native engine. Prints the median and best of N runs in ms, as a table or as DESIGN.md
//! benchmark JSON lines.
//!
//! With `--prometheus`, the same workload runs on a real Prometheus server
//! (`bench_prometheus`): its median `evalTotalTime` is the peer value and `ratio` is
//! Prometheus's time over ours (above 1 = we are faster; ours is measured before and after the
//! peer, the better median kept); the results of both engines are
//! compared point by point and any difference beyond a relative 1e-9 fails the command
//! (exit 1). `--export-openmetrics FILE` only writes the workload as OpenMetrics text.

use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use serde_json::json;
use signalboard_core::promql::benchdata::{self, ERROR_RATIO_QUERY, P99_QUERY};
use signalboard_core::promql::{range_query, EngineOptions, Value};

use crate::bench_prometheus::{self as peer, PeerRun, PeerSpec};

#[derive(Parser)]
#[command(name = "signalboard-cli bench query")]
struct QueryArgs {
    /// One JSON object per measurement instead of a table.
    #[arg(long)]
    json: bool,
    /// Timed runs per query.
    #[arg(long, default_value_t = 10)]
    repeat: usize,
    /// Hours of history in the store.
    #[arg(long, default_value_t = 6)]
    hours: i64,
    /// Instances in the workload.
    #[arg(long, default_value_t = 12)]
    instances: usize,
    /// Endpoints per instance in the workload.
    #[arg(long, default_value_t = 30)]
    endpoints: usize,
    /// Also run the queries on a real Prometheus server (needs `prometheus`, `promtool`, `curl`).
    #[arg(long)]
    prometheus: bool,
    /// The Prometheus runner script (default: the repository's scripts/bench-prometheus.sh).
    #[arg(long)]
    prometheus_script: Option<PathBuf>,
    /// Write the workload as OpenMetrics text to FILE and exit.
    #[arg(long, value_name = "FILE")]
    export_openmetrics: Option<PathBuf>,
}

const QUERIES: [(&str, &str); 2] = [("p99", P99_QUERY), ("error-ratio", ERROR_RATIO_QUERY)];

/// Our timings of one query.
struct Ours {
    median_ms: f64,
    best_ms: f64,
    median_cpu_ms: f64,
    result: Value,
}

pub fn run(words: Vec<String>) -> ExitCode {
    let args = match QueryArgs::try_parse_from(std::iter::once("query".to_string()).chain(words)) {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    if let Some(path) = &args.export_openmetrics {
        return match export(&args, path) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                ExitCode::from(1)
            }
        };
    }
    match bench(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("bench query: {e}");
            ExitCode::from(1)
        }
    }
}

fn export(args: &QueryArgs, path: &PathBuf) -> std::io::Result<()> {
    let mut w = BufWriter::new(File::create(path)?);
    benchdata::write_openmetrics(&mut w, args.instances, args.endpoints, args.hours)?;
    std::io::Write::flush(&mut w)
}

/// Runs the benchmark; false when the engines disagree.
fn bench(args: &QueryArgs) -> Result<bool, String> {
    let t = Instant::now();
    let store = benchdata::workload(args.instances, args.endpoints, args.hours);
    let stats = store.stats();
    if !args.json {
        println!(
            "store: {} series, {} samples, built in {:.0} ms",
            stats.series,
            stats.samples,
            t.elapsed().as_secs_f64() * 1e3
        );
    }
    let end = args.hours * 3_600_000;
    let start = end - 3_600_000;
    let mut ours = Vec::new();
    for (name, q) in QUERIES {
        ours.push(measure(&store, name, q, (start, end), args.repeat)?);
    }
    let peers = if args.prometheus {
        let spec = PeerSpec {
            instances: args.instances,
            endpoints: args.endpoints,
            hours: args.hours,
            repeat: args.repeat,
            start_ms: start,
            end_ms: end,
            step_ms: benchdata::SCRAPE_MS,
            queries: &QUERIES,
            script: args.prometheus_script.clone(),
        };
        peer::run_peer(&spec)?
    } else {
        Vec::new()
    };
    if args.prometheus {
        // Measure again after the peer and keep the better median, as `bench parse` does: the
        // machine may be busier during one of the two runs.
        for (o, (name, q)) in ours.iter_mut().zip(QUERIES) {
            let again = measure(&store, name, q, (start, end), args.repeat)?;
            if again.median_ms < o.median_ms {
                *o = again;
            }
        }
    }
    print_header(args.json, args.prometheus);
    let mut agree = true;
    for ((name, _), o) in QUERIES.iter().zip(&ours) {
        let p = peers.iter().find(|(n, _)| n == name).map(|(_, p)| p);
        agree &= report(name, o, p, args.json);
    }
    Ok(agree)
}

fn measure(
    store: &signalboard_core::store::Store,
    name: &str,
    q: &str,
    (start, end): (i64, i64),
    repeat: usize,
) -> Result<Ours, String> {
    let opts = EngineOptions::default();
    let mut times = Vec::new();
    let mut cpu = Vec::new();
    let mut result = Value::Matrix(Vec::new());
    for _ in 0..repeat.max(1) {
        let (t, c) = (Instant::now(), thread_cpu_ns());
        result = range_query(store, q, start, end, benchdata::SCRAPE_MS, &opts)
            .map_err(|e| format!("{name}: {e}"))?;
        times.push(t.elapsed().as_secs_f64() * 1e3);
        cpu.push(thread_cpu_ns().saturating_sub(c) as f64 / 1e6);
    }
    cpu.sort_by(|a, b| a.total_cmp(b));
    times.sort_by(|a, b| a.total_cmp(b));
    Ok(Ours {
        median_ms: times.get(times.len() / 2).copied().unwrap_or(f64::NAN),
        best_ms: times.first().copied().unwrap_or(f64::NAN),
        median_cpu_ms: cpu.get(cpu.len() / 2).copied().unwrap_or(f64::NAN),
        result,
    })
}

fn print_header(json: bool, with_peer: bool) {
    if json {
        return;
    }
    print!(
        "{:<14} {:>10} {:>10} {:>12} {:>8}",
        "query", "median ms", "best ms", "median cpu", "series"
    );
    if with_peer {
        print!(
            " {:>12} {:>12} {:>7}  agreement",
            "prom eval ms", "prom inner", "ratio"
        );
    }
    println!();
}

/// Prints one query's line(s); false when the peer's result disagrees with ours.
fn report(name: &str, o: &Ours, p: Option<&PeerRun>, json: bool) -> bool {
    let series = match &o.result {
        Value::Matrix(m) => m.len(),
        _ => 0,
    };
    let check = p.map(|p| peer::agreement(&peer::matrix_of(&o.result), &p.result));
    if json {
        let mut latency = json!({"bench": "query", "input": name, "metric": "latency", "value": o.median_ms, "unit": "ms"});
        if let (Some(p), Some(obj)) = (p, latency.as_object_mut()) {
            obj.insert("peer".into(), json!("prometheus"));
            obj.insert("peer_value".into(), json!(p.eval_total_ms));
            obj.insert("ratio".into(), json!(p.eval_total_ms / o.median_ms));
        }
        println!("{latency}");
        println!(
            "{}",
            json!({"bench": "query", "input": name, "metric": "cpu", "value": o.median_cpu_ms, "unit": "ms"})
        );
        if let Some(p) = p {
            println!(
                "{}",
                json!({"bench": "query", "input": name, "metric": "inner_eval", "value": o.median_ms, "unit": "ms", "peer": "prometheus", "peer_value": p.inner_eval_ms, "ratio": p.inner_eval_ms / o.median_ms})
            );
        }
        if let Some(c) = &check {
            println!(
                "{}",
                json!({"bench": "query", "input": name, "metric": "max_relative_difference", "value": c.max_rel_diff, "unit": "1", "peer": "prometheus", "points": c.points, "agree": c.first_mismatch.is_none()})
            );
        }
    } else {
        print!(
            "{name:<14} {:>10.1} {:>10.1} {:>12.1} {series:>8}",
            o.median_ms, o.best_ms, o.median_cpu_ms
        );
        if let (Some(p), Some(c)) = (p, &check) {
            let verdict = match &c.first_mismatch {
                None => format!("{} points, max rel diff {:.1e}", c.points, c.max_rel_diff),
                Some(m) => format!("DIFFERS: {m}"),
            };
            print!(
                " {:>12.1} {:>12.1} {:>6.1}x  {verdict}",
                p.eval_total_ms,
                p.inner_eval_ms,
                p.eval_total_ms / o.median_ms
            );
        }
        println!();
    }
    check.is_none_or(|c| c.first_mismatch.is_none())
}

/// CPU time of this thread in ns (Linux `schedstat`; 0 elsewhere): on a shared machine the
/// wall time includes waiting for a core.
fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|x| x.parse().ok()))
        .unwrap_or(0)
}
