//! The dashboard time range: Grafana's relative strings (`now-15m`, `now`), resolved against
//! the clock when queries run; the picker in the top bar; kept in the URL (`?from=&to=`).

use leptos::prelude::*;
use signalboard_core::dashboard::{parse_time, Dashboard};

use crate::app::AppSignals;
use crate::url_state;

#[derive(Clone, Debug, PartialEq)]
pub struct TimeRange {
    pub from: String,
    pub to: String,
}

impl Default for TimeRange {
    fn default() -> Self {
        TimeRange {
            from: "now-15m".into(),
            to: "now".into(),
        }
    }
}

impl TimeRange {
    /// The URL's `from`/`to` win over the dashboard's own time.
    pub fn from_dashboard(d: &Dashboard) -> TimeRange {
        let q = |n: &str| url_state::query_values(n).into_iter().next();
        TimeRange {
            from: q("from").unwrap_or_else(|| d.time.from.clone()),
            to: q("to").unwrap_or_else(|| d.time.to.clone()),
        }
    }

    /// Absolute `(start_ms, end_ms)` at `now_ms`; falls back to the last 15 minutes when a
    /// bound cannot be read.
    pub fn resolve(&self, now_ms: i64) -> (i64, i64) {
        let end = resolve_point(&self.to, now_ms, true).unwrap_or(now_ms);
        let start = resolve_point(&self.from, now_ms, false).unwrap_or(end - 15 * 60_000);
        if start >= end {
            (end - 15 * 60_000, end)
        } else {
            (start, end)
        }
    }
}

/// A Grafana time expression (`now`, `now-5m`, `now-1d/d`, ISO dates, epoch ms) in local time.
pub fn resolve_point(s: &str, now_ms: i64, round_up: bool) -> Option<i64> {
    let offset = -(js_sys::Date::new_0().get_timezone_offset() as i32);
    parse_time(s, now_ms, round_up, offset)
}

const CHOICES: [(&str, &str); 9] = [
    ("now-5m", "Last 5 minutes"),
    ("now-15m", "Last 15 minutes"),
    ("now-30m", "Last 30 minutes"),
    ("now-1h", "Last 1 hour"),
    ("now-3h", "Last 3 hours"),
    ("now-6h", "Last 6 hours"),
    ("now-12h", "Last 12 hours"),
    ("now-24h", "Last 24 hours"),
    ("now-7d", "Last 7 days"),
];

thread_local! {
    static REFRESH_NOW: std::cell::RefCell<Option<(RefreshKey, i64)>> =
        const { std::cell::RefCell::new(None) };
}

/// What identifies one refresh of the dashboard: the refresh tick, the data version and the
/// range itself.
type RefreshKey = (u64, u64, TimeRange);

/// "now" for one refresh, the same for every panel (as Grafana resolves the range once per
/// refresh), so identical queries of several panels are the same request.
pub fn refresh_now(refresh_tick: u64, data_version: u64, range: &TimeRange) -> i64 {
    let key = (refresh_tick, data_version, range.clone());
    REFRESH_NOW.with(|cell| {
        let mut cell = cell.borrow_mut();
        match &*cell {
            Some((k, now)) if *k == key => *now,
            _ => {
                let now = crate::engine::now_ms() as i64;
                *cell = Some((key, now));
                now
            }
        }
    })
}

/// Sets the range and keeps it in the URL.
fn set_range(signals: AppSignals, range: TimeRange) {
    url_state::set_query_values("from", std::slice::from_ref(&range.from));
    url_state::set_query_values("to", std::slice::from_ref(&range.to));
    signals.time_range.set(range);
}

/// The time range controls in the top bar: Grafana's quick ranges, and an absolute or
/// relative range typed in (`2026-11-22 10:00`, `now-2d/d`, epoch ms).
#[component]
pub fn TimePicker() -> impl IntoView {
    let signals = expect_context::<AppSignals>();
    let on_change = move |ev: leptos::ev::Event| {
        let from = event_target_value(&ev);
        if from == CUSTOM {
            return;
        }
        set_range(
            signals,
            TimeRange {
                from,
                to: "now".into(),
            },
        );
    };
    let from_text = RwSignal::new(String::new());
    let to_text = RwSignal::new(String::new());
    let error = RwSignal::new(String::new());
    Effect::new(move |_| {
        let r = signals.time_range.get();
        from_text.set(r.from);
        to_text.set(r.to);
    });
    let apply = move |_| {
        let (from, to) = (from_text.get_untracked(), to_text.get_untracked());
        let now = crate::engine::now_ms() as i64;
        match (
            resolve_point(&from, now, false),
            resolve_point(&to, now, true),
        ) {
            (Some(a), Some(b)) if a < b => {
                error.set(String::new());
                set_range(signals, TimeRange { from, to });
            }
            (Some(_), Some(_)) => error.set("the range must start before it ends".into()),
            (None, _) => error.set(format!("cannot read \"{from}\" as a time")),
            (_, None) => error.set(format!("cannot read \"{to}\" as a time")),
        }
    };
    let selected = move || {
        let r = signals.time_range.get();
        if r.to == "now" && CHOICES.iter().any(|(v, _)| *v == r.from) {
            r.from
        } else {
            CUSTOM.to_string()
        }
    };
    view! {
        <label class="hint">"Time range "
            <select data-testid="time-range" on:change=on_change prop:value=selected>
                {CHOICES
                    .iter()
                    .map(|(v, label)| view! { <option value=*v>{*label}</option> })
                    .collect_view()}
                <option value=CUSTOM>"Custom"</option>
            </select>
        </label>
        <details class="time-custom">
            <summary class="hint">"⋯"</summary>
            <div class="time-custom-form">
                <label>"From " <input data-testid="time-from" prop:value=move || from_text.get()
                    on:input=move |ev| from_text.set(event_target_value(&ev)) /></label>
                <label>"To " <input data-testid="time-to" prop:value=move || to_text.get()
                    on:input=move |ev| to_text.set(event_target_value(&ev)) /></label>
                <button data-testid="time-apply" on:click=apply>"Apply"</button>
                <Show when=move || !error.get().is_empty()>
                    <div class="error-text" data-time-error="">{move || error.get()}</div>
                </Show>
            </div>
        </details>
    }
}

const CUSTOM: &str = "custom";
