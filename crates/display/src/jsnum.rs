//! JavaScript number-to-text conversions, reimplemented so Grafana's formatting (which is
//! written against JS semantics) can be matched digit for digit.
//!
//! Contract:
//! - [`to_js_string`] is `String(x)` / `Number.prototype.toString()` (shortest round-trip
//!   digits; exponent form below 1e-6 and from 1e21 on; `NaN`, `Infinity`, `-Infinity`).
//! - [`js_round`] is `Math.round` (ties toward +∞).
//! - [`to_exponential`] is `Number.prototype.toExponential(digits?)`.
//! - [`to_locale_en`] is `toLocaleString('en-US', {maximumFractionDigits})` for finite
//!   values and `∞` / `-∞` for infinities (what Grafana shows for them).
//! - [`to_hex_string`] is `toString(16).toUpperCase()`; fractional digits are exact binary
//!   digits (JS may round the last one).
//!
//! Ties in fixed-precision rounding follow Rust's formatter (half-even on exact binary
//! ties) where JS rounds half-up; this only differs for values that are exact binary ties.

/// Decomposes a finite, non-zero, positive `x` into its shortest round-trip decimal digits
/// and the JS exponent `n` (value = 0.d1d2… × 10^n). When two shortest candidates are
/// equally close (an exact binary tie), JavaScript takes the even one; so do we.
fn shortest_digits(x: f64) -> (String, i32) {
    let sci = format!("{x:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let e: i32 = exp.parse().unwrap_or(0);
    match tie_to_even(x, &digits, e + 1) {
        Some(even) => (even, e + 1),
        None => (digits, e + 1),
    }
}

/// The exact decimal significand of `x` to 60 digits (after the first) and its exponent.
fn exact_digits(x: f64) -> (Vec<u8>, i32) {
    let text = format!("{:.60e}", x.abs());
    let (mantissa, exp) = text.split_once('e').unwrap_or((text.as_str(), "0"));
    let digits = mantissa
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    (digits, exp.parse().unwrap_or(0))
}

/// True when the exact digits after position `keep` are exactly `5000…`.
fn is_exact_half(exact: &[u8], keep: usize) -> bool {
    exact.get(keep) == Some(&5)
        && exact
            .get(keep + 1..)
            .is_some_and(|rest| rest.iter().all(|d| *d == 0))
}

fn tie_to_even(x: f64, digits: &str, n: i32) -> Option<String> {
    let last = digits.bytes().last()? - b'0';
    if last.is_multiple_of(2) {
        return None;
    }
    let k = digits.len();
    let (exact, e) = exact_digits(x);
    if e + 1 != n || !is_exact_half(&exact, k) {
        return None;
    }
    let mut even: Vec<u8> = exact.get(..k)?.to_vec();
    if even.last()? % 2 == 1 {
        let lastd = even.last_mut()?;
        if *lastd == 9 {
            return None; // a carry changes the length; keep Rust's choice
        }
        *lastd += 1;
    }
    Some(even.iter().map(|d| char::from(b'0' + d)).collect())
}

/// `String(x)` as JavaScript writes it.
pub fn to_js_string(x: f64) -> String {
    if x.is_nan() {
        return "NaN".to_string();
    }
    if x == 0.0 {
        return "0".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.to_string();
    }
    if x < 0.0 {
        return format!("-{}", to_js_string(-x));
    }
    let (digits, n) = shortest_digits(x);
    let k = digits.len() as i32;
    if k <= n && n <= 21 {
        let zeros = "0".repeat((n - k).max(0) as usize);
        return format!("{digits}{zeros}");
    }
    if 0 < n && n <= 21 {
        let (int_part, frac_part) = digits.split_at(n as usize);
        return format!("{int_part}.{frac_part}");
    }
    if -6 < n && n <= 0 {
        let zeros = "0".repeat((-n) as usize);
        return format!("0.{zeros}{digits}");
    }
    exponent_form(&digits, n - 1)
}

/// `d[.ddd]e±x` as JavaScript writes exponents.
fn exponent_form(digits: &str, exponent: i32) -> String {
    let sign = if exponent < 0 { '-' } else { '+' };
    let mut chars = digits.chars();
    let first = chars.next().unwrap_or('0');
    let rest: String = chars.collect();
    if rest.is_empty() {
        format!("{first}e{sign}{}", exponent.abs())
    } else {
        format!("{first}.{rest}e{sign}{}", exponent.abs())
    }
}

/// `Math.round(x)`: nearest integer, ties toward +∞.
pub fn js_round(x: f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let floor = x.floor();
    if x - floor >= 0.5 {
        floor + 1.0
    } else {
        floor
    }
}

/// `x.toExponential(digits)`; `None` means "as many digits as needed". Exact ties round
/// away from zero, as JavaScript does.
pub fn to_exponential(x: f64, digits: Option<u32>) -> String {
    if !x.is_finite() {
        return to_js_string(x);
    }
    let text = match digits {
        Some(d) => exponential_half_up(x, d.min(100) as usize),
        None => format!("{x:e}"),
    };
    let (mantissa, exp) = text.split_once('e').unwrap_or((text.as_str(), "0"));
    let e: i32 = exp.parse().unwrap_or(0);
    let sign = if e < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{}", e.abs())
}

/// Rust's `{:.de}` (correctly rounded, half-even on ties) with ties moved away from zero.
fn exponential_half_up(x: f64, d: usize) -> String {
    let rust = format!("{:.*e}", d, x);
    if x == 0.0 {
        return rust;
    }
    let (exact, e) = exact_digits(x);
    if !is_exact_half(&exact, d + 1) {
        return rust;
    }
    let mut kept: Vec<u8> = exact.get(..=d).unwrap_or_default().to_vec();
    let mut exponent = e;
    let mut carry = true;
    for digit in kept.iter_mut().rev() {
        if *digit == 9 {
            *digit = 0;
        } else {
            *digit += 1;
            carry = false;
            break;
        }
    }
    if carry {
        kept.insert(0, 1);
        kept.pop();
        exponent += 1;
    }
    let text: String = kept.iter().map(|digit| char::from(b'0' + digit)).collect();
    let sign = if x < 0.0 { "-" } else { "" };
    let (first, rest) = text.split_at(1.min(text.len()));
    if rest.is_empty() {
        format!("{sign}{first}e{exponent}")
    } else {
        format!("{sign}{first}.{rest}e{exponent}")
    }
}

/// `x.toLocaleString('en-US', { maximumFractionDigits })` (default 3 fraction digits).
/// Like ICU, it rounds the shortest decimal form of `x` half away from zero, and keeps
/// the sign of a negative number that rounds to zero (`-0`).
pub fn to_locale_en(x: f64, max_fraction_digits: Option<u32>) -> String {
    if x.is_nan() {
        return "NaN".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "∞" } else { "-∞" }.to_string();
    }
    let digits = max_fraction_digits.unwrap_or(3).min(20) as usize;
    let (int_part, frac_part) = round_shortest_decimal(x.abs(), digits);
    let frac_trimmed = frac_part.trim_end_matches('0');
    let grouped = group_thousands(&int_part);
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if frac_trimmed.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac_trimmed}")
    }
}

