//! `signalboard-cli render DASHBOARD.json --panel ID|TITLE --data DATA.json --width W
//! --height H [--theme dark|light] [--utc-offset MIN] -o OUT.svg`: one panel as an SVG,
//! drawn by `signalboard-render` — the app's own drawing code — from a fixed query result,
//! so the output is deterministic (golden images).
//!
//! The panel is found by id, else by exact title, among all panels (rows' children
//! included). DATA.json is `signalboard_render::series::QueryResult`; its `start_ms` /
//! `end_ms` are the time range. Exit: 0 written, 1 the panel or data is unusable, 2 usage/IO.

use std::path::PathBuf;
use std::process::ExitCode;

use signalboard_core::dashboard::{import_grafana, Panel};
use signalboard_render::panel_svg::render::{render_panel_svg, RenderOptions};
use signalboard_render::series::QueryResult;

#[derive(clap::Args)]
pub struct Args {
    /// Grafana dashboard JSON.
    dashboard: PathBuf,
    /// Panel id, or exact panel title.
    #[arg(long)]
    panel: String,
    /// Fixed query result (series with labels, timestamps, values).
    #[arg(long, value_name = "DATA.json")]
    data: PathBuf,
    #[arg(long, default_value_t = 800)]
    width: u32,
    #[arg(long, default_value_t = 300)]
    height: u32,
    /// `dark` (Grafana's default) or `light`.
    #[arg(long, default_value = "dark")]
    theme: String,
    /// Minutes east of UTC for time axis labels (default UTC, for reproducible output).
    #[arg(long, default_value_t = 0, allow_hyphen_values = true)]
    utc_offset: i32,
    /// Output SVG file (`-` writes stdout).
    #[arg(
        short = 'o',
        long = "output",
        visible_alias = "out",
        value_name = "OUT.svg"
    )]
    output: String,
}

fn find_panel<'a>(panels: &[&'a Panel], wanted: &str) -> Option<&'a Panel> {
    let by_id = wanted.parse::<u64>().ok();
    panels
        .iter()
        .find(|p| Some(p.id) == by_id)
        .or_else(|| panels.iter().find(|p| p.title == wanted))
        .copied()
}

fn theme(name: &str) -> Result<signalboard_core::display::Theme, String> {
    match name {
        "dark" => Ok(signalboard_core::display::Theme::Dark),
        "light" => Ok(signalboard_core::display::Theme::Light),
        other => Err(format!("render: --theme {other:?}: expected dark or light")),
    }
}

pub fn run(args: Args) -> ExitCode {
    let read = |path: &PathBuf| {
        std::fs::read_to_string(path).map_err(|e| format!("render: {}: {e}", path.display()))
    };
    let (dashboard_text, data_text, theme) =
        match (read(&args.dashboard), read(&args.data), theme(&args.theme)) {
            (Ok(d), Ok(q), Ok(t)) => (d, q, t),
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        };
    match render(&args, &dashboard_text, &data_text, theme) {
        Ok(svg) => write(&args.output, &svg),
        Err(e) => {
            eprintln!("render: {e}");
            ExitCode::from(1)
        }
    }
}

fn render(
    args: &Args,
    dashboard_text: &str,
    data_text: &str,
    theme: signalboard_core::display::Theme,
) -> Result<String, String> {
    let imported = import_grafana(dashboard_text).map_err(|e| format!("dashboard: {e}"))?;
    let panels = imported.dashboard.all_panels();
    let panel = find_panel(&panels, &args.panel)
        .ok_or_else(|| format!("no panel with id or title {:?}", args.panel))?;
    let data = QueryResult::parse(data_text)?;
    let series = data.resolve(panel);
    let opts = RenderOptions {
        width: f64::from(args.width),
        height: f64::from(args.height),
        theme,
        start_ms: data.start_ms as f64,
        end_ms: data.end_ms as f64,
        utc_offset_minutes: args.utc_offset,
    };
    render_panel_svg(panel, &series, &opts).map_err(|e| e.to_string())
}

fn write(output: &str, svg: &str) -> ExitCode {
    let result = if output == "-" {
        use std::io::Write as _;
        std::io::stdout().write_all(svg.as_bytes())
    } else {
        std::fs::write(output, svg)
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("render: {output}: {e}");
            ExitCode::from(2)
        }
    }
}
