//! Line-level parsing of promqltest scripts: durations, series descriptions, value sequences
//! and eval headers.
//!
//! Contract: follows Prometheus's `promql/promqltest` formats (see
//! `shared/conformance/promql/README.md`); errors are messages, never panics.

use promql_parser::label::MatchOp;
use promql_parser::parser::Expr;
use signalboard_store::{Labels, METRIC_NAME, STALE_NAN};

/// One position of a value sequence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Item {
    Omitted,
    Value(f64),
}

/// Parses a Prometheus duration (`1h30m`, `5m`, `10s`, `100ms`, `0`), optionally negative.
pub fn parse_duration_ms(s: &str) -> Result<i64, String> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    if body == "0" {
        return Ok(0);
    }
    if let Ok(secs) = body.parse::<f64>() {
        let ms = (secs * 1000.0).round() as i64;
        return Ok(if neg { -ms } else { ms });
    }
    let mut total: i64 = 0;
    let mut rest = body;
    if rest.is_empty() {
        return Err(format!("invalid duration {s:?}"));
    }
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let (num, tail) = rest.split_at(digits);
        let n: i64 = num.parse().map_err(|_| format!("invalid duration {s:?}"))?;
        let unit_len = tail
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(tail.len());
        let (unit, tail) = tail.split_at(unit_len);
        let mult = match unit {
            "ms" => 1,
            "s" => 1000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            "w" => 604_800_000,
            "y" => 31_536_000_000,
            _ => return Err(format!("invalid duration unit in {s:?}")),
        };
        total = n
            .checked_mul(mult)
            .and_then(|d| total.checked_add(d))
            .ok_or_else(|| format!("duration {s:?} out of range"))?;
        rest = tail;
    }
    Ok(if neg { -total } else { total })
}

/// Splits `series values...` into the series text and the rest.
pub fn split_series(line: &str) -> (&str, &str) {
    let mut in_quote = false;
    let mut depth = 0i32;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match c {
            '"' if prev != '\\' => in_quote = !in_quote,
            '{' if !in_quote => depth += 1,
            '}' if !in_quote => {
                depth -= 1;
                if depth == 0 {
                    let end = i + 1;
                    return (
                        line.get(..end).unwrap_or(line),
                        line.get(end..).unwrap_or("").trim(),
                    );
                }
            }
            c if c.is_whitespace() && !in_quote && depth == 0 => {
                return (
                    line.get(..i).unwrap_or(line),
                    line.get(i..).unwrap_or("").trim(),
                );
            }
            _ => {}
        }
        prev = if prev == '\\' && c == '\\' { ' ' } else { c };
    }
    (line, "")
}

/// Parses a series description (`name{a="b"}`, `{__name__="x"}`, `{}`) into labels.
pub fn parse_series(desc: &str) -> Result<Labels, String> {
    if desc.trim() == "{}" {
        return Ok(Labels::empty());
    }
    let expr =
        promql_parser::parser::parse(desc).map_err(|e| format!("bad series {desc:?}: {e}"))?;
    let Expr::VectorSelector(vs) = expr else {
        return Err(format!("bad series {desc:?}: not a selector"));
    };
    let mut pairs: Vec<(String, String)> = Vec::new();
    if let Some(n) = vs.name {
        pairs.push((METRIC_NAME.to_string(), n));
    }
    for m in vs.matchers.matchers {
        if !matches!(m.op, MatchOp::Equal) {
            return Err(format!("bad series {desc:?}: only = matchers allowed"));
        }
        pairs.push((m.name, m.value));
    }
    Ok(Labels::from_pairs(pairs))
}

/// Parses a PromQL-style number (`1`, `-1.5e3`, `0x1F`, `Inf`, `NaN`).
pub fn parse_number(s: &str) -> Option<f64> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let lower = body.to_ascii_lowercase();
    let v = if lower == "inf" {
        f64::INFINITY
    } else if lower == "nan" {
        f64::NAN
    } else if let Some(hex) = lower.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()? as f64
    } else if body.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        body.parse::<f64>().ok()?
    } else {
        return None;
    };
    Some(if neg { -v } else { v })
}

/// Expands a value sequence (`1 _ 3 stale _x2 0+10x3 -2-1x2`).
pub fn parse_values(s: &str) -> Result<Vec<Item>, String> {
    let mut out = Vec::new();
    for tok in s.split_whitespace() {
        expand_item(tok, &mut out).map_err(|e| format!("bad value {tok:?}: {e}"))?;
    }
    Ok(out)
}

fn expand_item(tok: &str, out: &mut Vec<Item>) -> Result<(), String> {
    if tok == "_" {
        out.push(Item::Omitted);
        return Ok(());
    }
    if tok == "stale" {
        out.push(Item::Value(STALE_NAN));
        return Ok(());
    }
    // `0x10` is "0 repeated", not hex: repetition wins where it parses.
    let repetition = tok
        .rsplit_once('x')
        .and_then(|(head, times)| times.parse::<usize>().ok().map(|n| (head, n)))
        .filter(|(head, _)| *head == "_" || *head == "stale" || split_increment(head).is_some());
    let Some((head, n)) = repetition else {
        let v = parse_number(tok).ok_or("unknown item")?;
        out.push(Item::Value(v));
        return Ok(());
    };
    if head == "_" {
        out.extend(std::iter::repeat_n(Item::Omitted, n));
        return Ok(());
    }
    if head == "stale" {
        out.extend(std::iter::repeat_n(Item::Value(STALE_NAN), n + 1));
        return Ok(());
    }
    let (start, step) = split_increment(head).ok_or("bad start/increment")?;
    for i in 0..=n {
        out.push(Item::Value(start + step * i as f64));
    }
    Ok(())
}

