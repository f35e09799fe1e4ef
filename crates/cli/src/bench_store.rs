//! `signalboard-cli bench store [--json] [--series N] [--scrapes N] [--targets N] [--hours H]
//! [--captured DIR]...`: the store's ingest rate, select+iterate speed and compression.
//!
//! - Ingest and select: a synthetic target exposing N counter series, scraped `--scrapes`
//!   times (parsed exposition → `Store::ingest_scrape`, staleness tracking included); select
//!   decodes and iterates every sample of one metric (best of 5 runs), and the same for the
//!   whole compression workload.
//! - Compression (bytes/sample from `Store::stats`, next to Prometheus's ~1.3 B/sample for XOR
//!   chunks and the naive 16 B of an (i64, f64) pair): by default a synthetic realistic
//!   workload — `--targets` node-exporter-and-web-service-like targets (CPU-seconds counters,
//!   byte and packet counters, memory gauges, load averages, constants, request histograms
//!   with float sums, small integer gauges) scraped every 15 s for `--hours`; with
//!   `--captured DIR` (repeatable, one directory per target) the exposition files of each
//!   directory, in name order, are replayed as consecutive scrapes 15 s apart (e.g. captured
//!   from a real node_exporter with `curl` once a second). Both go through `ingest_scrape`
//!   as the app's scrape loop does.
//!
//! Rows follow DESIGN.md "Benchmark output"; bytes/sample rows name their peer.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use serde_json::json;
use signalboard_core::exposition::{self, Format};
use signalboard_core::store::{Matcher, Store, TargetLabels};

#[derive(Parser)]
#[command(name = "signalboard-cli bench store")]
struct StoreArgs {
    /// One JSON object per measurement instead of a table.
    #[arg(long)]
    json: bool,
    /// Series per scrape (ingest and select measurement).
    #[arg(long, default_value_t = 100_000)]
    series: usize,
    /// Scrapes to ingest (15 s apart) for the ingest and select measurement.
    #[arg(long, default_value_t = 20)]
    scrapes: usize,
    /// Targets of the synthetic compression workload.
    #[arg(long, default_value_t = 10)]
    targets: usize,
    /// Hours of 15 s scrapes in the synthetic compression workload.
    #[arg(long, default_value_t = 2.0)]
    hours: f64,
    /// A directory of captured exposition files of one target, replayed in name order as
    /// scrapes 15 s apart (repeat for more targets); replaces the synthetic workload.
    #[arg(long)]
    captured: Vec<PathBuf>,
    /// Scrape-time jitter of the synthetic workload: each scrape is taken up to this many
    /// milliseconds off its 15 s tick (as a browser timer is), uniformly.
    #[arg(long, default_value_t = 0)]
    jitter_ms: u64,
    /// Also load the compression workload's samples into a real Prometheus TSDB block
    /// (`promtool tsdb create-blocks-from openmetrics`) and report its chunk bytes/sample.
    #[arg(long)]
    prometheus: bool,
}

/// Prometheus's bytes/sample for XOR chunks (its documentation's figure).
const PROMETHEUS_BYTES_PER_SAMPLE: f64 = 1.3;
/// An uncompressed (i64 timestamp, f64 value) pair.
const NAIVE_BYTES_PER_SAMPLE: f64 = 16.0;
const SCRAPE_INTERVAL_MS: i64 = 15_000;
/// Timed select runs; the fastest counts (the machine may be shared).
const SELECT_RUNS: usize = 5;

/// One output row.
struct Row {
    input: String,
    metric: &'static str,
    value: f64,
    unit: &'static str,
    peer: Option<(&'static str, f64)>,
}

impl Row {
    fn new(input: &str, metric: &'static str, value: f64, unit: &'static str) -> Self {
        Row {
            input: input.to_string(),
            metric,
            value,
            unit,
            peer: None,
        }
    }

