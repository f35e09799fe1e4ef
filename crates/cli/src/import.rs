//! `signalboard-cli import FILE`: import a Grafana dashboard JSON and print the compatibility
//! report — panels by source type rendered / placeholder, queries parsed / failed with
//! reasons, and the importer's warnings.
//!
//! Queries are checked with `promql_parser` after interpolating variables with their saved
//! values (a placeholder for never-evaluated ones) and macros with plausible values.
//! Exit: 0 imported, 1 rejected (or, with `--strict`, any query failed), 2 usage/IO.

use std::io::Read as _;
use std::path::PathBuf;
use std::process::ExitCode;

use signalboard_core::dashboard::{export_grafana, import_grafana_checked, summarize};

/// Value for variables that were never evaluated (no saved selection): a plain label value
/// that is valid wherever Grafana dashboards put variables inside PromQL strings.
const PLACEHOLDER: &str = "placeholder";

#[derive(clap::Args)]
pub struct Args {
    /// Grafana dashboard JSON file (`-` reads stdin).
    file: String,
    /// Exit 1 when any query fails to parse.
    #[arg(long)]
    strict: bool,
    /// Also print the imported model's compact summary (panels, grid, queries, thresholds).
    #[arg(long)]
    summary: bool,
    /// Print the report as one JSON object instead of text.
    #[arg(long)]
    json: bool,
    /// Write the imported dashboard back out as classic Grafana JSON.
    #[arg(long, value_name = "OUT.json")]
    export: Option<PathBuf>,
}

fn read_input(file: &str) -> std::io::Result<String> {
    if file == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        Ok(text)
    } else {
        std::fs::read_to_string(file)
    }
}

fn validate(expr: &str) -> Result<(), String> {
    promql_parser::parser::parse(expr)
        .map(|_| ())
        .map_err(|e| e.to_string().replace('\n', " "))
}

pub fn run(args: Args) -> ExitCode {
    let text = match read_input(&args.file) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("import: {}: {e}", args.file);
            return ExitCode::from(2);
        }
    };
    let imported = match import_grafana_checked(&text, PLACEHOLDER, &validate) {
        Ok(imported) => imported,
        Err(e) => {
            eprintln!("import: {}: rejected: {e}", args.file);
            return ExitCode::from(1);
        }
    };
    if args.json {
        let report =
            serde_json::json!({"title": imported.dashboard.title, "report": imported.report});
        outln!("{report}");
    } else {
        out!("{}", imported.report.render_text(&imported.dashboard.title));
    }
    if args.summary {
        out!("{}", summarize(&imported.dashboard));
    }
    if let Some(out) = &args.export {
        let json = export_grafana(&imported.dashboard);
        let written = serde_json::to_string_pretty(&json)
            .map_err(|e| e.to_string())
            .and_then(|s| std::fs::write(out, s).map_err(|e| e.to_string()));
        if let Err(e) = written {
            eprintln!("import: cannot write {}: {e}", out.display());
            return ExitCode::from(2);
        }
    }
    if args.strict && imported.report.queries_failed() > 0 {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
