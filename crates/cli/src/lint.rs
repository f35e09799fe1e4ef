//! `signalboard-cli lint [--slo DURATION] [--max-label-values N] INPUT...` and
//! `signalboard-cli golden [--job NAME] [--dashboard OUT.json] INPUT...`
//!
//! Contract (lint): each INPUT (a file, an http(s) URL or `-`) is one exposition snapshot of
//! the same target, oldest first (give two to catch counters that go down); prints one line per
//! finding, `WARN series: problem; fix`, and exits 0 with none, 1 with findings, 2 on usage,
//! I/O or parse errors (`INPUT:LINE:COL: message`).
//! Contract (golden): prints the golden-signal sources detected in the snapshots (the job name
//! is used in the generated queries) and with `--dashboard` writes the generated Grafana
//! dashboard JSON; exit 0, or 2 on usage/I/O/parse errors.

use std::process::ExitCode;

use signalboard_core::config::parse_duration;
use signalboard_core::exposition::{self, Exposition, Format, Limits, Validation};
use signalboard_core::golden::{self, Catalog, DashboardOptions, LintOptions};

use crate::check::read_input;

#[derive(clap::Args)]
pub struct Args {
    /// Latency objective that request-duration histograms need a bucket boundary near.
    #[arg(long, default_value = "500ms")]
    slo: String,
    /// Distinct values of one label in one family above which cardinality explodes.
    #[arg(long, default_value_t = LintOptions::default().max_label_values)]
    max_label_values: usize,
    /// Snapshots (file, http(s) URL or `-`), oldest first.
    #[arg(required = true)]
    inputs: Vec<String>,
}

#[derive(clap::Args)]
pub struct GoldenArgs {
    /// Job name the generated queries select (`{job="NAME"}`).
    #[arg(long, default_value = "app")]
    job: String,
    /// Write the generated golden-signals dashboard (Grafana JSON) here.
    #[arg(long, value_name = "OUT.json")]
    dashboard: Option<String>,
    /// Snapshots (file, http(s) URL or `-`) of the job's targets.
    #[arg(required = true)]
    inputs: Vec<String>,
}

pub fn run(args: Args) -> ExitCode {
    let slo_ms = match parse_duration(&args.slo) {
        Ok(ms) if ms > 0 => ms,
        Ok(_) => return usage("lint", "--slo must be positive"),
        Err(e) => return usage("lint", &format!("--slo: {e}")),
    };
    let texts = match read_all(&args.inputs) {
        Ok(t) => t,
        Err(e) => return usage("lint", &e),
    };
    let snapshots = match parse_all(&texts) {
        Ok(s) => s,
        Err(e) => return usage("lint", &e),
    };
    let options = LintOptions {
        slo_seconds: slo_ms as f64 / 1000.0,
        max_label_values: args.max_label_values,
    };
    let findings = golden::lint(&snapshots, &options);
    for f in &findings {
        outln!("{f}");
    }
    if findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

pub fn run_golden(args: GoldenArgs) -> ExitCode {
    let texts = match read_all(&args.inputs) {
        Ok(t) => t,
        Err(e) => return usage("golden", &e),
    };
    let snapshots = match parse_all(&texts) {
        Ok(s) => s,
        Err(e) => return usage("golden", &e),
    };
    let mut catalog = Catalog::new();
    for exp in &snapshots {
        catalog.add_exposition(&args.job, exp);
    }
    let sources = golden::detect_job(&catalog, &args.job);
    out!("{}", sources.summary());
    if let Some(out) = &args.dashboard {
        let options = DashboardOptions {
            title: format!("Golden signals — {}", args.job),
            ..DashboardOptions::default()
        };
        let json = golden::golden_dashboard(std::slice::from_ref(&sources), &options);
        let text = match serde_json::to_string_pretty(&json) {
            Ok(t) => t,
            Err(e) => return usage("golden", &e.to_string()),
        };
        if let Err(e) = std::fs::write(out, text + "\n") {
            return usage("golden", &format!("cannot write {out}: {e}"));
        }
    }
    ExitCode::SUCCESS
}

fn usage(command: &str, msg: &str) -> ExitCode {
    eprintln!("signalboard-cli {command}: {msg}");
    ExitCode::from(2)
}

/// Each input's text and the format its Content-Type (or, for files, its tail) says.
fn read_all(inputs: &[String]) -> Result<Vec<(String, String, Format)>, String> {
    inputs
        .iter()
        .map(|input| {
            let fetched = read_input(input, Limits::default().max_bytes)?;
            let text = String::from_utf8(fetched.body).map_err(|e| {
                format!(
                    "{input}: invalid UTF-8 at byte {}",
                    e.utf8_error().valid_up_to()
                )
            })?;
            let format = match &fetched.content_type {
                Some(ct) => Format::from_content_type(ct),
                None => Format::sniff(&text),
            };
            Ok((input.clone(), text, format))
        })
        .collect()
}

fn parse_all(texts: &[(String, String, Format)]) -> Result<Vec<Exposition<'_>>, String> {
    texts
        .iter()
        .map(|(input, text, format)| {
            let limits = Limits::default();
            exposition::parse_validated(text, *format, &limits, Validation::Prometheus)
                .or_else(|e| {
                    // A sniffed `# EOF` may end Prometheus text too.
                    match format {
                        Format::OpenMetrics => {
                            exposition::parse(text, Format::Prometheus).map_err(|_| e)
                        }
                        Format::Prometheus => Err(e),
                    }
                })
                .map_err(|e| format!("{input}:{e}"))
        })
        .collect()
}
