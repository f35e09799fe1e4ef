//! Turning the raw results of a variable query into the variable's options, as Grafana does:
//! the `regex` filter/extractor, de-duplication and the sort modes.
//!
//! Contract: `regex` is Grafana's `/pattern/flags` string (already interpolated by the
//! caller); without capture groups it filters, with one it extracts the first group, with
//! named groups `text`/`value` it sets both, and with the `g` flag and several matches in one
//! value each match becomes an option. Values are de-duplicated by value (first wins) and then
//! sorted by `sort` (0 none; 1/2 alphabetical asc/desc; 3/4 by the first number in the text;
//! 5/6 case-insensitive; 7/8 natural). An invalid regex is an error, never a panic.

use regex::{Captures, Regex, RegexBuilder};

/// One selectable option of a variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariableOption {
    pub text: String,
    pub value: String,
}

/// A compiled Grafana variable regex.
struct VariableRegex {
    regex: Regex,
    global: bool,
}

/// Parses `/pattern/flags` (or a bare pattern) into a regex.
fn compile(text: &str) -> Result<Option<VariableRegex>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let (pattern, flags) = match text
        .strip_prefix('/')
        .and_then(|rest| rest.rsplit_once('/'))
    {
        Some((pattern, flags)) => (pattern, flags),
        None => (text, ""),
    };
    let regex = RegexBuilder::new(pattern)
        .case_insensitive(flags.contains('i'))
        .multi_line(flags.contains('m'))
        .dot_matches_new_line(flags.contains('s'))
        .build()
        .map_err(|e| format!("variable regex {text}: {e}"))?;
    Ok(Some(VariableRegex {
        regex,
        global: flags.contains('g'),
    }))
}

/// Options from raw query results (`label_values` values, series strings, result lines).
pub fn variable_options(
    raw: &[String],
    regex: &str,
    sort: u8,
) -> Result<Vec<VariableOption>, String> {
    let compiled = compile(regex)?;
    let mut options = Vec::new();
    for item in raw {
        match &compiled {
            None => options.push(VariableOption {
                text: item.clone(),
                value: item.clone(),
            }),
            Some(re) => extract(re, item, &mut options),
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    options.retain(|o| seen.insert(o.value.clone()));
    sort_options(&mut options, sort);
    Ok(options)
}

fn extract(re: &VariableRegex, item: &str, out: &mut Vec<VariableOption>) {
    let matches: Vec<Captures<'_>> = if re.global {
        re.regex.captures_iter(item).collect()
    } else {
        re.regex.captures(item).into_iter().collect()
    };
    if matches.is_empty() {
        return;
    }
    let group = |name: &str| {
        matches
            .iter()
            .find_map(|m| m.name(name))
            .map(|g| g.as_str().to_string())
    };
    let (value, text) = (group("value"), group("text"));
    if value.is_some() || text.is_some() {
        let value = value.clone().or_else(|| text.clone()).unwrap_or_default();
        let text = text.or(value.clone().into()).unwrap_or_default();
        out.push(VariableOption { text, value });
        return;
    }
    let first_groups: Vec<String> = matches
        .iter()
        .filter_map(|m| m.get(1))
        .map(|g| g.as_str().to_string())
        .collect();
    match first_groups.as_slice() {
        [] => out.push(VariableOption {
            text: item.to_string(),
            value: item.to_string(),
        }),
        [one] => out.push(VariableOption {
            text: one.clone(),
            value: one.clone(),
        }),
        many => out.extend(many.iter().map(|g| VariableOption {
            text: g.clone(),
            value: g.clone(),
        })),
    }
}

/// The first run of digits in `text`, or −1 (Grafana's numerical sort key).
fn first_number(text: &str) -> i64 {
    let digits: String = text
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().unwrap_or(-1)
}

/// Natural order: digit runs compare as numbers, the rest case-insensitively.
fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    fn chunks(s: &str) -> Vec<(bool, String)> {
        let mut out: Vec<(bool, String)> = Vec::new();
        for c in s.chars() {
            let digit = c.is_ascii_digit();
            match out.last_mut() {
                Some((d, chunk)) if *d == digit => chunk.push(c),
                _ => out.push((digit, c.to_string())),
            }
        }
        out
    }
    let (ca, cb) = (chunks(a), chunks(b));
    for ((da, xa), (db, xb)) in ca.iter().zip(cb.iter()) {
        let ord = if *da && *db {
            let (na, nb) = (xa.trim_start_matches('0'), xb.trim_start_matches('0'));
            na.len().cmp(&nb.len()).then_with(|| na.cmp(nb))
        } else {
            xa.to_lowercase().cmp(&xb.to_lowercase())
        };
        if ord != std::cmp::Ordering::Equal {
            return ord;
        }
    }
    ca.len().cmp(&cb.len())
}

fn sort_options(options: &mut [VariableOption], sort: u8) {
    if sort == 0 {
        return;
    }
    match sort.div_ceil(2) {
        1 => options.sort_by(|a, b| a.text.cmp(&b.text)),
        2 => options.sort_by_key(|o| first_number(&o.text)),
        3 => options.sort_by_key(|o| o.text.to_lowercase()),
        _ => options.sort_by(|a, b| natural_cmp(&a.text, &b.text)),
    }
    if sort.is_multiple_of(2) {
        options.reverse();
    }
}

