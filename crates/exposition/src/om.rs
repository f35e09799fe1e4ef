//! OpenMetrics 1.0 text parser: the line syntax. Semantic rules live in `om_rules`.
//!
//! Contract: strict ABNF. Lines end with LF, exactly one space separates tokens, no blank
//! lines, no trailing whitespace, metadata lines are only `# HELP|TYPE|UNIT name text`, label
//! sets have no spaces and no trailing comma, the input ends with `# EOF` (optional final LF)
//! and nothing follows it. Timestamps are float seconds, converted to milliseconds.

use std::borrow::Cow;

use crate::error::{Fail, Scan};
use crate::labels::check_labels;
use crate::model::{Exemplar, Family, Label, Limits};
use crate::number::{parse_go_float, parse_om_timestamp_seconds, seconds_to_ms};
use crate::om_rules::{MetaKind, OmRules, ParsedSample};
use crate::scan::{help_text, Cursor, SPACE_OR_NL};

/// Exemplar label sets may hold at most this many code points (names plus values).
const MAX_EXEMPLAR_CHARS: usize = 128;

pub(crate) fn parse_openmetrics<'a>(
    src: &'a str,
    limits: &Limits,
    strict: bool,
) -> Scan<Vec<Family<'a>>> {
    let mut rules = OmRules::new(limits, strict);
    let mut start = 0usize;
    loop {
        if start >= src.len() {
            return Err(Fail::new(
                src.len(),
                "expected \"# EOF\" as the last line, found end of input",
            ));
        }
        let end = src
            .get(start..)
            .and_then(|rest| rest.find('\n'))
            .map_or(src.len(), |i| start + i);
        if end - start > limits.max_line_len {
            return Err(Fail::new(
                start,
                format!(
                    "line longer than the limit of {} bytes",
                    limits.max_line_len
                ),
            ));
        }
        let line = src.get(start..end).unwrap_or("");
        if line == "# EOF" {
            let after = (end + 1).min(src.len());
            if after < src.len() {
                return Err(Fail::new(
                    after,
                    "expected end of input after \"# EOF\", found more text",
                ));
            }
            break;
        }
        let mut cur = Cursor::bounded(src, start, end);
        match cur.peek() {
            None => {
                return Err(Fail::new(
                    start,
                    "blank lines are not allowed in OpenMetrics",
                ))
            }
            Some(b'#') => metadata_line(&mut cur, &mut rules, start)?,
            Some(_) => {
                let sample = sample_line(&mut cur, limits)?;
                rules.sample(sample, start)?;
            }
        }
        start = end + 1;
    }
    rules.finish()
}

/// `# HELP|TYPE|UNIT SP name SP text`.
fn metadata_line<'a>(cur: &mut Cursor<'a>, rules: &mut OmRules<'a>, start: usize) -> Scan<()> {
    cur.bump();
    cur.expect(b' ', "a space after '#'")?;
    let kw_start = cur.pos;
    let keyword = cur.take_while(|b| b.is_ascii_alphabetic());
    let kind = match keyword {
        "HELP" => MetaKind::Help,
        "TYPE" => MetaKind::Type,
        "UNIT" => MetaKind::Unit,
        other => {
            return Err(Fail::new(
                kw_start,
                format!(
                    "expected HELP, TYPE, UNIT or EOF, found \"{}\"",
                    other.escape_debug()
                ),
            ))
        }
    };
    cur.expect(b' ', &format!("a space after {keyword}"))?;
    let name = family_name(cur)?;
    cur.expect(b' ', "a space after the metric name")?;
    let text = cur.slice(cur.pos, cur.line_end());
    let text = match kind {
        MetaKind::Help => help_text(text, true),
        _ => Cow::Borrowed(text),
    };
    rules.metadata(kind, name, text, start)
}

fn family_name<'a>(cur: &mut Cursor<'a>) -> Scan<Cow<'a, str>> {
    if cur.peek() == Some(b'"') {
        return cur.quoted(false);
    }
    cur.metric_name()
        .map(Cow::Borrowed)
        .ok_or_else(|| cur.expected("a metric name"))
}

/// `name[{labels}] SP value [SP timestamp] [SP # SP exemplar]`.
fn sample_line<'a>(cur: &mut Cursor<'a>, limits: &Limits) -> Scan<ParsedSample<'a>> {
    let start = cur.pos;
    let mut name = match cur.peek() {
        Some(b'{') => None,
        _ => Some(
            cur.metric_name()
                .map(Cow::Borrowed)
                .ok_or_else(|| cur.expected("a metric name"))?,
        ),
    };
    // Most label sets are small: one allocation instead of growing from empty.
    let mut labels = Vec::with_capacity(4);
    if cur.eat(b'{') {
        label_set(cur, &mut labels, Some(&mut name), limits)?;
    }
    let name = name.ok_or_else(|| {
        Fail::new(
            start,
            "metric name not set: expected a quoted name inside the braces",
        )
    })?;
    check_labels(&labels, limits).map_err(|msg| Fail::new(start, msg))?;
    cur.expect(b' ', "a space before the value")?;
    let value = number(cur, "a value")?;
    let mut sample = ParsedSample {
        sample: crate::model::Sample {
            name,
            labels,
            value,
            timestamp_ms: None,
            exemplar: None,
        },
        timestamp_s: None,
    };
    if cur.at_end() {
        return Ok(sample);
    }
    cur.expect(b' ', "a space or end of line after the value")?;
    if cur.peek() != Some(b'#') {
        let ts = timestamp(cur)?;
        sample.timestamp_s = Some(ts);
        sample.sample.timestamp_ms = Some(seconds_to_ms(ts));
        if cur.at_end() {
            return Ok(sample);
        }
        cur.expect(b' ', "a space or end of line after the timestamp")?;
    }
    sample.sample.exemplar = Some(exemplar(cur, limits)?);
    Ok(sample)
}

