//! Staleness markers: Prometheus's special NaN that ends a series at a point in time.
//!
//! Contract: `STALE_NAN` has the bit pattern `0x7ff0000000000002`; `is_stale_marker` tests the
//! exact bits (an ordinary NaN is not a marker). Markers live only in the store: query results
//! never contain them.

/// Bit pattern of Prometheus's `StaleNaN`.
pub const STALE_NAN_BITS: u64 = 0x7ff0_0000_0000_0002;

/// The staleness marker value.
pub const STALE_NAN: f64 = f64::from_bits(STALE_NAN_BITS);

/// True only for the staleness-marker NaN.
pub fn is_stale_marker(v: f64) -> bool {
    v.to_bits() == STALE_NAN_BITS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_marker_is_a_nan_but_not_every_nan_is_stale() {
        assert!(STALE_NAN.is_nan());
        assert!(is_stale_marker(STALE_NAN));
        assert!(!is_stale_marker(f64::NAN));
        assert!(!is_stale_marker(1.0));
    }
}