/// The shortest decimal form of a non-negative finite `x`, rounded half-up to
/// `frac_digits` fraction digits, as (integer digits, fraction digits).
fn round_shortest_decimal(x: f64, frac_digits: usize) -> (String, String) {
    if x == 0.0 {
        return ("0".to_string(), String::new());
    }
    let (digits, n) = shortest_digits(x);
    // Lay the digits out as integer and fraction parts of a plain decimal.
    let mut all: Vec<u8> = Vec::new();
    let int_len = n.max(0) as usize;
    let lead_zeros = (-n).max(0) as usize;
    all.extend(std::iter::repeat_n(0u8, lead_zeros));
    all.extend(digits.bytes().map(|b| b - b'0'));
    let int_digits = if n > 0 { int_len } else { 0 };
    if all.len() < int_digits {
        all.resize(int_digits, 0);
    }
    let keep = int_digits + frac_digits;
    let round_up = all.get(keep).is_some_and(|d| *d >= 5);
    all.truncate(keep);
    all.resize(keep, 0);
    let mut carry = round_up;
    for d in all.iter_mut().rev() {
        if !carry {
            break;
        }
        if *d == 9 {
            *d = 0;
        } else {
            *d += 1;
            carry = false;
        }
    }
    let to_text = |ds: &[u8]| ds.iter().map(|d| char::from(b'0' + d)).collect::<String>();
    let mut int_text = to_text(all.get(..int_digits).unwrap_or_default());
    if carry {
        int_text.insert(0, '1');
    }
    if int_text.is_empty() {
        int_text.push('0');
    }
    (int_text, to_text(all.get(int_digits..).unwrap_or_default()))
}

