//! The in-page demo target: a simulated web service whose `/metrics` text is produced inside
//! the page, so Signalboard opened from a CDN with nothing configured still shows live golden
//! signals. Its URL is on the reserved `.invalid` domain (never a real host); scraping it goes
//! through the same parse and store path as any target — only the fetch is replaced.
//!
//! The service: 5 endpoints at ~25 req/s in all, ~1% 5xx and ~4% 4xx, log-normal-ish
//! latencies in a Prometheus histogram, in-flight requests and a DB connection pool.

use std::cell::RefCell;
use std::fmt::Write;

use crate::engine::now_ms;

pub const URL: &str = "http://signalboard-demo.invalid/metrics";

const ENDPOINTS: [(&str, f64, f64); 5] = [
    // (endpoint, share of traffic, median latency in seconds)
    ("/api/users", 0.30, 0.040),
    ("/api/orders", 0.25, 0.090),
    ("/api/search", 0.20, 0.150),
    ("/api/login", 0.15, 0.060),
    ("/api/checkout", 0.10, 0.250),
];
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
const STATUSES: [&str; 3] = ["200", "404", "500"];
const RPS: f64 = 25.0;
const POOL: f64 = 10.0;

struct Sim {
    last_ms: f64,
    seed: u64,
    /// [endpoint][status] request counts.
    requests: [[u64; 3]; 5],
    /// [endpoint][bucket] cumulative counts (+Inf = total of the endpoint).
    buckets: [[u64; 11]; 5],
    sum: [f64; 5],
    cpu_seconds: f64,
}

thread_local! {
    static SIM: RefCell<Option<Sim>> = const { RefCell::new(None) };
}

impl Sim {
    fn random(&mut self) -> f64 {
        // xorshift64*: plenty for a simulation.
        self.seed ^= self.seed >> 12;
        self.seed ^= self.seed << 25;
        self.seed ^= self.seed >> 27;
        (self.seed.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }

    fn advance(&mut self, now: f64) {
        let dt = ((now - self.last_ms) / 1000.0).clamp(0.0, 3600.0);
        self.last_ms = now;
        self.cpu_seconds += dt * (0.05 + 0.02 * self.random());
        let n = (RPS * dt * (0.8 + 0.4 * self.random())).round() as u64;
        for _ in 0..n.min(200_000) {
            self.one_request();
        }
    }

    fn one_request(&mut self) {
        let pick = self.random();
        let mut acc = 0.0;
        let mut e = ENDPOINTS.len() - 1;
        for (i, (_, share, _)) in ENDPOINTS.iter().enumerate() {
            acc += share;
            if pick < acc {
                e = i;
                break;
            }
        }
        let r = self.random();
        let status = if r < 0.01 {
            2
        } else if r < 0.05 {
            1
        } else {
            0
        };
        let median = ENDPOINTS.get(e).map_or(0.05, |x| x.2);
        // exp of a roughly normal variable (sum of uniforms): a long right tail.
        let z = (0..4).map(|_| self.random()).sum::<f64>() - 2.0;
        let latency = median * (z * 0.9).exp();
        if let Some(row) = self.requests.get_mut(e) {
            if let Some(c) = row.get_mut(status) {
                *c += 1;
            }
        }
        if let Some(row) = self.buckets.get_mut(e) {
            for (b, le) in row.iter_mut().zip(BUCKETS) {
                if latency <= le {
                    *b += 1;
                }
            }
        }
        if let Some(s) = self.sum.get_mut(e) {
            *s += latency;
        }
    }

    fn exposition(&mut self) -> String {
        let mut out = String::with_capacity(8 << 10);
        let _ = writeln!(out, "# HELP http_requests_total HTTP requests handled.");
        let _ = writeln!(out, "# TYPE http_requests_total counter");
        for (e, (name, _, _)) in ENDPOINTS.iter().enumerate() {
            for (s, status) in STATUSES.iter().enumerate() {
                let c = self
                    .requests
                    .get(e)
                    .and_then(|r| r.get(s))
                    .copied()
                    .unwrap_or(0);
                let _ = writeln!(
                    out,
                    "http_requests_total{{method=\"GET\",endpoint=\"{name}\",status=\"{status}\"}} {c}"
                );
            }
        }
        let _ = writeln!(out, "# HELP http_request_duration_seconds Request latency.");
        let _ = writeln!(out, "# TYPE http_request_duration_seconds histogram");
        for (e, (name, _, _)) in ENDPOINTS.iter().enumerate() {
            let total: u64 = self.requests.get(e).map_or(0, |r| r.iter().sum());
            if let Some(row) = self.buckets.get(e) {
                for (b, le) in row.iter().zip(BUCKETS) {
                    let _ = writeln!(
                        out,
                        "http_request_duration_seconds_bucket{{endpoint=\"{name}\",le=\"{le}\"}} {b}"
                    );
                }
            }
            let sum = self.sum.get(e).copied().unwrap_or(0.0);
            let _ = writeln!(
                out,
                "http_request_duration_seconds_bucket{{endpoint=\"{name}\",le=\"+Inf\"}} {total}"
            );
            let _ = writeln!(
                out,
                "http_request_duration_seconds_sum{{endpoint=\"{name}\"}} {sum}"
            );
            let _ = writeln!(
                out,
                "http_request_duration_seconds_count{{endpoint=\"{name}\"}} {total}"
            );
        }
        let in_flight = (self.random() * 4.0).floor();
        let in_use = (3.0 + self.random() * 4.0).floor();
        for (name, kind, help, v) in [
            (
                "http_requests_in_progress",
                "gauge",
                "Requests being handled.",
                in_flight,
            ),
            (
                "db_connections_in_use",
                "gauge",
                "DB connections checked out.",
                in_use,
            ),
            (
                "db_connection_pool_size",
                "gauge",
                "DB connection pool size.",
                POOL,
            ),
            (
                "process_cpu_seconds_total",
                "counter",
                "CPU time used.",
                self.cpu_seconds,
            ),
            (
                "process_resident_memory_bytes",
                "gauge",
                "Resident memory.",
                5.2e7 + self.random() * 4e6,
            ),
            (
                "process_open_fds",
                "gauge",
                "Open file descriptors.",
                (40.0 + self.random() * 10.0).floor(),
            ),
            ("process_max_fds", "gauge", "File descriptor limit.", 1024.0),
        ] {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {v}"
            );
        }
        out
    }
}

/// The demo target's exposition now (text format 0.0.4).
pub fn scrape() -> String {
    let now = now_ms();
    SIM.with(|cell| {
        let mut cell = cell.borrow_mut();
        let sim = cell.get_or_insert_with(|| Sim {
            last_ms: now,
            seed: 0x9E37_79B9_7F4A_7C15 ^ now as u64,
            requests: [[0; 3]; 5],
            buckets: [[0; 11]; 5],
            sum: [0.0; 5],
            cpu_seconds: 0.0,
        });
        sim.advance(now);
        sim.exposition()
    })
}
