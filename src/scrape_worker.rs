//! The scrape worker (binary `scrape_worker`, a dedicated Web Worker started by
//! `ingest_client.rs`): fetches, parses and numbers scrapes off the page's main thread.
//!
//! Contract: announces itself with `message::ready()`, then answers every
//! `message::request_to_js` with `message::collected_to_js` (same id), concurrently for
//! different targets; the batch buffer is transferred, not copied.

use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::collect::{self, message};

/// Installs the message handler and tells the page the worker is ready.
pub fn run() {
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
        return;
    };
    let replies = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let Some((id, request)) = message::request_from_js(&ev.data()) else {
            return;
        };
        let replies = replies.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let collected = collect::collect(&request).await;
            let (msg, transfer) = message::collected_to_js(id, &collected);
            let _ = replies.post_message_with_transfer(&msg, &transfer);
        });
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    let _ = scope.post_message(&message::ready());
}
