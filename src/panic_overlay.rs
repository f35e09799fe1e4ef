//! Last line of defence: if a panic slips through despite the no-unwrap rule, show a visible
//! error with a reload button instead of a silently dead page (the wasm instance is unusable
//! after a panic, so reloading is the only honest recovery).

use wasm_bindgen::JsCast;

pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show(&info.to_string());
    }));
}

fn show(message: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = doc.body() else {
        return;
    };
    let build = || -> Option<web_sys::Element> {
        let overlay = doc.create_element("div").ok()?;
        overlay.set_class_name("panic-overlay");
        let _ = overlay.set_attribute("data-panic", "");
        let card = doc.create_element("div").ok()?;
        let title = doc.create_element("h2").ok()?;
        title.set_text_content(Some("Signalboard hit an internal error"));
        let text = doc.create_element("pre").ok()?;
        text.set_text_content(Some(message));
        // A plain link, not a script handler: works under a strict CSP and after the
        // wasm instance has trapped.
        let button = doc.create_element("a").ok()?;
        button.set_text_content(Some("Reload"));
        let href = web_sys::window()
            .and_then(|w| w.location().href().ok())
            .unwrap_or_default();
        let _ = button.set_attribute("href", &href);
        card.append_child(&title).ok()?;
        card.append_child(&text).ok()?;
        card.append_child(&button).ok()?;
        overlay.append_child(&card).ok()?;
        Some(overlay)
    };
    if let Some(o) = build() {
        let _ = body.append_child(o.unchecked_ref());
    }
}
