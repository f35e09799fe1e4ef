//! The dashboard time range: Grafana's relative strings (`now-15m`, `now`), resolved against
//! the clock when queries run; the picker in the top bar; kept in the URL (`?from=&to=`).

use leptos::prelude::*;
use signalboard_core::config::parse_duration;
use signalboard_core::dashboard::Dashboard;

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
        let end = resolve_point(&self.to, now_ms).unwrap_or(now_ms);
        let start = resolve_point(&self.from, now_ms).unwrap_or(end - 15 * 60_000);
        if start >= end {
            (end - 15 * 60_000, end)
        } else {
            (start, end)
        }
    }
}

/// `now`, `now-5m`, `now+1h`, `now-1d/d` (rounding ignored), or Unix milliseconds.
pub fn resolve_point(s: &str, now_ms: i64) -> Option<i64> {
    let s = s.trim();
    if let Some(rest) = s.strip_prefix("now") {
        let rest = rest.split('/').next().unwrap_or("");
        if rest.is_empty() {
            return Some(now_ms);
        }
        let (sign, dur) = match rest.split_at_checked(1)? {
            ("-", d) => (-1, d),
            ("+", d) => (1, d),
            _ => return None,
        };
        // Grafana allows `M` for months; treat as 30 days.
        let ms = if let Some(n) = dur.strip_suffix('M') {
            n.parse::<i64>().ok()?.checked_mul(30 * 86_400_000)?
        } else {
            parse_duration(dur).ok()?
        };
        return now_ms.checked_add(sign * ms);
    }
    s.parse::<i64>().ok()
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

/// The time range dropdown in the top bar.
#[component]
pub fn TimePicker() -> impl IntoView {
    let signals = expect_context::<AppSignals>();
    let on_change = move |ev: leptos::ev::Event| {
        let from = event_target_value(&ev);
        url_state::set_query_values("from", std::slice::from_ref(&from));
        url_state::set_query_values("to", &["now".to_string()]);
        signals.time_range.set(TimeRange {
            from,
            to: "now".into(),
        });
    };
    view! {
        <label class="hint">"Time range "
            <select data-testid="time-range" on:change=on_change prop:value=move || signals.time_range.get().from>
                {CHOICES
                    .iter()
                    .map(|(v, label)| view! { <option value=*v>{*label}</option> })
                    .collect_view()}
            </select>
        </label>
    }
}
