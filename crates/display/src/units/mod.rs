//! Value formatting with Grafana's unit ids (`fieldConfig.defaults.unit`).
//!
//! Contract:
//! - [`format_raw`] is Grafana's `getValueFormat(unit)(value, decimals)`: the unit
//!   formatter alone, as axes use it.
//! - [`format_value`] is what a Grafana stat/table/legend shows (`displayProcessor`): NaN
//!   is shown as `NaN` with no unit; automatic decimals keep about three significant
//!   digits, trailing zeros included (`1.50 ms`, `1.20 K`). Only axis ticks drop trailing
//!   zeros — see [`crate::ticks::format_tick`].
//! - Unknown unit ids format as the number plus ` <unit>`, like Grafana. Custom units:
//!   `prefix:<p>`, `suffix:<s>`, `count:<s>`, `si:<prefix><unit>`, `currency:<symbol>`,
//!   `bool:<true>/<false>`.
//! - Date units (`dateTimeAsIso`, `dateTimeAsUS`, `dateTimeFromNow`, `time:<pattern>` …)
//!   take epoch milliseconds; [`format_value_in`] gives them a UTC offset and "now",
//!   [`format_value`] uses UTC and no "now" (see [`DateContext`]).

mod date;
mod number;
mod time;

pub use date::{format_date, from_now, from_now_in, DateContext};
pub use number::{decimals_for_value, to_fixed};

use crate::jsnum::{
    js_string_to_number, to_exponential, to_hex_string, to_js_string, to_locale_en,
};
use number::{binary_prefix, count_unit, currency, short, si_offset_of, si_prefix};

/// A formatted value in three parts, as Grafana returns it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FormattedValue {
    /// The number (or word) itself, e.g. `1.50`.
    pub text: String,
    /// Text before the number, e.g. `$`; empty when none.
    pub prefix: String,
    /// Text after the number, including its leading space, e.g. ` ms`; empty when none.
    pub suffix: String,
}

impl FormattedValue {
    pub(crate) fn text_only(text: String) -> Self {
        Self {
            text,
            ..Self::default()
        }
    }

    pub(crate) fn with_suffix(text: String, suffix: &str) -> Self {
        Self {
            text,
            prefix: String::new(),
            suffix: suffix.to_string(),
        }
    }
}

impl std::fmt::Display for FormattedValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}{}", self.prefix, self.text, self.suffix)
    }
}

/// What Grafana displays for `value` with `unit` and the configured `decimals`
/// (dates in UTC, without a notion of "now").
pub fn format_value(value: f64, unit: &str, decimals: Option<u32>) -> FormattedValue {
    format_value_in(value, unit, decimals, &DateContext::default())
}

/// [`format_value`] with the time zone and current time that date units need.
pub fn format_value_in(
    value: f64,
    unit: &str,
    decimals: Option<u32>,
    ctx: &DateContext,
) -> FormattedValue {
    if value.is_nan() {
        return FormattedValue::text_only("NaN".to_string());
    }
    if let Some(date) = format_date(value, unit, ctx) {
        return date;
    }
    format_raw(value, unit, decimals)
}

/// Grafana's `canTrimTrailingDecimalZeros` for a unit (the field's decimals aside):
/// not for dates, currencies, booleans or `locale`.
pub fn can_trim_trailing_zeros(unit: &str) -> bool {
    !(unit.starts_with("bool")
        || unit.starts_with("currency")
        || unit.starts_with("dateTime")
        || unit.starts_with("time:")
        || unit == "locale")
}

/// Grafana's unit formatter for `unit` applied to `value` (no display-processor steps).
pub fn format_raw(value: f64, unit: &str, decimals: Option<u32>) -> FormattedValue {
    if let Some(v) = format_date(value, unit, &DateContext::default()) {
        return v;
    }
    if let Some(v) = format_builtin(value, unit, decimals) {
        return v;
    }
    if let Some(v) = format_custom(value, unit, decimals) {
        return v;
    }
    fixed_unit(value, decimals, unit, false)
}

