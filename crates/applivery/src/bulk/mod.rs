//! Bulk runs without I/O: the decisions of [`crate::Client::create_oem_users`] and
//! [`crate::Client::refresh_oem_user_secrets`], shared with the npm package's
//! `createOemUsers` / `refreshOemUserSecrets`, which drive the same [`Scheduler`] over `fetch`.
//!
//! How many requests are in flight (AIMD on 429/503, with `Retry-After`), which failures are
//! retried and how often, the outcome of each input, delivery in input order and stopping live
//! here, once.

mod failure;
mod limiter;
mod outcome;
mod progress;
mod scheduler;

pub use failure::AttemptFailure;
pub use outcome::{BulkOutcome, Outcome};
pub use progress::Progress;
#[doc(hidden)]
pub use scheduler::{Attempt, Next, Scheduler};
pub use scheduler::{BulkKind, StopReason};

/// Requests in flight at once when a bulk run sets no concurrency (Rust and npm alike).
pub const DEFAULT_CONCURRENCY: usize = 8;

/// A bulk run's retries: more patient than a single call's, since the run adapts its pace.
/// Shared by the facade's [`crate::BulkCall`] and the npm package's bulk runs.
pub fn default_policy() -> crate::RetryPolicy {
    use std::time::Duration;
    crate::RetryPolicy::default()
        .max_attempts(10)
        .max_elapsed(Duration::from_secs(60))
        .initial_backoff(Duration::from_millis(200))
        .max_backoff(Duration::from_secs(10))
}
