//! Per-call options (`timeout`, `deadline`, `retry_policy` on the request builder), the
//! organization handle, an injected reqwest client keeping the configured timeout, and what the
//! call's span records (validated values only; cancellation).

mod common;

use std::time::{Duration, Instant};

use applivery::{Client, ErrorKind, NewOemUser, Organization, RetryPolicy};
use common::*;

#[tokio::test]
async fn a_per_call_timeout_applies_to_that_call_only() {
    let mock = mock().await;
    let client = builder(&mock)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    mock.push_faults(["latency=400"]);
    let error = client
        .create_oem_user(DEFAULT_ORG, NewOemUser::new(email()))
        .timeout(Duration::from_millis(100))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    // The client's own timeout (1.5 s) still applies to the next call.
    mock.push_faults(["latency=400"]);
    client
        .create_oem_user(DEFAULT_ORG, NewOemUser::new(email()))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_per_call_retry_policy_replaces_the_clients() {
    let mock = mock().await;
    let client = client(&mock); // 3 attempts
    mock.push_faults(["status=503", "status=503"]);
    let error = client
        .create_oem_user(DEFAULT_ORG, NewOemUser::new(email()))
        .retry_policy(RetryPolicy::none())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ServerError);
    assert_eq!(error.attempts(), 1);
    // One 503 is left in the queue: the client's policy retries past it.
    let created = client
        .create_oem_user(DEFAULT_ORG, NewOemUser::new(email()))
        .send()
        .await;
    assert!(created.is_ok(), "{created:?}");
}

#[tokio::test]
async fn the_deadline_cuts_an_attempt_short() {
    let mock = mock().await;
    let client = builder(&mock)
        .timeout(Duration::from_secs(5))
        .retry_policy(fast_retries().max_attempts(10))
        .build()
        .unwrap();
    mock.push_faults(["hang"; 10]);
    let started = Instant::now();
    let error = client
        .create_oem_user(DEFAULT_ORG, NewOemUser::new(email()))
        .deadline(Duration::from_millis(300))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert!(error.message().contains("deadline of 300 ms"), "{error}");
    // Without the deadline this call would run 10 attempts of up to 5 s each.
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn no_retry_starts_whose_wait_would_pass_the_deadline() {
    let mock = mock().await;
    let client = client(&mock);
    mock.push_faults(["status=503,retry-after=5"]);
    let error = client
        .create_oem_user(DEFAULT_ORG, NewOemUser::new(email()))
        .deadline(Duration::from_secs(1))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ServerError);
    assert_eq!(error.attempts(), 1);
    assert!(error.message().contains("not retried"), "{error}");
}

#[tokio::test]
async fn an_injected_reqwest_client_keeps_the_configured_timeout() {
    let mock = mock().await;
    // The reqwest the facade re-exports: no reqwest dependency of the caller's own needed.
    let http = applivery::reqwest::Client::builder()
        .redirect(applivery::reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let client = Client::builder()
        .api_key(DEFAULT_API_KEY)
        .base_url(mock.base_url())
        .http_client(http)
        .timeout(Duration::from_millis(150))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    assert_eq!(client.timeout(), Duration::from_millis(150));
    mock.push_faults(["latency=1500"]);
    let error = client
        .create_oem_user(DEFAULT_ORG, NewOemUser::new(email()))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
}

#[tokio::test]
async fn an_organization_handle_validates_its_id_once_and_creates() {
    let mock = mock().await;
    let org = client(&mock).organization(DEFAULT_ORG).unwrap();
    assert_eq!(org.id(), DEFAULT_ORG);
    let created_email = email();
    let created = org
        .create_oem_user(NewOemUser::new(&created_email))
        .timeout(Duration::from_secs(1))
        .await
        .unwrap();
    assert_eq!(created.user.unwrap().email, Some(created_email));
    let invalid = Organization::new(client(&mock), "a/b").unwrap_err();
    assert_eq!(invalid.kind(), ErrorKind::InvalidInput);
    assert_eq!(invalid.field_errors()[0].field, "organizationId");
}

#[tokio::test]
async fn the_span_records_a_validated_organization_and_never_an_invalid_one() {
    let mock = mock().await;
    let client = client(&mock);
    let (trace, _guard) = TraceCapture::start();
    // 5,000 characters that break the documented pattern (`_`).
    let huge = "x_".repeat(2500);
    let error = client
        .create_oem_user(&huge, NewOemUser::new(email()))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    client
        .create_oem_user(DEFAULT_ORG, NewOemUser::new(email()))
        .await
        .unwrap();
    let text = trace.text();
    assert!(
        !text.contains(&"x_".repeat(33)),
        "the invalid id was logged: {} bytes",
        text.len()
    );
    assert!(text.contains("kind=\"invalid_input\""), "{text}");
    assert!(
        text.contains(&format!("organization=\"{DEFAULT_ORG}\"")),
        "{text}"
    );
}

#[tokio::test]
async fn a_dropped_call_records_its_cancellation() {
    let mock = mock().await;
    let client = client(&mock);
    let (trace, _guard) = TraceCapture::start();
    mock.push_faults(["hang"]);
    let call = client
        .create_oem_user(DEFAULT_ORG, NewOemUser::new(email()))
        .into_future();
    let dropped = tokio::time::timeout(Duration::from_millis(200), call).await;
    assert!(dropped.is_err(), "the call was still running");
    let text = trace.text();
    let close = text
        .lines()
        .find(|line| {
            line.contains("applivery.create_oem_user{")
                && !line.contains("applivery.attempt{")
                && line.contains("close")
        })
        .unwrap_or_else(|| panic!("no closed call span:\n{text}"));
    assert!(close.contains("kind=\"cancelled\""), "{close}");
    assert!(close.contains("attempts=1"), "{close}");
}

#[test]
fn getters_follow_one_convention() {
    let user = NewOemUser::new("ada@example.com")
        .first_name("Ada")
        .tag("t");
    assert_eq!(user.get_email(), "ada@example.com");
    assert_eq!(user.get_first_name(), Some("Ada"));
    assert_eq!(user.get_tags(), ["t"]);
    #[allow(deprecated)]
    let old = user.email();
    assert_eq!(old, "ada@example.com");
    let policy = RetryPolicy::default()
        .initial_backoff(Duration::from_millis(7))
        .max_backoff(Duration::from_millis(70));
    assert_eq!(policy.get_initial_backoff(), Duration::from_millis(7));
    assert_eq!(policy.get_max_backoff(), Duration::from_millis(70));
}

#[test]
fn is_retryable_is_false_for_501_and_true_for_the_retried_statuses() {
    for (status, retryable) in [
        (500, true),
        (501, false),
        (502, true),
        (503, true),
        (504, true),
        (505, false),
    ] {
        let error = applivery::sans_io::classify(status, None, b"").unwrap_err();
        assert_eq!(error.is_retryable(), retryable, "{status}");
    }
}
