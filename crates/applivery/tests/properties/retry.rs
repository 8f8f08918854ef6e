//! The retry state machine, driven by generated policies and outcome sequences: it never makes
//! more attempts than allowed, never starts a wait that ends past the time budget, never retries
//! a failure that may not be retried, and reports a 4009 after an ambiguous attempt as such.

use std::time::Duration;

use applivery::sans_io::{RetryState, Step};
use applivery::{Error, ErrorKind, RetryClass, RetryPolicy};
use proptest::prelude::*;

fn policy() -> impl Strategy<Value = RetryPolicy> {
    (
        0..12u32,
        0..60_000u64,
        0..3_000u64,
        0..10_000u64,
        any::<bool>(),
    )
        .prop_map(|(attempts, budget, initial, max, ambiguous)| {
            RetryPolicy::default()
                .max_attempts(attempts)
                .max_elapsed(Duration::from_millis(budget))
                .initial_backoff(Duration::from_millis(initial))
                .max_backoff(Duration::from_millis(max))
                .retry_ambiguous(ambiguous)
        })
}

/// One attempt's result, as the transports produce them.
fn outcome() -> impl Strategy<Value = Result<(), Error>> {
    let envelope =
        |code: i64| format!(r#"{{"status":false,"error":{{"code":{code},"message":"m"}}}}"#);
    prop_oneof![
        Just(Ok(())),
        Just(Err(Error::connect("refused"))),
        Just(Err(Error::network("reset"))),
        Just(Err(Error::timeout("no answer"))),
        (
            400..=599u16,
            prop::option::of("[0-9]{1,6}"),
            prop_oneof![
                Just(4009i64),
                Just(3001),
                Just(5187),
                Just(4004),
                any::<i64>()
            ]
        )
            .prop_map(move |(status, retry_after, code)| {
                applivery::sans_io::classify(
                    status,
                    retry_after.as_deref(),
                    envelope(code).as_bytes(),
                )
                .map(|_| ())
            }),
        (200..=599u16)
            .prop_map(|status| applivery::sans_io::classify(status, None, b"<html>").map(|_| ())),
    ]
}

proptest! {
    #[test]
    fn retries_stay_within_attempts_budget_and_retry_classes(
        policy in policy(),
        outcomes in prop::collection::vec(outcome(), 1..16),
        durations in prop::collection::vec(0..20_000u64, 16),
        units in prop::collection::vec(prop_oneof![0.0..1.0f64, Just(1.0), Just(f64::NAN), any::<f64>()], 16),
    ) {
        let mut state = RetryState::new(policy);
        let mut elapsed = Duration::ZERO;
        let mut ambiguous_before = false;
        let mut steps = outcomes.into_iter().zip(durations).zip(units);
        let (result, attempts) = loop {
            let Some(((outcome, took), unit)) = steps.next() else {
                return Ok(()); // the sequence ran out before the call ended
            };
            let attempt = state.begin_attempt();
            prop_assert!(attempt <= policy.get_max_attempts(), "attempt {} of {}", attempt, policy.get_max_attempts());
            elapsed += Duration::from_millis(took);
            let retryable = outcome.as_ref().err().map(|e| match e.retry_class() {
                RetryClass::Safe => true,
                RetryClass::Ambiguous => policy.get_retry_ambiguous(),
                _ => false,
            });
            let was_4009 = outcome.as_ref().err().is_some_and(|e| e.kind() == ErrorKind::AlreadyRegistered);
            let ambiguous = outcome.as_ref().err().is_some_and(|e| e.retry_class() == RetryClass::Ambiguous);
            match state.after_attempt(outcome, elapsed, || unit) {
                Step::Retry { delay, error } => {
                    prop_assert_eq!(retryable, Some(true), "retried {:?}", error);
                    prop_assert!(attempt < policy.get_max_attempts());
                    prop_assert!(elapsed + delay <= policy.get_max_elapsed(), "{:?} + {:?} past the budget", elapsed, delay);
                    prop_assert_eq!(error.attempts(), attempt);
                    if let Some(retry_after) = error.retry_after() {
                        prop_assert_eq!(delay, retry_after);
                    }
                    elapsed += delay;
                    ambiguous_before |= ambiguous;
                }
                Step::Done(result) => {
                    if let Err(error) = &result {
                        prop_assert_eq!(error.attempts(), attempt);
                        if was_4009 {
                            let expected = if ambiguous_before { ErrorKind::AlreadyRegisteredAfterRetry } else { ErrorKind::AlreadyRegistered };
                            prop_assert_eq!(error.kind(), expected);
                        }
                    }
                    break (result, attempt);
                }
                other => return Err(TestCaseError::fail(format!("a new step: {other:?}"))),
            }
        };
        prop_assert_eq!(state.attempts(), attempts);
        prop_assert!(attempts >= 1);
        let _ = result;
    }
}
