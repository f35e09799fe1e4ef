//! A simulated database connection pool whose saturation is real: every query holds a permit of
//! a tokio [`Semaphore`] for as long as it "runs", so when demand exceeds the pool size requests
//! genuinely queue, and time out.
//!
//! Contract: `db_connections_in_use` always equals the permits checked out (guards decrement on
//! drop, including when a request future is cancelled) and `db_connections_waiting` the callers
//! queued in [`DbPool::acquire`]. When the database is marked down, acquiring still takes a
//! permit but "connecting" fails after [`CONNECT_TIMEOUT`].

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use prometheus_client::metrics::gauge::Gauge;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How long a connection attempt to a down database takes to fail.
pub const CONNECT_TIMEOUT: Duration = Duration::from_millis(200);

/// Why a connection could not be obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PoolError {
    /// No connection became free within the acquire timeout.
    Timeout { waited: Duration, size: u32 },
    /// The database refused the connection.
    Unavailable,
}

impl std::fmt::Display for PoolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PoolError::Timeout { waited, size } => write!(
                f,
                "timed out after {} ms waiting for one of {size} database connections",
                waited.as_millis()
            ),
            PoolError::Unavailable => {
                f.write_str("connection refused: database db:5432 is unreachable")
            }
        }
    }
}

/// The pool: a semaphore plus the gauges that expose it.
#[derive(Debug)]
pub struct DbPool {
    semaphore: Arc<Semaphore>,
    size: u32,
    up: AtomicBool,
    in_use: Gauge,
    waiting: Gauge,
}

/// A checked-out connection; returns itself to the pool when dropped.
#[derive(Debug)]
pub struct Connection {
    _permits: OwnedSemaphorePermit,
    count: u32,
    in_use: Gauge,
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.in_use.dec_by(i64::from(self.count));
    }
}

/// Decrements the waiting gauge however the wait ends.
struct Waiting(Gauge);

impl Drop for Waiting {
    fn drop(&mut self) {
        self.0.dec();
    }
}

impl DbPool {
    /// A pool of `size` connections reporting through the given gauges.
    pub fn new(size: u32, size_gauge: &Gauge, in_use: Gauge, waiting: Gauge) -> Self {
        size_gauge.set(i64::from(size));
        DbPool {
            semaphore: Arc::new(Semaphore::new(size as usize)),
            size,
            up: AtomicBool::new(true),
            in_use,
            waiting,
        }
    }

    /// Maximum number of connections.
    pub fn size(&self) -> u32 {
        self.size
    }

    /// Connections currently checked out.
    pub fn in_use(&self) -> u32 {
        let free = u32::try_from(self.semaphore.available_permits()).unwrap_or(u32::MAX);
        self.size.saturating_sub(free)
    }

    /// Whether the simulated database accepts connections.
    pub fn is_up(&self) -> bool {
        self.up.load(Ordering::Relaxed)
    }

    /// Marks the simulated database reachable or not.
    pub fn set_up(&self, up: bool) {
        self.up.store(up, Ordering::Relaxed);
    }

    /// Checks out one connection, queueing up to `timeout` for a free one.
    pub async fn acquire(&self, timeout: Duration) -> Result<Connection, PoolError> {
        let connection = self.acquire_many(1, timeout).await?;
        if !self.is_up() {
            tokio::time::sleep(CONNECT_TIMEOUT).await;
            return Err(PoolError::Unavailable);
        }
        Ok(connection)
    }

    /// Checks out `count` connections at once (used by the runaway batch job).
    pub async fn acquire_many(
        &self,
        count: u32,
        timeout: Duration,
    ) -> Result<Connection, PoolError> {
        self.waiting.inc();
        let waiting = Waiting(self.waiting.clone());
        let acquired =
            tokio::time::timeout(timeout, self.semaphore.clone().acquire_many_owned(count)).await;
        drop(waiting);
        match acquired {
            // The semaphore is never closed, so the inner error cannot happen; treat it as a timeout.
            Ok(Ok(permits)) => {
                self.in_use.inc_by(i64::from(count));
                Ok(Connection {
                    _permits: permits,
                    count,
                    in_use: self.in_use.clone(),
                })
            }
            Ok(Err(_)) | Err(_) => Err(PoolError::Timeout {
                waited: timeout,
                size: self.size,
            }),
        }
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

    fn pool(size: u32) -> (DbPool, Gauge, Gauge) {
        let (in_use, waiting) = (Gauge::default(), Gauge::default());
        let pool = DbPool::new(size, &Gauge::default(), in_use.clone(), waiting.clone());
        (pool, in_use, waiting)
    }

    #[tokio::test]
    async fn gauges_follow_checkouts_and_returns() {
        let (pool, in_use, _) = pool(3);
        let a = pool.acquire(Duration::from_millis(10)).await.unwrap();
        let b = pool
            .acquire_many(2, Duration::from_millis(10))
            .await
            .unwrap();
        assert_eq!((in_use.get(), pool.in_use()), (3, 3));
        drop(a);
        assert_eq!((in_use.get(), pool.in_use()), (2, 2));
        drop(b);
        assert_eq!((in_use.get(), pool.in_use()), (0, 0));
    }

    #[tokio::test]
    async fn exhausted_pool_times_out_and_counts_waiters() {
        let (pool, _, waiting) = pool(1);
        let held = pool.acquire(Duration::from_millis(10)).await.unwrap();
        let err = pool.acquire(Duration::from_millis(30)).await.unwrap_err();
        assert_eq!(
            err,
            PoolError::Timeout {
                waited: Duration::from_millis(30),
                size: 1
            }
        );
        assert_eq!(waiting.get(), 0);
        drop(held);
        assert!(pool.acquire(Duration::from_millis(10)).await.is_ok());
    }

    #[tokio::test]
    async fn down_database_refuses_and_releases_the_permit() {
        let (pool, in_use, _) = pool(2);
        pool.set_up(false);
        let err = pool.acquire(Duration::from_millis(10)).await.unwrap_err();
        assert_eq!(err, PoolError::Unavailable);
        assert_eq!(in_use.get(), 0);
    }
}
