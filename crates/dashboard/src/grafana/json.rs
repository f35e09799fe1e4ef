//! Tolerant readers over `serde_json::Value` and small writers for export.
//!
//! Contract: readers never fail — a wrong type reads as `None`/empty; numbers may be given
//! as strings (`"100"`, `" 0.5 "`, `"250px"` for heights), booleans as `"true"`/`"false"`.

use serde_json::{Map, Value};

pub(crate) fn get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.get(key).filter(|x| !x.is_null())
}

/// A number, or a string holding one (an optional `px` suffix is ignored).
pub(crate) fn num(v: Option<&Value>) -> Option<f64> {
    match v? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s
            .trim()
            .trim_end_matches("px")
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite()),
        _ => None,
    }
}

/// A non-negative integer up to 2^53 (JavaScript's safe range); larger values read as `None`.
pub(crate) fn uint(v: Option<&Value>) -> Option<u64> {
    num(v)
        .filter(|f| (0.0..=9_007_199_254_740_992.0).contains(f))
        .map(|f| f as u64)
}

pub(crate) fn string(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A string that is present and not empty.
pub(crate) fn nonempty(v: Option<&Value>) -> Option<String> {
    string(v).filter(|s| !s.is_empty())
}

pub(crate) fn text(v: Option<&Value>) -> String {
    string(v).unwrap_or_default()
}

pub(crate) fn boolean(v: Option<&Value>) -> Option<bool> {
    match v? {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s == "true" => Some(true),
        Value::String(s) if s == "false" => Some(false),
        Value::Number(n) => n.as_f64().map(|f| f != 0.0),
        _ => None,
    }
}

pub(crate) fn flag(v: Option<&Value>) -> bool {
    boolean(v).unwrap_or(false)
}

pub(crate) fn array(v: Option<&Value>) -> &[Value] {
    match v {
        Some(Value::Array(items)) => items,
        _ => &[],
    }
}

pub(crate) fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(items)) => items.iter().filter_map(|i| string(Some(i))).collect(),
        Some(other) => string(Some(other)).into_iter().collect(),
        None => Vec::new(),
    }
}

/// Builds a JSON object, skipping `None` values.
#[derive(Default)]
pub(crate) struct Obj(Map<String, Value>);

impl Obj {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn set(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.0.insert(key.to_string(), value.into());
        self
    }

    pub(crate) fn opt(self, key: &str, value: Option<impl Into<Value>>) -> Self {
        match value {
            Some(v) => self.set(key, v),
            None => self,
        }
    }

    pub(crate) fn build(self) -> Value {
        Value::Object(self.0)
    }
}

/// A float as JSON, written as an integer when it is one (so `80` stays `80`, not `80.0`).
pub(crate) fn number(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 9e15 {
        Value::from(f as i64)
    } else {
        serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
    }
}
