//! Prometheus text format 0.0.4 parser, accepting what the Prometheus server's `PromParser`
//! plus ingestion accept (see `shared/conformance/prometheus-text/README.md`).
//!
//! Contract: single pass over the bytes, no regex, no per-line allocation beyond the sample's
//! label vector. Tolerant like Prometheus: blanks/tabs around tokens, leading and trailing
//! blanks, comments, blank lines, optional final newline, label pairs without commas, quoted
//! UTF-8 names (`{"my.metric","a.b"="v"}`), metadata in any order. Strict like Prometheus: CR is
//! not whitespace, exact lower-case TYPE keywords, digits-only timestamps, Go float syntax,
//! duplicate label names (which the TSDB would refuse) fail the whole exposition.

use std::borrow::Cow;

use crate::error::{Fail, Scan};
use crate::families::Families;
use crate::labels::{check_labels, BoundCache};
use crate::model::{Family, Label, Limits, MetricType, Sample};
use crate::number::{parse_go_float, parse_prom_timestamp};
use crate::scan::{help_text, Cursor, VALUE_END};

pub(crate) fn parse_prometheus<'a>(src: &'a str, limits: &Limits) -> Scan<Vec<Family<'a>>> {
    let mut parser = PromParser {
        cur: Cursor::new(src),
        families: Families::default(),
        samples: 0,
        limits,
        scratch: Vec::new(),
        prev_name: "",
        prev_labels: Vec::new(),
        prev_family: None,
        bounds: BoundCache::default(),
    };
    while !parser.cur.at_end() {
        let line_start = parser.cur.pos;
        parser.line()?;
        if parser.cur.pos - line_start > limits.max_line_len.saturating_add(1) {
            return Err(Fail::new(
                line_start,
                format!(
                    "line longer than the limit of {} bytes",
                    limits.max_line_len
                ),
            ));
        }
    }
    Ok(parser.families.list)
}

struct PromParser<'a, 'l> {
    cur: Cursor<'a>,
    families: Families<'a>,
    samples: usize,
    limits: &'l Limits,
    /// The last unquoted metric name seen: consecutive lines usually repeat it.
    prev_name: &'a str,
    /// Label names of the last label set that passed `check_labels` (all borrowed).
    prev_labels: Vec<&'a str>,
    /// Family of the previous sample, valid while names repeat and no metadata intervenes.
    prev_family: Option<usize>,
    /// Reused label buffer (its capacity survives from sample to sample).
    scratch: Vec<Label<'a>>,
    bounds: BoundCache<'a>,
}

