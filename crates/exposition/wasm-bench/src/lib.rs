//! The exposition parser compiled to wasm for a throughput measurement: the text is loaded
//! once into wasm memory, then parsed repeatedly, so only parsing is timed (like natively).

use std::cell::RefCell;

use signalboard_exposition::{parse, Format};
use wasm_bindgen::prelude::wasm_bindgen;

thread_local! {
    static TEXT: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Keep `text` in wasm memory for [`parse_loaded`].
#[wasm_bindgen]
pub fn load(text: String) {
    TEXT.with(|t| *t.borrow_mut() = text);
}

/// Parse the loaded text as Prometheus text; the sample count, or -1 on a parse error.
#[wasm_bindgen]
pub fn parse_loaded() -> f64 {
    TEXT.with(|t| match parse(&t.borrow(), Format::Prometheus) {
        Ok(exp) => exp.sample_count() as f64,
        Err(_) => -1.0,
    })
}
