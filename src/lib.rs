//! Signalboard web app (Leptos, client-side rendered). The map of modules is in
//! ARCHITECTURE.md; `main.rs` only calls [`start`]. A library target so the in-browser
//! tests (`tests/web.rs`, wasm-bindgen-test) can reach the components.

mod alerting;
mod app;
mod automation;
mod collect;
mod config_editor;
mod dashboard_view;
mod datasource_picker;
mod demo_target;
pub mod engine;
pub mod fetch;
mod generated_dashboard;
mod import_page;
mod ingest_client;
mod library;
mod library_page;
mod lint_view;
pub mod panels;
mod panic_overlay;
mod persistence;
pub mod prom_api;
pub mod query;
mod refresh;
mod remote_variable_options;
mod scrape;
mod scrape_worker;
mod startup;
mod storage;
mod targets_page;
mod theme;
pub mod time_range;
mod url_state;
mod variables;

/// The scrape worker's start (binary `scrape_worker`): see `scrape_worker.rs`.
pub fn scrape_worker_main() {
    scrape_worker::run();
}

/// Installs the panic overlay and mounts the app on `<body>`.
pub fn start() {
    panic_overlay::install();
    leptos::mount::mount_to_body(app::App);
    panels::warm_up_when_idle();
}
