//! The retry policy against the mock: what is retried, Retry-After, the ambiguous-then-4009
//! report, caps on attempts and time, and timeouts. No assertion depends on speed.

mod common;

use std::time::Duration;

use applivery::{ErrorKind, NewOemUser, RetryClass, RetryPolicy};
use common::*;

#[tokio::test]
async fn safe_failures_are_retried_until_success() {
    let mock = mock().await;
    mock.push_faults([
        "status=503,retry-after=0",
        "status=429,retry-after=0",
        // No "after-create": nothing was created before the drop.
    ]);
    let email = email();
    let created = client(&mock)
        .create_oem_user(DEFAULT_ORG, NewOemUser::new(&email))
        .await
        .expect("the third attempt succeeds");
    assert_eq!(created.user.unwrap().email.as_deref(), Some(email.as_str()));
    assert_eq!(mock.request_count(), 3);
    assert_eq!(users_with_email(&mock, &email), 1);
}

#[tokio::test]
async fn an_ambiguous_failure_then_4009_is_already_registered_after_retry() {
    let mock = mock().await;
    let email = email();
    for fault in [
        "status=500,after-create",
        "status=502,after-create",
        "status=504,after-create",
        "html,after-create",
        "drop,after-create",
        "truncated-json,after-create",
    ] {
        mock.reset();
        mock.push_faults([fault]);
        let error = client(&mock)
            .create_oem_user(DEFAULT_ORG, NewOemUser::new(&email))
            .await
            .expect_err(fault);
        assert_eq!(
            error.kind(),
            ErrorKind::AlreadyRegisteredAfterRetry,
            "{fault}: {error:?}"
        );
        assert_eq!((error.status(), error.code()), (Some(403), Some(4009)));
        assert!(error.is_ambiguous());
        assert!(!error.is_retryable());
        assert_eq!(error.attempts(), 2, "{fault}");
        assert_eq!(
            users_with_email(&mock, &email),
            1,
            "{fault}: exactly one user"
        );
    }
}

#[tokio::test]
async fn a_hang_after_create_is_reported_after_retry_too() {
    let mock = mock().await;
    let email = email();
    mock.push_faults(["hang,after-create"]);
    let client = builder(&mock)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let error = client
        .create_oem_user(DEFAULT_ORG, NewOemUser::new(&email))
        .await
        .unwrap_err();
    assert_eq!(
        error.kind(),
        ErrorKind::AlreadyRegisteredAfterRetry,
        "{error:?}"
    );
    assert_eq!(users_with_email(&mock, &email), 1);
}

#[tokio::test]
async fn an_ambiguous_failure_that_created_nothing_is_retried_to_success() {
    let mock = mock().await;
    let email = email();
    mock.push_faults(["status=500"]);
    client(&mock)
        .create_oem_user(DEFAULT_ORG, NewOemUser::new(&email))
        .await
        .expect("the retry creates the user");
    assert_eq!(mock.request_count(), 2);
    assert_eq!(users_with_email(&mock, &email), 1);
}

#[tokio::test]
async fn ambiguous_failures_are_not_retried_when_the_policy_says_so() {
    let mock = mock().await;
    mock.push_faults(["status=500,after-create"]);
    let client = builder(&mock)
        .retry_policy(fast_retries().retry_ambiguous(false))
        .build()
        .unwrap();
    let error = client
        .create_oem_user(DEFAULT_ORG, NewOemUser::new(email()))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ServerError);
    assert_eq!(error.retry_class(), RetryClass::Ambiguous);
    assert!(error.is_ambiguous() && error.is_retryable());
    assert_eq!(mock.request_count(), 1);

    // Safe failures are still retried under that policy.
    mock.reset();
    mock.push_faults(["status=503,retry-after=0"]);
    client
        .create_oem_user(DEFAULT_ORG, NewOemUser::new(email()))
        .await
        .expect("503 is retried");
    assert_eq!(mock.request_count(), 2);
}

#[tokio::test]
async fn a_4009_after_only_safe_retries_stays_already_registered() {
    let mock = mock().await;
    let client = client(&mock);
    let email = email();
    client
        .create_oem_user(DEFAULT_ORG, NewOemUser::new(&email))
        .await
        .unwrap();
    mock.push_faults(["status=503,retry-after=0"]);
    let error = client
        .create_oem_user(DEFAULT_ORG, NewOemUser::new(&email))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::AlreadyRegistered);
    assert_eq!(error.attempts(), 2);
}

#[tokio::test]
async fn attempts_are_capped() {
    let mock = mock().await;
    mock.push_faults(["status=503,retry-after=0"; 5]);
    let client = builder(&mock)
        .retry_policy(fast_retries().max_attempts(4))
        .build()
        .unwrap();
    let error = client
        .create_oem_user(DEFAULT_ORG, NewOemUser::new(email()))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ServerError);
    assert_eq!(error.attempts(), 4);
    assert_eq!(mock.request_count(), 4);
}

#[tokio::test]
async fn a_retry_after_beyond_the_time_budget_is_not_waited_for() {
    let mock = mock().await;
    mock.push_faults(["status=429,retry-after=120"]);
    let client = builder(&mock)
        .retry_policy(fast_retries().max_elapsed(Duration::from_secs(10)))
        .build()
        .unwrap();
    let error = client
        .create_oem_user(DEFAULT_ORG, NewOemUser::new(email()))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::RateLimited);
    assert_eq!(error.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(mock.request_count(), 1);
}

#[tokio::test]
async fn a_hanging_server_hits_the_timeout() {
    let mock = mock().await;
    mock.push_faults(["hang"; 3]);
    let client = builder(&mock)
        .timeout(Duration::from_millis(250))
        .build()
        .unwrap();
    let error = client
        .create_oem_user(DEFAULT_ORG, NewOemUser::new(email()))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert_eq!(error.attempts(), 3);
    assert!(mock.users().is_empty());
}

#[tokio::test]
async fn server_wide_latency_beyond_the_timeout_is_a_timeout() {
    let mock = MockServer::start(MockConfig {
        latency: Some(Duration::from_secs(5)),
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let client = builder(&mock)
        .timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error = client
        .create_oem_user(DEFAULT_ORG, NewOemUser::new(email()))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert_eq!(error.attempts(), 1);
}
