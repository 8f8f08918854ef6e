//! Retry decisions: which failures are retried, how long to wait, when to give up, and how a
//! 4009 after an ambiguous attempt is reported. Transport-agnostic, shared with the wasm package.

use std::time::Duration;

use crate::error::{Error, ErrorKind, RetryClass};

/// How a call retries failed attempts. See the crate docs for the policy.
///
/// ```
/// use std::time::Duration;
/// let policy = applivery::RetryPolicy::default()
///     .max_attempts(5)
///     .max_elapsed(Duration::from_secs(60))
///     .initial_backoff(Duration::from_millis(100))
///     .max_backoff(Duration::from_secs(10));
/// assert_eq!(policy.get_max_attempts(), 5);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    max_elapsed: Duration,
    initial_backoff: Duration,
    max_backoff: Duration,
    retry_ambiguous: bool,
}

impl Default for RetryPolicy {
    /// 3 attempts within 30 s, backoff from 250 ms up to 5 s, ambiguous failures retried.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            max_elapsed: Duration::from_secs(30),
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(5),
            retry_ambiguous: true,
        }
    }
}

impl RetryPolicy {
    /// A single attempt, never retried.
    pub fn none() -> Self {
        RetryPolicy::default().max_attempts(1)
    }

    /// Most attempts per call, the first included (at least 1).
    pub fn max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }

    /// No retry starts whose wait would end later than this after the call began.
    pub fn max_elapsed(mut self, max_elapsed: Duration) -> Self {
        self.max_elapsed = max_elapsed;
        self
    }

    /// Upper bound of the first backoff; it doubles per attempt up to [`Self::max_backoff`].
    pub fn initial_backoff(mut self, initial_backoff: Duration) -> Self {
        self.initial_backoff = initial_backoff;
        self
    }

    /// Largest computed backoff (a server's `Retry-After` is honoured even when longer).
    pub fn max_backoff(mut self, max_backoff: Duration) -> Self {
        self.max_backoff = max_backoff;
        self
    }

    /// Whether failures that may have reached the server (timeout or reset after sending,
    /// 500/502/504) are retried. Default `true`: Applivery refuses a second registration of the
    /// same email, so such a retry cannot create a duplicate; its 4009 is reported as
    /// [`ErrorKind::AlreadyRegisteredAfterRetry`]. With `false` only failures that cannot
    /// have created the user (connect errors, 429, 503) are retried.
    pub fn retry_ambiguous(mut self, retry_ambiguous: bool) -> Self {
        self.retry_ambiguous = retry_ambiguous;
        self
    }

    /// The configured maximum number of attempts.
    pub fn get_max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The configured time budget.
    pub fn get_max_elapsed(&self) -> Duration {
        self.max_elapsed
    }

    /// Whether ambiguous failures are retried.
    pub fn get_retry_ambiguous(&self) -> bool {
        self.retry_ambiguous
    }

    /// The configured upper bound of the first backoff.
    pub fn get_initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The configured largest computed backoff.
    pub fn get_max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// How long to wait before the next attempt, or `None` to give up.
    ///
    /// `attempt` is the number of attempts made so far (1 after the first), `elapsed` the time
    /// since the call began, `rng` a source of uniform numbers in `[0, 1)` for the jitter.
    /// The wait is the server's `Retry-After` when it sent one, else full jitter: uniform in
    /// `[0, min(max_backoff, initial_backoff * 2^(attempt - 1))]`.
    pub fn backoff(
        &self,
        attempt: u32,
        error: &Error,
        elapsed: Duration,
        rng: impl FnMut() -> f64,
    ) -> Option<Duration> {
        match error.retry_class() {
            RetryClass::Safe => {}
            RetryClass::Ambiguous if self.retry_ambiguous => {}
            _ => return None,
        }
        self.delay(attempt, error.retry_after(), elapsed, rng)
    }

    /// The wait before attempt `attempt + 1` of a failure known to be retryable: the server's
    /// `Retry-After` when it sent one, else full jitter; `None` past the attempts or the time
    /// budget.
    pub(crate) fn delay(
        &self,
        attempt: u32,
        retry_after: Option<Duration>,
        elapsed: Duration,
        mut rng: impl FnMut() -> f64,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let delay = match retry_after {
            Some(retry_after) => retry_after,
            None => {
                let exponent = attempt.saturating_sub(1).min(30);
                let ceiling = self
                    .initial_backoff
                    .saturating_mul(1 << exponent)
                    .min(self.max_backoff);
                let unit = rng();
                let unit = if unit.is_finite() {
                    unit.clamp(0.0, 1.0)
                } else {
                    0.5
                };
                // In whole nanoseconds (`unit` is in 0..=1, so no overflow): `mul_f64` would
                // link the float-to-Duration conversion and its panics into the npm package.
                Duration::from_nanos((ceiling.as_nanos() as f64 * unit) as u64)
            }
        };
        if elapsed.saturating_add(delay) > self.max_elapsed {
            return None;
        }
        Some(delay)
    }
}