    fn print(&self, as_json: bool) {
        if as_json {
            let mut obj = json!({"bench": "store", "input": self.input, "metric": self.metric,
                "value": self.value, "unit": self.unit});
            if let (Some((peer, peer_value)), Some(map)) = (self.peer, obj.as_object_mut()) {
                map.insert("peer".into(), json!(peer));
                map.insert("peer_value".into(), json!(peer_value));
                map.insert("ratio".into(), json!(self.value / peer_value));
            }
            outln!("{obj}");
            return;
        }
        let peer = self.peer.map_or(String::new(), |(p, v)| {
            format!("   {p} {v} ({:.2}x)", self.value / v)
        });
        outln!(
            "{:<18} {:<20} {:>14.2} {}{peer}",
            self.input,
            self.metric,
            self.value,
            self.unit
        );
    }
}

fn counters_exposition(series: usize, scrape: usize) -> String {
    let mut s = String::from("# TYPE http_requests_total counter\n");
    for i in 0..series {
        s.push_str(&format!(
            "http_requests_total{{method=\"GET\",path=\"/api/{}\",code=\"{}\"}} {}\n",
            i / 5,
            200 + i % 5,
            (i % 97 + 1) * scrape
        ));
    }
    s
}

fn target(instance: &str) -> TargetLabels {
    TargetLabels {
        job: "bench".into(),
        instance: instance.into(),
        extra: Vec::new(),
        honor_labels: false,
    }
}

pub fn run(words: Vec<String>) -> ExitCode {
    let args = match StoreArgs::try_parse_from(std::iter::once("store".to_string()).chain(words)) {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let rows = match ingest_and_select(&args).and_then(|mut rows| {
        rows.extend(compression(&args)?);
        Ok(rows)
    }) {
        Ok(rows) => rows,
        Err(e) => {
            eprintln!("signalboard-cli bench store: {e}");
            return ExitCode::from(1);
        }
    };
    for row in &rows {
        row.print(args.json);
    }
    ExitCode::SUCCESS
}

/// First-scrape latency, ingest rate and select+iterate rate on the counters target.
fn ingest_and_select(args: &StoreArgs) -> Result<Vec<Row>, String> {
    let target = target("localhost:9100");
    let mut store = Store::new();
    let (mut first_ms, mut rest_ms, mut samples) = (0.0, 0.0, 0usize);
    for scrape in 0..args.scrapes.max(2) {
        let text = counters_exposition(args.series, scrape);
        let exp = exposition::parse(&text, Format::Prometheus).map_err(|e| e.to_string())?;
        let t = Instant::now();
        let r = store.ingest_scrape(&target, scrape as i64 * SCRAPE_INTERVAL_MS, &exp);
        let ms = t.elapsed().as_secs_f64() * 1e3;
        if scrape == 0 {
            first_ms = ms;
        } else {
            rest_ms += ms;
            samples += r.stored;
        }
    }
    let matcher = Matcher::equal("__name__", "http_requests_total");
    let (iterated, sum, select_s) = best_select(&store, &matcher, |_| true);
    let stats = store.stats();
    if !args.json {
        outln!(
            "(ingest/select: {} series, {} samples; checksum {sum})",
            stats.series,
            stats.samples
        );
    }
    let per_sample = |bytes: usize| bytes as f64 / stats.samples.max(1) as f64;
    Ok(vec![
        Row::new("first-scrape", "latency", first_ms, "ms"),
        Row::new(
            "ingest",
            "throughput",
            samples as f64 / (rest_ms / 1e3),
            "samples/s",
        ),
        Row::new(
            "select+iterate",
            "throughput",
            iterated as f64 / select_s,
            "samples/s",
        ),
        // The same store's size (`memory` before compression: total bytes over samples).
        Row::new(
            "counters",
            "bytes/sample",
            per_sample(stats.sample_bytes),
            "B",
        ),
        Row::new(
            "counters",
            "total-bytes/sample",
            per_sample(stats.bytes),
            "B",
        ),
    ])
}

/// Selects every sample of the series matching `m` and sums the values passing `keep`: the
/// best (least disturbed) of `SELECT_RUNS` runs as (samples, sum, seconds).
fn best_select(store: &Store, m: &Matcher, keep: impl Fn(f64) -> bool) -> (usize, f64, f64) {
    let mut best = (0, 0.0, f64::INFINITY);
    for _ in 0..SELECT_RUNS {
        let t = Instant::now();
        let sel = store.select(std::slice::from_ref(m), i64::MIN, i64::MAX);
        let sum: f64 = sel
            .iter()
            .flat_map(|s| s.values.iter())
            .filter(|v| keep(**v))
            .sum();
        let seconds = t.elapsed().as_secs_f64();
        if seconds < best.2 {
            best = (sel.iter().map(|s| s.values.len()).sum(), sum, seconds);
        }
    }
    best
}

/// Bytes/sample on the synthetic workload or the captured files.
fn compression(args: &StoreArgs) -> Result<Vec<Row>, String> {
    let (input, store) = if args.captured.is_empty() {
        let scrapes = (args.hours * 3_600_000.0 / SCRAPE_INTERVAL_MS as f64).round() as usize;
        (
            if args.jitter_ms > 0 {
                format!("synthetic-jitter{}ms", args.jitter_ms)
            } else {
                "synthetic-mixed".to_string()
            },
            synthetic_store(args.targets, scrapes, args.jitter_ms)?,
        )
    } else {
        let name = args
            .captured
            .iter()
            .map(|d| d.file_name().unwrap_or(d.as_os_str()).to_string_lossy())
            .collect::<Vec<_>>()
            .join("+");
        (name, captured_store(&args.captured)?)
    };
    let stats = store.stats();
    let samples = stats.samples.max(1) as f64;
    let data = stats.sample_bytes as f64 / samples;
    if !args.json {
        outln!(
            "(compression: {input}: {} series, {} samples, {} sample bytes, {} bytes in all)",
            stats.series,
            stats.samples,
            stats.sample_bytes,
            stats.bytes
        );
    }
    let (decoded, checksum, decode_s) =
        best_select(&store, &Matcher::equal("job", "bench"), |v| v.is_finite());
    let decode_rate = decoded as f64 / decode_s;
    if !args.json {
        outln!("(compression: select of all {decoded} samples, checksum {checksum})");
    }
    let with_peer = |peer: (&'static str, f64)| Row {
        peer: Some(peer),
        ..Row::new(&input, "bytes/sample", data, "B")
    };
    let mut rows = Vec::new();
    if args.prometheus {
        let measured = prometheus_block_bytes_per_sample(&store)?;
        rows.push(with_peer(("prometheus-tsdb-block", measured)));
    }
    rows.extend([
        with_peer(("prometheus-xor-chunks", PROMETHEUS_BYTES_PER_SAMPLE)),
        with_peer(("naive-i64-f64", NAIVE_BYTES_PER_SAMPLE)),
        Row::new(&input, "select+iterate", decode_rate, "samples/s"),
        Row::new(
            &input,
            "total-bytes/sample",
            stats.bytes as f64 / samples,
            "B",
        ),
    ]);
    Ok(rows)
}

/// Writes every sample of `store` as OpenMetrics (series after series), builds Prometheus
/// blocks from it with `promtool` and returns the blocks' chunk-file bytes per sample.
fn prometheus_block_bytes_per_sample(store: &Store) -> Result<f64, String> {
    let dir = std::env::temp_dir().join(format!("signalboard-bench-store-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let result = promtool_blocks(store, &dir);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn promtool_blocks(store: &Store, dir: &Path) -> Result<f64, String> {
    use std::io::Write;
    let om = dir.join("samples.om");
    let mut w = std::io::BufWriter::new(
        std::fs::File::create(&om).map_err(|e| format!("{}: {e}", om.display()))?,
    );
    let all = store.select(
        &[Matcher::regex("__name__", ".+", false).map_err(|e| e.to_string())?],
        i64::MIN,
        i64::MAX,
    );
    for s in &all {
        let name = s.labels.metric_name().unwrap_or_default();
        let pairs: Vec<String> = s
            .labels
            .iter()
            .filter(|(n, _)| *n != "__name__")
            .map(|(n, v)| {
                format!(
                    "{n}=\"{}\"",
                    v.replace('\\', "\\\\")
                        .replace('"', "\\\"")
                        .replace('\n', "\\n")
                )
            })
            .collect();
        for (t, v) in s.timestamps.iter().zip(&s.values) {
            let v = signalboard_core::promql::format_openmetrics_float(*v);
            writeln!(
                w,
                "{name}{{{}}} {v} {}.{:03}",
                pairs.join(","),
                t.div_euclid(1000),
                t.rem_euclid(1000)
            )
            .map_err(|e| e.to_string())?;
        }
    }
    writeln!(w, "# EOF").map_err(|e| e.to_string())?;
    w.flush().map_err(|e| e.to_string())?;
    drop(w);
    let blocks = dir.join("blocks");
    let out = std::process::Command::new("promtool")
        .args(["tsdb", "create-blocks-from", "openmetrics"])
        .arg(&om)
        .arg(&blocks)
        .output()
        .map_err(|e| format!("promtool (Debian: apt-get install prometheus): {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "promtool failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let (mut bytes, mut samples) = (0u64, 0u64);
    for block in std::fs::read_dir(&blocks)
        .map_err(|e| e.to_string())?
        .flatten()
    {
        let meta =
            std::fs::read_to_string(block.path().join("meta.json")).map_err(|e| e.to_string())?;
        let meta: serde_json::Value = serde_json::from_str(&meta).map_err(|e| e.to_string())?;
        samples += meta
            .pointer("/stats/numSamples")
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0);
        for chunk_file in std::fs::read_dir(block.path().join("chunks"))
            .map_err(|e| e.to_string())?
            .flatten()
        {
            bytes += chunk_file.metadata().map_err(|e| e.to_string())?.len();
        }
    }
    if samples == 0 {
        return Err("promtool wrote no samples".into());
    }
    Ok(bytes as f64 / samples as f64)
}

fn ingest_text(
    store: &mut Store,
    target: &TargetLabels,
    t_ms: i64,
    text: &str,
) -> Result<(), String> {
    let exp = exposition::parse(text, Format::sniff(text)).map_err(|e| e.to_string())?;
    store.ingest_scrape(target, t_ms, &exp);
    Ok(())
}

fn synthetic_store(targets: usize, scrapes: usize, jitter_ms: u64) -> Result<Store, String> {
    let mut store = Store::new();
    let mut hosts: Vec<(TargetLabels, synthetic::Host)> = (0..targets.max(1))
        .map(|i| {
            (
                target(&format!("host{i}:9100")),
                synthetic::Host::new(i as u64),
            )
        })
        .collect();
    for scrape in 0..scrapes.max(1) {
        let t_ms = 1_700_000_000_000 + scrape as i64 * SCRAPE_INTERVAL_MS;
        for (labels, host) in &mut hosts {
            let text = host.scrape();
            let t_ms = t_ms + host.jitter(jitter_ms);
            ingest_text(&mut store, labels, t_ms, &text)?;
        }
    }
    Ok(store)
}

fn captured_store(dirs: &[PathBuf]) -> Result<Store, String> {
    let mut per_target: Vec<(TargetLabels, Vec<PathBuf>)> = Vec::new();
    for dir in dirs {
        per_target.push((target(&dir.display().to_string()), files_in(dir)?));
    }
    let scrapes = per_target.iter().map(|(_, f)| f.len()).max().unwrap_or(0);
    let mut store = Store::new();
    for scrape in 0..scrapes {
        let t_ms = 1_700_000_000_000 + scrape as i64 * SCRAPE_INTERVAL_MS;
        for (labels, files) in &per_target {
            if let Some(file) = files.get(scrape) {
                let text = std::fs::read_to_string(file)
                    .map_err(|e| format!("{}: {e}", file.display()))?;
                ingest_text(&mut store, labels, t_ms, &text)
                    .map_err(|e| format!("{}: {e}", file.display()))?;
            }
        }
    }
    Ok(store)
}

fn files_in(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("{}: no exposition files", dir.display()));
    }
    Ok(files)
}

/// The synthetic realistic target: series shaped like a node_exporter plus an instrumented
/// web service, with values evolving scrape by scrape from a seeded generator.
mod synthetic {
    use std::fmt::Write;

    /// xorshift64*: deterministic, dependency-free.
    struct Rng(u64);

    impl Rng {
        fn unit(&mut self) -> f64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    /// How a series' value evolves per 15 s scrape.
    enum Kind {
        /// Integer counter growing by about `rate` (±50 %) per scrape.
        Counter {
            rate: f64,
        },
        /// CPU seconds: grows by `share` of 15 s (±20 %), in 10 ms ticks like /proc/stat.
        CpuSeconds {
            share: f64,
        },
        /// Float counter (a histogram's `_sum` of latencies): full-precision increments.
        FloatCounter {
            rate: f64,
        },
        /// Bytes gauge moving by whole pages now and then.
        Bytes,
        /// Small integer gauge (in-progress requests, goroutines).
        SmallInt,
        /// Load-average-like float with two decimals.
        Load,
        Constant,
    }

    struct SynthSeries {
        line_prefix: String,
        kind: Kind,
        value: f64,
    }

    pub(super) struct Host {
        rng: Rng,
        series: Vec<SynthSeries>,
    }

    impl Host {
        pub(super) fn new(seed: u64) -> Self {
            let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ (seed.wrapping_add(1) << 17));
            let mut series = Vec::new();
            let mut add = |prefix: String, kind: Kind, value: f64| {
                series.push(SynthSeries {
                    line_prefix: prefix,
                    kind,
                    value,
                })
            };
            let modes = [
                ("idle", 0.80),
                ("user", 0.10),
                ("system", 0.05),
                ("iowait", 0.01),
                ("irq", 0.0),
                ("softirq", 0.005),
                ("steal", 0.0),
                ("nice", 0.0),
            ];
            for cpu in 0..8 {
                for (mode, share) in modes {
                    add(
                        format!("node_cpu_seconds_total{{cpu=\"{cpu}\",mode=\"{mode}\"}}"),
                        Kind::CpuSeconds { share },
                        (123_456.78 * share).round(),
                    );
                }
            }
            for i in 0..40 {
                add(
                    format!("node_memory_field_{i}_bytes"),
                    Kind::Bytes,
                    (4096 * (1000 + i * 7919)) as f64,
                );
            }
            for m in ["1", "5", "15"] {
                add(format!("node_load{m}"), Kind::Load, 0.42);
            }
            for dev in ["eth0", "lo", "sda", "sdb", "nvme0n1", "docker0"] {
                for (name, rate) in [
                    ("node_network_receive_bytes_total", 150_000.0),
                    ("node_network_transmit_bytes_total", 90_000.0),
                    ("node_network_receive_packets_total", 300.0),
                    ("node_network_transmit_packets_total", 250.0),
                    ("node_disk_read_bytes_total", 40_000.0),
                    ("node_disk_written_bytes_total", 200_000.0),
                    ("node_disk_reads_completed_total", 12.0),
                    ("node_disk_writes_completed_total", 40.0),
                    ("node_network_receive_errs_total", 0.0),
                    ("node_network_receive_drop_total", 0.02),
                ] {
                    add(
                        format!("{name}{{device=\"{dev}\"}}"),
                        Kind::Counter { rate },
                        1e6,
                    );
                }
            }
            for i in 0..30 {
                add(
                    format!("node_filesystem_size_bytes{{mountpoint=\"/m{i}\"}}"),
                    Kind::Constant,
                    (4096u64 << 20) as f64 * (i + 1) as f64,
                );
            }
            let buckets = [
                "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10",
                "+Inf",
            ];
            for endpoint in [
                "/api/users",
                "/api/orders",
                "/api/search",
                "/api/login",
                "/health",
            ] {
                for status in ["200", "500"] {
                    let base = if status == "200" { 20.0 } else { 0.05 };
                    let labels =
                        format!("endpoint=\"{endpoint}\",method=\"GET\",status=\"{status}\"");
                    for (k, le) in buckets.iter().enumerate() {
                        let share = 1.0 - 0.6f64.powi(k as i32 + 1);
                        add(
                            format!("http_request_duration_seconds_bucket{{{labels},le=\"{le}\"}}"),
                            Kind::Counter { rate: base * share },
                            0.0,
                        );
                    }
                    add(
                        format!("http_request_duration_seconds_sum{{{labels}}}"),
                        Kind::FloatCounter { rate: base * 0.03 },
                        0.0,
                    );
                    add(
                        format!("http_request_duration_seconds_count{{{labels}}}"),
                        Kind::Counter { rate: base },
                        0.0,
                    );
                    add(
                        format!("http_requests_total{{{labels}}}"),
                        Kind::Counter { rate: base },
                        0.0,
                    );
                }
                add(
                    format!("http_requests_in_progress{{endpoint=\"{endpoint}\"}}"),
                    Kind::SmallInt,
                    2.0,
                );
            }
            for name in [
                "go_goroutines",
                "process_open_fds",
                "go_threads",
                "db_pool_in_use",
            ] {
                add(name.to_string(), Kind::SmallInt, 10.0);
            }
            add(
                "up_info{version=\"1.2.3\"}".to_string(),
                Kind::Constant,
                1.0,
            );
            let _ = rng.unit();
            Host { rng, series }
        }

        /// A scrape-time offset in `[-max_ms, max_ms]`.
        pub(super) fn jitter(&mut self, max_ms: u64) -> i64 {
            if max_ms == 0 {
                return 0;
            }
            let span = (2 * max_ms + 1) as f64;
            (self.rng.unit() * span).floor() as i64 - max_ms as i64
        }

        /// The next scrape's exposition text.
        pub(super) fn scrape(&mut self) -> String {
            let mut out = String::new();
            for s in &mut self.series {
                let r = self.rng.unit();
                s.value = match s.kind {
                    Kind::Counter { rate } => s.value + (rate * (0.5 + r)).round(),
                    Kind::CpuSeconds { share } => {
                        ((s.value + 15.0 * share * (0.8 + 0.4 * r)) * 100.0).round() / 100.0
                    }
                    Kind::FloatCounter { rate } => s.value + rate * (0.5 + r),
                    Kind::Bytes if r < 0.3 => s.value + 4096.0 * ((r * 200.0).round() - 30.0),
                    Kind::SmallInt => (s.value + (r * 4.0).floor() - 1.5).max(0.0).round(),
                    Kind::Load => ((s.value * 0.9 + r * 0.2) * 100.0).round() / 100.0,
                    Kind::Bytes | Kind::Constant => s.value,
                };
                let _ = writeln!(out, "{} {}", s.line_prefix, s.value);
            }
            out
        }
    }
}
