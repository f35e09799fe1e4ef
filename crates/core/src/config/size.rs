//! Byte sizes as Prometheus writes them (`10MB`, `512KiB`, `1GB`, `100B`, plain bytes).

/// Parses a size into bytes. Like Prometheus (units package), `KB`/`MB`/`GB` are powers of 1024;
/// `KiB`/`MiB`/`GiB` are accepted as the same.
pub fn parse_size(s: &str) -> Result<usize, String> {
    let bad = || format!("invalid size {s:?} (expected e.g. 10MB, 512KiB, 1GB)");
    let t = s.trim();
    let digits = t
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b'.')
        .count();
    let (num, unit) = t.split_at(digits);
    let n: f64 = num.parse().map_err(|_| bad())?;
    let mult: f64 = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 1.0,
        "KB" | "KIB" | "K" => 1024.0,
        "MB" | "MIB" | "M" => 1024.0 * 1024.0,
        "GB" | "GIB" | "G" => 1024.0 * 1024.0 * 1024.0,
        "TB" | "TIB" | "T" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        _ => return Err(bad()),
    };
    let v = n * mult;
    if !v.is_finite() || v < 0.0 || v > usize::MAX as f64 {
        return Err(bad());
    }
    Ok(v as usize)
}
