//! Numbers as Prometheus reads and writes them.
//!
//! * [`parse_go_float`]: Go `strconv.ParseFloat` acceptance as both text parsers use it: decimal
//!   forms (`.5`, `5.`, `+3`, `0001`, `1e3`), case-insensitive `Inf`/`Infinity`/`NaN` (signs only
//!   on infinities); no `_`, hex, binary, octal; overflow (`1e309`) is an error, not `inf`.
//! * [`format_go_float`]: Prometheus' `FormatOpenMetricsFloat`, the `le`/`quantile` normalisation:
//!   Go `FormatFloat(v, 'g', -1, 64)` plus `.0` when the result has neither `.` nor `e`.

use std::fmt::Write;

/// The NaN Prometheus normalises every parsed NaN to (`value.NormalNaN`).
pub const NORMAL_NAN: f64 = f64::from_bits(0x7ff8_0000_0000_0001);

/// Parse a sample value like Go's `strconv.ParseFloat(s, 64)`; `None` if Go would fail.
pub fn parse_go_float(token: &str) -> Option<f64> {
    if let Some(v) = parse_simple_decimal(token.as_bytes()) {
        return Some(v);
    }
    let bytes = token.as_bytes();
    let (negative, unsigned) = match bytes.first()? {
        b'+' => (false, bytes.get(1..)?),
        b'-' => (true, bytes.get(1..)?),
        _ => (false, bytes),
    };
    let first = *unsigned.first()?;
    if first.is_ascii_alphabetic() {
        return parse_special(unsigned, negative, bytes.len() != unsigned.len());
    }
    // Rust's grammar is Go's decimal grammar; only these bytes can occur in it.
    if !unsigned
        .iter()
        .all(|b| matches!(b, b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    let v: f64 = token.parse().ok()?;
    // Go reports ErrRange on overflow where Rust rounds to infinity.
    if v.is_infinite() {
        return None;
    }
    Some(v)
}

/// `inf`, `infinity` (any case, optional sign) and unsigned `nan` (any case).
fn parse_special(unsigned: &[u8], negative: bool, signed: bool) -> Option<f64> {
    if unsigned.eq_ignore_ascii_case(b"inf") || unsigned.eq_ignore_ascii_case(b"infinity") {
        return Some(if negative {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    if !signed && unsigned.eq_ignore_ascii_case(b"nan") {
        return Some(NORMAL_NAN);
    }
    None
}

/// Fast exact path for `[+-]?digits[.digits]` with at most 15 significant digits: the mantissa
/// and the power of ten are both exact in f64, so one division rounds correctly (Clinger).
fn parse_simple_decimal(bytes: &[u8]) -> Option<f64> {
    let (negative, digits) = match bytes.first()? {
        b'-' => (true, bytes.get(1..)?),
        b'+' => (false, bytes.get(1..)?),
        _ => (false, bytes),
    };
    if digits.is_empty() || digits.len() > 16 {
        return None;
    }
    let mut mantissa: u64 = 0;
    let (int_digits, mut i) = accumulate_digits(digits, 0, &mut mantissa);
    let mut frac_digits = 0;
    if digits.get(i) == Some(&b'.') {
        let (n, end) = accumulate_digits(digits, i + 1, &mut mantissa);
        frac_digits = n;
        i = end;
    }
    let count = int_digits + frac_digits;
    if i != digits.len() || count == 0 || count > 15 {
        return None;
    }
    let scale = POW10.get(frac_digits).copied()?;
    let v = mantissa as f64 / scale;
    Some(if negative { -v } else { v })
}

/// Fold the decimal digits starting at `from` into `mantissa` (at most 16 digits reach here,
/// so it cannot overflow); returns how many there were and where they ended.
#[inline(always)]
fn accumulate_digits(bytes: &[u8], from: usize, mantissa: &mut u64) -> (usize, usize) {
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            break;
        }
        *mantissa = *mantissa * 10 + u64::from(digit);
        i += 1;
    }
    (i - from, i)
}

const POW10: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// Format `v` the way Prometheus normalises `le` and `quantile` label values
/// (`FormatOpenMetricsFloat`): `1` → `1.0`, `1e6` → `1e+06`, `0.00001` → `1e-05`,
/// `+Inf`/`-Inf`/`NaN` for the specials.
pub fn format_go_float(v: f64) -> String {
    let mut out = StackBuf::new();
    write_openmetrics_float(&mut out, v);
    out.as_str().to_string()
}

/// Go `strconv.FormatFloat(v, 'g', -1, 64)` exactly (no `.0` suffix; `+Inf`, `-Inf`, `NaN`).
pub fn format_go_g(v: f64) -> String {
    let mut out = StackBuf::new();
    write_go_g(&mut out, v);
    out.as_str().to_string()
}

/// True if `text` is already what [`format_go_float`] would print for its value; no allocation.
pub(crate) fn normalise_float_label(text: &str) -> Option<Option<String>> {
    if is_canonical_fixed(text) {
        return Some(None);
    }
    let v = parse_go_float(text)?;
    let mut out = StackBuf::new();
    write_openmetrics_float(&mut out, v);
    if out.as_str() == text {
        Some(None)
    } else {
        Some(Some(out.as_str().to_string()))
    }
}

/// Quick syntactic test for the common canonical forms (`0.25`, `10.0`, `-0.001`, `+Inf`)
/// without formatting. A decimal of at most 15 significant digits round-trips through f64, so
/// when it has no redundant zeros it is already Go's shortest form; fixed notation is what Go
/// picks for values in [1e-4, 1e6). Anything else takes the formatting path.
fn is_canonical_fixed(text: &str) -> bool {
    if matches!(text, "+Inf" | "-Inf" | "NaN") {
        return true;
    }
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let Some((int, frac)) = unsigned.split_once('.') else {
        return false;
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int) || !all_digits(frac) {
        return false;
    }
    let significant = if int == "0" {
        // 0.000x is the smallest fixed form (exponent -4); "0.0" itself is fine unsigned.
        let zeros = frac.bytes().take_while(|&b| b == b'0').count();
        if frac == "0" {
            return unsigned.len() == text.len();
        }
        if zeros > 3 {
            return false;
        }
        frac.len() - zeros
    } else {
        if int.starts_with('0') || int.len() > 6 {
            return false;
        }
        int.len() + if frac == "0" { 0 } else { frac.len() }
    };
    let no_trailing_zero = frac == "0" || !frac.ends_with('0');
    no_trailing_zero && significant <= 15
}

fn write_openmetrics_float(out: &mut StackBuf, v: f64) {
    if v.is_infinite() {
        out.push_str(if v > 0.0 { "+Inf" } else { "-Inf" });
        return;
    }
    write_go_g(out, v);
    if !v.is_nan() && !out.as_str().contains(['.', 'e']) {
        out.push_str(".0");
    }
}

fn write_go_g(out: &mut StackBuf, v: f64) {
    if v.is_nan() {
        return out.push_str("NaN");
    }
    if v.is_infinite() {
        return out.push_str(if v > 0.0 { "+Inf" } else { "-Inf" });
    }
    if v.is_sign_negative() {
        out.push_str("-");
    }
    // Rust's `{:e}` prints the shortest round-trip digits: "d.ddde±x".
    let mut sci = StackBuf::new();
    let _ = write!(sci, "{:e}", v.abs());
    let (mantissa, exp) = sci.as_str().split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: StackBuf = mantissa.chars().filter(|c| *c != '.').collect();
    let digits = digits.as_str();
    // Go's shortest 'g' switches to exponent form below 1e-4 and from 1e6 (eprec = 6).
    if !(-4..6).contains(&exp) {
        write_exponent_form(out, digits, exp);
    } else {
        write_fixed_form(out, digits, exp);
    }
}

fn write_exponent_form(out: &mut StackBuf, digits: &str, exp: i32) {
    let mut chars = digits.chars();
    if let Some(first) = chars.next() {
        out.push_char(first);
    }
    let rest = chars.as_str();
    if !rest.is_empty() {
        out.push_str(".");
        out.push_str(rest);
    }
    let _ = write!(
        out,
        "e{}{:02}",
        if exp < 0 { '-' } else { '+' },
        exp.unsigned_abs()
    );
}

fn write_fixed_form(out: &mut StackBuf, digits: &str, exp: i32) {
    if exp < 0 {
        out.push_str("0.");
        for _ in 0..(-exp - 1) {
            out.push_str("0");
        }
        out.push_str(digits);
        return;
    }
    let int_len = usize::try_from(exp).unwrap_or(0) + 1;
    let (int_part, frac_part) = if digits.len() > int_len {
        digits.split_at(int_len)
    } else {
        (digits, "")
    };
    out.push_str(int_part);
    for _ in int_part.len()..int_len {
        out.push_str("0");
    }
    if !frac_part.is_empty() {
        out.push_str(".");
        out.push_str(frac_part);
    }
}

/// A small fixed-capacity string so normalisation checks need no heap allocation.
/// Shortest f64 forms are at most 24 bytes; longer writes are truncated (never happens).
struct StackBuf {
    buf: [u8; 48],
    len: usize,
}

impl StackBuf {
    fn new() -> Self {
        StackBuf {
            buf: [0; 48],
            len: 0,
        }
    }

    fn as_str(&self) -> &str {
        self.buf
            .get(..self.len)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
    }

    fn push_str(&mut self, s: &str) {
        for &b in s.as_bytes() {
            if let Some(slot) = self.buf.get_mut(self.len) {
                *slot = b;
                self.len += 1;
            }
        }
    }

    fn push_char(&mut self, c: char) {
        let mut tmp = [0u8; 4];
        self.push_str(c.encode_utf8(&mut tmp));
    }
}

impl Write for StackBuf {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.push_str(s);
        Ok(())
    }
}

impl FromIterator<char> for StackBuf {
    fn from_iter<I: IntoIterator<Item = char>>(iter: I) -> Self {
        let mut out = StackBuf::new();
        for c in iter {
            out.push_char(c);
        }
        out
    }
}

/// Prometheus text timestamp: `[0-9]+` milliseconds fitting an i64.
pub(crate) fn parse_prom_timestamp(token: &str) -> Option<i64> {
    if token.is_empty() || !token.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    token.parse().ok()
}

/// OpenMetrics timestamp: a finite float number of seconds (sign allowed).
pub(crate) fn parse_om_timestamp_seconds(token: &str) -> Option<f64> {
    parse_go_float(token).filter(|v| v.is_finite())
}

/// Seconds to milliseconds as Prometheus does (`int64(ts*1000)`: truncation, saturating here).
pub(crate) fn seconds_to_ms(seconds: f64) -> i64 {
    (seconds * 1000.0) as i64
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
    fn go_g_layout_matches_prometheus_examples() {
        let cases = [
            (1.0, "1.0"),
            (0.0, "0.0"),
            (-1.0, "-1.0"),
            (2.5, "2.5"),
            (1000.0, "1000.0"),
            (0.00001, "1e-05"),
            (0.0001, "0.0001"),
            (100000.0, "100000.0"),
            (1000000.0, "1e+06"),
            (1.5e300, "1.5e+300"),
            (123456.7, "123456.7"),
            (1234567.0, "1.234567e+06"),
            (0.005, "0.005"),
            (-0.0, "-0.0"),
            (5e-324, "5e-324"),
            (f64::INFINITY, "+Inf"),
            (f64::NEG_INFINITY, "-Inf"),
        ];
        for (v, want) in cases {
            assert_eq!(format_go_float(v), want, "formatting {v:e}");
        }
        assert_eq!(format_go_float(f64::NAN), "NaN");
        assert_eq!(format_go_g(1.0), "1");
        assert_eq!(format_go_g(1e21), "1e+21");
    }

    #[test]
    fn go_float_acceptance() {
        for ok in [
            "1",
            ".5",
            "5.",
            "+3",
            "0001",
            "1e3",
            "-1.5E-3",
            "Inf",
            "+inf",
            "-Infinity",
            "NaN",
            "nan",
        ] {
            assert!(parse_go_float(ok).is_some(), "{ok} should parse");
        }
        for bad in [
            "", "+", ".", "1_000", "0x1p-3", "0x1", "0b1", "0o1", "1e309", "-1e309", "+NaN",
            "true", "1e", "infin", "1.2.3",
        ] {
            assert!(parse_go_float(bad).is_none(), "{bad} should be rejected");
        }
        assert_eq!(parse_go_float("0.1"), Some(0.1));
        assert_eq!(parse_go_float("123456789.123456"), Some(123456789.123456));
        assert_eq!(parse_go_float("-0.000001"), Some(-0.000001));
        assert_eq!(
            parse_go_float("9223372036854775808"),
            Some(9223372036854775808.0)
        );
        assert_eq!(
            parse_go_float("NaN").map(f64::to_bits),
            Some(NORMAL_NAN.to_bits())
        );
    }

    #[test]
    fn fast_path_agrees_with_std_parse() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let int = x % 1_000_000_000;
            let frac = (x >> 32) % 1_000_000;
            let text = format!("{int}.{frac:06}");
            assert_eq!(
                parse_go_float(&text),
                Some(text.parse::<f64>().unwrap()),
                "{text}"
            );
        }
    }

    #[test]
    fn canonical_fast_check_agrees_with_formatting() {
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut texts: Vec<String> = [
            "0.0",
            "-0.0",
            "1.0",
            "10.0",
            "0.1",
            "0.0001",
            "0.00001",
            "999999.0",
            "1000000.0",
            "100000.0",
            "-0.00099",
            "2.50",
            "01.5",
            "1.",
            ".5",
            "+Inf",
            "+INF",
            "1e3",
            "0.30000000000000004",
            "123456.789012345",
            "123456.7890123456",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let digits = (x % 9) as usize;
            let scale = 10f64.powi((x >> 8) as i32 % 12 - 6);
            let v = ((x >> 16) % 1_000_000) as f64 * scale;
            texts.push(format!("{v:.digits$}"));
            texts.push(format_go_float(v));
        }
        for text in &texts {
            let slow = parse_go_float(text)
                .map(|v| format_go_float(v) == *text)
                .unwrap_or(false);
            if is_canonical_fixed(text) {
                assert!(
                    slow,
                    "{text} judged canonical but formats as {:?}",
                    parse_go_float(text).map(format_go_float)
                );
            }
        }
    }

    #[test]
    fn timestamps() {
        assert_eq!(parse_prom_timestamp("1234"), Some(1234));
        assert_eq!(parse_prom_timestamp("-1"), None);
        assert_eq!(parse_prom_timestamp("99999999999999999999"), None);
        assert_eq!(parse_om_timestamp_seconds("1.5e3"), Some(1500.0));
        assert_eq!(parse_om_timestamp_seconds("NaN"), None);
        assert_eq!(parse_om_timestamp_seconds("-Inf"), None);
        assert_eq!(seconds_to_ms(1.5), 1500);
    }
}
