//! Times import, export and re-import of every Grafana fixture:
//! `cargo run --release -p signalboard-dashboard --example import_timing`.

use std::time::Instant;

fn main() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/fixtures/grafana"
    );
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("fixtures not found at {dir}");
        std::process::exit(2);
    };
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    println!(
        "{:<40} {:>6} {:>9} {:>10} {:>10} {:>8}",
        "fixture", "KiB", "json ms", "import ms", "export ms", "MB/s"
    );
    for path in paths {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let runs = 20;
        // serde_json's own parse time, the floor under the import.
        let start = Instant::now();
        for _ in 0..runs {
            let _ = serde_json::from_str::<serde_json::Value>(&text);
        }
        let parse_ms = start.elapsed().as_secs_f64() * 1000.0 / f64::from(runs);
        let start = Instant::now();
        let mut last = None;
        for _ in 0..runs {
            last = signalboard_dashboard::import_grafana(&text).ok();
        }
        let import_ms = start.elapsed().as_secs_f64() * 1000.0 / f64::from(runs);
        let Some(imported) = last else { continue };
        let start = Instant::now();
        for _ in 0..runs {
            let _ = signalboard_dashboard::export_grafana(&imported.dashboard);
        }
        let export_ms = start.elapsed().as_secs_f64() * 1000.0 / f64::from(runs);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mb_s = text.len() as f64 / 1e6 / (import_ms / 1000.0);
        println!(
            "{name:<40} {:>6} {parse_ms:>9.2} {import_ms:>10.2} {export_ms:>10.2} {mb_s:>8.1}",
            text.len() / 1024
        );
    }
}
