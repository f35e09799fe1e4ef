//! Grafana's number primitives: `toFixed` with automatic decimals, and the scaled-unit
//! formatter behind SI (k, M, G …), IEC (Ki, Mi …) and `short` (K, Mil, Bil …) units.
//!
//! Contract: [`to_fixed`] returns exactly the text Grafana's `toFixed(value, decimals)`
//! returns, including its automatic decimals (`getDecimalsForValue`: about three
//! significant digits, none for integers). The scaled units ([`si_prefix`],
//! [`binary_prefix`], [`short`], [`count_unit`], [`currency`]) pick the power of their
//! base like Grafana's `scaledUnits` and return the scaled text and the suffix.

use super::FormattedValue;
use crate::jsnum::{js_round, to_js_string, to_locale_en};

/// Grafana's automatic number of decimals for `value` (`getDecimalsForValue`).
pub fn decimals_for_value(value: f64) -> u32 {
    if !value.is_finite() || value % 1.0 == 0.0 {
        return 0;
    }
    let abs = value.abs();
    let log10 = (abs.ln() / std::f64::consts::LN_10).floor();
    let mut dec = -log10 + 1.0;
    let magnitude = 10f64.powf(-dec);
    let norm = abs / magnitude;
    // Grafana's "special case for 2.5": in practice norm is always above 2.25 here.
    if norm > 2.25 {
        dec += 1.0;
    }
    dec.max(0.0) as u32
}

/// Grafana's `toFixed(value, decimals)`; `None` picks [`decimals_for_value`].
pub fn to_fixed(value: f64, decimals: Option<u32>) -> String {
    if value.is_nan() {
        return "NaN".to_string();
    }
    if value.is_infinite() {
        return to_locale_en(value, None);
    }
    // Beyond 20 decimals JS's own padding breaks down; nobody configures that.
    let decimals = decimals
        .unwrap_or_else(|| decimals_for_value(value))
        .min(20);
    if value == 0.0 {
        return format!("{:.*}", decimals as usize, 0.0);
    }
    let factor = 10f64.powi(decimals as i32);
    let formatted = to_js_string(js_round(value * factor) / factor);
    if formatted.contains('e') {
        return formatted;
    }
    let precision = formatted
        .find('.')
        .map_or(0, |pos| formatted.len() - pos - 1) as u32;
    if precision < decimals {
        let dot = if precision == 0 { "." } else { "" };
        let zeros = "0".repeat((decimals - precision) as usize);
        return format!("{formatted}{dot}{zeros}");
    }
    formatted
}

/// `floor(log_base(x))` as Grafana computes it (`log10(x) / log10(base)`), corrected by
/// one step where the logarithm's rounding lands on the wrong side of an exact power —
/// V8 gets exact powers right, and so must every libm (wasm's included).
fn exact_floor_log(base: f64, x: f64) -> i32 {
    let mut k = (x.log10() / base.log10()).floor() as i32;
    if base.powi(k.saturating_add(1)) <= x {
        k = k.saturating_add(1);
    } else if base.powi(k) > x {
        k = k.saturating_sub(1);
    }
    k
}

/// Grafana's `scaledUnits(factor, ext, offset)` applied to `value`; `ext` lists the
/// suffix parts, each written as `lead + ext[i] + tail` (so SI units need no per-call
/// suffix table).
fn scaled(
    value: f64,
    decimals: Option<u32>,
    factor: f64,
    ext: &[&str],
    (lead, tail): (&str, &str),
    offset: i32,
) -> FormattedValue {
    if !value.is_finite() {
        return FormattedValue::text_only(to_locale_en(value, None));
    }
    let last = ext.len() as i32 - 1;
    let si_index = if value == 0.0 {
        0
    } else {
        exact_floor_log(factor, value.abs())
    };
    let suffix_index = (offset.saturating_add(si_index)).clamp(0, last.max(0));
    let part = ext.get(suffix_index as usize).copied().unwrap_or("");
    let power = si_index.clamp(-offset, (last - offset).max(-offset));
    FormattedValue {
        text: to_fixed(value / factor.powi(power), decimals),
        prefix: String::new(),
        suffix: format!("{lead}{part}{tail}"),
    }
}

/// SI prefixes from femto to yotta; index 5 is the unprefixed base.
const SI_PREFIXES: [&str; 14] = [
    "f", "p", "n", "µ", "m", "", "k", "M", "G", "T", "P", "E", "Z", "Y",
];
const SI_BASE_INDEX: i32 = 5;
/// IEC binary prefixes.
const BIN_PREFIXES: [&str; 9] = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"];
/// Grafana's `short` suffixes.
const SHORT_SUFFIXES: [&str; 9] = [
    "", " K", " Mil", " Bil", " Tri", " Quadr", " Quint", " Sext", " Sept",
];
/// `simpleCountUnit` and `currency` suffixes.
const COUNT_SUFFIXES: [&str; 5] = ["", "K", "M", "B", "T"];

/// Grafana's `SIPrefix(unit, offset)`: ` k<unit>`, ` M<unit>` … with base 1000.
pub fn si_prefix(value: f64, decimals: Option<u32>, unit: &str, offset: i32) -> FormattedValue {
    scaled(
        value,
        decimals,
        1000.0,
        &SI_PREFIXES,
        (" ", unit),
        SI_BASE_INDEX + offset,
    )
}