/// True when `unit` is a unit id or custom unit this module formats specially.
pub fn is_known_unit(unit: &str) -> bool {
    format_builtin(1.0, unit, None).is_some()
        || format_custom(1.0, unit, None).is_some()
        || format_date(0.0, unit, &DateContext::default()).is_some()
}

/// Unit ids handled by `match` arms rather than tables.
const MATCHED_IDS: [&str; 31] = [
    "none",
    "string",
    "short",
    "percent",
    "percentunit",
    "humidity",
    "dB",
    "hex",
    "hex0x",
    "sci",
    "locale",
    "pixel",
    "bool",
    "bool_yes_no",
    "bool_on_off",
    "ns",
    "µs",
    "ms",
    "s",
    "m",
    "h",
    "d",
    "dtdurationms",
    "dtdurations",
    "dthms",
    "dtdhms",
    "timeticks",
    "clockms",
    "clocks",
    "pressurepsi",
    "dateTimeAsIso",
];

/// Every built-in unit id this module formats (for unit pickers and tests); custom
/// `kind:arg` units are not listed.
pub fn known_unit_ids() -> impl Iterator<Item = &'static str> {
    const DATES: [&str; 5] = [
        "dateTimeAsIsoNoDateIfToday",
        "dateTimeAsUS",
        "dateTimeAsUSNoDateIfToday",
        "dateTimeAsSystem",
        "dateTimeFromNow",
    ];
    MATCHED_IDS
        .into_iter()
        .chain(DATES)
        .chain(DATA_UNITS.iter().map(|u| u.0))
        .chain(COUNT_UNITS.iter().map(|u| u.0))
        .chain(CURRENCIES.iter().map(|u| u.0))
        .chain(SI_UNITS.iter().map(|u| u.0))
        .chain(FIXED_UNITS.iter().map(|u| u.0))
}

/// Grafana's `toFixedUnit(unit, asPrefix)`.
fn fixed_unit(value: f64, decimals: Option<u32>, unit: &str, as_prefix: bool) -> FormattedValue {
    let text = to_fixed(value, decimals);
    if unit.is_empty() {
        FormattedValue::text_only(text)
    } else if as_prefix {
        FormattedValue {
            text,
            prefix: unit.to_string(),
            suffix: String::new(),
        }
    } else {
        FormattedValue::with_suffix(text, &format!(" {unit}"))
    }
}

/// Grafana's `booleanValueFormatter`: any truthy number is `t`.
fn boolean(value: f64, t: &str, f: &str) -> FormattedValue {
    let truthy = value != 0.0 && !value.is_nan();
    FormattedValue::text_only(if truthy { t } else { f }.to_string())
}

/// Custom `kind:argument` units.
fn format_custom(value: f64, unit: &str, decimals: Option<u32>) -> Option<FormattedValue> {
    let (kind, arg) = unit.split_once(':')?;
    if kind.is_empty() {
        return None;
    }
    let v = match kind {
        "prefix" => fixed_unit(value, decimals, arg, true),
        "suffix" => fixed_unit(value, decimals, arg, false),
        "count" => count_unit(value, decimals, arg),
        "currency" => currency(value, decimals, arg, false),
        "si" => {
            let first: String = arg.chars().take(1).collect();
            let offset = si_offset_of(&first);
            let base = if offset == 0 {
                arg
            } else {
                arg.get(first.len()..).unwrap_or("")
            };
            si_prefix(value, decimals, base, offset)
        }
        "bool" => match arg.split_once('/') {
            Some((t, f)) => boolean(value, t, f),
            None => boolean(value, arg, "-"),
        },
        _ => return None,
    };
    Some(v)
}

/// Built-in unit ids, grouped like Grafana's unit categories.
fn format_builtin(value: f64, unit: &str, decimals: Option<u32>) -> Option<FormattedValue> {
    format_misc(value, unit, decimals)
        .or_else(|| format_data(value, unit, decimals))
        .or_else(|| format_time(value, unit, decimals))
        .or_else(|| format_throughput(value, unit, decimals))
        .or_else(|| format_currency(value, unit, decimals))
        .or_else(|| format_physical(value, unit, decimals))
}