/// Inserts `,` every three digits from the right.
fn group_thousands(int_digits: &str) -> String {
    let len = int_digits.len();
    let mut out = String::with_capacity(len + len / 3);
    for (i, c) in int_digits.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `x.toString(16).toUpperCase()`, with V8's digit generation for the fraction: digits
/// stop once they identify the double, and the last one is rounded (half to even).
pub fn to_hex_string(x: f64) -> String {
    if !x.is_finite() {
        return to_js_string(x);
    }
    let sign = if x < 0.0 { "-" } else { "" };
    let abs = x.abs();
    let mut integer = abs.floor();
    let mut fraction = abs - integer;
    let next_up = f64::from_bits(abs.to_bits() + 1);
    let mut delta = (0.5 * (next_up - abs)).max(f64::from_bits(1));
    let mut digits: Vec<u32> = Vec::new();
    if fraction >= delta {
        loop {
            fraction *= 16.0;
            delta *= 16.0;
            let digit = fraction.trunc();
            digits.push(digit as u32);
            fraction -= digit;
            let round_up = fraction > 0.5 || (fraction == 0.5 && (digit as u32) & 1 == 1);
            if round_up && fraction + delta > 1.0 {
                // Round the written digits up, carrying into the integer part if needed.
                loop {
                    match digits.pop() {
                        Some(d) if d + 1 < 16 => {
                            digits.push(d + 1);
                            break;
                        }
                        Some(_) => continue,
                        None => {
                            integer += 1.0;
                            break;
                        }
                    }
                }
                break;
            }
            if fraction < delta {
                break;
            }
        }
    }
    let mut out = format!("{sign}{}", int_to_hex(integer));
    if !digits.is_empty() {
        out.push('.');
        out.extend(digits.into_iter().map(hex_digit));
    }
    out
}

/// Hex digits of a non-negative integral double of any size.
fn int_to_hex(mut v: f64) -> String {
    if v < 1.0 {
        return "0".to_string();
    }
    let mut digits = Vec::new();
    while v >= 1.0 {
        let rem = v % 16.0;
        digits.push(hex_digit(rem as u32));
        v = ((v - rem) / 16.0).trunc();
    }
    digits.iter().rev().collect()
}

fn hex_digit(d: u32) -> char {
    char::from_digit(d, 16)
        .map(|c| c.to_ascii_uppercase())
        .unwrap_or('0')
}

/// JavaScript `Number(text)` for strings: trims, empty is 0, decimal/exponent forms and
/// `Infinity`; anything else is NaN (Rust's `inf`/`nan` spellings are rejected).
pub fn js_string_to_number(text: &str) -> f64 {
    let t = text.trim();
    if t.is_empty() {
        return 0.0;
    }
    let unsigned = t.trim_start_matches(['+', '-']);
    if unsigned == "Infinity" {
        return if t.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
    }
    let looks_numeric = unsigned
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'));
    if !looks_numeric || t.len() - unsigned.len() > 1 {
        return f64::NAN;
    }
    t.parse::<f64>().unwrap_or(f64::NAN)
}

/// JavaScript `parseFloat(text)`: the longest numeric prefix after leading whitespace.
pub fn js_parse_float(text: &str) -> f64 {
    let t = text.trim_start();
    let unsigned = t.trim_start_matches(['+', '-']);
    if unsigned.starts_with("Infinity") && t.len() - unsigned.len() <= 1 {
        return if t.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
    }
    // Try successively shorter prefixes; inputs are short labels so this stays cheap.
    let ends: Vec<usize> = t.char_indices().map(|(i, c)| i + c.len_utf8()).collect();
    for end in ends.into_iter().rev() {
        if let Some(prefix) = t.get(..end) {
            let n = js_string_to_number(prefix);
            if !n.is_nan() && !prefix.trim().is_empty() {
                return n;
            }
        }
    }
    f64::NAN
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
    fn js_string_matches_javascript() {
        assert_eq!(to_js_string(1.5), "1.5");
        assert_eq!(to_js_string(100.0), "100");
        assert_eq!(to_js_string(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(to_js_string(1e21), "1e+21");
        assert_eq!(
            to_js_string(123456789012345680000.0),
            "123456789012345680000"
        );
        assert_eq!(to_js_string(1e-7), "1e-7");
        assert_eq!(to_js_string(0.000001), "0.000001");
        assert_eq!(to_js_string(-2.5e-8), "-2.5e-8");
        assert_eq!(to_js_string(f64::NAN), "NaN");
        assert_eq!(to_js_string(f64::NEG_INFINITY), "-Infinity");
        assert_eq!(to_js_string(-0.0), "0");
        // An exact tie between two 17-digit candidates goes to the even one, as in JS.
        assert_eq!(to_js_string(2541542.0532226562), "2541542.0532226562");
        assert_eq!(to_js_string(98.98452758789062), "98.98452758789062");
    }

    #[test]
    fn math_round_ties_up() {
        assert_eq!(js_round(2.5), 3.0);
        assert_eq!(js_round(-2.5), -2.0);
        assert_eq!(js_round(-2.6), -3.0);
        assert_eq!(js_round(0.49999), 0.0);
    }

    #[test]
    fn exponential_and_locale() {
        assert_eq!(to_exponential(12345.0, Some(2)), "1.23e+4");
        assert_eq!(to_exponential(0.00015, None), "1.5e-4");
        assert_eq!(to_exponential(-0.125, Some(1)), "-1.3e-1");
        assert_eq!(to_exponential(9.5, Some(0)), "1e+1");
        assert_eq!(to_locale_en(-0.0001, Some(2)), "-0");
        assert_eq!(to_locale_en(1234567.891, None), "1,234,567.891");
        assert_eq!(to_locale_en(-1234.5, Some(0)), "-1,235");
        assert_eq!(to_locale_en(f64::INFINITY, None), "∞");
    }

    #[test]
    fn hex_and_parsing() {
        assert_eq!(to_hex_string(255.0), "FF");
        assert_eq!(to_hex_string(-4096.0), "-1000");
        assert_eq!(to_hex_string(0.5), "0.8");
        // Values checked against Node's `x.toString(16).toUpperCase()`.
        assert_eq!(to_hex_string(0.1), "0.1999999999999A");
        assert_eq!(to_hex_string(-50.33), "-32.547AE147AE14");
        assert_eq!(to_hex_string(1.0 / 3.0), "0.55555555555554");
        assert_eq!(to_hex_string(255.99999999), "FF.FFFFFFD50CE");
        assert_eq!(to_hex_string(1e21), "3635C9ADC5DEA00000");
        assert_eq!(to_hex_string(123.456), "7B.74BC6A7EF9DC");
        assert_eq!(js_string_to_number(" 42 "), 42.0);
        assert_eq!(js_string_to_number(""), 0.0);
        assert!(js_string_to_number("inf").is_nan());
        assert!(js_string_to_number("abc").is_nan());
        assert_eq!(js_parse_float("12.5px"), 12.5);
        assert!(js_parse_float("px").is_nan());
    }
}