/// The text Grafana gives a series in variable queries: `name{a="1",b="2"}`, followed by
/// ` value timestamp_ms` for `query_result` lines.
pub fn series_option_text(labels: &[(String, String)], sample: Option<(f64, i64)>) -> String {
    let name = labels
        .iter()
        .find(|(k, _)| k == "__name__")
        .map_or("", |(_, v)| v.as_str());
    let rest: Vec<String> = labels
        .iter()
        .filter(|(k, _)| k != "__name__")
        .map(|(k, v)| format!("{k}=\"{v}\""))
        .collect();
    let mut text = format!("{name}{{{}}}", rest.join(","));
    if let Some((value, ts_ms)) = sample {
        text.push_str(&format!(" {value} {ts_ms}"));
    }
    text
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

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    fn values(options: &[VariableOption]) -> Vec<&str> {
        options.iter().map(|o| o.value.as_str()).collect()
    }

    #[test]
    fn no_regex_keeps_dedupes_and_sorts() {
        let o = variable_options(&strings(&["b", "a", "b"]), "", 1).unwrap();
        assert_eq!(values(&o), vec!["a", "b"]);
        let o = variable_options(&strings(&["b", "a"]), "", 0).unwrap();
        assert_eq!(values(&o), vec!["b", "a"]);
    }

    #[test]
    fn capture_group_extracts_and_non_matching_drop() {
        // node-exporter-full-old: host and port out of `instance`
        let raw = strings(&["10.0.0.1:9100", "10.0.0.2:9100", "nohost"]);
        assert_eq!(
            values(&variable_options(&raw, "/([^:]+):.*/", 0).unwrap()),
            vec!["10.0.0.1", "10.0.0.2"]
        );
        assert_eq!(
            values(&variable_options(&raw, "/[^:]+:(.*)/", 0).unwrap()),
            vec!["9100"]
        );
        // a filter without groups keeps the whole value
        assert_eq!(
            values(&variable_options(&raw, "/^10\\./", 0).unwrap()),
            vec!["10.0.0.1:9100", "10.0.0.2:9100"]
        );
    }

    #[test]
    fn named_text_group_on_series_strings() {
        // cloudnative-pg: `/pod="(?<text>[^"]+)/g` over series query results
        let raw = vec![
            series_option_text(
                &[
                    ("__name__".into(), "cnpg_collector_up".into()),
                    ("pod".into(), "pg-1".into()),
                ],
                None,
            ),
            series_option_text(
                &[
                    ("__name__".into(), "cnpg_collector_up".into()),
                    ("pod".into(), "pg-2".into()),
                ],
                None,
            ),
        ];
        assert_eq!(raw[0], r#"cnpg_collector_up{pod="pg-1"}"#);
        let o = variable_options(&raw, r#"/pod="(?<text>[^"]+)/g"#, 0).unwrap();
        assert_eq!(
            o,
            vec![
                VariableOption {
                    text: "pg-1".into(),
                    value: "pg-1".into()
                },
                VariableOption {
                    text: "pg-2".into(),
                    value: "pg-2".into()
                }
            ]
        );
        let o = variable_options(&strings(&["a=1 b=2"]), r"/(?<text>\w)=(?<value>\d)/", 0).unwrap();
        assert_eq!(
            o,
            vec![VariableOption {
                text: "a".into(),
                value: "1".into()
            }]
        );
    }

    #[test]
    fn global_flag_with_several_matches_gives_several_options() {
        let o = variable_options(&strings(&["x=1,x=2"]), r"/x=(\d)/g", 0).unwrap();
        assert_eq!(values(&o), vec!["1", "2"]);
        let o = variable_options(&strings(&["x=1,x=2"]), r"/x=(\d)/", 0).unwrap();
        assert_eq!(values(&o), vec!["1"]);
    }

    #[test]
    fn flags_and_invalid_regex() {
        assert_eq!(
            values(&variable_options(&strings(&["ABC", "x"]), "/abc/i", 0).unwrap()),
            vec!["ABC"]
        );
        assert!(variable_options(&strings(&["a"]), "/(unclosed/", 0).is_err());
    }

    #[test]
    fn sort_modes() {
        let raw = strings(&["node10", "Node2", "node1"]);
        let sorted = |mode| {
            variable_options(&raw, "", mode)
                .unwrap()
                .into_iter()
                .map(|o| o.value)
                .collect::<Vec<_>>()
        };
        assert_eq!(sorted(1), strings(&["Node2", "node1", "node10"]));
        assert_eq!(sorted(2), strings(&["node10", "node1", "Node2"]));
        assert_eq!(sorted(3), strings(&["node1", "Node2", "node10"]));
        assert_eq!(sorted(4), strings(&["node10", "Node2", "node1"]));
        assert_eq!(sorted(5), strings(&["node1", "node10", "Node2"]));
        assert_eq!(sorted(7), strings(&["node1", "Node2", "node10"]));
        assert_eq!(sorted(8), strings(&["node10", "Node2", "node1"]));
    }

    #[test]
    fn query_result_line_format() {
        let line = series_option_text(
            &[
                ("__name__".into(), "up".into()),
                ("job".into(), "api".into()),
            ],
            Some((1.0, 1_700_000_000_000)),
        );
        assert_eq!(line, r#"up{job="api"} 1 1700000000000"#);
    }
}
