//! Fault injection over real HTTP: header, queue, periodic, server-wide latency and rate limit.
//! No upper time bounds are asserted (shared 2-core machine); delays are checked from below only.

mod common;

use std::time::{Duration, Instant};

use applivery_api::types::CreateOemUserResponse;
use applivery_mock::{DEFAULT_ORG, MockConfig, MockServer};
use common::*;
use reqwest::StatusCode;
use serde_json::json;

async fn start() -> MockServer {
    MockServer::start(MockConfig::default()).await.unwrap()
}

async fn faulty(mock: &MockServer, email: &str, fault: &str) -> reqwest::Result<reqwest::Response> {
    create_in(
        &http(),
        mock,
        DEFAULT_ORG,
        &json!({ "email": email }),
        Some(fault),
    )
    .await
}

fn retry_after(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string())
}

#[tokio::test]
async fn status_faults_answer_the_error_envelope() {
    let mock = start().await;
    for (code, expected_retry_after) in
        [(429, Some("1")), (500, None), (502, None), (503, Some("1"))]
    {
        let response = faulty(&mock, "a@example.com", &format!("status={code}"))
            .await
            .unwrap();
        assert_eq!(
            retry_after(&response).as_deref(),
            expected_retry_after,
            "{code}"
        );
        assert_error(&json_of(response).await, code, i64::from(code), None);
    }
    assert!(
        mock.users().is_empty(),
        "a fault without after-create creates nothing"
    );
    assert_eq!(mock.request_count(), 4);
}

#[tokio::test]
async fn retry_after_and_code_can_be_chosen() {
    let mock = start().await;
    let response = faulty(&mock, "a@example.com", "status=429,retry-after=7,code=1234")
        .await
        .unwrap();
    assert_eq!(retry_after(&response).as_deref(), Some("7"));
    assert_error(&json_of(response).await, 429, 1234, None);
}

#[tokio::test]
async fn html_is_a_502_error_page() {
    let mock = start().await;
    let response = faulty(&mock, "a@example.com", "html").await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let text = response.text().await.unwrap();
    assert!(
        text.contains("<html>") && text.contains("502 Bad Gateway"),
        "{text}"
    );
}

#[tokio::test]
async fn malformed_json_is_a_200_that_does_not_parse() {
    let mock = start().await;
    let response = faulty(&mock, "a@example.com", "malformed-json")
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json");
    let text = response.text().await.unwrap();
    assert!(
        serde_json::from_str::<serde_json::Value>(&text).is_err(),
        "{text}"
    );
    // As from a real server: the 200 comes after the work, so the user exists.
    assert_eq!(mock.users().len(), 1);
    // With a status it is an error page instead, before anything is created.
    let response = faulty(&mock, "b@example.com", "malformed-json,status=500")
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(mock.users().len(), 1);
}

#[tokio::test]
async fn faults_for_one_email_reach_only_its_requests() {
    let mock = start().await;
    mock.fault_for_email("Target@Example.com", ["status=503", "status=500"]);
    // Other requests, concurrent ones included, never take those faults.
    let url = endpoint(&mock, DEFAULT_ORG);
    let others: Vec<_> = (0..8)
        .map(|i| {
            let request = http()
                .post(&url)
                .bearer_auth(applivery_mock::DEFAULT_API_KEY)
                .json(&json!({ "email": format!("other{i}@example.com") }));
            tokio::spawn(async move { request.send().await.unwrap().status() })
        })
        .collect();
    for other in others {
        assert_eq!(other.await.unwrap(), StatusCode::OK);
    }
    let status = |email: &'static str| {
        let mock = &mock;
        async move { faulty(mock, email, "").await.unwrap().status() }
    };
    assert_eq!(
        status("target@example.com").await,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(
        status("TARGET@example.com").await,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(status("target@example.com").await, StatusCode::OK);
    // reset forgets them too.
    mock.fault_for_email("later@example.com", ["status=503"]);
    mock.reset();
    assert_eq!(status("later@example.com").await, StatusCode::OK);
}

#[tokio::test]
async fn truncated_json_stops_mid_body() {
    let mock = start().await;
    let response = faulty(&mock, "a@example.com", "truncated-json")
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.content_length().unwrap() > 0);
    let error = response
        .bytes()
        .await
        .expect_err("the body must be cut short");
    assert!(error.is_body() || error.is_decode(), "{error:?}");
}

