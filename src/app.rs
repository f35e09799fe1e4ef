//! The app shell: top bar, banners, and the page chosen by the URL hash
//! (`#/` dashboard, `#/targets`, `#/import`). State that outlives pages lives in
//! [`AppSignals`] (provided as context) and in the engine (see `engine.rs`).

use std::sync::Arc;

use leptos::prelude::*;
use signalboard_core::dashboard::Dashboard;
use signalboard_core::display::colors::Theme;

use crate::alerting::AlertBadge;
use crate::dashboard_view::DashboardView;
use crate::datasource_picker::DatasourcePicker;
use crate::import_page::ImportPage;
use crate::library_page::LibraryPage;
use crate::refresh::RefreshPicker;
use crate::startup;
use crate::targets_page::TargetsPage;
use crate::theme::{self, ThemeToggle};
use crate::time_range::{TimePicker, TimeRange};

/// A message shown in the banner area (errors the user must see, e.g. a bad config).
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub level: NoticeLevel,
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NoticeLevel {
    Error,
    Warn,
    Info,
}

impl NoticeLevel {
    fn class(self) -> &'static str {
        match self {
            NoticeLevel::Error => "banner error",
            NoticeLevel::Warn => "banner warn",
            NoticeLevel::Info => "banner info",
        }
    }
}

/// Signals shared by every page (all `Copy`).
#[derive(Clone, Copy)]
pub struct AppSignals {
    /// Bumped after every scrape: panels re-query when it changes.
    pub data_version: RwSignal<u64>,
    pub dashboard: RwSignal<Option<Arc<Dashboard>>>,
    pub notices: RwSignal<Vec<Notice>>,
    pub time_range: RwSignal<TimeRange>,
    /// Current template variable values (name → values).
    pub variables: RwSignal<Vec<(String, Vec<String>)>>,
    /// The datasource the whole dashboard uses unless a panel names one: a configured
    /// Prometheus API datasource's name, or `None` for the in-browser engine (`?datasource=`).
    pub datasource: RwSignal<Option<String>>,
    /// Bumped on the dashboard's refresh interval: API-backed panels re-query on it.
    pub refresh_tick: RwSignal<u64>,
    /// Bumped when variable options fetched from an API datasource arrive.
    pub remote_version: RwSignal<u64>,
    /// The panel shown full-screen (`?viewPanel=`, Grafana's parameter), if any.
    pub view_panel: RwSignal<Option<String>>,
    /// The user's auto-refresh pick (`?refresh=`; `"off"`), overriding the dashboard's.
    pub refresh: RwSignal<Option<String>>,
    /// Bumped after every evaluation of the alert rules.
    pub alerts_version: RwSignal<u64>,
    /// The time under the mouse in some time series panel (Unix ms) and that panel's id, for
    /// the dashboard's shared crosshair (`graphTooltip` 1 or 2).
    pub crosshair: RwSignal<Option<(f64, u64)>>,
    /// The colour theme shown (see `theme.rs`); panels resolve colours with it.
    pub theme: RwSignal<Theme>,
    /// The golden-signals dashboard is waiting for the targets' first scrapes.
    pub generating: RwSignal<bool>,
}

impl AppSignals {
    pub fn notify(&self, level: NoticeLevel, text: impl Into<String>) {
        let text = text.into();
        self.notices.update(|n| {
            if !n.iter().any(|x| x.text == text) {
                n.push(Notice { level, text });
            }
        });
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Page {
    Dashboard,
    Library,
    Targets,
    Import,
}

fn page_from_hash() -> Page {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    match hash.trim_start_matches('#').trim_start_matches('/') {
        h if h.starts_with("targets") => Page::Targets,
        h if h.starts_with("dashboards") => Page::Library,
        h if h.starts_with("import") => Page::Import,
        _ => Page::Dashboard,
    }
}

#[component]
pub fn App() -> impl IntoView {
    let signals = AppSignals {
        data_version: RwSignal::new(0),
        dashboard: RwSignal::new(None),
        notices: RwSignal::new(Vec::new()),
        time_range: RwSignal::new(TimeRange::default()),
        variables: RwSignal::new(Vec::new()),
        datasource: RwSignal::new(None),
        refresh_tick: RwSignal::new(0),
        remote_version: RwSignal::new(0),
        view_panel: RwSignal::new(
            crate::url_state::query_values("viewPanel")
                .into_iter()
                .next(),
        ),
        refresh: RwSignal::new(None),
        alerts_version: RwSignal::new(0),
        crosshair: RwSignal::new(None),
        theme: RwSignal::new(theme::resolve(None)),
        generating: RwSignal::new(false),
    };
    provide_context(signals);
    crate::variables::provide_resolved(signals);
    let page = RwSignal::new(page_from_hash());
    let handle = window_event_listener(leptos::ev::hashchange, move |_| page.set(page_from_hash()));
    on_cleanup(move || handle.remove());
    theme::install(signals);
    startup::boot(signals);

    let nav = move |p: Page, href: &'static str, label: &'static str| {
        view! { <a href=href class=move || if page.get() == p { "active" } else { "" }>{label}</a> }
    };
    view! {
        <header class="topbar">
            <span class="brand">"Signalboard"</span>
            <nav>
                {nav(Page::Dashboard, "#/", "Dashboard")}
                {nav(Page::Library, "#/dashboards", "Dashboards")}
                {nav(Page::Targets, "#/targets", "Targets")}
                {nav(Page::Import, "#/import", "Import")}
            </nav>
            <span class="spacer"></span>
            <AlertBadge />
            <DatasourcePicker />
            <TimePicker />
            <RefreshPicker />
            <ThemeToggle />
        </header>
        <Notices />
        <main>
            {move || match page.get() {
                Page::Dashboard => view! { <DashboardView /> }.into_any(),
                Page::Library => view! { <LibraryPage /> }.into_any(),
                Page::Targets => view! { <TargetsPage /> }.into_any(),
                Page::Import => view! { <ImportPage /> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn Notices() -> impl IntoView {
    let signals = expect_context::<AppSignals>();
    view! {
        <For
            each=move || signals.notices.get().into_iter().enumerate()
            key=|(i, n)| (*i, n.text.clone())
            let:item
        >
            <div class=item.1.level.class() data-notice="">
                {item.1.text.clone()}
                " "
                <button on:click=move |_| {
                    let text = item.1.text.clone();
                    signals.notices.update(|n| n.retain(|x| x.text != text));
                }>"dismiss"</button>
            </div>
        </For>
    }
}
