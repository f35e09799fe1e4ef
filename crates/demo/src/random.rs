//! A small, seedable pseudo-random source for simulated latencies and load mixes.
//!
//! Contract: deterministic for a given seed (xorshift64*), never panics, and good enough for
//! simulation — not for anything security related. Avoids pulling the `rand` crate tree.

use std::time::{SystemTime, UNIX_EPOCH};

/// xorshift64* generator.
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A generator with a fixed seed (0 is remapped because xorshift would stay at 0).
    pub fn seeded(seed: u64) -> Self {
        Rng {
            state: if seed == 0 {
                0x9E37_79B9_7F4A_7C15
            } else {
                seed
            },
        }
    }

    /// A generator seeded from the clock.
    pub fn from_time() -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1);
        Rng::seeded(nanos ^ 0xA076_1D64_78BD_642F)
    }

    /// Next raw 64-bit value.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        // 53 high bits give every representable step of an f64 mantissa.
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [low, high).
    pub fn uniform(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.unit()
    }

    /// True with the given probability.
    pub fn chance(&mut self, probability: f64) -> bool {
        self.unit() < probability
    }

    /// Uniform integer in [low, high] (inclusive); returns `low` when the range is empty.
    pub fn range_inclusive(&mut self, low: u64, high: u64) -> u64 {
        if high <= low {
            return low;
        }
        low + self.next_u64() % (high - low + 1)
    }

    /// Standard normal via Box–Muller.
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.unit(); // (0, 1], so ln is finite
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }

    /// Log-normal with the given median and shape (sigma of the underlying normal).
    pub fn log_normal(&mut self, median: f64, sigma: f64) -> f64 {
        median * (sigma * self.normal()).exp()
    }

    /// Exponential with the given mean (inter-arrival times of a Poisson process).
    pub fn exponential(&mut self, mean: f64) -> f64 {
        -mean * (1.0 - self.unit()).ln()
    }

    /// Picks an index with probability proportional to its weight; `None` if all are zero.
    pub fn weighted_index(&mut self, weights: &[u32]) -> Option<usize> {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        if total == 0 {
            return None;
        }
        let mut pick = self.next_u64() % total;
        for (index, &weight) in weights.iter().enumerate() {
            if pick < u64::from(weight) {
                return Some(index);
            }
            pick -= u64::from(weight);
        }
        None
    }
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
    fn same_seed_same_sequence() {
        let mut a = Rng::seeded(42);
        let mut b = Rng::seeded(42);
        let xs: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs[0], xs[1]);
    }

    #[test]
    fn log_normal_median_is_close_to_requested() {
        let mut rng = Rng::seeded(7);
        let mut samples: Vec<f64> = (0..20_001).map(|_| rng.log_normal(0.1, 0.5)).collect();
        samples.sort_by(f64::total_cmp);
        let median = samples[10_000];
        assert!((median - 0.1).abs() < 0.005, "median {median}");
    }

    #[test]
    fn weighted_index_follows_weights() {
        let mut rng = Rng::seeded(3);
        let mut counts = [0u32; 3];
        for _ in 0..30_000 {
            counts[rng.weighted_index(&[1, 0, 2]).unwrap()] += 1;
        }
        assert_eq!(counts[1], 0);
        let ratio = f64::from(counts[2]) / f64::from(counts[0]);
        assert!((ratio - 2.0).abs() < 0.15, "ratio {ratio}");
        assert_eq!(rng.weighted_index(&[0, 0]), None);
    }

    #[test]
    fn unit_stays_in_range() {
        let mut rng = Rng::seeded(11);
        assert!((0..10_000)
            .map(|_| rng.unit())
            .all(|u| (0.0..1.0).contains(&u)));
        assert!((0..1000).all(|_| (5..=9).contains(&rng.range_inclusive(5, 9))));
    }
}
