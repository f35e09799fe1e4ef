//! The colour theme: Grafana's dark (the default) or light. Which one shows, first match wins:
//! the user's choice (the top-bar toggle, kept in localStorage under [`THEME_KEY`]), the
//! dashboard's Grafana `style`, the OS setting (`prefers-color-scheme`, followed live until
//! the user chooses), dark. The current theme is `data-theme="dark|light"` on `<html>` (the
//! stylesheet's colour variables switch on it) and [`AppSignals::theme`], which panels read
//! where they resolve colours (canvas charts redraw when it changes).

use leptos::prelude::*;
use signalboard_core::display::colors::Theme;
use wasm_bindgen::prelude::*;

use crate::app::AppSignals;
use crate::storage;

/// localStorage key of the user's explicit choice (`"dark"` or `"light"`).
pub const THEME_KEY: &str = "signalboard.theme";

/// `data-theme` value of a theme.
pub fn name(theme: Theme) -> &'static str {
    match theme {
        Theme::Dark => "dark",
        Theme::Light => "light",
    }
}

fn parse(text: &str) -> Option<Theme> {
    match text.trim().to_ascii_lowercase().as_str() {
        "dark" => Some(Theme::Dark),
        "light" => Some(Theme::Light),
        _ => None,
    }
}

fn os_prefers_light() -> Option<web_sys::MediaQueryList> {
    web_sys::window()?
        .match_media("(prefers-color-scheme: light)")
        .ok()?
}

/// The theme to show: the user's choice, else the dashboard's style, else the OS setting.
pub fn resolve(dashboard_style: Option<Theme>) -> Theme {
    let chosen = storage::load(THEME_KEY).as_deref().and_then(parse);
    chosen.or(dashboard_style).unwrap_or_else(|| {
        if os_prefers_light().is_some_and(|q| q.matches()) {
            Theme::Light
        } else {
            Theme::Dark
        }
    })
}

fn dashboard_style(signals: AppSignals) -> Option<Theme> {
    signals
        .dashboard
        .with(|d| d.as_ref().and_then(|d| parse(&d.style)))
}

fn set_root_attribute(theme: Theme) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-theme", name(theme));
    }
}

/// Keeps `signals.theme` and `<html data-theme>` in step with the choice, the dashboard and
/// the OS setting.
pub fn install(signals: AppSignals) {
    let update = move || {
        let theme = resolve(dashboard_style(signals));
        if signals.theme.get_untracked() != theme {
            signals.theme.set(theme);
        }
    };
    Effect::new(move |_| update());
    Effect::new(move |_| set_root_attribute(signals.theme.get()));
    if let Some(query) = os_prefers_light() {
        let on_change = Closure::<dyn Fn()>::new(update);
        let _ =
            query.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        on_change.forget(); // lives as long as the page
    }
}

/// The top-bar switch: saves the user's choice, which then beats the dashboard and the OS.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    let signals = expect_context::<AppSignals>();
    let next = move || match signals.theme.get() {
        Theme::Dark => Theme::Light,
        Theme::Light => Theme::Dark,
    };
    let choose = move |_| {
        let theme = next();
        storage::save(THEME_KEY, name(theme));
        signals.theme.set(theme);
    };
    view! {
        <button class="theme-toggle" data-testid="theme-toggle" data-theme-next=move || name(next())
            title=move || format!("Switch to the {} theme", name(next())) on:click=choose>
            {move || if next() == Theme::Light { "☀" } else { "☾" }}
        </button>
    }
}