impl<'a> PromParser<'a, '_> {
    fn line(&mut self) -> Scan<()> {
        self.cur.skip_blanks();
        match self.cur.peek() {
            None => Ok(()),
            Some(b'\n') => {
                self.cur.bump();
                Ok(())
            }
            Some(b'#') => self.comment(),
            Some(b'{') => self.sample(None, false),
            Some(_) if self.cur.eat_metric_name(self.prev_name) => {
                self.sample(Some(Cow::Borrowed(self.prev_name)), true)
            }
            Some(_) => match self.cur.metric_name() {
                Some(name) => {
                    self.prev_name = name;
                    self.sample(Some(Cow::Borrowed(name)), false)
                }
                None => Err(self
                    .cur
                    .expected("a metric name, a comment or a blank line")),
            },
        }
    }

    /// `#` lines: HELP and TYPE are metadata, anything else is a comment.
    fn comment(&mut self) -> Scan<()> {
        self.cur.bump();
        if matches!(self.cur.peek(), Some(b' ' | b'\t')) {
            self.cur.skip_blanks();
            let rest = self.cur.rest();
            let keyword = rest.get(..4);
            let blank_after = matches!(rest.get(4), Some(b' ' | b'\t'));
            if blank_after && (keyword == Some(b"HELP") || keyword == Some(b"TYPE")) {
                let is_help = keyword == Some(b"HELP");
                self.cur.pos += 4;
                self.cur.skip_blanks();
                return self.metadata(is_help);
            }
        }
        self.cur.pos = self.cur.line_end();
        self.cur.eat(b'\n');
        Ok(())
    }

    fn metadata(&mut self, is_help: bool) -> Scan<()> {
        // A TYPE may regroup the names that follow it.
        self.prev_family = None;
        let keyword = if is_help { "HELP" } else { "TYPE" };
        let name = match self.cur.peek() {
            Some(b'"') => self.cur.quoted(false)?,
            _ => match self.cur.metric_name() {
                Some(name) => Cow::Borrowed(name),
                None => return Err(self.cur.expected(&format!("a metric name after {keyword}"))),
            },
        };
        let text_start = self.cur.pos;
        let end = self.cur.line_end();
        // Like PromParser: the text is the rest of the line minus its first (separator) char.
        let raw = self.cur.slice(text_start, end);
        let text = raw
            .char_indices()
            .nth(1)
            .map_or("", |(i, _)| raw.get(i..).unwrap_or(""));
        let idx = self.families.declare(name);
        let kind = if is_help {
            None
        } else {
            Some(parse_type(text, text_start)?)
        };
        if let Some(family) = self.families.get_mut(idx) {
            match kind {
                Some(kind) => family.kind = kind,
                None => family.help = Some(help_text(text, false)),
            }
        }
        self.cur.pos = end;
        self.cur.eat(b'\n');
        Ok(())
    }

    /// One sample line; `same_name` when its name repeats the previous sample's.
    fn sample(&mut self, mut name: Option<Cow<'a, str>>, same_name: bool) -> Scan<()> {
        let line_start = self.cur.pos;
        self.cur.skip_blanks();
        // Labels are collected in a reused buffer, then copied once into an exact-size Vec.
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        let mut reused_names = 0;
        if self.cur.eat(b'{') {
            reused_names = self.labels(&mut name, &mut scratch)?;
        }
        let mut labels: Vec<Label<'a>> = Vec::with_capacity(scratch.len());
        labels.append(&mut scratch);
        self.scratch = scratch;
        let Some(name) = name else {
            return Err(Fail::new(
                line_start,
                "metric name not set: expected a quoted name inside the braces",
            ));
        };
        // The same names as the last checked label set cannot hold a duplicate.
        let same_names = reused_names == labels.len() && labels.len() == self.prev_labels.len();
        if !same_names {
            check_labels(&labels, self.limits).map_err(|msg| Fail::new(line_start, msg))?;
            self.remember_label_names(&labels);
        }
        self.cur.skip_blanks();
        let value = self.value()?;
        self.cur.skip_blanks();
        let timestamp_ms = self.timestamp()?;
        self.cur.skip_blanks();
        if !self.cur.at_end() && !self.cur.eat(b'\n') {
            let what = if timestamp_ms.is_some() {
                "end of line after the timestamp"
            } else {
                "a timestamp or end of line"
            };
            return Err(self.cur.expected(what));
        }
        self.push(name, same_name, labels, value, timestamp_ms, line_start)
    }

    fn remember_label_names(&mut self, labels: &[Label<'a>]) {
        self.prev_labels.clear();
        for (name, _) in labels {
            match name {
                Cow::Borrowed(name) => self.prev_labels.push(name),
                Cow::Owned(_) => {
                    self.prev_labels.clear();
                    return;
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        name: Cow<'a, str>,
        same_name: bool,
        mut labels: Vec<Label<'a>>,
        value: f64,
        timestamp_ms: Option<i64>,
        line_start: usize,
    ) -> Scan<()> {
        self.samples += 1;
        if self.samples > self.limits.max_samples {
            return Err(Fail::new(
                line_start,
                format!("more than the limit of {} samples", self.limits.max_samples),
            ));
        }
        let idx = match self.prev_family {
            Some(idx) if same_name => idx,
            _ => self.families.resolve(&name),
        };
        self.prev_family = Some(idx);
        if let Some(family) = self.families.get_mut(idx) {
            match family.kind {
                MetricType::Histogram => self.bounds.normalise(&mut labels, "le"),
                MetricType::Summary => self.bounds.normalise(&mut labels, "quantile"),
                _ => {}
            }
            family.samples.push(Sample {
                name,
                labels,
                value,
                timestamp_ms,
                exemplar: None,
            });
        }
        Ok(())
    }

    /// Inside `{...}`: label pairs, optionally comma-separated, and at most one quoted name.
    /// Returns how many label names were matched against the previous label set's names.
    fn labels(
        &mut self,
        name: &mut Option<Cow<'a, str>>,
        labels: &mut Vec<Label<'a>>,
    ) -> Scan<usize> {
        let mut reused = 0;
        loop {
            self.cur.skip_blanks();
            let token_start = self.cur.pos;
            let label_name = match self.cur.peek() {
                Some(b'}') => {
                    self.cur.bump();
                    return Ok(reused);
                }
                Some(b'"') => {
                    let quoted = self.cur.quoted(false)?;
                    self.cur.skip_blanks();
                    if matches!(self.cur.peek(), Some(b',' | b'}')) {
                        if name.is_some() {
                            return Err(Fail::new(token_start, "metric name already set"));
                        }
                        *name = Some(quoted);
                        self.cur.eat(b',');
                        continue;
                    }
                    quoted
                }
                _ => match self.prev_labels.get(labels.len()).copied() {
                    Some(prev) if self.cur.eat_label_name(prev) => {
                        reused += 1;
                        Cow::Borrowed(prev)
                    }
                    _ => match self.cur.label_name() {
                        Some(label) => Cow::Borrowed(label),
                        None => return Err(self.cur.expected("a label name or '}'")),
                    },
                },
            };
            self.cur.skip_blanks();
            self.cur.expect(b'=', "'=' after the label name")?;
            self.cur.skip_blanks();
            if self.cur.peek() != Some(b'"') {
                return Err(self.cur.expected("a double-quoted label value"));
            }
            let value = self.cur.quoted(true)?;
            labels.push((label_name, value));
            if labels.len() > self.limits.max_labels {
                return Err(Fail::new(
                    token_start,
                    format!("more than the limit of {} labels", self.limits.max_labels),
                ));
            }
            self.cur.skip_blanks();
            self.cur.eat(b',');
        }
    }

    /// The value token runs to the next blank, newline or `{` (as in `promlex.l`).
    fn value(&mut self) -> Scan<f64> {
        let start = self.cur.pos;
        let token = self.cur.take_until(VALUE_END);
        if token.is_empty() {
            return Err(self.cur.expected("a value"));
        }
        parse_go_float(token)
            .ok_or_else(|| Fail::new(start, format!("invalid value \"{}\"", token.escape_debug())))
    }

    fn timestamp(&mut self) -> Scan<Option<i64>> {
        let start = self.cur.pos;
        let digits = self.cur.take_while(|b| b.is_ascii_digit());
        if digits.is_empty() {
            return Ok(None);
        }
        parse_prom_timestamp(digits).map(Some).ok_or_else(|| {
            Fail::new(
                start,
                format!("timestamp \"{digits}\" out of range for int64 milliseconds"),
            )
        })
    }
}

/// The five TYPE keywords of text 0.0.4, exact and lower case as Prometheus requires.
fn parse_type(text: &str, at: usize) -> Scan<MetricType> {
    match text {
        "counter" => Ok(MetricType::Counter),
        "gauge" => Ok(MetricType::Gauge),
        "histogram" => Ok(MetricType::Histogram),
        "summary" => Ok(MetricType::Summary),
        "untyped" => Ok(MetricType::Untyped),
        other => Err(Fail::new(
            at,
            format!(
                "expected counter, gauge, histogram, summary or untyped, found \"{}\"",
                other.escape_debug()
            ),
        )),
    }
}