#[tokio::test]
async fn oversized_announces_8_mib() {
    let mock = start().await;
    let response = faulty(&mock, "a@example.com", "oversized").await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let length = response.content_length().unwrap();
    assert!(length >= 8 * 1024 * 1024, "{length}");
    // It is a well-formed body: only its size is the fault.
    let body = response.bytes().await.unwrap();
    assert_eq!(body.len() as u64, length);
    serde_json::from_slice::<CreateOemUserResponse>(&body).unwrap();
}

#[tokio::test]
async fn oversized_chunked_announces_nothing() {
    let mock = start().await;
    let response = faulty(&mock, "a@example.com", "oversized-chunked")
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.content_length(), None);
    assert_eq!(response.headers()["transfer-encoding"], "chunked");
    let body = response.bytes().await.unwrap();
    assert!(body.len() >= 8 * 1024 * 1024, "{}", body.len());
    serde_json::from_slice::<CreateOemUserResponse>(&body).unwrap();
}

#[tokio::test]
async fn drop_closes_without_a_response() {
    let mock = start().await;
    let error = faulty(&mock, "a@example.com", "drop")
        .await
        .expect_err("no response expected");
    assert!(!error.is_timeout() && error.status().is_none(), "{error:?}");
    assert!(mock.users().is_empty());
    // The server itself is fine.
    assert_eq!(
        create(&http(), &mock, "a@example.com").await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn hang_never_answers() {
    let mock = start().await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let error = create_in(
        &client,
        &mock,
        DEFAULT_ORG,
        &json!({"email": "a@example.com"}),
        Some("hang"),
    )
    .await
    .expect_err("no answer expected");
    assert!(error.is_timeout(), "{error:?}");
    assert!(mock.users().is_empty());
    // Shutdown ends the hanging connection too.
    mock.shutdown().await;
}

#[tokio::test]
async fn latency_delays_the_answer() {
    let mock = start().await;
    let started = Instant::now();
    let response = faulty(&mock, "a@example.com", "latency=150").await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(150));
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn after_create_is_an_ambiguous_failure() {
    let mock = start().await;
    let response = faulty(&mock, "a@example.com", "status=503,after-create")
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        mock.users().len(),
        1,
        "the user was created although the client saw 503"
    );
    // A retry then meets the user it created.
    assert_error(
        &create(&http(), &mock, "a@example.com").await,
        403,
        4009,
        None,
    );

    assert!(
        faulty(&mock, "b@example.com", "drop,after-create")
            .await
            .is_err()
    );
    assert_eq!(mock.users().len(), 2);
}

#[tokio::test]
async fn hang_after_create_times_out_with_the_user_created() {
    let mock = start().await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let result = create_in(
        &client,
        &mock,
        DEFAULT_ORG,
        &json!({"email": "a@example.com"}),
        Some("hang,after-create"),
    )
    .await;
    assert!(result.unwrap_err().is_timeout());
    assert_eq!(mock.users().len(), 1);
}

#[tokio::test]
async fn queued_faults_are_consumed_in_order() {
    let mock = start().await;
    let client = http();
    mock.push_faults(["status=500", "status=502"]);
    assert_eq!(
        create(&client, &mock, "1@example.com").await.0,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(
        create(&client, &mock, "2@example.com").await.0,
        StatusCode::BAD_GATEWAY
    );
    assert_eq!(
        create(&client, &mock, "3@example.com").await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn faults_can_be_queued_over_http() {
    let mock = start().await;
    let client = http();
    let url = format!("{}/__mock/faults", mock.base_url());
    let answer = mock_json_of(
        client
            .post(&url)
            .json(&json!(["status=503", "malformed-json"]))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        answer,
        (StatusCode::OK, json!({"status": true, "queued": 2}))
    );
    assert_error(
        &create(&client, &mock, "1@example.com").await,
        503,
        503,
        None,
    );
    let response = faulty(&mock, "2@example.com", "").await.unwrap();
    assert!(serde_json::from_str::<serde_json::Value>(&response.text().await.unwrap()).is_err());

    // For one email: other requests pass.
    let answer = mock_json_of(
        client
            .post(format!("{url}?email=Only%40example.com"))
            .json(&json!(["status=502"]))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(answer.0, StatusCode::OK);
    assert_eq!(
        create(&client, &mock, "4@example.com").await.0,
        StatusCode::OK
    );
    assert_error(
        &create(&client, &mock, "only@example.com").await,
        502,
        502,
        None,
    );

    // All or nothing: one bad spec queues none.
    let answer = mock_json_of(
        client
            .post(&url)
            .json(&json!(["status=500", "explode"]))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_error(&answer, 400, 6001, None);
    assert!(
        answer.1["error"]["message"]
            .as_str()
            .unwrap()
            .contains("explode")
    );
    assert_eq!(
        create(&client, &mock, "3@example.com").await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_header_wins_over_the_queue_which_is_still_consumed() {
    let mock = start().await;
    mock.push_faults(["status=500"]);
    let response = faulty(&mock, "1@example.com", "status=502").await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(
        create(&http(), &mock, "2@example.com").await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_invalid_fault_header_is_400() {
    let mock = start().await;
    let answer = json_of(faulty(&mock, "a@example.com", "status=200").await.unwrap()).await;
    assert_error(&answer, 400, 6001, None);
    assert!(
        answer.1["error"]["message"]
            .as_str()
            .unwrap()
            .contains("x-mock-fault")
    );
    assert!(mock.users().is_empty());
}

#[tokio::test]
async fn periodic_faults_hit_every_nth_request() {
    let config = MockConfig {
        periodic_faults: vec![(3, "status=503".into())],
        ..MockConfig::default()
    };
    let mock = MockServer::start(config).await.unwrap();
    let client = http();
    let mut statuses = Vec::new();
    for i in 0..6 {
        statuses.push(
            create(&client, &mock, &format!("{i}@example.com"))
                .await
                .0
                .as_u16(),
        );
    }
    assert_eq!(statuses, [200, 200, 503, 200, 200, 503]);
}

#[tokio::test]
async fn invalid_configurations_are_refused_at_start() {
    for config in [
        MockConfig {
            periodic_faults: vec![(0, "drop".into())],
            ..MockConfig::default()
        },
        MockConfig {
            periodic_faults: vec![(2, "explode".into())],
            ..MockConfig::default()
        },
        MockConfig {
            rate_limit: Some(0),
            ..MockConfig::default()
        },
    ] {
        let error = MockServer::start(config).await.unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
    }
}

#[test]
#[should_panic(expected = "invalid fault spec `explode`")]
fn pushing_an_invalid_fault_panics() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mock = runtime.block_on(start());
    mock.push_faults(["explode"]);
}

#[tokio::test]
async fn server_wide_latency_delays_every_request() {
    let config = MockConfig {
        latency: Some(Duration::from_millis(100)),
        ..MockConfig::default()
    };
    let mock = MockServer::start(config).await.unwrap();
    let started = Instant::now();
    assert_eq!(
        create(&http(), &mock, "a@example.com").await.0,
        StatusCode::OK
    );
    assert!(started.elapsed() >= Duration::from_millis(100));
}

#[tokio::test]
async fn the_rate_limit_answers_429_with_retry_after() {
    let config = MockConfig {
        rate_limit: Some(1),
        ..MockConfig::default()
    };
    let mock = MockServer::start(config).await.unwrap();
    let client = http();
    // 20 quick requests cannot all fall into different one-second windows.
    let mut created = 0;
    let mut limited = 0;
    for i in 0..20 {
        let response = create_in(
            &client,
            &mock,
            DEFAULT_ORG,
            &json!({"email": format!("{i}@example.com")}),
            None,
        )
        .await
        .unwrap();
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            assert_eq!(retry_after(&response).as_deref(), Some("1"));
            assert_error(&json_of(response).await, 429, 429, None);
            limited += 1;
        } else {
            assert_eq!(json_of(response).await.0, StatusCode::OK, "request {i}");
            created += 1;
        }
    }
    assert!(limited > 0);
    assert_eq!(mock.users().len(), created);
}
