//! View state in the URL query string (no server-side routing needed: works from any
//! static host and sub-path). Reading is tolerant; writing uses `history.replaceState`.

use web_sys::UrlSearchParams;

fn params() -> Option<UrlSearchParams> {
    let search = web_sys::window()?.location().search().ok()?;
    UrlSearchParams::new_with_str(&search).ok()
}

/// All values of a (repeatable) query parameter.
pub fn query_values(name: &str) -> Vec<String> {
    let Some(p) = params() else {
        return Vec::new();
    };
    p.get_all(name)
        .iter()
        .filter_map(|v| v.as_string())
        .filter(|v| !v.is_empty())
        .collect()
}

/// Replaces all values of `name` with `values` without reloading the page.
pub fn set_query_values(name: &str, values: &[String]) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(p) = params() else {
        return;
    };
    p.delete(name);
    for v in values {
        p.append(name, v);
    }
    let hash = window.location().hash().unwrap_or_default();
    let query = String::from(p.to_string());
    let url = if query.is_empty() {
        format!("?{hash}")
    } else {
        format!("?{query}{hash}")
    };
    if let Ok(h) = window.history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}
