//! Alert label and annotation templates: the part of Prometheus's Go-template language that
//! rules use in practice, expanded as plain text (the result is shown as text, never markup).
//!
//! Supported inside `{{ … }}`:
//! - the value: `$value` / `.Value`; labels: `$labels.NAME` / `.Labels.NAME` (missing → empty);
//! - Prometheus's number functions, called as `fn $value` or piped as `$value | fn`:
//!   `humanize` (SI prefixes k…Y and m…y), `humanize1024` (ki…Yi), `humanizeDuration`
//!   (`1d 2h 3m 4s`, `512.3ms`), `humanizePercentage` (`×100` then `%`), `printf "%.2f"`-free
//!   forms only; every number is printed like Go's `%.4g`, as Prometheus does.
//!
//! Anything else (`{{ if … }}`, `{{ .Other }}`, an unclosed `{{`) is kept as written, so a
//! template we do not understand shows up visibly instead of silently vanishing.

use std::collections::BTreeMap;

use signalboard_promql::format_value;

/// Expands `template` for one alert instance with its `labels` and `value`.
pub fn expand(template: &str, labels: &BTreeMap<String, String>, value: f64) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let (before, from) = rest.split_at(start);
        out.push_str(before);
        let Some(end) = from.find("}}") else {
            out.push_str(from);
            return out;
        };
        let inner = from.get(2..end).unwrap_or("").trim();
        match action(inner, labels, value) {
            Some(text) => out.push_str(&text),
            None => out.push_str(from.get(..end + 2).unwrap_or("")),
        }
        rest = from.get(end + 2..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// One `{{ … }}` action's text, or `None` when it is not a form we support.
fn action(inner: &str, labels: &BTreeMap<String, String>, value: f64) -> Option<String> {
    if let Some(name) = inner
        .strip_prefix("$labels.")
        .or_else(|| inner.strip_prefix(".Labels."))
    {
        return Some(labels.get(name).cloned().unwrap_or_default());
    }
    let (function, argument) = match inner.split_once('|') {
        Some((argument, function)) => (Some(function.trim()), argument.trim()),
        None => match inner.split_once(char::is_whitespace) {
            Some((function, argument)) => (Some(function), argument.trim()),
            None => (None, inner),
        },
    };
    if argument != "$value" && argument != ".Value" {
        return None;
    }
    match function {
        None => Some(format_value(value)),
        Some(name) => humanize_with(name, value),
    }
}

fn humanize_with(function: &str, value: f64) -> Option<String> {
    match function {
        "humanize" => Some(humanize(value)),
        "humanize1024" => Some(humanize1024(value)),
        "humanizeDuration" => Some(humanize_duration(value)),
        "humanizePercentage" => Some(format!("{}%", go_g4(value * 100.0))),
        _ => None,
    }
}

const BIG_PREFIXES: [&str; 8] = ["k", "M", "G", "T", "P", "E", "Z", "Y"];
const SMALL_PREFIXES: [&str; 8] = ["m", "u", "n", "p", "f", "a", "z", "y"];

/// Prometheus's `humanize`: 1234567 → `1.235M`, 0.0012 → `1.2m`.
pub fn humanize(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return go_g4(v);
    }
    if v.abs() >= 1.0 {
        let (scaled, prefix) = scale_down(v, 1000.0, &BIG_PREFIXES);
        return format!("{}{prefix}", go_g4(scaled));
    }
    let (scaled, prefix) = scale_up(v);
    format!("{}{prefix}", go_g4(scaled))
}

/// Prometheus's `humanize1024`: 1048576 → `1Mi`.
pub fn humanize1024(v: f64) -> String {
    if v.abs() <= 1.0 || !v.is_finite() {
        return go_g4(v);
    }
    const PREFIXES: [&str; 8] = ["ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"];
    let (scaled, prefix) = scale_down(v, 1024.0, &PREFIXES);
    format!("{}{prefix}", go_g4(scaled))
}

/// Prometheus's `humanizeDuration` of seconds: 93784 → `1d 2h 3m 4s`, 0.5123 → `512.3ms`.
pub fn humanize_duration(v: f64) -> String {
    if !v.is_finite() {
        return go_g4(v);
    }
    if v == 0.0 {
        return format!("{}s", go_g4(v));
    }
    if v.abs() < 1.0 {
        let (scaled, prefix) = scale_up(v);
        return format!("{}{prefix}s", go_g4(scaled));
    }
    let sign = if v < 0.0 { "-" } else { "" };
    let whole = v.abs().trunc() as i64; // Go's int64(v): seconds are shown whole from 1m up
    let (days, hours, minutes, seconds) = (
        whole / 86_400,
        whole / 3600 % 24,
        whole / 60 % 60,
        whole % 60,
    );
    if days != 0 {
        format!("{sign}{days}d {hours}h {minutes}m {seconds}s")
    } else if hours != 0 {
        format!("{sign}{hours}h {minutes}m {seconds}s")
    } else if minutes != 0 {
        format!("{sign}{minutes}m {seconds}s")
    } else {
        format!("{sign}{}s", go_g4(v.abs()))
    }
}

