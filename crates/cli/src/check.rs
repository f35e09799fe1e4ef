//! `signalboard-cli check [--format auto|prometheus|openmetrics] FILE|URL|-`
//!
//! Contract: parse one exposition (OpenMetrics with every rule of the specification unless
//! `--lenient`) and print `N families, N series, N samples` (exit 0), or the
//! error as `LINE:COL: message` (exit 1). Unreadable input or a failed fetch exits 2. URLs are
//! fetched with the `Accept` header Prometheus sends; with `--format auto` the response
//! Content-Type picks the parser, and files or stdin are sniffed (`# EOF` ⇒ OpenMetrics).

use std::io::Read;
use std::process::ExitCode;

use signalboard_core::exposition::{self, Format, Limits, Validation};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    Auto,
    Prometheus,
    Openmetrics,
}

#[derive(clap::Args)]
pub struct Args {
    /// Exposition format; `auto` uses the HTTP Content-Type or sniffs the text.
    #[arg(long, value_enum, default_value_t = FormatArg::Auto)]
    format: FormatArg,
    /// Refuse inputs larger than this many bytes.
    #[arg(long, default_value_t = Limits::default().max_bytes)]
    max_bytes: usize,
    /// Accept what a Prometheus scrape accepts instead of enforcing every OpenMetrics rule
    /// (only matters for OpenMetrics: e.g. negative histogram sums from client_golang).
    #[arg(long)]
    lenient: bool,
    /// A file, an http:// URL, or `-` for stdin.
    input: String,
}

pub fn run(args: Args) -> ExitCode {
    let fetched = match read_input(&args.input, args.max_bytes) {
        Ok(fetched) => fetched,
        Err(message) => {
            eprintln!("signalboard-cli check: {message}");
            return ExitCode::from(2);
        }
    };
    let mut format = match args.format {
        FormatArg::Prometheus => Format::Prometheus,
        FormatArg::Openmetrics => Format::OpenMetrics,
        FormatArg::Auto => match &fetched.content_type {
            Some(ct) => Format::from_content_type(ct),
            None => Format::sniff(&String::from_utf8_lossy(tail(&fetched.body))),
        },
    };
    let limits = Limits {
        max_bytes: args.max_bytes,
        ..Limits::default()
    };
    let validation = if args.lenient {
        Validation::Prometheus
    } else {
        Validation::Strict
    };
    let parse = |format| exposition::parse_bytes(&fetched.body, format, &limits, validation);
    let mut result = parse(format);
    // Prometheus text sometimes ends in `# EOF` too: a sniffed guess may fall back.
    let sniffed = args.format == FormatArg::Auto && fetched.content_type.is_none();
    if sniffed && format == Format::OpenMetrics && result.is_err() {
        if let Ok(exp) = parse(Format::Prometheus) {
            result = Ok(exp);
            format = Format::Prometheus;
        }
    }
    match result {
        Ok(exp) => {
            outln!(
                "{} families, {} series, {} samples ({})",
                exp.families.len(),
                exp.series_count(),
                exp.sample_count(),
                format_name(format)
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            outln!("{error}");
            ExitCode::from(1)
        }
    }
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Prometheus => "prometheus text 0.0.4",
        Format::OpenMetrics => "openmetrics 1.0",
    }
}

/// The last bytes of the body: enough to see a trailing `# EOF`.
fn tail(body: &[u8]) -> &[u8] {
    body.get(body.len().saturating_sub(64)..).unwrap_or(body)
}

pub(crate) struct Fetched {
    pub(crate) body: Vec<u8>,
    pub(crate) content_type: Option<String>,
}

pub(crate) fn read_input(input: &str, max_bytes: usize) -> Result<Fetched, String> {
    if input.starts_with("http://") || input.starts_with("https://") {
        return fetch(input, max_bytes);
    }
    let mut body = Vec::new();
    let limit = u64::try_from(max_bytes)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    let read = if input == "-" {
        std::io::stdin().take(limit).read_to_end(&mut body)
    } else {
        std::fs::File::open(input).and_then(|f| f.take(limit).read_to_end(&mut body))
    };
    read.map_err(|e| format!("cannot read {input}: {e}"))?;
    Ok(Fetched {
        body,
        content_type: None,
    })
}

fn fetch(url: &str, max_bytes: usize) -> Result<Fetched, String> {
    let agent = ureq::AgentBuilder::new()
        .timeout(std::time::Duration::from_secs(30))
        .build();
    let response = agent
        .get(url)
        .set("Accept", exposition::ACCEPT_HEADER)
        .call()
        .map_err(|e| format!("cannot fetch {url}: {e}"))?;
    let content_type = response.header("Content-Type").map(str::to_string);
    let mut body = Vec::new();
    let limit = u64::try_from(max_bytes)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    response
        .into_reader()
        .take(limit)
        .read_to_end(&mut body)
        .map_err(|e| format!("cannot read the body of {url}: {e}"))?;
    Ok(Fetched { body, content_type })
}
