//! signalboard-cli: the native command line over signalboard-core.
//!
//! One module per subcommand; each exposes `Args` (clap) and `run(Args) -> ExitCode`.
//! Exit codes are part of the stable interface (see DESIGN.md "Interfaces").

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[macro_use]
mod stdout;

mod bench;
mod bench_prometheus;
mod bench_query;
mod bench_store;
mod check;
mod eval;
mod import;
mod lint;
mod promqltest;
mod render;
mod serve;

#[derive(Parser)]
#[command(
    name = "signalboard-cli",
    version,
    about = "Signalboard's engine on the command line"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse an exposition (file, URL or -) and report counts or LINE:COL errors.
    Check(check::Args),
    /// Best-practice findings on metrics (files, URLs or -; several = snapshots in time order).
    Lint(lint::Args),
    /// Detect the golden signals of a job's metrics; optionally write the generated dashboard.
    Golden(lint::GoldenArgs),
    /// Run Prometheus promqltest scripts.
    Promqltest(promqltest::Args),
    /// Evaluate PromQL over exposition snapshots.
    Eval(eval::Args),
    /// Import a Grafana dashboard JSON and print a compatibility report.
    Import(import::Args),
    /// Benchmarks, with peers side by side.
    Bench(bench::Args),
    /// Render one panel of a dashboard to SVG from a fixed query result.
    Render(render::Args),
    /// Serve the built app and forward scrapes to configured targets without CORS.
    Serve(serve::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Check(a) => check::run(a),
        Command::Lint(a) => lint::run(a),
        Command::Golden(a) => lint::run_golden(a),
        Command::Promqltest(a) => promqltest::run(a),
        Command::Eval(a) => eval::run(a),
        Command::Import(a) => import::run(a),
        Command::Bench(a) => bench::run(a),
        Command::Render(a) => render::run(a),
        Command::Serve(a) => serve::run(a),
    }
}
