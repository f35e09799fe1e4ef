//! Chart redraws on new data go through one queue drained in animation frames, a few
//! milliseconds of drawing per frame ([`BUDGET_MS`]; at least one job each frame), so a
//! refresh of 20 panels spreads over frames instead of landing in one (hovering with the
//! shared crosshair or tooltip keeps its frame rate while panels redraw). A job queued
//! again before it ran replaces the pending one (only the latest data is drawn).
//!
//! Nobody waits for frames while nobody interacts: when no pointer move or press, wheel,
//! scroll or key came in the last [`IDLE_AFTER_MS`], a frame draws for up to
//! [`IDLE_BUDGET_MS`] ([`budget_ms`]), so a full refresh of a large dashboard takes a few
//! frames instead of dozens (125 panels: about 35 frames at the small budget).
//!
//! [`after_draws`] runs a callback in the first frame that ends with the queue empty, so
//! after every draw queued before it (the draw log's "drawn" stamp).

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Drawing time per frame before the rest waits for the next one, while the user interacts.
pub const BUDGET_MS: f64 = 6.0;

/// Drawing time per frame while nobody interacts: below a 50 ms long task with the frame's
/// own work, so an input arriving meanwhile waits at most about that long.
pub const IDLE_BUDGET_MS: f64 = 40.0;

/// How long after the last input the page counts as idle.
pub const IDLE_AFTER_MS: f64 = 300.0;

/// The inputs that make the page count as interacting (window, capture phase, passive).
const INPUTS: [&str; 5] = ["pointermove", "pointerdown", "wheel", "scroll", "keydown"];

/// The drawing budget of a frame starting `since_input_ms` after the last input
/// (`f64::INFINITY` when there was none).
pub fn budget_ms(since_input_ms: f64) -> f64 {
    if since_input_ms >= IDLE_AFTER_MS {
        IDLE_BUDGET_MS
    } else {
        BUDGET_MS
    }
}

type Job = Rc<dyn Fn()>;

#[derive(Default)]
struct Queue {
    /// Pending draws by key, oldest first.
    jobs: Vec<(u64, Job)>,
    /// Callbacks waiting for the jobs queued before them.
    after: Vec<Box<dyn FnOnce()>>,
    frame_requested: bool,
}

thread_local! {
    static QUEUE: RefCell<Queue> = RefCell::new(Queue::default());
    static NEXT_KEY: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    /// `performance.now()` of the last input; None until the input listeners are installed.
    static LAST_INPUT: std::cell::Cell<Option<f64>> = const { std::cell::Cell::new(None) };
}

/// Installs the input listeners once (they live as long as the page).
fn watch_inputs() {
    if LAST_INPUT.get().is_some() {
        return;
    }
    LAST_INPUT.set(Some(f64::NEG_INFINITY));
    let Some(w) = web_sys::window() else { return };
    let on_input = Closure::<dyn Fn()>::new(|| LAST_INPUT.set(Some(now())));
    let options = web_sys::AddEventListenerOptions::new();
    options.set_capture(true);
    options.set_passive(true);
    for name in INPUTS {
        let _ = w.add_event_listener_with_callback_and_add_event_listener_options(
            name,
            on_input.as_ref().unchecked_ref(),
            &options,
        );
    }
    on_input.forget();
}

/// A key no other caller has (one per chart instance).
pub fn new_key() -> u64 {
    NEXT_KEY.with(|k| {
        let key = k.get();
        k.set(key + 1);
        key
    })
}

/// Queues `job` under `key` (replacing a pending job of the same key, which keeps its place).
pub fn schedule(key: u64, job: Job) {
    watch_inputs();
    QUEUE.with_borrow_mut(|q| match q.jobs.iter_mut().find(|(k, _)| *k == key) {
        Some(slot) => slot.1 = job,
        None => q.jobs.push((key, job)),
    });
    request_frame();
}

/// Drops the pending job of `key` (its panel is gone).
pub fn cancel(key: u64) {
    QUEUE.with_borrow_mut(|q| q.jobs.retain(|(k, _)| *k != key));
}

/// Runs `then` in the frame where the queue has no more jobs.
pub fn after_draws(then: impl FnOnce() + 'static) {
    QUEUE.with_borrow_mut(|q| q.after.push(Box::new(then)));
    request_frame();
}

fn request_frame() {
    let requested = QUEUE.with_borrow_mut(|q| std::mem::replace(&mut q.frame_requested, true));
    if requested {
        return;
    }
    let frame = Closure::once_into_js(drain);
    let ok = web_sys::window()
        .map(|w| w.request_animation_frame(frame.unchecked_ref()).is_ok())
        .unwrap_or(false);
    if !ok {
        QUEUE.with_borrow_mut(|q| q.frame_requested = false);
    }
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

fn drain() {
    QUEUE.with_borrow_mut(|q| q.frame_requested = false);
    let start = now();
    let budget = budget_ms(start - LAST_INPUT.get().unwrap_or(f64::NEG_INFINITY));
    loop {
        // Taken out before running: a job may queue another (its own panel's next draw).
        let next = QUEUE.with_borrow_mut(|q| (!q.jobs.is_empty()).then(|| q.jobs.remove(0)));
        let Some((_, job)) = next else { break };
        job();
        if now() - start >= budget {
            break;
        }
    }
    let (more, after) = QUEUE.with_borrow_mut(|q| {
        let more = !q.jobs.is_empty();
        let after = if more {
            Vec::new()
        } else {
            std::mem::take(&mut q.after)
        };
        (more, after)
    });
    for then in after {
        then();
    }
    if more {
        request_frame();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_grows_only_once_inputs_stopped() {
        assert_eq!(budget_ms(0.0), BUDGET_MS);
        assert_eq!(budget_ms(IDLE_AFTER_MS - 1.0), BUDGET_MS);
        assert_eq!(budget_ms(IDLE_AFTER_MS), IDLE_BUDGET_MS);
        assert_eq!(budget_ms(f64::INFINITY), IDLE_BUDGET_MS);
        assert!(budget_ms(f64::INFINITY) > budget_ms(0.0));
    }
}
