//! Every injected fault ends in a typed error or a successful retry, never a panic, and never
//! in two users for one email.

mod common;

use std::time::Duration;

use applivery::{ErrorKind, NewOemUser, RetryPolicy};
use common::*;

const SHAPES: &[&str] = &[
    "status=400",
    "status=401",
    "status=403",
    "status=404",
    "status=409",
    "status=429,retry-after=0",
    "status=500",
    "status=501",
    "status=502",
    "status=503,retry-after=0",
    "status=504",
    "html",
    "malformed-json",
    "truncated-json",
    "oversized",
    "oversized-chunked",
    "drop",
    "hang",
    "latency=50",
];

/// Kinds a fault may legitimately end in; `Config` and `InvalidInput` would be bugs here.
fn is_transport_or_api_kind(kind: ErrorKind) -> bool {
    !matches!(kind, ErrorKind::Config | ErrorKind::InvalidInput)
}

#[tokio::test]
async fn every_fault_gives_a_typed_error_or_a_successful_retry() {
    let mock = mock().await;
    let retrying = builder(&mock)
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let single = builder(&mock)
        .timeout(Duration::from_secs(20))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let impatient = builder(&mock)
        .timeout(Duration::from_millis(250))
        .build()
        .unwrap();
    for shape in SHAPES {
        for after_create in [false, true] {
            for (policy, client) in [("default", &retrying), ("none", &single)] {
                let client = if shape.starts_with("hang") {
                    &impatient
                } else {
                    client
                };
                let spec = if after_create {
                    format!("{shape},after-create")
                } else {
                    shape.to_string()
                };
                let context = format!("{spec} with retry policy {policy}");
                mock.push_faults([spec.as_str()]);
                let email = email();
                let result = client
                    .create_oem_user(DEFAULT_ORG, NewOemUser::new(&email))
                    .await;
                // Drain whatever the call did not consume (e.g. nothing was sent for it).
                mock.reset();
                match result {
                    Ok(created) => {
                        let user = created.user.expect("a user");
                        assert_eq!(user.email.as_deref(), Some(email.as_str()), "{context}");
                    }
                    Err(error) => {
                        assert!(
                            is_transport_or_api_kind(error.kind()),
                            "{context}: {error:?}"
                        );
                        assert!(error.attempts() >= 1, "{context}");
                        // Display and Debug render without panicking.
                        let _ = format!("{error} {error:?}");
                    }
                }
            }
        }
    }
}

#[tokio::test]
async fn faults_before_creation_are_recovered_by_retries() {
    let mock = mock().await;
    let client = builder(&mock)
        .timeout(Duration::from_millis(1500))
        .build()
        .unwrap();
    for spec in [
        "status=429,retry-after=0",
        "status=500",
        "status=502",
        "status=503,retry-after=0",
        "status=504",
        "html",
        // Not `truncated-json`: like a real server's, the mock's truncated 200 comes after the
        // user was created (the retry then gets 4009: already registered after retry).
        "drop",
    ] {
        mock.push_faults([spec]);
        let email = email();
        client
            .create_oem_user(DEFAULT_ORG, NewOemUser::new(&email))
            .await
            .unwrap_or_else(|e| panic!("{spec}: {e:?}"));
        assert_eq!(users_with_email(&mock, &email), 1, "{spec}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_under_periodic_faults_stay_typed_and_unique() {
    let mock = MockServer::start(MockConfig {
        periodic_faults: vec![
            (3, "status=503,retry-after=0".into()),
            (5, "status=500,after-create".into()),
            (7, "drop".into()),
            (11, "truncated-json,after-create".into()),
        ],
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let client = builder(&mock)
        .retry_policy(
            RetryPolicy::default()
                .initial_backoff(Duration::from_millis(1))
                .max_attempts(5),
        )
        .build()
        .unwrap();
    let emails: Vec<String> = (0..60).map(|_| email()).collect();
    let tasks: Vec<_> = emails
        .iter()
        .cloned()
        .map(|email| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .create_oem_user(DEFAULT_ORG, NewOemUser::new(email))
                    .await
            })
        })
        .collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.expect("no panic in a call"));
    }
    for (email, outcome) in emails.iter().zip(&outcomes) {
        match outcome {
            Ok(_) => assert_eq!(users_with_email(&mock, email), 1, "{email}"),
            Err(error) => {
                assert!(is_transport_or_api_kind(error.kind()), "{error:?}");
                if error.kind() == ErrorKind::AlreadyRegisteredAfterRetry {
                    assert_eq!(users_with_email(&mock, email), 1, "{email}");
                }
            }
        }
        assert!(users_with_email(&mock, email) <= 1, "{email}");
    }
}