fn format_misc(value: f64, unit: &str, decimals: Option<u32>) -> Option<FormattedValue> {
    let v = match unit {
        "" | "none" => fixed_unit(value, decimals, "", false),
        "string" => FormattedValue::text_only(to_js_string(value)),
        "short" => short(value, decimals),
        "percent" => FormattedValue::with_suffix(to_fixed(value, decimals), "%"),
        "percentunit" => FormattedValue::with_suffix(to_fixed(100.0 * value, decimals), "%"),
        "humidity" => fixed_unit(value, decimals, "%H", false),
        "dB" => fixed_unit(value, decimals, "dB", false),
        "hex" => FormattedValue::text_only(hex_text(value, decimals)),
        "hex0x" => FormattedValue::text_only(hex0x_text(value, decimals)),
        "sci" => FormattedValue::text_only(to_exponential(value, decimals)),
        "locale" => FormattedValue::text_only(to_locale_en(value, decimals)),
        "pixel" => fixed_unit(value, decimals, "px", false),
        "bool" => boolean(value, "True", "False"),
        "bool_yes_no" => boolean(value, "Yes", "No"),
        "bool_on_off" => boolean(value, "On", "Off"),
        _ => return None,
    };
    Some(v)
}

/// Grafana's `toHex`: `parseFloat(toFixed(value, decimals)).toString(16).toUpperCase()`.
fn hex_text(value: f64, decimals: Option<u32>) -> String {
    to_hex_string(js_string_to_number(&to_fixed(value, decimals)))
}

fn hex0x_text(value: f64, decimals: Option<u32>) -> String {
    let hex = hex_text(value, decimals);
    match hex.strip_prefix('-') {
        Some(rest) => format!("-0x{rest}"),
        None => format!("0x{hex}"),
    }
}

/// Data sizes and data rates: (unit id, base unit, binary?, offset).
const DATA_UNITS: [(&str, &str, bool, i32); 40] = [
    ("bytes", "B", true, 0),
    ("decbytes", "B", false, 0),
    ("bits", "b", true, 0),
    ("decbits", "b", false, 0),
    ("kbytes", "B", true, 1),
    ("deckbytes", "B", false, 1),
    ("mbytes", "B", true, 2),
    ("decmbytes", "B", false, 2),
    ("gbytes", "B", true, 3),
    ("decgbytes", "B", false, 3),
    ("tbytes", "B", true, 4),
    ("dectbytes", "B", false, 4),
    ("pbytes", "B", true, 5),
    ("decpbytes", "B", false, 5),
    ("pps", "p/s", false, 0),
    ("binBps", "B/s", true, 0),
    ("Bps", "B/s", false, 0),
    ("binbps", "b/s", true, 0),
    ("bps", "b/s", false, 0),
    ("KiBs", "B/s", true, 1),
    ("Kibits", "b/s", true, 1),
    ("KBs", "B/s", false, 1),
    ("Kbits", "b/s", false, 1),
    ("MiBs", "B/s", true, 2),
    ("Mibits", "b/s", true, 2),
    ("MBs", "B/s", false, 2),
    ("Mbits", "b/s", false, 2),
    ("GiBs", "B/s", true, 3),
    ("Gibits", "b/s", true, 3),
    ("GBs", "B/s", false, 3),
    ("Gbits", "b/s", false, 3),
    ("TiBs", "B/s", true, 4),
    ("Tibits", "b/s", true, 4),
    ("TBs", "B/s", false, 4),
    ("Tbits", "b/s", false, 4),
    ("PiBs", "B/s", true, 5),
    ("Pibits", "b/s", true, 5),
    ("PBs", "B/s", false, 5),
    ("Pbits", "b/s", false, 5),
    ("hertz", "Hz", false, 0),
];

