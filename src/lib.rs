//! Signalboard web app (Leptos, client-side rendered). The map of modules is in
//! ARCHITECTURE.md; `main.rs` only calls [`start`]. A library target so the in-browser
//! tests (`tests/web.rs`, wasm-bindgen-test) can reach the components.

mod alerting;
mod app;
mod automation;
mod config_editor;
mod dashboard_view;
mod datasource_picker;
mod demo_target;
pub mod engine;
pub mod fetch;
mod generated_dashboard;
mod import_page;
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
mod startup;
mod storage;
mod targets_page;
mod theme;
pub mod time_range;
mod url_state;
mod variables;

/// Installs the panic overlay and mounts the app on `<body>`.
pub fn start() {
    panic_overlay::install();
    leptos::mount::mount_to_body(app::App);
}