/// Grafana's `binaryPrefix(unit, offset)`: ` Ki<unit>`, ` Mi<unit>` … with base 1024.
pub fn binary_prefix(value: f64, decimals: Option<u32>, unit: &str, offset: i32) -> FormattedValue {
    scaled(value, decimals, 1024.0, &BIN_PREFIXES, (" ", unit), offset)
}

/// The SI offset of a prefix letter for custom `si:<prefix><unit>` units (0 if none).
pub fn si_offset_of(prefix: &str) -> i32 {
    SI_PREFIXES
        .iter()
        .position(|p| !p.is_empty() && (*p == prefix || (*p == "µ" && prefix == "μ")))
        .map_or(0, |i| i as i32 - SI_BASE_INDEX)
}

/// Grafana's `short` unit (base 1000: K, Mil, Bil …).
pub fn short(value: f64, decimals: Option<u32>) -> FormattedValue {
    scaled(value, decimals, 1000.0, &SHORT_SUFFIXES, ("", ""), 0)
}

/// Grafana's `pressurepsi`: `scaledUnits(1000, ['psi', 'ksi', 'Mpsi'])`, no space.
pub fn psi(value: f64, decimals: Option<u32>) -> FormattedValue {
    scaled(
        value,
        decimals,
        1000.0,
        &["psi", "ksi", "Mpsi"],
        ("", ""),
        0,
    )
}

/// Grafana's `simpleCountUnit(symbol)`: `1.50K req/s`.
pub fn count_unit(value: f64, decimals: Option<u32>, symbol: &str) -> FormattedValue {
    let mut v = scaled(value, decimals, 1000.0, &COUNT_SUFFIXES, ("", ""), 0);
    v.suffix = format!("{} {symbol}", v.suffix);
    v
}

/// Grafana's `currency(symbol, asSuffix)`: the sign goes before the symbol.
pub fn currency(
    value: f64,
    decimals: Option<u32>,
    symbol: &str,
    as_suffix: bool,
) -> FormattedValue {
    let negative = value < 0.0;
    let mut v = scaled(value.abs(), decimals, 1000.0, &COUNT_SUFFIXES, ("", ""), 0);
    if as_suffix {
        v.suffix = format!("{}{symbol}", v.suffix);
    } else {
        v.prefix = symbol.to_string();
    }
    if negative {
        v.prefix = format!("-{}", v.prefix);
    }
    v
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
    fn automatic_decimals_keep_three_significant_digits() {
        assert_eq!(decimals_for_value(1.5), 2);
        assert_eq!(decimals_for_value(15.3), 1);
        assert_eq!(decimals_for_value(153.2), 0);
        assert_eq!(decimals_for_value(0.0123), 4);
        assert_eq!(decimals_for_value(-0.0123), 4);
        assert_eq!(decimals_for_value(42.0), 0);
    }

    #[test]
    fn to_fixed_matches_grafana() {
        assert_eq!(to_fixed(1.5, None), "1.50");
        assert_eq!(to_fixed(15.34, None), "15.3");
        assert_eq!(to_fixed(0.0, None), "0");
        assert_eq!(to_fixed(0.0, Some(2)), "0.00");
        assert_eq!(to_fixed(3.0, Some(2)), "3.00");
        assert_eq!(to_fixed(2.345, Some(1)), "2.3");
        assert_eq!(to_fixed(-1.005, Some(0)), "-1");
        assert_eq!(to_fixed(1e-10, None), "1e-10");
        assert_eq!(to_fixed(f64::INFINITY, None), "∞");
    }

    #[test]
    fn scaling_picks_the_power() {
        let v = si_prefix(1500.0, None, "B", 0);
        assert_eq!((v.text.as_str(), v.suffix.as_str()), ("1.50", " kB"));
        let v = binary_prefix(1048576.0, None, "B", 0);
        assert_eq!((v.text.as_str(), v.suffix.as_str()), ("1", " MiB"));
        let v = binary_prefix(0.0, None, "B", 0);
        assert_eq!((v.text.as_str(), v.suffix.as_str()), ("0", " B"));
        let v = si_prefix(0.002, None, "V", 0);
        assert_eq!((v.text.as_str(), v.suffix.as_str()), ("2", " mV"));
        let v = short(2_500_000.0, None);
        assert_eq!((v.text.as_str(), v.suffix.as_str()), ("2.50", " Mil"));
    }

    #[test]
    fn exact_powers_land_on_their_prefix() {
        for k in -6..=6 {
            assert_eq!(exact_floor_log(1000.0, 1000f64.powi(k)), k, "1000^{k}");
            assert_eq!(exact_floor_log(1024.0, 1024f64.powi(k)), k, "1024^{k}");
            assert_eq!(
                exact_floor_log(1024.0, 1024f64.powi(k) * 0.999),
                k - 1,
                "below 1024^{k}"
            );
        }
    }

    #[test]
    fn count_and_currency() {
        let v = count_unit(1500.0, None, "req/s");
        assert_eq!(format!("{}{}", v.text, v.suffix), "1.50K req/s");
        let v = currency(-1234.0, Some(1), "$", false);
        assert_eq!(format!("{}{}{}", v.prefix, v.text, v.suffix), "-$1.2K");
        assert_eq!(si_offset_of("k"), 1);
        assert_eq!(si_offset_of("m"), -1);
    }
}