/// `A+B` / `A-B` / `A` → (A, ±B); a sign after an exponent `e` belongs to the number.
fn split_increment(s: &str) -> Option<(f64, f64)> {
    let bytes = s.as_bytes();
    for i in 1..bytes.len() {
        let c = *bytes.get(i)?;
        let prev = *bytes.get(i - 1)?;
        if (c == b'+' || c == b'-') && prev != b'e' && prev != b'E' {
            let a = parse_number(s.get(..i)?)?;
            let b = parse_number(s.get(i + 1..)?)?;
            return Some((a, if c == b'-' { -b } else { b }));
        }
    }
    parse_number(s).map(|a| (a, 0.0))
}

/// A parsed `eval` header.
#[derive(Debug, Clone, PartialEq)]
pub enum EvalHeader {
    Instant {
        at_ms: i64,
        expr: String,
    },
    Range {
        start_ms: i64,
        end_ms: i64,
        step_ms: i64,
        expr: String,
    },
}

/// Parses `eval[_x] instant at T EXPR` / `eval[_x] range from A to B step S EXPR`; returns the
/// header and the deprecated `_x` suffix (`fail`, `warn`, `ordered`, `info`).
pub fn parse_eval_header(line: &str) -> Result<(EvalHeader, Option<String>), String> {
    let (cmd, rest) = line.split_once(char::is_whitespace).ok_or("empty eval")?;
    let suffix = cmd.strip_prefix("eval_").map(str::to_string);
    let rest = rest.trim_start();
    if let Some(r) = rest.strip_prefix("instant") {
        let r = r.trim_start();
        let r = r.strip_prefix("at").map(str::trim_start).unwrap_or(r);
        let (t, expr) = r
            .split_once(char::is_whitespace)
            .ok_or("missing expression")?;
        let at_ms = parse_duration_ms(t)?;
        return Ok((
            EvalHeader::Instant {
                at_ms,
                expr: expr.trim().to_string(),
            },
            suffix,
        ));
    }
    if let Some(r) = rest.strip_prefix("range") {
        let words: Vec<&str> = r.split_whitespace().collect();
        match words.as_slice() {
            ["from", a, "to", b, "step", s, ..] => {
                let after_step = r
                    .find(" step ")
                    .map(|i| i + " step ".len())
                    .ok_or("bad range header")?;
                let tail = r.get(after_step..).unwrap_or("").trim_start();
                let expr = tail.get(s.len()..).unwrap_or("").trim().to_string();
                let h = EvalHeader::Range {
                    start_ms: parse_duration_ms(a)?,
                    end_ms: parse_duration_ms(b)?,
                    step_ms: parse_duration_ms(s)?,
                    expr,
                };
                return Ok((h, suffix));
            }
            _ => return Err("bad range header".into()),
        }
    }
    Err(format!("unknown eval form: {line}"))
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

    #[test]
    fn durations() {
        assert_eq!(parse_duration_ms("1h5m").unwrap(), 3_900_000);
        assert_eq!(parse_duration_ms("0").unwrap(), 0);
        assert_eq!(parse_duration_ms("-10s").unwrap(), -10_000);
        assert_eq!(parse_duration_ms("100ms").unwrap(), 100);
        assert!(parse_duration_ms("5x").is_err());
        assert!(parse_duration_ms("99999999999999y").is_err());
    }

    #[test]
    fn value_sequences_expand_like_promqltest() {
        let v = parse_values("1 _ 0+10x2 -2-1x1 _x2 stale 0x3").unwrap();
        let vals: Vec<Option<f64>> = v
            .iter()
            .map(|i| match i {
                Item::Value(x) => Some(*x),
                Item::Omitted => None,
            })
            .collect();
        assert_eq!(vals.len(), 1 + 1 + 3 + 2 + 2 + 1 + 4);
        assert_eq!(
            &vals[..7],
            &[
                Some(1.0),
                None,
                Some(0.0),
                Some(10.0),
                Some(20.0),
                Some(-2.0),
                Some(-3.0)
            ]
        );
        assert!(matches!(v[9], Item::Value(x) if signalboard_store::is_stale_marker(x)));
        assert_eq!(vals[10..], [Some(0.0); 4]);
        assert_eq!(parse_values("0x1F").unwrap(), vec![Item::Value(31.0)]);
    }

    #[test]
    fn series_split_respects_braces_and_quotes() {
        assert_eq!(split_series("m{a=\"x y\"} 1 2"), ("m{a=\"x y\"}", "1 2"));
        assert_eq!(split_series("m 1"), ("m", "1"));
        assert_eq!(
            parse_series("{__name__=\"m\", a=\"1\"}")
                .unwrap()
                .to_string(),
            "m{a=\"1\"}"
        );
    }

    #[test]
    fn eval_headers() {
        let (h, suffix) =
            parse_eval_header("eval range from 1m to 11m step 1m rate(x[1m])").unwrap();
        assert_eq!(
            h,
            EvalHeader::Range {
                start_ms: 60_000,
                end_ms: 660_000,
                step_ms: 60_000,
                expr: "rate(x[1m])".into()
            }
        );
        assert_eq!(suffix, None);
        let (h, suffix) = parse_eval_header("eval_fail instant at 5m sum(x)").unwrap();
        assert_eq!(
            h,
            EvalHeader::Instant {
                at_ms: 300_000,
                expr: "sum(x)".into()
            }
        );
        assert_eq!(suffix.as_deref(), Some("fail"));
    }
}
