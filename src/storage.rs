//! localStorage persistence of user settings (config, last opened dashboard, the dashboard
//! library). Never scraped samples. [`save`] fails silently (persistence of settings is a
//! convenience); [`try_save`] reports, for what the user explicitly asked to keep.

pub const CONFIG_KEY: &str = "signalboard.config";
pub const DASHBOARD_KEY: &str = "signalboard.dashboard";

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn load(key: &str) -> Option<String> {
    local()?.get_item(key).ok()?
}

pub fn save(key: &str, value: &str) {
    let _ = try_save(key, value);
}

/// Like [`save`], for callers that tell the user when it failed.
pub fn try_save(key: &str, value: &str) -> Result<(), String> {
    let s = local().ok_or("localStorage is not available")?;
    s.set_item(key, value)
        .map_err(|e| format!("{e:?}").chars().take(200).collect())
}

pub fn remove(key: &str) {
    if let Some(s) = local() {
        let _ = s.remove_item(key);
    }
}
