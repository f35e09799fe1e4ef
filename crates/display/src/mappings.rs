//! Value mappings (`fieldConfig.defaults.mappings`): replace a value's text and/or colour.
//!
//! Contract (Grafana's `getValueMappingResult`): mappings are tried in array order and the
//! first that matches wins.
//! - `value`: the value's JavaScript string (`1`, `1.5`, `NaN`, `true`, the text itself)
//!   is looked up among the option keys; null never matches.
//! - `range`: the value as a number (`parseFloat`; booleans and null never match) must
//!   satisfy `from <= v <= to`; a missing bound is open. Grafana's JS coerces a JSON
//!   `null` bound to 0 — callers importing `null` should pass `Some(0.0)` to match.
//! - `regex`: only text values; the pattern follows Grafana's `stringToJsRegex` (anchored
//!   `^…$` unless written `/…/flags`), the result text may use `$1` groups. Patterns the
//!   small matcher in [`crate::minire`] cannot compile never match.
//! - `special`: `null`, `nan` (JS `isNaN`: NaN or non-numeric text), `null+nan`, `true`,
//!   `false` (boolean or the text), `empty` (the empty text).
//!
//! Mappings apply before thresholds; see [`crate::display`].

use crate::jsnum::{js_parse_float, js_string_to_number, to_js_string};
use crate::minire::Regex;

/// A value as Grafana's mapping code sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MappingValue<'a> {
    Null,
    Number(f64),
    Bool(bool),
    Text(&'a str),
}

/// What a matching mapping sets (either part may be absent).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MappingResult {
    /// Replacement display text.
    pub text: Option<String>,
    /// Colour name or CSS colour, unresolved.
    pub color: Option<String>,
    /// Grafana's ordering index (editor only; not used for matching).
    pub index: Option<i64>,
}

/// Special-value matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecialMatch {
    Null,
    NaN,
    NullAndNaN,
    True,
    False,
    Empty,
}

impl SpecialMatch {
    /// Parses Grafana's `match` strings (`null`, `nan`, `null+nan`, `true`, `false`, `empty`).
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "null" => Self::Null,
            "nan" => Self::NaN,
            "null+nan" => Self::NullAndNaN,
            "true" => Self::True,
            "false" => Self::False,
            "empty" => Self::Empty,
            _ => return None,
        })
    }
}

/// One value mapping.
#[derive(Debug, Clone)]
pub enum ValueMapping {
    /// Exact matches by the value's JS string.
    Value(Vec<(String, MappingResult)>),
    /// Inclusive numeric range; `None` bounds are open.
    Range {
        from: Option<f64>,
        to: Option<f64>,
        result: MappingResult,
    },
    /// Text values matching a pattern.
    Regex {
        pattern: String,
        result: MappingResult,
    },
    /// Null / NaN / boolean / empty matches.
    Special {
        matches: SpecialMatch,
        result: MappingResult,
    },
}

impl ValueMapping {
    /// A legacy singlestat `valueMaps` entry (`value: "null"` becomes a null match).
    pub fn from_legacy_value_map(value: &str, text: &str) -> Self {
        let result = MappingResult {
            text: Some(text.to_string()),
            ..MappingResult::default()
        };
        if value == "null" {
            Self::Special {
                matches: SpecialMatch::Null,
                result,
            }
        } else {
            Self::Value(vec![(value.to_string(), result)])
        }
    }

    /// A legacy singlestat `rangeMaps` entry (a `"null"` bound becomes a null match).
    pub fn from_legacy_range_map(from: &str, to: &str, text: &str) -> Self {
        let result = MappingResult {
            text: Some(text.to_string()),
            ..MappingResult::default()
        };
        if from == "null" || to == "null" {
            return Self::Special {
                matches: SpecialMatch::Null,
                result,
            };
        }
        Self::Range {
            from: Some(js_string_to_number(from)),
            to: Some(js_string_to_number(to)),
            result,
        }
    }

    fn try_match(&self, value: MappingValue<'_>) -> Option<MappingResult> {
        match self {
            Self::Value(options) => match_value(options, value),
            Self::Range { from, to, result } => {
                match_range(*from, *to, value).then(|| result.clone())
            }
            Self::Regex { pattern, result } => match_regex(pattern, result, value),
            Self::Special { matches, result } => {
                match_special(*matches, value).then(|| result.clone())
            }
        }
    }
}