fn format_data(value: f64, unit: &str, decimals: Option<u32>) -> Option<FormattedValue> {
    let (_, base, binary, offset) = DATA_UNITS.iter().find(|(id, ..)| *id == unit)?;
    Some(if *binary {
        binary_prefix(value, decimals, base, *offset)
    } else {
        si_prefix(value, decimals, base, *offset)
    })
}

fn format_time(value: f64, unit: &str, decimals: Option<u32>) -> Option<FormattedValue> {
    let v = match unit {
        "ns" => time::nanoseconds(value, decimals),
        "µs" | "μs" | "us" => time::microseconds(value, decimals),
        "ms" => time::milliseconds(value, decimals),
        "s" => time::seconds(value, decimals),
        "m" => time::minutes(value, decimals),
        "h" => time::hours(value, decimals),
        "d" => time::days(value, decimals),
        "dtdurationms" => time::duration(value, decimals, "millisecond", 1.0),
        "dtdurations" => time::duration(value, decimals, "second", 1000.0),
        "dthms" => time::hms(value),
        "dtdhms" => time::dhms(value),
        "timeticks" => time::seconds(value / 100.0, decimals),
        "clockms" => time::clock(value, decimals),
        "clocks" => time::clock(value * 1000.0, decimals),
        _ => return None,
    };
    Some(v)
}

/// Throughput units: Grafana's `simpleCountUnit(symbol)` under the unit id (`reqps` → `req/s`).
const COUNT_UNITS: [(&str, &str); 19] = [
    ("cps", "c/s"),
    ("ops", "ops/s"),
    ("reqps", "req/s"),
    ("rps", "rd/s"),
    ("wps", "wr/s"),
    ("iops", "io/s"),
    ("eps", "evt/s"),
    ("mps", "msg/s"),
    ("recps", "rec/s"),
    ("rowsps", "rows/s"),
    ("cpm", "c/m"),
    ("opm", "ops/m"),
    ("reqpm", "req/m"),
    ("rpm", "rd/m"),
    ("wpm", "wr/m"),
    ("epm", "evts/m"),
    ("mpm", "msgs/m"),
    ("recpm", "rec/m"),
    ("rowspm", "rows/m"),
];

fn format_throughput(value: f64, unit: &str, decimals: Option<u32>) -> Option<FormattedValue> {
    COUNT_UNITS
        .iter()
        .find(|(id, _)| *id == unit)
        .map(|(_, symbol)| count_unit(value, decimals, symbol))
}

/// Currencies: (unit id, symbol, symbol after the number?).
const CURRENCIES: [(&str, &str, bool); 21] = [
    ("currencyIDR", "Rp", false),
    ("currencyUSD", "$", false),
    ("currencyGBP", "£", false),
    ("currencyEUR", "€", false),
    ("currencyJPY", "¥", false),
    ("currencyRUB", "₽", false),
    ("currencyUAH", "₴", false),
    ("currencyBRL", "R$", false),
    ("currencyDKK", "kr", true),
    ("currencyISK", "kr", true),
    ("currencyNOK", "kr", true),
    ("currencySEK", "kr", true),
    ("currencyCZK", "czk", false),
    ("currencyCHF", "CHF", false),
    ("currencyPLN", "PLN", false),
    ("currencyBTC", "฿", false),
    ("currencymBTC", "mBTC", false),
    ("currencyμBTC", "μBTC", false),
    ("currencyZAR", "R", false),
    ("currencyINR", "₹", false),
    ("currencyKRW", "₩", false),
];

fn format_currency(value: f64, unit: &str, decimals: Option<u32>) -> Option<FormattedValue> {
    let (_, symbol, as_suffix) = CURRENCIES.iter().find(|(id, ..)| *id == unit)?;
    Some(currency(value, decimals, symbol, *as_suffix))
}