/// What to do after an attempt.
#[derive(Debug)]
#[non_exhaustive]
pub enum Step<T> {
    /// The call is over: this is its result.
    Done(Result<T, Error>),
    /// Wait `delay`, then make another attempt. `error` is the failure being retried.
    Retry {
        /// How long to wait.
        delay: Duration,
        /// The failed attempt's error.
        error: Error,
    },
}

/// The retry state of one call: counts attempts and remembers ambiguous ones so that a later
/// 4009 becomes [`ErrorKind::AlreadyRegisteredAfterRetry`].
///
/// Drive it like this (the native client and the wasm package both do):
///
/// ```
/// # use std::time::Duration;
/// use applivery::RetryPolicy;
/// use applivery::sans_io::{RetryState, Step};
/// let mut state = RetryState::new(RetryPolicy::default());
/// let mut answers = vec![
///     applivery::sans_io::classify(403, None, br#"{"error":{"code":4009}}"#),
///     applivery::sans_io::classify(502, None, b""),
/// ];
/// let result = loop {
///     state.begin_attempt();
///     let outcome = answers.pop().unwrap(); // send the request here
///     match state.after_attempt(outcome, Duration::ZERO, || 0.5) {
///         Step::Done(result) => break result,
///         Step::Retry { delay, .. } => { /* sleep(delay) */ }
///         _ => unreachable!(),
///     }
/// };
/// assert_eq!(result.unwrap_err().kind(), applivery::ErrorKind::AlreadyRegisteredAfterRetry);
/// ```
#[derive(Clone, Debug)]
pub struct RetryState {
    policy: RetryPolicy,
    attempts: u32,
    ambiguous_seen: bool,
    idempotent: bool,
}

impl RetryState {
    /// A fresh call.
    pub fn new(policy: RetryPolicy) -> Self {
        RetryState {
            policy,
            attempts: 0,
            ambiguous_seen: false,
            idempotent: false,
        }
    }

    /// A fresh call of an idempotent operation (`GET`, `PUT`, `DELETE`): sending it again
    /// after an answer was lost does no harm, so an ambiguous failure is retried even when the
    /// policy says not to ([`RetryPolicy::retry_ambiguous`]), and never counts as one.
    pub fn idempotent(policy: RetryPolicy) -> Self {
        RetryState {
            idempotent: true,
            ..RetryState::new(policy.retry_ambiguous(true))
        }
    }

    /// Records the start of an attempt and returns its number (1 for the first).
    pub fn begin_attempt(&mut self) -> u32 {
        self.attempts += 1;
        self.attempts
    }

    /// Attempts begun so far.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Whether an earlier attempt that may have reached the server was retried.
    pub fn ambiguous_seen(&self) -> bool {
        self.ambiguous_seen
    }

