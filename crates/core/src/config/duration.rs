//! Prometheus duration strings (`15s`, `1m30s`, `1h`, `500ms`, `2d`, `1w`, `1y`) ↔ milliseconds.

/// Parses a Prometheus duration into milliseconds. The units must appear in decreasing order,
/// each at most once, as Prometheus requires.
pub fn parse_duration(s: &str) -> Result<i64, String> {
    let bad = || format!("invalid duration {s:?} (expected e.g. 15s, 1m30s, 500ms, 1h)");
    if s.is_empty() {
        return Err(bad());
    }
    if s == "0" {
        return Ok(0);
    }
    const UNITS: [(&str, i64); 8] = [
        ("y", 365 * 86_400_000),
        ("w", 7 * 86_400_000),
        ("d", 86_400_000),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1_000),
        ("ms", 1),
        ("", 0),
    ];
    let mut rest = s;
    let mut total: i64 = 0;
    let mut last_rank = 0usize;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 {
            return Err(bad());
        }
        let (num, tail) = rest.split_at(digits);
        let n: i64 = num.parse().map_err(|_| bad())?;
        let unit_len = tail.bytes().take_while(|b| b.is_ascii_alphabetic()).count();
        let (unit, after) = tail.split_at(unit_len);
        let rank = UNITS
            .iter()
            .position(|(u, _)| *u == unit && !u.is_empty())
            .ok_or_else(bad)?;
        if rank < last_rank || (total > 0 && rank == last_rank) {
            return Err(bad());
        }
        last_rank = rank;
        let mult = UNITS.get(rank).map(|(_, m)| *m).ok_or_else(bad)?;
        total = n
            .checked_mul(mult)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(|| format!("duration {s:?} is too large"))?;
        rest = after;
    }
    Ok(total)
}

/// Formats milliseconds the way Prometheus prints durations (`1m30s`, `500ms`, `0s`).
pub fn format_duration(ms: i64) -> String {
    if ms == 0 {
        return "0s".into();
    }
    let mut out = String::new();
    let mut rest = ms.unsigned_abs();
    if ms < 0 {
        out.push('-');
    }
    for (unit, size) in [
        ("d", 86_400_000u64),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1_000),
        ("ms", 1),
    ] {
        let n = rest / size;
        if n > 0 {
            out.push_str(&format!("{n}{unit}"));
            rest -= n * size;
        }
    }
    out
}
