//! Pass 2, one row: send it, retrying what can be retried, and decide its outcome.
//!
//! The facade client is built without retries for imports: this loop retries instead, so that
//! every 429 reaches the shared [`Limiter`] (a per-request retry would hide the push-back and
//! keep hammering at full concurrency), and so that a failure that may have created the user
//! (timeout, 5xx, an undecodable 200) is re-sent and a 4009 then recorded as
//! `already_registered_after_retry` rather than as a failure.

use std::time::Duration;

use applivery::{Client, Error, ErrorKind, NewOemUser, Secret};

use crate::limiter::{Limiter, Permit};
use crate::outcome::{Outcome, RowOutcome};

/// What a row needs to be sent.
pub struct Sender {
    /// The facade client (no retries of its own).
    pub client: Client,
    /// The organization.
    pub organization: String,
    /// The shared limiter.
    pub limiter: Limiter,
    /// Attempts per row.
    pub max_attempts: u32,
}

/// A row's outcome, and the error if it must stop the whole import.
pub struct Sent {
    /// The outcome to record.
    pub outcome: RowOutcome,
    /// Set when the error concerns every row (bad key, unknown organization, blocked feature):
    /// sending more rows would only repeat it.
    pub fatal: Option<Error>,
    /// The created user's OEM secret, for the secrets file only.
    pub secret: Option<Secret>,
}

/// Errors that concern every row, not this one.
fn is_fatal(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::Unauthorized
            | ErrorKind::NotFound
            | ErrorKind::FeatureBlocked
            | ErrorKind::Config
    )
}

/// Longest wait between two attempts of one row (a server's `Retry-After` may ask for more).
const MAX_BACKOFF: Duration = Duration::from_secs(10);
const INITIAL_BACKOFF: Duration = Duration::from_millis(200);

impl Sender {
    /// Sends `user` holding `permit`; `ambiguous`: an earlier run may already have created it.
    pub async fn send(&self, user: &NewOemUser, mut permit: Permit, mut ambiguous: bool) -> Sent {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let error = match self
                .client
                .create_oem_user(&self.organization, user.clone())
                .await
            {
                Ok(collaborator) => {
                    permit.success();
                    return Sent {
                        outcome: RowOutcome::created(collaborator.id),
                        fatal: None,
                        secret: collaborator.oem_secret,
                    };
                }
                Err(error) => error,
            };
            let kind = error.kind();
            if matches!(
                kind,
                ErrorKind::AlreadyRegistered | ErrorKind::AlreadyRegisteredAfterRetry
            ) {
                permit.success();
                let outcome = if ambiguous || kind == ErrorKind::AlreadyRegisteredAfterRetry {
                    RowOutcome::with_kind(
                        Outcome::AlreadyRegistered,
                        ErrorKind::AlreadyRegisteredAfterRetry.as_str(),
                        "the user exists; an earlier attempt of this import may have created it",
                    )
                } else {
                    RowOutcome::with_kind(
                        Outcome::AlreadyRegistered,
                        kind.as_str(),
                        error.message(),
                    )
                };
                return Sent {
                    outcome,
                    fatal: None,
                    secret: None,
                };
            }
            ambiguous |= error.is_ambiguous();
            // An undecodable 2xx most likely created the user: re-send to learn it from a 4009.
            let retryable = error.is_retryable() || error.is_ambiguous();
            if is_fatal(kind) || !retryable || attempt >= self.max_attempts {
                drop(permit);
                let mut outcome =
                    RowOutcome::with_kind(Outcome::Failed, kind.as_str(), error.to_string());
                outcome.ambiguous = ambiguous;
                return Sent {
                    outcome,
                    fatal: is_fatal(kind).then_some(error),
                    secret: None,
                };
            }
            if kind == ErrorKind::RateLimited || error.status() == Some(503) {
                // Push-back: everyone slows down and waits; this row queues again.
                permit.push_back(error.retry_after());
            } else {
                drop(permit);
                tokio::time::sleep(backoff(attempt, error.retry_after())).await;
            }
            permit = self.limiter.acquire().await;
        }
    }
}

/// Exponential backoff with jitter, or the server's `Retry-After`.
fn backoff(attempt: u32, retry_after: Option<Duration>) -> Duration {
    if let Some(retry_after) = retry_after {
        return retry_after.min(Duration::from_secs(60));
    }
    let ceiling = INITIAL_BACKOFF
        .saturating_mul(1 << attempt.saturating_sub(1).min(16))
        .min(MAX_BACKOFF);
    // Half fixed, half jitter: retries of many rows spread out without starving any.
    ceiling / 2 + ceiling.mul_f64(jitter() / 2.0)
}

/// A number in `[0, 1)`, good enough to spread retries (not for anything secret).
fn jitter() -> f64 {
    use std::hash::{BuildHasher, RandomState};
    let bits = RandomState::new().hash_one(std::time::Instant::now());
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_honours_retry_after() {
        assert!(backoff(1, None) <= INITIAL_BACKOFF);
        assert!(backoff(1, None) >= INITIAL_BACKOFF / 2);
        assert!(backoff(30, None) <= MAX_BACKOFF);
        assert!(backoff(30, None) >= MAX_BACKOFF / 2);
        assert_eq!(
            backoff(1, Some(Duration::from_secs(3))),
            Duration::from_secs(3)
        );
    }
}