/// SI-scaled physical units: (unit id, base unit, offset).
const SI_UNITS: &[(&str, &str, i32)] = &[
    ("flops", "FLOP/s", 0),
    ("mflops", "FLOP/s", 2),
    ("gflops", "FLOP/s", 3),
    ("tflops", "FLOP/s", 4),
    ("pflops", "FLOP/s", 5),
    ("eflops", "FLOP/s", 6),
    ("zflops", "FLOP/s", 7),
    ("yflops", "FLOP/s", 8),
    ("voltampreact", "var", 0),
    ("kvoltampreact", "var", 1),
    ("watthperkg", "Wh/kg", 0),
    ("kwattm", "W-Min", 1),
    ("amph", "Ah", 0),
    ("kamph", "Ah", 1),
    ("mamph", "Ah", -1),
    ("lumens", "Lm", 0),
    ("forceNm", "Nm", 0),
    ("forcekNm", "Nm", 1),
    ("forceN", "N", 0),
    ("forcekN", "N", 1),
    ("Hs", "H/s", 0),
    ("KHs", "H/s", 1),
    ("MHs", "H/s", 2),
    ("GHs", "H/s", 3),
    ("THs", "H/s", 4),
    ("PHs", "H/s", 5),
    ("EHs", "H/s", 6),
    ("massmg", "g", -1),
    ("massg", "g", 0),
    ("masskg", "g", 1),
    ("lengthmm", "m", -1),
    ("pressurembar", "bar", -1),
    ("pressurebar", "bar", 0),
    ("pressurekbar", "bar", 1),
    ("pressurepa", "Pa", 0),
    ("radbq", "Bq", 0),
    ("radci", "Ci", 0),
    ("radgy", "Gy", 0),
    ("radrad", "rad", 0),
    ("radsv", "Sv", 0),
    ("radmsv", "Sv", -1),
    ("radusv", "Sv", -2),
    ("radrem", "rem", 0),
    ("radexpckg", "C/kg", 0),
    ("radr", "R", 0),
    ("radsvh", "Sv/h", 0),
    ("radmsvh", "Sv/h", -1),
    ("radusvh", "Sv/h", -2),
    ("mlitre", "L", -1),
    ("litre", "L", 0),
    ("farad", "F", 0),
    ("µfarad", "F", -2),
    ("nfarad", "F", -3),
    ("pfarad", "F", -4),
    ("ffarad", "F", -5),
    ("henry", "H", 0),
    ("mhenry", "H", -1),
    ("µhenry", "H", -2),
    ("watt", "W", 0),
    ("kwatt", "W", 1),
    ("megwatt", "W", 2),
    ("gwatt", "W", 3),
    ("mwatt", "W", -1),
    ("voltamp", "VA", 0),
    ("kvoltamp", "VA", 1),
    ("watth", "Wh", 0),
    ("kwatth", "Wh", 1),
    ("joule", "J", 0),
    ("ev", "eV", 0),
    ("amp", "A", 0),
    ("kamp", "A", 1),
    ("mamp", "A", -1),
    ("volt", "V", 0),
    ("kvolt", "V", 1),
    ("mvolt", "V", -1),
    ("dBm", "dBm", 0),
    ("ohm", "Ω", 0),
    ("kohm", "Ω", 1),
    ("Mohm", "Ω", 2),
    ("lengthm", "m", 0),
    ("lengthkm", "m", 1),
    ("rothz", "Hz", 0),
];

