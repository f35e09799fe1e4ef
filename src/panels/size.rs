//! Element size as a signal: a `ResizeObserver` on the element once it is mounted, giving its
//! content box (CSS pixels); (0, 0) until the first observation. The observer is
//! disconnected when the owning reactive scope is cleaned up.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ResizeObserver, ResizeObserverEntry};

/// The content-box size of the `<div>` behind `node`; see module docs.
pub fn element_size(node: NodeRef<leptos::html::Div>) -> ReadSignal<(f64, f64)> {
    let (size, set_size) = signal((0.0, 0.0));
    Effect::new(move |_| {
        let Some(el) = node.get() else { return };
        let callback = Closure::<dyn Fn(js_sys::Array)>::new(move |entries: js_sys::Array| {
            let last = entries
                .iter()
                .filter_map(|e| e.dyn_into::<ResizeObserverEntry>().ok())
                .next_back();
            if let Some(entry) = last {
                let r = entry.content_rect();
                let next = (r.width(), r.height());
                // Only real changes: every set re-lays the panel out.
                if size.get_untracked() != next {
                    set_size.set(next);
                }
            }
        });
        let Ok(observer) = ResizeObserver::new(callback.as_ref().unchecked_ref()) else {
            return;
        };
        observer.observe(&el);
        let kept = StoredValue::new_local((observer, callback));
        on_cleanup(move || {
            kept.try_with_value(|(o, _)| o.disconnect());
        });
    });
    size
}
