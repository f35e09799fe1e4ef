//! signalboard-demo: a real instrumented HTTP service with a built-in load generator and
//! failure scenarios switchable at run time, used by `make run` and the end-to-end tests.
//!
//! Contract: [`serve`] / [`serve_with_shutdown`] run the whole service on a bound listener
//! (tests use an ephemeral port in-process); `main.rs` only parses flags and binds. Module map:
//! `api` (handlers) → `work` (simulated latency and faults) → `pool`/`cache` (simulated
//! dependencies) → `state` (shared state, scenarios); `instrument`/`cors` (middleware);
//! `metrics`/`process`/`exposition_format` (Prometheus surface); `load` + `http_client` (the
//! traffic generator); `batch_job` (the pool-saturation culprit); `health`, `admin`.

pub mod admin;
pub mod api;
pub mod batch_job;
pub mod cache;
pub mod config;
pub mod cors;
pub mod error;
pub mod exposition_format;
pub mod health;
pub mod http_client;
pub mod instrument;
pub mod load;
pub mod metrics;
pub mod pool;
pub mod process;
pub mod random;
pub mod router;
pub mod scenario;
pub mod state;
pub mod work;

use std::future::Future;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use tokio::net::TcpListener;
use tokio::task::AbortHandle;

pub use config::{parse_args, Command, Config};
pub use scenario::Scenario;
pub use state::AppState;

/// Serves until Ctrl-C or SIGTERM.
pub async fn serve(listener: TcpListener, config: Config) -> io::Result<()> {
    serve_with_shutdown(listener, config, shutdown_signal()).await
}

/// Serves until `shutdown` completes, then stops the load generator and drains open requests.
pub async fn serve_with_shutdown<F>(
    listener: TcpListener,
    config: Config,
    shutdown: F,
) -> io::Result<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    let target = loopback_target(listener.local_addr()?);
    let state = AppState::new(config);
    let batch = tokio::spawn(batch_job::run_batch_job(state.clone()));
    // Always running; it idles at rate 0 (`--no-load`) until `POST /admin/load/{rps}`.
    let load = tokio::spawn(load::run_load(target, state.clone()));
    let background = [load.abort_handle(), batch.abort_handle()];
    let stop_on_signal = background.clone();
    let app = router::router(state);
    // Stop generating traffic first, so the graceful drain only waits for real requests.
    let stop_background = async move {
        shutdown.await;
        stop_on_signal.iter().for_each(AbortHandle::abort);
    };
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(stop_background)
        .await;
    // Also when serving failed: never leave the generator running against a dead listener.
    background.iter().for_each(AbortHandle::abort);
    served
}

/// Where the load generator should connect: a wildcard listen address is reached via loopback.
fn loopback_target(bound: SocketAddr) -> SocketAddr {
    match bound.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), bound.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), bound.port())
        }
        _ => bound,
    }
}

/// Completes on Ctrl-C, or on SIGTERM where signals exist.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        // If the handler cannot be installed, only SIGTERM (or nothing) stops the server.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
