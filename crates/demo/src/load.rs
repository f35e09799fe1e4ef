//! The built-in load generator: synthetic users calling the service over real HTTP.
//!
//! Contract: an open-loop Poisson arrival process at [`AppState::load_rps`] requests per second,
//! re-read before every arrival so `POST /admin/load/{rps}` takes effect at once (a slow server
//! does not slow the arrivals, so saturation builds real queues), at most [`MAX_IN_FLIGHT`]
//! outstanding; the mix covers every API route and method, with realistic client errors
//! (unknown user ids → 404, wrong passwords → 401, missing search term → 400, unknown path → 404).
//! Request failures are ignored: the service's own metrics are the record.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::time::Instant;

use crate::api::{ACCOUNTS, PASSWORD, USER_COUNT};
use crate::http_client;
use crate::random::Rng;
use crate::state::AppState;

/// Most requests the generator keeps outstanding; arrivals beyond it are dropped.
pub const MAX_IN_FLIGHT: usize = 512;
/// How often an idle generator (rate 0) checks whether it has been switched on.
const IDLE_POLL: Duration = Duration::from_millis(200);
/// How far behind schedule the generator may fall before it drops the backlog.
const MAX_LAG: Duration = Duration::from_secs(1);
/// A request that takes longer than this is abandoned by the generator.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

const SEARCH_TERMS: [&str; 10] = [
    "ada", "grace", "linus", "margaret", "ken", "barbara", "dennis", "frances", "42", "7",
];

/// One request the generator will send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedRequest {
    pub method: &'static str,
    pub path: String,
    pub body: Option<String>,
}

fn request(method: &'static str, path: impl Into<String>, body: Option<String>) -> PlannedRequest {
    PlannedRequest {
        method,
        path: path.into(),
        body,
    }
}

/// Relative frequency of each request kind, in the order [`plan`] matches them.
const MIX: [u32; 10] = [20, 20, 5, 15, 8, 17, 12, 1, 1, 1];

/// Draws the next request of the traffic mix.
pub fn plan(rng: &mut Rng) -> PlannedRequest {
    let pick = |rng: &mut Rng, items: &[&'static str]| {
        let index = rng.range_inclusive(0, items.len().saturating_sub(1) as u64) as usize;
        items.get(index).copied().unwrap_or_default()
    };
    match rng.weighted_index(&MIX).unwrap_or(0) {
        0 => request(
            "GET",
            format!("/api/users?limit={}", rng.range_inclusive(5, 50)),
            None,
        ),
        // A few ids past USER_COUNT give a steady trickle of 404s.
        1 => request(
            "GET",
            format!(
                "/api/users/{}",
                rng.range_inclusive(1, u64::from(USER_COUNT) + 4)
            ),
            None,
        ),
        2 => request(
            "POST",
            "/api/users",
            Some(format!(
                r#"{{"name":"load user {}"}}"#,
                rng.range_inclusive(1, 9999)
            )),
        ),
        3 => request("GET", "/api/orders", None),
        4 => {
            let body = format!(
                r#"{{"user_id":{},"amount":{:.2}}}"#,
                rng.range_inclusive(1, u64::from(USER_COUNT)),
                rng.uniform(5.0, 500.0)
            );
            request("POST", "/api/orders", Some(body))
        }
        5 => request(
            "GET",
            format!("/api/search?q={}", pick(rng, &SEARCH_TERMS)),
            None,
        ),
        6 => {
            // 15% of logins use a wrong password.
            let password = if rng.chance(0.15) { "wrong" } else { PASSWORD };
            let body = format!(
                r#"{{"username":"{}","password":"{password}"}}"#,
                pick(rng, &ACCOUNTS)
            );
            request("POST", "/api/login", Some(body))
        }
        7 => request("GET", "/api/search", None),
        8 => request("GET", "/api/unknown", None),
        _ => request("POST", "/api/users", Some("{not json".to_string())),
    }
}

/// Sends traffic to `addr` until the task is aborted, at the rate `state` currently asks for.
pub async fn run_load(addr: SocketAddr, state: Arc<AppState>) {
    let seed = state.config.seed;
    let mut rng = seed.map_or_else(Rng::from_time, |s| Rng::seeded(s ^ 0x5DEE_CE66_D1CE_4E5B));
    let in_flight = Arc::new(Semaphore::new(MAX_IN_FLIGHT));
    // Arrivals are scheduled on an absolute timeline: sleeping gap by gap would lose the
    // timer's millisecond rounding on every request and undershoot high rates.
    let mut next_arrival = Instant::now();
    loop {
        let rps = state.load_rps();
        if rps <= 0.0 {
            tokio::time::sleep(IDLE_POLL).await;
            next_arrival = Instant::now();
            continue;
        }
        let gap = rng.exponential(1.0 / rps).min(IDLE_POLL.as_secs_f64());
        next_arrival += Duration::from_secs_f64(gap);
        let now = Instant::now();
        if next_arrival > now {
            tokio::time::sleep_until(next_arrival).await;
        } else if now - next_arrival > MAX_LAG {
            // Far behind (a stalled runtime): forget the backlog rather than burst.
            next_arrival = now;
        }
        let Ok(permit) = in_flight.clone().try_acquire_owned() else {
            continue;
        };
        let planned = plan(&mut rng);
        tokio::spawn(async move {
            let sent = http_client::send(
                addr,
                planned.method,
                &planned.path,
                &[],
                planned.body.as_deref(),
            );
            // Errors and timeouts are part of the show; the server's metrics record them.
            let _ = tokio::time::timeout(REQUEST_TIMEOUT, sent).await;
            drop(permit);
        });
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
    fn mix_covers_every_route_and_method() {
        let mut rng = Rng::seeded(1);
        let plans: Vec<PlannedRequest> = (0..2000).map(|_| plan(&mut rng)).collect();
        let has = |method: &str, prefix: &str| {
            plans
                .iter()
                .any(|p| p.method == method && p.path.starts_with(prefix))
        };
        for (method, prefix) in [
            ("GET", "/api/users?"),
            ("GET", "/api/users/"),
            ("POST", "/api/users"),
            ("GET", "/api/orders"),
            ("POST", "/api/orders"),
            ("GET", "/api/search?q="),
            ("POST", "/api/login"),
            ("GET", "/api/unknown"),
        ] {
            assert!(has(method, prefix), "{method} {prefix} never planned");
        }
        let wrong_logins = plans
            .iter()
            .filter(|p| p.body.as_deref().is_some_and(|b| b.contains("wrong")))
            .count();
        assert!(wrong_logins > 5, "only {wrong_logins} failing logins");
    }

    #[test]
    fn bodies_are_json_except_the_deliberately_broken_one() {
        let mut rng = Rng::seeded(2);
        for planned in (0..500).map(|_| plan(&mut rng)) {
            if let Some(body) = planned.body {
                let parsed = serde_json::from_str::<serde_json::Value>(&body);
                assert_eq!(parsed.is_ok(), body != "{not json", "{body}");
            }
        }
    }
}
