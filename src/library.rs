//! The dashboard library in the browser: every dashboard the user imported, kept in
//! localStorage by uid (the Grafana JSON text as imported, so nothing is lost to our model),
//! listed, opened (`?d=UID` reopens one), renamed and deleted on the Dashboards page.
//!
//! Contract: the list manipulations are pure functions over `Vec<Entry>` (tested natively);
//! storage failures (quota, private mode) come back as messages for a notice, never panics.

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use crate::storage;

const KEY: &str = "signalboard.library";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub uid: String,
    pub title: String,
    /// The dashboard JSON as imported (title rewritten by renames).
    pub json: String,
    /// Unix ms of the last save.
    pub saved_ms: f64,
}

/// Every saved dashboard, most recently saved first.
pub fn list() -> Vec<Entry> {
    let mut entries: Vec<Entry> = storage::load(KEY)
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    entries.sort_by(|a, b| b.saved_ms.total_cmp(&a.saved_ms));
    entries
}

pub fn get(uid: &str) -> Option<Entry> {
    list().into_iter().find(|e| e.uid == uid)
}

fn store(entries: &[Entry]) -> Result<(), String> {
    let text = serde_json::to_string(entries).map_err(|e| e.to_string())?;
    storage::try_save(KEY, &text)
        .map_err(|e| format!("dashboard library not saved (browser storage full?): {e}"))
}

/// Saves (or replaces, by uid) a dashboard; returns the uid it is kept under.
pub fn save(uid: &str, title: &str, json: &str, now_ms: f64) -> Result<String, String> {
    let mut entries = list();
    let uid = upsert(&mut entries, uid, title, json, now_ms);
    store(&entries)?;
    Ok(uid)
}

pub fn rename(uid: &str, title: &str) -> Result<(), String> {
    let mut entries = list();
    retitle(&mut entries, uid, title)?;
    store(&entries)
}

pub fn delete(uid: &str) -> Result<(), String> {
    let mut entries = list();
    entries.retain(|e| e.uid != uid);
    store(&entries)
}

/// Inserts or replaces; a dashboard without uid gets one derived from its title and content,
/// so importing the same file twice keeps one entry.
pub fn upsert(entries: &mut Vec<Entry>, uid: &str, title: &str, json: &str, now_ms: f64) -> String {
    let uid = if uid.trim().is_empty() {
        format!(
            "local-{:016x}",
            fnv1a(format!("{title}\u{0}{json}").as_bytes())
        )
    } else {
        uid.to_string()
    };
    entries.retain(|e| e.uid != uid);
    entries.push(Entry {
        uid: uid.clone(),
        title: title.to_string(),
        json: json.to_string(),
        saved_ms: now_ms,
    });
    uid
}

/// Renames an entry, in the list and inside its JSON (root, `.dashboard` or `.spec`, wherever
/// the import found the dashboard).
pub fn retitle(entries: &mut [Entry], uid: &str, title: &str) -> Result<(), String> {
    let title = title.trim();
    if title.is_empty() {
        return Err("a dashboard needs a title".into());
    }
    let entry = entries
        .iter_mut()
        .find(|e| e.uid == uid)
        .ok_or_else(|| format!("no dashboard {uid} in the library"))?;
    let mut doc: Json = serde_json::from_str(&entry.json).map_err(|e| e.to_string())?;
    let target = match doc {
        Json::Object(ref mut root) if root.get("dashboard").is_some_and(Json::is_object) => {
            root.get_mut("dashboard")
        }
        Json::Object(ref mut root) if root.get("spec").is_some_and(Json::is_object) => {
            root.get_mut("spec")
        }
        ref mut other => Some(other),
    };
    if let Some(Json::Object(d)) = target {
        d.insert("title".into(), Json::String(title.to_string()));
    }
    entry.json = serde_json::to_string(&doc).map_err(|e| e.to_string())?;
    entry.title = title.to_string();
    Ok(())
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn same_file_twice_is_one_entry_and_uids_are_kept() {
        let mut e = Vec::new();
        let a = upsert(&mut e, "", "Node", r#"{"title":"Node"}"#, 1.0);
        let b = upsert(&mut e, "", "Node", r#"{"title":"Node"}"#, 2.0);
        assert_eq!(a, b);
        assert!(a.starts_with("local-"));
        upsert(&mut e, "abc", "Other", r#"{"uid":"abc"}"#, 3.0);
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].saved_ms, 2.0);
    }

    #[test]
    fn rename_rewrites_the_title_where_the_dashboard_is() {
        let mut e = Vec::new();
        upsert(&mut e, "r", "Root", r#"{"title":"Root","panels":[]}"#, 1.0);
        upsert(
            &mut e,
            "w",
            "Wrapped",
            r#"{"dashboard":{"title":"Wrapped"},"meta":{}}"#,
            1.0,
        );
        retitle(&mut e, "r", " New ").unwrap();
        retitle(&mut e, "w", "W2").unwrap();
        assert_eq!(e[0].title, "New");
        assert!(e[0].json.contains(r#""title":"New""#), "{}", e[0].json);
        assert!(
            e[1].json.contains(r#""dashboard":{"title":"W2"}"#),
            "{}",
            e[1].json
        );
        assert!(retitle(&mut e, "r", "  ").is_err());
        assert!(retitle(&mut e, "missing", "x").is_err());
    }
}