/// Divides by `base` while |v| ≥ base, returning the value and the last prefix used.
fn scale_down(mut v: f64, base: f64, prefixes: &[&'static str]) -> (f64, &'static str) {
    let mut prefix = "";
    for p in prefixes {
        if v.abs() < base {
            break;
        }
        prefix = p;
        v /= base;
    }
    (v, prefix)
}

/// Multiplies by 1000 while |v| < 1, returning the value and the last prefix used.
fn scale_up(mut v: f64) -> (f64, &'static str) {
    let mut prefix = "";
    for p in SMALL_PREFIXES {
        if v.abs() >= 1.0 {
            break;
        }
        prefix = p;
        v *= 1000.0;
    }
    (v, prefix)
}

/// Go's `fmt.Sprintf("%.4g", v)`: four significant digits, trailing zeros dropped, exponent
/// form (`1.235e+07`) when the exponent is below −4 or at least 4.
pub fn go_g4(v: f64) -> String {
    if v.is_nan() {
        return "NaN".to_string();
    }
    if v.is_infinite() {
        return if v > 0.0 { "+Inf" } else { "-Inf" }.to_string();
    }
    if v == 0.0 {
        return if v.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    // Rust's `{:e}` rounds the exact binary value to 4 digits, as Go's strconv does.
    let sci = format!("{v:.3e}");
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if !(-4..4).contains(&exponent) {
        let sign = if exponent < 0 { '-' } else { '+' };
        return format!(
            "{}e{sign}{:02}",
            trim_zeros(mantissa),
            exponent.unsigned_abs()
        );
    }
    let decimals = usize::try_from(3 - exponent).unwrap_or(0);
    trim_zeros(&format!("{v:.decimals$}")).to_string()
}

fn trim_zeros(text: &str) -> &str {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Expected strings are what Prometheus 2.x prints for the same calls
    /// (template/template.go and its tests).
    #[test]
    fn go_g4_matches_go_formatting() {
        for (v, want) in [
            (0.0123, "0.0123"),
            (1234.5, "1234"),
            (12345.0, "1.234e+04"),
            (0.00001234, "1.234e-05"),
            (0.5, "0.5"),
            (100.0, "100"),
            (-2.5, "-2.5"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "+Inf"),
        ] {
            assert_eq!(go_g4(v), want, "{v}");
        }
    }

    #[test]
    fn humanize_uses_si_prefixes() {
        assert_eq!(humanize(0.0), "0");
        assert_eq!(humanize(1.0), "1");
        assert_eq!(humanize(1234567.0), "1.235M");
        assert_eq!(humanize(0.0012), "1.2m");
        assert_eq!(humanize(-1500.0), "-1.5k");
        assert_eq!(humanize(0.000_000_5), "500n");
        assert_eq!(humanize(1e30), "1e+06Y");
    }

    #[test]
    fn humanize1024_uses_binary_prefixes() {
        assert_eq!(humanize1024(1.0), "1");
        assert_eq!(humanize1024(1024.0), "1ki");
        assert_eq!(humanize1024(1_048_576.0), "1Mi");
        assert_eq!(humanize1024(1_500_000.0), "1.431Mi");
    }

    #[test]
    fn humanize_duration_matches_prometheus() {
        assert_eq!(humanize_duration(0.0), "0s");
        assert_eq!(humanize_duration(0.5123), "512.3ms");
        assert_eq!(humanize_duration(0.000_012), "12us");
        assert_eq!(humanize_duration(1.5), "1.5s");
        assert_eq!(humanize_duration(61.9), "1m 1s");
        assert_eq!(humanize_duration(3600.0), "1h 0m 0s");
        assert_eq!(humanize_duration(93784.0), "1d 2h 3m 4s");
        assert_eq!(humanize_duration(-61.0), "-1m 1s");
    }

    #[test]
    fn expand_supports_call_and_pipe_forms() {
        let labels = BTreeMap::from([("job".to_string(), "api".to_string())]);
        assert_eq!(
            expand(
                "{{ .Labels.job }} {{ $value | humanizeDuration }} {{ humanize $value }} {{ .Value }}",
                &labels,
                0.25
            ),
            "api 250ms 250m 0.25"
        );
        assert_eq!(
            expand(
                "{{ $value | printf \"%.2f\" }} {{ unknown $value }}",
                &labels,
                1.0
            ),
            "{{ $value | printf \"%.2f\" }} {{ unknown $value }}"
        );
    }
}
