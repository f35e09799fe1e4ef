//! Lazy drawing: a panel is queried and drawn only while it is in (or within
//! [`MARGIN`] of) the viewport, as Grafana does; one shared `IntersectionObserver` watches
//! every panel root. A second one ([`observe_whole`]) tells whether an element lies wholly
//! in the viewport (the shared tooltip's condition). [`DrawLog`] records when new data
//! arrived and when each panel last finished drawing (`performance.now()` ms), for
//! `window.signalboard.drawLog()` and the refresh benchmark.

use std::cell::RefCell;
use std::collections::HashMap;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{Element, IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit};

/// How far outside the viewport a panel already counts as visible: one viewport height above
/// and below, so scrolling finds the next screen drawn already.
pub const MARGIN: &str = "100% 0px";

/// The observer and the visibility signal of each observed element.
struct Watch {
    observer: IntersectionObserver,
    signals: Vec<(Element, RwSignal<bool>)>,
    _callback: Closure<dyn Fn(js_sys::Array)>,
}

/// The visible share of an element from which [`observe_whole`] counts it as wholly in
/// view (not 1.0: a box at a fractional position never quite reaches it).
const WHOLE: f64 = 0.99;

type WatchCell = std::thread::LocalKey<RefCell<Option<Watch>>>;

thread_local! {
    static WATCH: RefCell<Option<Watch>> = const { RefCell::new(None) };
    static WHOLE_WATCH: RefCell<Option<Watch>> = const { RefCell::new(None) };
    static LOG: RefCell<DrawLog> = RefCell::new(DrawLog::default());
}

fn on_entries(watch: &'static WatchCell, whole: bool, entries: js_sys::Array) {
    let changes: Vec<(Element, bool)> = entries
        .iter()
        .filter_map(|e| e.dyn_into::<IntersectionObserverEntry>().ok())
        .map(|e| {
            let seen = e.is_intersecting() && (!whole || e.intersection_ratio() >= WHOLE);
            (e.target(), seen)
        })
        .collect();
    let hits: Vec<(RwSignal<bool>, bool)> = watch.with_borrow(|w| {
        let Some(w) = w else { return Vec::new() };
        changes
            .iter()
            .filter_map(|(el, visible)| {
                w.signals
                    .iter()
                    .find(|(e, _)| e == el)
                    .map(|(_, s)| (*s, *visible))
            })
            .collect()
    });
    // A panel removed since (another page, a collapsed row) has a disposed signal: skip it.
    for (signal, visible) in hits {
        if signal.try_get_untracked().is_some_and(|was| was != visible) {
            let _ = signal.try_set(visible);
        }
    }
}

fn new_watch(watch: &'static WatchCell, whole: bool) -> Option<Watch> {
    let callback =
        Closure::<dyn Fn(js_sys::Array)>::new(move |entries| on_entries(watch, whole, entries));
    let init = IntersectionObserverInit::new();
    if whole {
        init.set_threshold(&JsValue::from_f64(WHOLE));
    } else {
        init.set_root_margin(MARGIN);
    }
    let observer =
        IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &init).ok()?;
    Some(Watch {
        observer,
        signals: Vec::new(),
        _callback: callback,
    })
}

/// Starts watching `el`; `visible` follows whether it is near the viewport. Without
/// IntersectionObserver the panel is simply always visible.
pub fn observe(el: &Element, visible: RwSignal<bool>) {
    watch_with(&WATCH, false, el, visible);
}

/// Starts watching `el`; `whole` follows whether it lies wholly in the viewport (always
/// true without IntersectionObserver).
pub fn observe_whole(el: &Element, whole: RwSignal<bool>) {
    watch_with(&WHOLE_WATCH, true, el, whole);
}

fn watch_with(watch: &'static WatchCell, whole: bool, el: &Element, visible: RwSignal<bool>) {
    let watched = watch.with_borrow_mut(|w| {
        if w.is_none() {
            *w = new_watch(watch, whole);
        }
        let w = w.as_mut()?;
        // Forget panels that were removed (a dashboard switch, a collapsed row): their signal
        // is disposed. (Not "disconnected": a panel is built before it is attached.)
        for (gone, _) in w
            .signals
            .iter()
            .filter(|(_, v)| v.try_get_untracked().is_none())
        {
            w.observer.unobserve(gone);
        }
        w.signals.retain(|(_, v)| v.try_get_untracked().is_some());
        w.observer.observe(el);
        w.signals.push((el.clone(), visible));
        Some(())
    });
    if watched.is_none() {
        visible.set(true);
    }
}

/// When new data arrived and when each panel last finished drawing (performance.now() ms).
#[derive(Default)]
pub struct DrawLog {
    data_version: u64,
    data_at: f64,
    /// panel id → (data version drawn, when).
    drawn: HashMap<u64, (u64, f64)>,
}

fn perf_now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Records when each new data version (a scrape) becomes available.
pub fn log_data_versions(data_version: RwSignal<u64>) {
    Effect::new(move |_| {
        let version = data_version.get();
        LOG.with_borrow_mut(|l| {
            l.data_version = version;
            l.data_at = perf_now();
        });
    });
}

/// Records, once the panel's view effects ran and the queued chart draws are done
/// (`draw_queue`), that panel `id` has drawn data version `version`; then sets `drawn`.
pub fn log_drawn(id: u64, version: u64, drawn: RwSignal<bool>) {
    super::draw_queue::after_draws(move || {
        LOG.with_borrow_mut(|l| l.drawn.insert(id, (version, perf_now())));
        let _ = drawn.try_set(true);
    });
}

/// `window.signalboard.drawLog()`: `{dataVersion, dataAt, panels: [{id, version, drawnAt}]}`.
pub fn report() -> serde_json::Value {
    LOG.with_borrow(|l| {
        let panels: Vec<serde_json::Value> = l
            .drawn
            .iter()
            .map(|(id, (version, at))| serde_json::json!({"id": id, "version": version, "drawnAt": at}))
            .collect();
        serde_json::json!({"dataVersion": l.data_version, "dataAt": l.data_at, "panels": panels})
    })
}
