//! Every documented outcome of the endpoint, over real HTTP against the mock, maps to its kind.

mod common;

use std::time::Duration;

use applivery::{Client, ErrorKind, NewOemUser, RetryClass, RetryPolicy};
use common::*;

#[tokio::test]
async fn creates_a_user_and_returns_the_collaborator() {
    let mock = mock().await;
    let email = email();
    let user = NewOemUser::new(&email)
        .first_name("Ada")
        .last_name("Lovelace")
        .tags(["beta", "eu"]);
    let created = client(&mock)
        .create_oem_user(DEFAULT_ORG, user)
        .await
        .expect("created");

    assert_eq!(created.tags, ["beta", "eu"]);
    assert_eq!(created.role, "unassigned");
    let wire_user = created.user.as_ref().expect("user");
    assert_eq!(wire_user.email.as_deref(), Some(email.as_str()));
    assert_eq!(wire_user.first_name.as_deref(), Some("Ada"));
    assert_eq!(wire_user.last_name.as_deref(), Some("Lovelace"));
    // The OEM secret reaches the caller, from `data.oemSecret`, equal to what the mock stored.
    let secret = created
        .oem_secret
        .as_ref()
        .expect("the mock sends data.oemSecret");
    assert_eq!(
        mock.oem_secret(DEFAULT_ORG, &email).as_deref(),
        Some(secret.expose())
    );
    assert!(!created.extra.contains_key("oemSecret"));
    let shown = format!("{created:?} {}", serde_json::to_string(&created).unwrap());
    assert!(!shown.contains(secret.expose()), "{shown}");

    let stored = mock.users();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].id, created.id);
    assert_eq!(mock.request_count(), 1);
}

#[tokio::test]
async fn a_second_registration_is_already_registered_and_not_retried() {
    let mock = mock().await;
    let client = client(&mock);
    let email = email();
    client
        .create_oem_user(DEFAULT_ORG, NewOemUser::new(&email))
        .await
        .expect("first");
    let error = client
        .create_oem_user(DEFAULT_ORG, NewOemUser::new(email.to_uppercase()))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::AlreadyRegistered);
    assert_eq!((error.status(), error.code()), (Some(403), Some(4009)));
    assert!(!error.is_retryable());
    assert_eq!(error.attempts(), 1);
    assert_eq!(mock.request_count(), 2);
}

#[tokio::test]
async fn unknown_organization_is_not_found() {
    let mock = mock().await;
    let error = client(&mock)
        .create_oem_user("no-such-org", NewOemUser::new(email()))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NotFound);
    assert_eq!((error.status(), error.code()), (Some(404), Some(3001)));
}

#[tokio::test]
async fn blocked_organization_is_feature_blocked() {
    let mock = mock().await;
    let error = client(&mock)
        .create_oem_user(DEFAULT_BLOCKED_ORG, NewOemUser::new(email()))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::FeatureBlocked);
    assert_eq!((error.status(), error.code()), (Some(400), Some(5187)));
}

#[tokio::test]
async fn unknown_key_is_unauthorized_4004() {
    let mock = mock().await;
    let client = builder(&mock).api_key("not-the-key").build().unwrap();
    let error = client
        .create_oem_user(DEFAULT_ORG, NewOemUser::new(email()))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Unauthorized);
    assert_eq!((error.status(), error.code()), (Some(401), Some(4004)));
    assert_eq!(mock.request_count(), 1, "401 is final");
}

