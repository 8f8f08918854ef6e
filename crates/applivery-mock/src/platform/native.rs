//! The platform layer on native targets: std's clocks, tokio's timer, std's hasher keys.

use std::collections::hash_map::RandomState;
use std::future::Future;
use std::hash::BuildHasher;
use std::sync::LazyLock;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch (wall clock).
pub(crate) fn unix_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// A monotonic clock in milliseconds, from an arbitrary start: for windows and durations.
pub(crate) fn monotonic_millis() -> u64 {
    static START: LazyLock<Instant> = LazyLock::new(Instant::now);
    START.elapsed().as_millis() as u64
}

/// Completes after `duration` (on the tokio runtime serving the request).
pub(crate) fn sleep(duration: Duration) -> impl Future<Output = ()> + Send + 'static {
    tokio::time::sleep(duration)
}

/// 64 bits that differ between calls and runs (from the OS, through std's hasher keys).
pub(crate) fn random_u64() -> u64 {
    RandomState::new().hash_one(0x5eed_u64)
}
