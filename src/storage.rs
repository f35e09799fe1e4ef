//! localStorage persistence of user settings (config, last imported dashboard). Never
//! scraped samples. All failures (private mode, quota) are silent: persistence is a
//! convenience, not a requirement.

pub const CONFIG_KEY: &str = "signalboard.config";
pub const DASHBOARD_KEY: &str = "signalboard.dashboard";

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn load(key: &str) -> Option<String> {
    local()?.get_item(key).ok()?
}

pub fn save(key: &str, value: &str) {
    if let Some(s) = local() {
        let _ = s.set_item(key, value);
    }
}