/// The first matching mapping's result, or `None`.
pub fn apply_mappings(mappings: &[ValueMapping], value: MappingValue<'_>) -> Option<MappingResult> {
    mappings.iter().find_map(|m| m.try_match(value))
}

/// The JS property key a value is looked up by.
fn js_key(value: MappingValue<'_>) -> Option<String> {
    match value {
        MappingValue::Null => None,
        MappingValue::Number(n) => Some(to_js_string(n)),
        MappingValue::Bool(b) => Some(b.to_string()),
        MappingValue::Text(t) => Some(t.to_string()),
    }
}

fn match_value(
    options: &[(String, MappingResult)],
    value: MappingValue<'_>,
) -> Option<MappingResult> {
    let key = js_key(value)?;
    options
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, r)| r.clone())
}

fn match_range(from: Option<f64>, to: Option<f64>, value: MappingValue<'_>) -> bool {
    let v = match value {
        MappingValue::Number(n) => n,
        MappingValue::Text(t) => js_parse_float(t),
        MappingValue::Null | MappingValue::Bool(_) => return false,
    };
    if v.is_nan() {
        return false;
    }
    // A NaN bound is open, as `!isNaN(bound)` is false in Grafana.
    let above_from = from.is_none_or(|f| f.is_nan() || v >= f);
    let below_to = to.is_none_or(|t| t.is_nan() || v <= t);
    above_from && below_to
}

fn match_regex(
    pattern: &str,
    result: &MappingResult,
    value: MappingValue<'_>,
) -> Option<MappingResult> {
    let MappingValue::Text(text) = value else {
        return None;
    };
    let regex = Regex::from_grafana(pattern).ok()?;
    if !regex.is_match(text) {
        return None;
    }
    let mut out = result.clone();
    if out.text.is_some() {
        out.text = Some(regex.replace(text, result.text.as_deref().unwrap_or("")));
    }
    Some(out)
}

/// JavaScript `isNaN(value)`.
fn js_is_nan(value: MappingValue<'_>) -> bool {
    match value {
        MappingValue::Number(n) => n.is_nan(),
        MappingValue::Text(t) => js_string_to_number(t).is_nan(),
        MappingValue::Null | MappingValue::Bool(_) => false,
    }
}

