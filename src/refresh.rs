//! The dashboard's auto-refresh (`"refresh": "30s"`): bumps [`AppSignals::refresh_tick`], on
//! which panels fed by a Prometheus API datasource re-query. In-browser panels follow the
//! scrapes instead (`data_version`). Without a refresh setting, API panels refresh every 30 s.

use leptos::prelude::*;
use signalboard_core::dashboard::interval::parse_duration_ms;

use crate::app::AppSignals;

const DEFAULT_MS: u64 = 30_000;
/// Grafana's own floor for auto-refresh.
const MIN_MS: u64 = 1_000;

pub fn install(signals: AppSignals) {
    let handle: StoredValue<Option<IntervalHandle>> = StoredValue::new(None);
    Effect::new(move |_| {
        let every = signals
            .dashboard
            .with(|d| {
                d.as_ref()
                    .and_then(|d| d.refresh.as_deref().and_then(parse_duration_ms))
            })
            .unwrap_or(DEFAULT_MS)
            .max(MIN_MS);
        if let Some(h) = handle.get_value() {
            h.clear();
        }
        let h = set_interval_with_handle(
            move || signals.refresh_tick.update(|t| *t += 1),
            std::time::Duration::from_millis(every),
        )
        .ok();
        handle.set_value(h);
    });
}