/// Fixed-suffix physical units: (unit id, suffix).
const FIXED_UNITS: &[(&str, &str)] = &[
    ("accMS2", "m/sec²"),
    ("accFS2", "f/sec²"),
    ("accG", "g"),
    ("radian", "rad"),
    ("grad", "grad"),
    ("arcmin", "arcmin"),
    ("arcsec", "arcsec"),
    ("areaM2", "m²"),
    ("areaF2", "ft²"),
    ("areaMI2", "mi²"),
    ("conppb", "ppb"),
    ("conngm3", "ng/m³"),
    ("conngNm3", "ng/Nm³"),
    ("conμgm3", "μg/m³"),
    ("conμgNm3", "μg/Nm³"),
    ("conmgm3", "mg/m³"),
    ("conmgNm3", "mg/Nm³"),
    ("congm3", "g/m³"),
    ("congNm3", "g/Nm³"),
    ("conmgdL", "mg/dL"),
    ("conmmolL", "mmol/L"),
    ("flowgpm", "gpm"),
    ("flowcms", "cms"),
    ("flowcfs", "cfs"),
    ("flowcfm", "cfm"),
    ("litreh", "L/h"),
    ("flowlpm", "L/min"),
    ("flowmlpm", "mL/min"),
    ("lux", "lux"),
    ("masst", "t"),
    ("pressurehpa", "hPa"),
    ("pressurekpa", "kPa"),
    ("pressurehg", "\"Hg"),
    ("rotrads", "rad/s"),
    ("rotdegs", "°/s"),
    ("m3", "m³"),
    ("Nm3", "Nm³"),
    ("dm3", "dm³"),
    ("gallons", "gal"),
    ("celsius", "°C"),
    ("fahrenheit", "°F"),
    ("farenheit", "°F"),
    ("kelvin", "K"),
    ("rotrpm", "rpm"),
    ("degree", "°"),
    ("ppm", "ppm"),
    ("lengthft", "ft"),
    ("lengthmi", "mi"),
    ("velocityms", "m/s"),
    ("velocitykmh", "km/h"),
    ("velocitymph", "mph"),
    ("velocityknot", "kn"),
    ("Wm2", "W/m²"),
];