/// Outcomes the client cannot provoke by itself, injected as faults, with retries off.
#[tokio::test]
async fn injected_answers_map_to_their_kinds() {
    let mock = mock().await;
    // Generous: the mock builds its 8 MiB `oversized` body first (slow in debug builds).
    let client = builder(&mock)
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let impatient = builder(&mock)
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    struct Case {
        fault: &'static str,
        kind: ErrorKind,
        status: Option<u16>,
        code: Option<i64>,
        class: RetryClass,
    }
    let case = |fault, kind, status, code, class| Case {
        fault,
        kind,
        status,
        code,
        class,
    };
    use ErrorKind::*;
    use RetryClass::*;
    let cases = [
        case(
            "status=401,code=4002",
            Unauthorized,
            Some(401),
            Some(4002),
            Never,
        ),
        case("status=422,code=9999", Api, Some(422), Some(9999), Never),
        case("status=429", RateLimited, Some(429), Some(429), Safe),
        case("status=503", ServerError, Some(503), Some(503), Safe),
        case("status=500", ServerError, Some(500), Some(500), Ambiguous),
        case("status=502", ServerError, Some(502), Some(502), Ambiguous),
        case("status=504", ServerError, Some(504), Some(504), Ambiguous),
        case("html", ServerError, Some(502), None, Ambiguous),
        case("malformed-json", InvalidResponse, Some(200), None, Never),
        case("oversized", InvalidResponse, Some(200), None, Never),
        case("oversized-chunked", InvalidResponse, Some(200), None, Never),
        case("truncated-json", Network, Some(200), None, Ambiguous),
        case("drop", Network, None, None, Ambiguous),
        case("hang", Timeout, None, None, Ambiguous),
    ];
    // A garbled 200 comes, as from a real server, after the user was created.
    let garbled_successes = cases.iter().filter(|c| c.status == Some(200)).count();
    for case in cases {
        mock.push_faults([case.fault]);
        let client = if case.fault == "hang" {
            &impatient
        } else {
            &client
        };
        let error = client
            .create_oem_user(DEFAULT_ORG, NewOemUser::new(email()))
            .await
            .expect_err(case.fault);
        let context = format!("{}: {error:?}", case.fault);
        assert_eq!(error.kind(), case.kind, "{context}");
        assert_eq!(error.status(), case.status, "{context}");
        assert_eq!(error.code(), case.code, "{context}");
        assert_eq!(error.retry_class(), case.class, "{context}");
        assert_eq!(error.attempts(), 1, "{context}");
    }
    assert_eq!(
        mock.users().len(),
        garbled_successes,
        "only the garbled 200s come after a create"
    );
}

#[tokio::test]
async fn rate_limits_carry_retry_after() {
    let mock = mock().await;
    let client = builder(&mock)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    mock.push_faults(["status=429,retry-after=7"]);
    let error = client
        .create_oem_user(DEFAULT_ORG, NewOemUser::new(email()))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::RateLimited);
    assert_eq!(error.retry_after(), Some(Duration::from_secs(7)));
    assert!(error.is_retryable());
}

#[tokio::test]
async fn undecodable_answers_describe_a_2xx_body_and_quote_others() {
    let mock = mock().await;
    let client = builder(&mock)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    mock.push_faults(["malformed-json"]);
    let error = client
        .create_oem_user(DEFAULT_ORG, NewOemUser::new(email()))
        .await
        .unwrap_err();
    // A 2xx body may hold an OEM secret: its shape is said, no part of it is kept.
    assert_eq!(error.status(), Some(200), "{error}");
    assert_eq!(error.body_snippet(), None, "{error:?}");
    assert!(error.message().contains("not JSON"), "{error}");

    mock.push_faults(["html"]);
    let error = client
        .create_oem_user(DEFAULT_ORG, NewOemUser::new(email()))
        .await
        .unwrap_err();
    assert!(
        error.message().contains('<'),
        "HTML shows in the message: {error}"
    );
}

#[tokio::test]
async fn a_refused_connection_is_a_safe_network_error() {
    let client = Client::builder()
        .api_key(DEFAULT_API_KEY)
        .base_url(refused_base_url())
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let error = client
        .create_oem_user(DEFAULT_ORG, NewOemUser::new(email()))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Network);
    assert_eq!(error.retry_class(), RetryClass::Safe);
    assert!(!error.is_ambiguous());
    assert_eq!(
        error.attempts(),
        3,
        "connect errors are retried up to max_attempts"
    );
}

#[tokio::test]
async fn a_caller_supplied_http_client_still_sends_the_key() {
    let mock = mock().await;
    let client = builder(&mock)
        .http_client(reqwest::Client::new())
        .build()
        .unwrap();
    client
        .create_oem_user(DEFAULT_ORG, NewOemUser::new(email()))
        .await
        .expect("created through the supplied client");
    assert_eq!(mock.users().len(), 1);
}
