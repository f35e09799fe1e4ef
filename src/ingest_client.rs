//! The page's side of the scrape worker: starts it (`scrape_worker_loader.js`, next to
//! `index.html`), sends it scrape requests and hands back its batches; when the worker cannot
//! start (no Worker support, a Content-Security-Policy without `worker-src 'self'`, the file
//! missing, no answer within [`READY_TIMEOUT_MS`]) or dies, scrapes are collected on the main
//! thread instead (`collect::collect`), and [`mode`] says so for the targets page.
//!
//! Contract: [`collect`] always resolves: with the worker's answer, or an error naming the
//! worker if it stopped answering (then later scrapes fall back to the main thread).

use std::cell::RefCell;
use std::collections::HashMap;

use futures::channel::oneshot;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use web_sys::{MessageEvent, Worker};

use crate::collect::{self, message, Collected, ScrapeRequest};

/// The worker's loader script (trunk's loader shim of the `scrape_worker` binary).
const WORKER_URL: &str = "scrape_worker_loader.js";
/// How long the worker may take to load its wasm and say it is ready.
const READY_TIMEOUT_MS: i64 = 20_000;
/// Grace beyond the target's timeout before an unanswered request is given up.
const ANSWER_GRACE_MS: i64 = 30_000;

/// Where scrapes are fetched and parsed.
#[derive(Clone, Debug, PartialEq)]
pub enum Mode {
    Starting,
    Worker,
    /// On the main thread, with the reason the worker is not used.
    MainThread(String),
}

struct Client {
    mode: Mode,
    worker: Option<Worker>,
    next_id: u32,
    pending: HashMap<u32, oneshot::Sender<Collected>>,
    waiting_for_ready: Vec<oneshot::Sender<()>>,
}

thread_local! {
    static CLIENT: RefCell<Client> = RefCell::new(Client {
        mode: Mode::Starting,
        worker: None,
        next_id: 0,
        pending: HashMap::new(),
        waiting_for_ready: Vec::new(),
    });
}

/// Where scrapes run now (for the targets page).
pub fn mode() -> Mode {
    CLIENT.with(|c| c.borrow().mode.clone())
}

/// Starts the worker (once; later calls do nothing).
pub fn start() {
    if CLIENT.with(|c| c.borrow().worker.is_some() || c.borrow().mode != Mode::Starting) {
        return;
    }
    match spawn_worker() {
        Ok(w) => {
            CLIENT.with(|c| c.borrow_mut().worker = Some(w));
            leptos::task::spawn_local(async {
                crate::scrape::sleep_ms(READY_TIMEOUT_MS).await;
                if mode() == Mode::Starting {
                    fall_back(format!(
                        "the scrape worker did not start within {} s",
                        READY_TIMEOUT_MS / 1000
                    ));
                }
            });
        }
        Err(e) => fall_back(format!("the scrape worker could not start: {e}")),
    }
}

fn spawn_worker() -> Result<Worker, String> {
    let worker = Worker::new(WORKER_URL).map_err(|e| js_msg(&e))?;
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|ev: MessageEvent| {
        on_message(&ev.data());
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // A script that cannot load (CSP, missing file) fires a plain `Event`, an exception in
    // the worker an `ErrorEvent` with its message.
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(|ev: web_sys::Event| {
        ev.prevent_default();
        let why = ev
            .dyn_ref::<web_sys::ErrorEvent>()
            .map(|e| e.message())
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| {
                "it could not be loaded (a Content-Security-Policy without worker-src 'self', \
                 or scrape_worker_loader.js missing)"
                    .to_string()
            });
        fall_back(format!("the scrape worker failed: {why}"));
    });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    Ok(worker)
}

fn on_message(data: &JsValue) {
    if message::is_ready(data) {
        let waiting = CLIENT.with(|c| {
            let mut c = c.borrow_mut();
            if c.mode == Mode::Starting {
                c.mode = Mode::Worker;
            }
            std::mem::take(&mut c.waiting_for_ready)
        });
        waiting.into_iter().for_each(|w| {
            let _ = w.send(());
        });
        return;
    }
    if let Some((id, collected)) = message::collected_from_js(data) {
        if let Some(tx) = CLIENT.with(|c| c.borrow_mut().pending.remove(&id)) {
            let _ = tx.send(collected);
        }
    }
}

/// From now on scrapes run on the main thread; requests in flight are answered as failed.
fn fall_back(reason: String) {
    let (worker, waiting) = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        c.mode = Mode::MainThread(reason.clone());
        // Dropping the senders of pending requests makes them fail (see `collect`).
        c.pending.clear();
        (c.worker.take(), std::mem::take(&mut c.waiting_for_ready))
    });
    if let Some(w) = worker {
        w.terminate();
    }
    waiting.into_iter().for_each(|w| {
        let _ = w.send(());
    });
    web_sys::console::warn_1(&format!("Signalboard scrapes on the main thread: {reason}").into());
}

/// Scrapes once, in the worker if it runs, else on this thread.
pub async fn collect(request: &ScrapeRequest) -> Collected {
    if mode() == Mode::Starting {
        let (tx, rx) = oneshot::channel();
        CLIENT.with(|c| c.borrow_mut().waiting_for_ready.push(tx));
        let _ = rx.await;
    }
    let sent = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        let worker = c.worker.clone().filter(|_| c.mode == Mode::Worker)?;
        let id = c.next_id;
        c.next_id = c.next_id.wrapping_add(1);
        let (tx, rx) = oneshot::channel();
        c.pending.insert(id, tx);
        Some((worker, id, rx))
    });
    let Some((worker, id, rx)) = sent else {
        return collect::collect(request).await;
    };
    if let Err(e) = worker.post_message(&message::request_to_js(id, request)) {
        fall_back(format!(
            "the scrape worker refused a message: {}",
            js_msg(&e)
        ));
        return collect::collect(request).await;
    }
    let give_up_ms = request.timeout_ms + ANSWER_GRACE_MS;
    let timeout = crate::scrape::sleep_ms(give_up_ms);
    futures::pin_mut!(timeout);
    match futures::future::select(rx, timeout).await {
        futures::future::Either::Left((Ok(c), _)) => c,
        futures::future::Either::Left((Err(_), _)) => failed("the scrape worker stopped"),
        futures::future::Either::Right(_) => {
            fall_back(format!(
                "the scrape worker did not answer within {} s",
                give_up_ms / 1000
            ));
            failed("the scrape worker did not answer")
        }
    }
}

/// A failure without a batch (the series stay as they are until the next scrape).
fn failed(why: &str) -> Collected {
    Collected {
        batch: signalboard_core::store::encode_batch(&Default::default()),
        error: Some(format!("{why}; scraping continues on the main thread")),
    }
}

fn js_msg(v: &JsValue) -> String {
    if let Some(e) = v.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    v.as_string().unwrap_or_else(|| format!("{v:?}"))
}
