//! Prometheus text 0.0.4 and OpenMetrics 1.0 exposition parser.
//!
//! Contract: [`parse`] turns exposition text into typed [`Family`]s or a [`ParseError`]
//! (`LINE:COL: message`); it never panics, on any input. It is a hand-written single-pass byte
//! scanner (no regex), zero-copy: names and values borrow from the input, allocating only where
//! escapes or `le`/`quantile` normalisation force it. Prometheus text is accepted exactly as the
//! Prometheus server accepts it. OpenMetrics syntax is always strict; its semantic rules are
//! enforced by [`parse_strict`] / [`Validation::Strict`] (the OpenMetrics suite), while [`parse`]
//! accepts what a Prometheus scrape accepts (real client output breaks some of those rules).
//! Inputs beyond [`Limits`] are refused with an error, not by exhausting memory.
//!
//! Modules: `model` (the output types), `error`, `number` (Go float parse/format), `scan`
//! (lexing), `labels`, `families` (Prometheus grouping), `prom`, `om` + `om_rules` (OpenMetrics),
//! `sample_lines` (counting samples of a body still streaming in, for an early `sample_limit`).

mod error;
mod families;
mod labels;
mod model;
mod number;
mod om;
mod om_rules;
mod prom;
mod sample_lines;
mod scan;

pub use error::ParseError;
pub use model::{
    Exemplar, Exposition, Family, Format, Label, Limits, MetricType, Sample, ACCEPT_HEADER,
    BROWSER_ACCEPT_HEADER,
};
pub use number::{format_go_float, format_go_g, parse_go_float, NORMAL_NAN};
pub use sample_lines::SampleLineCounter;

use error::Fail;

/// How much of the OpenMetrics specification to enforce. Prometheus text is always read as
/// the Prometheus server reads it; the two differ only for OpenMetrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Validation {
    /// Accept what Prometheus' own parser accepts when scraping: full OpenMetrics syntax
    /// (`# EOF`, single spaces, exemplar limits, unit suffix) but not the semantic rules that
    /// real client libraries break (e.g. client_golang's negative `_sum` with negative buckets).
    #[default]
    Prometheus,
    /// Every rule the OpenMetrics 1.0 conformance suite tests: counter values, histogram
    /// structure, grouping, metadata placement, name clashes, stateset/info values.
    Strict,
}

/// Parse `text` in `format` with the default [`Limits`], accepting what Prometheus accepts.
pub fn parse(text: &str, format: Format) -> Result<Exposition<'_>, ParseError> {
    parse_with(text, format, &Limits::default())
}

/// [`parse`] refusing input beyond `limits`.
pub fn parse_with<'a>(
    text: &'a str,
    format: Format,
    limits: &Limits,
) -> Result<Exposition<'a>, ParseError> {
    parse_validated(text, format, limits, Validation::Prometheus)
}

/// Parse with every OpenMetrics rule enforced ([`Validation::Strict`]), default limits.
pub fn parse_strict(text: &str, format: Format) -> Result<Exposition<'_>, ParseError> {
    parse_validated(text, format, &Limits::default(), Validation::Strict)
}

/// The general form: explicit limits and validation level.
pub fn parse_validated<'a>(
    text: &'a str,
    format: Format,
    limits: &Limits,
    validation: Validation,
) -> Result<Exposition<'a>, ParseError> {
    if text.len() > limits.max_bytes {
        return Err(ParseError {
            line: 1,
            col: 1,
            message: format!(
                "input of {} bytes exceeds the limit of {} bytes",
                text.len(),
                limits.max_bytes
            ),
        });
    }
    let result = match format {
        Format::Prometheus => prom::parse_prometheus(text, limits),
        Format::OpenMetrics => {
            om::parse_openmetrics(text, limits, validation == Validation::Strict)
        }
    };
    result
        .map(|families| Exposition { families })
        .map_err(|fail| fail.locate(text.as_bytes()))
}

/// Parse raw bytes: invalid UTF-8 is an error located at the first bad byte (both formats
/// require UTF-8 names, label values and help text).
pub fn parse_bytes<'a>(
    bytes: &'a [u8],
    format: Format,
    limits: &Limits,
    validation: Validation,
) -> Result<Exposition<'a>, ParseError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_validated(text, format, limits, validation),
        Err(e) => Err(Fail::new(e.valid_up_to(), "invalid UTF-8").locate(bytes)),
    }
}
