//! `signalboard-cli promqltest FILE...`: run Prometheus promqltest scripts against the engine.
//!
//! Prints each failed eval (`FAIL file:line: command: reason`), per-file counts, the skip
//! reasons by name, and as the last line `N passed, N failed, N skipped`.
//! Exit: 0 when nothing failed, 1 when an eval failed, 2 when a file could not be read.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use signalboard_core::promql::promqltest::{run_script, Outcome};

#[derive(clap::Args)]
pub struct Args {
    /// Script files (`*.test`).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Also list every skipped eval with its line.
    #[arg(long)]
    verbose: bool,
}

pub fn run(args: Args) -> ExitCode {
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for file in &args.files {
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{}: {e}", file.display());
                return ExitCode::from(2);
            }
        };
        let report = run_script(&text);
        for r in &report.results {
            match &r.outcome {
                Outcome::Failed(why) => {
                    outln!("FAIL {}:{}: {}: {why}", file.display(), r.line, r.command)
                }
                Outcome::Skipped(why) if args.verbose => {
                    outln!("SKIP {}:{}: {}: {why}", file.display(), r.line, r.command)
                }
                _ => {}
            }
        }
        outln!(
            "{}: {} passed, {} failed, {} skipped",
            file.display(),
            report.passed(),
            report.failed(),
            report.skipped()
        );
        passed += report.passed();
        failed += report.failed();
        skipped += report.skipped();
        for (why, n) in report.skip_reasons() {
            *reasons.entry(why).or_insert(0) += n;
        }
    }
    if !reasons.is_empty() {
        outln!("skipped (unsupported features):");
        for (why, n) in &reasons {
            outln!("  {n:5}  {why}");
        }
    }
    outln!("{passed} passed, {failed} failed, {skipped} skipped");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