    /// Decides after an attempt: finish with its result, or retry after a delay.
    pub fn after_attempt<T>(
        &mut self,
        outcome: Result<T, Error>,
        elapsed: Duration,
        rng: impl FnMut() -> f64,
    ) -> Step<T> {
        let mut error = match outcome {
            Ok(value) => return Step::Done(Ok(value)),
            Err(error) => error,
        };
        error.set_attempts(self.attempts);
        if self.ambiguous_seen && error.kind() == ErrorKind::AlreadyRegistered {
            return Step::Done(Err(error.into_after_retry()));
        }
        match self.policy.backoff(self.attempts, &error, elapsed, rng) {
            Some(delay) => {
                if error.retry_class() == RetryClass::Ambiguous && !self.idempotent {
                    self.ambiguous_seen = true;
                }
                Step::Retry { delay, error }
            }
            None => Step::Done(Err(error)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server_error(status: u16) -> Error {
        crate::classify::classify(status, None, b"").unwrap_err()
    }

    #[test]
    fn retries_only_what_the_policy_allows() {
        let policy = RetryPolicy::default();
        let zero = Duration::ZERO;
        assert!(
            policy
                .backoff(1, &server_error(503), zero, || 0.5)
                .is_some()
        );
        assert!(
            policy
                .backoff(1, &server_error(500), zero, || 0.5)
                .is_some()
        );
        assert!(
            policy
                .backoff(1, &server_error(501), zero, || 0.5)
                .is_none()
        );
        assert!(
            policy
                .retry_ambiguous(false)
                .backoff(1, &server_error(500), zero, || 0.5)
                .is_none()
        );
        assert!(
            policy
                .backoff(1, &Error::connect("refused"), zero, || 0.5)
                .is_some()
        );
        assert!(
            policy
                .backoff(3, &server_error(503), zero, || 0.5)
                .is_none()
        );
        assert!(
            RetryPolicy::none()
                .backoff(1, &server_error(503), zero, || 0.5)
                .is_none()
        );
        let not_found =
            crate::classify::classify(404, None, br#"{"error":{"code":3001}}"#).unwrap_err();
        assert!(policy.backoff(1, &not_found, zero, || 0.5).is_none());
    }

    #[test]
    fn full_jitter_is_bounded_by_the_exponential_ceiling() {
        let policy = RetryPolicy::default()
            .max_attempts(10)
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(350));
        let error = server_error(503);
        let at = |attempt, unit| {
            policy
                .backoff(attempt, &error, Duration::ZERO, || unit)
                .unwrap()
        };
        assert_eq!(at(1, 1.0), Duration::from_millis(100));
        assert_eq!(at(2, 1.0), Duration::from_millis(200));
        assert_eq!(at(3, 1.0), Duration::from_millis(350));
        assert_eq!(at(3, 0.0), Duration::ZERO);
        assert_eq!(at(2, 0.5), Duration::from_millis(100));
    }

    #[test]
    fn retry_after_wins_and_the_time_budget_caps_it() {
        let policy = RetryPolicy::default().max_elapsed(Duration::from_secs(10));
        let error = crate::classify::classify(429, Some("4"), b"").unwrap_err();
        assert_eq!(
            policy.backoff(1, &error, Duration::ZERO, || 0.0),
            Some(Duration::from_secs(4))
        );
        assert_eq!(
            policy.backoff(1, &error, Duration::from_secs(7), || 0.0),
            None
        );
    }

    #[test]
    fn a_4009_after_an_ambiguous_attempt_is_reported_as_such() {
        let mut state = RetryState::new(RetryPolicy::default());
        state.begin_attempt();
        let step = state.after_attempt::<()>(Err(Error::timeout("t")), Duration::ZERO, || 0.0);
        assert!(matches!(step, Step::Retry { .. }));
        state.begin_attempt();
        let dup = crate::classify::classify(403, None, br#"{"error":{"code":4009,"message":"m"}}"#);
        let Step::Done(Err(error)) = state.after_attempt(dup, Duration::ZERO, || 0.0) else {
            panic!("expected the end of the call");
        };
        assert_eq!(error.kind(), ErrorKind::AlreadyRegisteredAfterRetry);
        assert_eq!(
            (error.status(), error.code(), error.attempts()),
            (Some(403), Some(4009), 2)
        );
        assert!(error.is_ambiguous());
    }

    #[test]
    fn a_4009_after_a_safe_retry_stays_already_registered() {
        let mut state = RetryState::new(RetryPolicy::default());
        state.begin_attempt();
        let step =
            state.after_attempt::<()>(Err(Error::connect("refused")), Duration::ZERO, || 0.0);
        assert!(matches!(step, Step::Retry { .. }));
        state.begin_attempt();
        let dup = crate::classify::classify(403, None, br#"{"error":{"code":4009}}"#);
        let Step::Done(Err(error)) = state.after_attempt(dup, Duration::ZERO, || 0.0) else {
            panic!("expected the end of the call");
        };
        assert_eq!(error.kind(), ErrorKind::AlreadyRegistered);
    }
}
