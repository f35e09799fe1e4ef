//! The failure scenarios the service can be switched into at run time.
//!
//! Contract: a [`Scenario`] is a plain value; its `name()` is the stable wire name used by the
//! `--scenario` flag, `POST /admin/scenario/<name>` and the `demo_scenario{scenario}` gauge, and
//! `name().parse()` round-trips. What each scenario does to requests lives in `work.rs`.

use std::fmt;
use std::str::FromStr;

/// One run-time behaviour of the demo service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Scenario {
    /// Healthy service: low latency, almost no server errors.
    #[default]
    Normal,
    /// Every golden signal in its warning band at once: p95 ≈ 0.7 s, 0.7% 5xx, the batch job
    /// holding 60% of the pool.
    Degraded,
    /// Most requests wait 1.2–3 s on a slow downstream call, so p95 latency exceeds 1 s.
    LatencySpike,
    /// About a third of API requests fail with a 5xx.
    ErrorBurst,
    /// A runaway batch job holds all but two database connections and queries slow down, so
    /// requests queue for a connection.
    PoolSaturation,
    /// The database is unreachable: /health answers 503 and database-backed endpoints fail.
    DependencyDown,
}

impl Scenario {
    /// Every scenario, in the order they are documented.
    pub const ALL: [Scenario; 6] = [
        Scenario::Normal,
        Scenario::Degraded,
        Scenario::LatencySpike,
        Scenario::ErrorBurst,
        Scenario::PoolSaturation,
        Scenario::DependencyDown,
    ];

    /// The stable wire name (`normal`, `latency-spike`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Scenario::Normal => "normal",
            Scenario::Degraded => "degraded",
            Scenario::LatencySpike => "latency-spike",
            Scenario::ErrorBurst => "error-burst",
            Scenario::PoolSaturation => "pool-saturation",
            Scenario::DependencyDown => "dependency-down",
        }
    }

    /// All wire names, for error messages and the admin endpoint.
    pub fn names() -> Vec<&'static str> {
        Scenario::ALL.iter().map(|s| s.name()).collect()
    }
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Scenario {
    type Err = String;

    /// Accepts the wire name; `_` is accepted for `-` so `latency_spike` works too.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase().replace('_', "-");
        Scenario::ALL
            .into_iter()
            .find(|scenario| scenario.name() == wanted)
            .ok_or_else(|| {
                format!(
                    "unknown scenario `{s}` (expected one of: {})",
                    Scenario::names().join(", ")
                )
            })
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
    fn names_round_trip() {
        for scenario in Scenario::ALL {
            assert_eq!(scenario.name().parse::<Scenario>().unwrap(), scenario);
        }
    }

    #[test]
    fn underscores_and_case_are_accepted() {
        assert_eq!(
            "Pool_Saturation".parse::<Scenario>().unwrap(),
            Scenario::PoolSaturation
        );
    }

    #[test]
    fn unknown_name_lists_the_valid_ones() {
        let err = "meltdown".parse::<Scenario>().unwrap_err();
        assert!(err.contains("meltdown"), "{err}");
        assert!(err.contains("dependency-down"), "{err}");
    }
}