fn match_special(matches: SpecialMatch, value: MappingValue<'_>) -> bool {
    let is_null = value == MappingValue::Null;
    match matches {
        SpecialMatch::Null => is_null,
        SpecialMatch::NaN => js_is_nan(value),
        SpecialMatch::NullAndNaN => is_null || js_is_nan(value),
        SpecialMatch::True => {
            matches!(value, MappingValue::Bool(true) | MappingValue::Text("true"))
        }
        SpecialMatch::False => matches!(
            value,
            MappingValue::Bool(false) | MappingValue::Text("false")
        ),
        SpecialMatch::Empty => value == MappingValue::Text(""),
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )]
    use super::*;

    fn result(text: &str, color: &str) -> MappingResult {
        MappingResult {
            text: Some(text.to_string()),
            color: Some(color.to_string()),
            index: None,
        }
    }

    fn text_of(mappings: &[ValueMapping], value: MappingValue<'_>) -> Option<String> {
        apply_mappings(mappings, value).and_then(|r| r.text)
    }

    #[test]
    fn value_mappings_use_js_strings() {
        let m = [ValueMapping::Value(vec![
            ("0".to_string(), result("Down", "red")),
            ("1".to_string(), result("Up", "green")),
            ("1.5".to_string(), result("Half", "blue")),
        ])];
        assert_eq!(text_of(&m, MappingValue::Number(1.0)), Some("Up".into()));
        assert_eq!(text_of(&m, MappingValue::Number(0.0)), Some("Down".into()));
        assert_eq!(text_of(&m, MappingValue::Number(-0.0)), Some("Down".into()));
        assert_eq!(text_of(&m, MappingValue::Number(1.5)), Some("Half".into()));
        assert_eq!(text_of(&m, MappingValue::Text("1")), Some("Up".into()));
        assert_eq!(text_of(&m, MappingValue::Number(2.0)), None);
        assert_eq!(text_of(&m, MappingValue::Null), None);
    }

    #[test]
    fn range_mappings_are_inclusive() {
        let m = [
            ValueMapping::Range {
                from: Some(0.0),
                to: Some(0.1),
                result: result("Healthy", "green"),
            },
            ValueMapping::Range {
                from: Some(0.1),
                to: None,
                result: result("Slow", "orange"),
            },
        ];
        assert_eq!(
            text_of(&m, MappingValue::Number(0.1)),
            Some("Healthy".into())
        );
        assert_eq!(text_of(&m, MappingValue::Number(0.2)), Some("Slow".into()));
        assert_eq!(text_of(&m, MappingValue::Number(1e9)), Some("Slow".into()));
        assert_eq!(text_of(&m, MappingValue::Number(-1.0)), None);
        assert_eq!(
            text_of(&m, MappingValue::Text("0.05s")),
            Some("Healthy".into())
        );
        assert_eq!(text_of(&m, MappingValue::Bool(true)), None);
        assert_eq!(text_of(&m, MappingValue::Number(f64::NAN)), None);
    }

    #[test]
    fn special_mappings() {
        let special = |m: &str| ValueMapping::Special {
            matches: SpecialMatch::parse(m).unwrap(),
            result: result(m, "gray"),
        };
        let m = [
            special("null+nan"),
            special("true"),
            special("false"),
            special("empty"),
        ];
        assert_eq!(text_of(&m, MappingValue::Null), Some("null+nan".into()));
        assert_eq!(
            text_of(&m, MappingValue::Number(f64::NAN)),
            Some("null+nan".into())
        );
        assert_eq!(
            text_of(&m, MappingValue::Text("abc")),
            Some("null+nan".into())
        );
        assert_eq!(text_of(&m, MappingValue::Bool(true)), Some("true".into()));
        assert_eq!(text_of(&m, MappingValue::Bool(false)), Some("false".into()));
        // The text "false" is not numeric, so JS `isNaN` is true and the earlier
        // null+nan mapping wins, as in Grafana.
        assert_eq!(
            text_of(&m, MappingValue::Text("false")),
            Some("null+nan".into())
        );
        assert_eq!(
            text_of(&m[1..], MappingValue::Text("false")),
            Some("false".into())
        );
        assert_eq!(text_of(&m, MappingValue::Text("")), Some("empty".into()));
        assert_eq!(text_of(&m, MappingValue::Number(3.0)), None);
        let only_nan = [special("nan")];
        assert_eq!(text_of(&only_nan, MappingValue::Null), None);
        assert!(SpecialMatch::parse("bogus").is_none());
    }

    #[test]
    fn regex_mappings_only_touch_text() {
        let m = [ValueMapping::Regex {
            pattern: "/(\\w+)-(\\d+)/".to_string(),
            result: result("$1 #$2", "purple"),
        }];
        assert_eq!(
            text_of(&m, MappingValue::Text("node-12")),
            Some("node #12".into())
        );
        assert_eq!(text_of(&m, MappingValue::Number(12.0)), None);
        let anchored = [ValueMapping::Regex {
            pattern: "up|ok".to_string(),
            result: result("fine", "green"),
        }];
        assert_eq!(
            text_of(&anchored, MappingValue::Text("ok")),
            Some("fine".into())
        );
        assert_eq!(text_of(&anchored, MappingValue::Text("not ok")), None);
        let broken = [ValueMapping::Regex {
            pattern: "(?=x)".to_string(),
            result: result("never", "red"),
        }];
        assert_eq!(text_of(&broken, MappingValue::Text("x")), None);
    }

    #[test]
    fn first_match_wins_and_colour_only_results() {
        let colour_only = MappingResult {
            color: Some("red".to_string()),
            ..MappingResult::default()
        };
        let m = [
            ValueMapping::Range {
                from: Some(90.0),
                to: Some(100.0),
                result: colour_only.clone(),
            },
            ValueMapping::Value(vec![("95".to_string(), result("ninety-five", "blue"))]),
        ];
        assert_eq!(
            apply_mappings(&m, MappingValue::Number(95.0)),
            Some(colour_only)
        );
    }

    #[test]
    fn legacy_maps() {
        let m = [
            ValueMapping::from_legacy_value_map("null", "N/A"),
            ValueMapping::from_legacy_range_map("1", "10", "low"),
        ];
        assert_eq!(text_of(&m, MappingValue::Null), Some("N/A".into()));
        assert_eq!(text_of(&m, MappingValue::Number(5.0)), Some("low".into()));
        let n = [ValueMapping::from_legacy_range_map("null", "null", "N/A")];
        assert_eq!(text_of(&n, MappingValue::Null), Some("N/A".into()));
    }
}