fn format_physical(value: f64, unit: &str, decimals: Option<u32>) -> Option<FormattedValue> {
    if unit == "pressurepsi" {
        return Some(number::psi(value, decimals));
    }
    if let Some((_, base, offset)) = SI_UNITS.iter().find(|(id, ..)| *id == unit) {
        return Some(si_prefix(value, decimals, base, *offset));
    }
    let (_, suffix) = FIXED_UNITS.iter().find(|(id, _)| *id == unit)?;
    Some(fixed_unit(value, decimals, suffix, false))
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

    fn shown(value: f64, unit: &str, decimals: Option<u32>) -> String {
        format_value(value, unit, decimals).to_string()
    }

    fn raw(value: f64, unit: &str, decimals: Option<u32>) -> String {
        format_raw(value, unit, decimals).to_string()
    }

    #[test]
    fn common_units_as_grafana_formats_them() {
        assert_eq!(shown(0.0015, "s", None), "1.50 ms");
        assert_eq!(shown(0.0015, "s", Some(1)), "1.5 ms");
        assert_eq!(shown(0.953, "percentunit", None), "95.3%");
        assert_eq!(shown(95.0, "percent", Some(1)), "95.0%");
        assert_eq!(shown(1536.0, "bytes", None), "1.50 KiB");
        assert_eq!(shown(1500.0, "decbytes", None), "1.50 kB");
        assert_eq!(shown(2048.0, "kbytes", None), "2 MiB");
        assert_eq!(shown(1_250_000.0, "Bps", None), "1.25 MB/s");
        assert_eq!(shown(1_250_000.0, "bps", None), "1.25 Mb/s");
        assert_eq!(shown(1024.0, "binBps", None), "1 KiB/s");
        assert_eq!(shown(1500.0, "reqps", None), "1.50K req/s");
        assert_eq!(shown(3.0, "cps", None), "3 c/s");
        assert_eq!(shown(2.0, "rps", None), "2 rd/s");
        assert_eq!(shown(7.0, "reqpm", None), "7 req/m");
        assert_eq!(shown(12.0, "ops", None), "12 ops/s");
        assert_eq!(shown(2_000_000.0, "hertz", None), "2 MHz");
        assert_eq!(shown(21.5, "celsius", None), "21.5 °C");
        assert_eq!(shown(1234.5, "short", None), "1.23 K");
        assert_eq!(shown(1200.0, "short", None), "1.20 K");
        assert_eq!(shown(3.0, "none", None), "3");
        assert_eq!(shown(1234.5, "currencyUSD", None), "$1.23K");
        assert_eq!(shown(0.5, "volt", None), "500 mV");
        assert_eq!(shown(1500.0, "watt", None), "1.50 kW");
        assert_eq!(raw(1_280_000_125.0, "bytes", None), "1.19 GiB");
        assert_eq!(shown(2.5e9, "flops", None), "2.50 GFLOP/s");
        assert_eq!(shown(0.25, "masskg", None), "250 g");
        assert_eq!(shown(1500.0, "pressurepsi", None), "1.50ksi");
        assert_eq!(shown(12.0, "gallons", None), "12 gal");
    }

    #[test]
    fn misc_units() {
        assert_eq!(shown(255.0, "hex", None), "FF");
        assert_eq!(shown(255.0, "hex0x", None), "0xFF");
        assert_eq!(shown(12345.0, "sci", Some(2)), "1.23e+4");
        assert_eq!(shown(1234567.5, "locale", None), "1,234,567.5");
        assert_eq!(shown(1.0, "bool", None), "True");
        assert_eq!(shown(0.0, "bool_yes_no", None), "No");
        assert_eq!(shown(1.0, "bool_on_off", None), "On");
        assert_eq!(shown(3700.0, "dtdurations", None), "1 hour");
        assert_eq!(shown(3723.0, "dthms", None), "01:02:03");
        assert_eq!(shown(0.5, "us", None), "0.500 µs");
    }

    #[test]
    fn custom_and_unknown_units() {
        assert_eq!(shown(5.0, "suffix: widgets", None), "5  widgets");
        assert_eq!(shown(5.0, "prefix:~", None), "~5");
        assert_eq!(shown(2500.0, "count:jobs", None), "2.50K jobs");
        assert_eq!(shown(2500.0, "si:mV", None), "2.50 V");
        assert_eq!(shown(1.0, "bool:up/down", None), "up");
        assert_eq!(shown(0.0, "bool:up", None), "-");
        assert_eq!(shown(5.0, "eps", None), "5 evt/s");
        assert_eq!(shown(5.0, "furlongs", None), "5 furlongs");
        assert!(!is_known_unit("furlongs"));
        assert!(is_known_unit("reqps"));
        assert!(is_known_unit("suffix:x"));
        assert!(can_trim_trailing_zeros("s"));
        assert!(!can_trim_trailing_zeros("currencyEUR"));
        assert!(!can_trim_trailing_zeros("dateTimeAsIso"));
    }

    #[test]
    fn every_listed_unit_is_known_and_listed_once() {
        let ids: Vec<&str> = known_unit_ids().collect();
        assert!(ids.len() > 200, "{}", ids.len());
        for id in &ids {
            assert!(is_known_unit(id), "{id}");
        }
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), ids.len(), "duplicate unit ids");
    }

    #[test]
    fn no_unit_panics_or_prints_nothing_on_extreme_values() {
        let values = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            999.999,
            1e-300,
            5e-324,
            -5e-324,
            1e300,
            -1e300,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            1234.5678,
            -98765.4321,
            8.64e15,
            -8.64e15,
            4.2e21,
        ];
        let ctx = DateContext {
            utc_offset_minutes: 330,
            now_ms: Some(1.7e12),
        };
        for id in known_unit_ids() {
            for v in values {
                for decimals in [None, Some(0), Some(3), Some(25)] {
                    let shown = format_value_in(v, id, decimals, &ctx).to_string();
                    let raw = format_raw(v, id, decimals).to_string();
                    // Grafana's durations print nothing below one unit (0.5 ms → "").
                    let may_be_empty =
                        id.starts_with("dtduration") && (v.is_nan() || v.abs() < 1.0);
                    assert!(
                        may_be_empty || (!shown.is_empty() && !raw.is_empty()),
                        "{id} {v} {decimals:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn nan_and_infinity() {
        assert_eq!(shown(f64::NAN, "s", None), "NaN");
        assert_eq!(shown(f64::INFINITY, "short", None), "∞");
        assert_eq!(shown(f64::NEG_INFINITY, "none", None), "-∞");
    }
}
