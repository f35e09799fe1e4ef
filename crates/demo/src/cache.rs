//! A simulated in-memory cache with a TTL, so hit/miss counters reflect real key reuse.
//!
//! Contract: [`Cache::get`] counts exactly one hit or one miss per call (a miss when the cache
//! is marked down, too); [`Cache::put`] stores a value for [`Cache::ttl`]. Entries are bounded
//! by `capacity` (oldest evicted first) so a long-running demo cannot grow without limit.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use prometheus_client::metrics::counter::Counter;

/// The cache and its counters.
#[derive(Debug)]
pub struct Cache {
    entries: Mutex<HashMap<String, (Instant, serde_json::Value)>>,
    ttl: Duration,
    capacity: usize,
    up: AtomicBool,
    hits: Counter,
    misses: Counter,
}

impl Cache {
    /// A cache whose entries live for `ttl`, counting into `hits` / `misses`.
    pub fn new(ttl: Duration, capacity: usize, hits: Counter, misses: Counter) -> Self {
        Cache {
            entries: Mutex::new(HashMap::new()),
            ttl,
            capacity,
            up: AtomicBool::new(true),
            hits,
            misses,
        }
    }

    /// How long entries live.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// Whether the simulated cache server answers.
    pub fn is_up(&self) -> bool {
        self.up.load(Ordering::Relaxed)
    }

    /// Marks the simulated cache server reachable or not.
    pub fn set_up(&self, up: bool) {
        self.up.store(up, Ordering::Relaxed);
    }

    /// Looks a key up, counting a hit or a miss.
    pub fn get(&self, key: &str) -> Option<serde_json::Value> {
        let found = if self.is_up() {
            let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
            entries
                .get(key)
                .filter(|(stored, _)| stored.elapsed() < self.ttl)
                .map(|(_, value)| value.clone())
        } else {
            None
        };
        match found {
            Some(_) => self.hits.inc(),
            None => self.misses.inc(),
        };
        found
    }

    /// Stores a value (silently dropped while the cache is down, like a failed SET).
    pub fn put(&self, key: &str, value: serde_json::Value) {
        if !self.is_up() {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= self.capacity && !entries.contains_key(key) {
            let ttl = self.ttl;
            entries.retain(|_, (stored, _)| stored.elapsed() < ttl);
            if entries.len() >= self.capacity {
                let oldest = entries
                    .iter()
                    .min_by_key(|(_, (stored, _))| *stored)
                    .map(|(k, _)| k.clone());
                if let Some(oldest) = oldest {
                    entries.remove(&oldest);
                }
            }
        }
        entries.insert(key.to_string(), (Instant::now(), value));
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

    fn cache(ttl_ms: u64, capacity: usize) -> (Cache, Counter, Counter) {
        let (hits, misses) = (Counter::default(), Counter::default());
        let cache = Cache::new(
            Duration::from_millis(ttl_ms),
            capacity,
            hits.clone(),
            misses.clone(),
        );
        (cache, hits, misses)
    }

    #[test]
    fn miss_then_hit_then_expiry() {
        let (cache, hits, misses) = cache(50, 10);
        assert_eq!(cache.get("k"), None);
        cache.put("k", serde_json::json!(1));
        assert_eq!(cache.get("k"), Some(serde_json::json!(1)));
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(cache.get("k"), None);
        assert_eq!((hits.get(), misses.get()), (1, 2));
    }

    #[test]
    fn capacity_evicts_the_oldest() {
        let (cache, _, _) = cache(10_000, 2);
        cache.put("a", serde_json::json!(1));
        std::thread::sleep(Duration::from_millis(2));
        cache.put("b", serde_json::json!(2));
        cache.put("c", serde_json::json!(3));
        assert_eq!(cache.get("a"), None);
        assert!(cache.get("b").is_some() && cache.get("c").is_some());
    }

    #[test]
    fn down_cache_always_misses() {
        let (cache, hits, misses) = cache(10_000, 10);
        cache.put("k", serde_json::json!(1));
        cache.set_up(false);
        assert_eq!(cache.get("k"), None);
        assert_eq!((hits.get(), misses.get()), (0, 1));
    }
}