/// `# {labels} value [timestamp]` after a sample.
fn exemplar<'a>(cur: &mut Cursor<'a>, limits: &Limits) -> Scan<Exemplar<'a>> {
    cur.expect(b'#', "'#' starting an exemplar")?;
    cur.expect(b' ', "a space after '#'")?;
    let start = cur.pos;
    cur.expect(b'{', "'{' starting the exemplar labels")?;
    let mut labels = Vec::new();
    label_set(cur, &mut labels, None, limits)?;
    let chars: usize = labels
        .iter()
        .map(|(k, v)| k.chars().count() + v.chars().count())
        .sum();
    if chars > MAX_EXEMPLAR_CHARS {
        return Err(Fail::new(
            start,
            format!("exemplar labels hold {chars} code points, more than the limit of {MAX_EXEMPLAR_CHARS}"),
        ));
    }
    check_labels(&labels, limits).map_err(|msg| Fail::new(start, msg))?;
    cur.expect(b' ', "a space before the exemplar value")?;
    let value = number(cur, "an exemplar value")?;
    let mut timestamp_ms = None;
    if !cur.at_end() {
        cur.expect(b' ', "a space or end of line after the exemplar value")?;
        timestamp_ms = Some(seconds_to_ms(timestamp(cur)?));
        if !cur.at_end() {
            return Err(cur.expected("end of line after the exemplar timestamp"));
        }
    }
    Ok(Exemplar {
        labels,
        value,
        timestamp_ms,
    })
}

/// `label *(, label) }` after the `{`; a quoted name alone is the metric name when allowed.
fn label_set<'a>(
    cur: &mut Cursor<'a>,
    labels: &mut Vec<Label<'a>>,
    mut metric_name: Option<&mut Option<Cow<'a, str>>>,
    limits: &Limits,
) -> Scan<()> {
    if cur.eat(b'}') {
        return Ok(());
    }
    loop {
        let token_start = cur.pos;
        let label_name = if cur.peek() == Some(b'"') {
            let quoted = cur.quoted(false)?;
            if matches!(cur.peek(), Some(b',' | b'}')) {
                match metric_name.as_deref_mut() {
                    Some(slot @ None) => *slot = Some(quoted),
                    _ => return Err(Fail::new(token_start, "unexpected quoted metric name here")),
                }
                if cur.eat(b'}') {
                    return Ok(());
                }
                cur.bump();
                continue;
            }
            quoted
        } else {
            cur.label_name()
                .map(Cow::Borrowed)
                .ok_or_else(|| cur.expected("a label name"))?
        };
        cur.expect(b'=', "'=' after the label name")?;
        if cur.peek() != Some(b'"') {
            return Err(cur.expected("a double-quoted label value"));
        }
        let value = cur.quoted(false)?;
        labels.push((label_name, value));
        if labels.len() > limits.max_labels {
            return Err(Fail::new(
                token_start,
                format!("more than the limit of {} labels", limits.max_labels),
            ));
        }
        if cur.eat(b'}') {
            return Ok(());
        }
        cur.expect(b',', "',' or '}' after the label value")?;
    }
}

/// A value token (up to the next space or end of line) in Go float syntax.
fn number(cur: &mut Cursor<'_>, what: &str) -> Scan<f64> {
    let start = cur.pos;
    let token = cur.take_until(SPACE_OR_NL);
    if token.is_empty() {
        return Err(cur.expected(what));
    }
    parse_go_float(token).ok_or_else(|| {
        Fail::new(
            start,
            format!(
                "invalid {} \"{}\"",
                what.trim_start_matches("a ").trim_start_matches("an "),
                token.escape_debug()
            ),
        )
    })
}

/// A timestamp token: finite float seconds.
fn timestamp(cur: &mut Cursor<'_>) -> Scan<f64> {
    let start = cur.pos;
    let token = cur.take_until(SPACE_OR_NL);
    if token.is_empty() {
        return Err(cur.expected("a timestamp"));
    }
    parse_om_timestamp_seconds(token).ok_or_else(|| {
        Fail::new(
            start,
            format!("invalid timestamp \"{}\"", token.escape_debug()),
        )
    })
}
