//! Browser pages on another localhost origin can call the mock, preflight included.

mod common;

use applivery_mock::{DEFAULT_ORG, MockConfig, MockServer};
use common::*;
use reqwest::StatusCode;
use serde_json::json;

const ORIGIN: &str = "http://localhost:5173";

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .unwrap_or_else(|| panic!("missing {name}"))
        .to_str()
        .unwrap()
        .to_ascii_lowercase()
}

#[tokio::test]
async fn preflight_allows_the_headers_the_sdk_sends() {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    let response = http()
        .request(reqwest::Method::OPTIONS, endpoint(&mock, DEFAULT_ORG))
        .header("origin", ORIGIN)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization,content-type,x-mock-fault",
        )
        .header("access-control-request-private-network", "true")
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    assert_eq!(header(&response, "access-control-allow-origin"), "*");
    assert!(header(&response, "access-control-allow-methods").contains("post"));
    let allowed = header(&response, "access-control-allow-headers");
    for name in ["authorization", "content-type", "x-mock-fault"] {
        assert!(allowed.contains(name), "{name} not in {allowed}");
    }
    assert_eq!(
        header(&response, "access-control-allow-private-network"),
        "true"
    );
    assert_eq!(mock.request_count(), 0, "a preflight is not an API request");
}

#[tokio::test]
async fn responses_are_readable_cross_origin_including_retry_after() {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    let client = http();
    let send = |fault: Option<&'static str>, key: &'static str| {
        let mut request = client
            .post(endpoint(&mock, DEFAULT_ORG))
            .header("origin", ORIGIN)
            .bearer_auth(key)
            .json(&json!({"email": "a@example.com"}));
        if let Some(fault) = fault {
            request = request.header("x-mock-fault", fault);
        }
        request.send()
    };
    for (response, status) in [
        (send(None, "mock-api-key").await.unwrap(), StatusCode::OK),
        (send(None, "wrong").await.unwrap(), StatusCode::UNAUTHORIZED),
        (
            send(Some("status=429"), "mock-api-key").await.unwrap(),
            StatusCode::TOO_MANY_REQUESTS,
        ),
    ] {
        assert_eq!(response.status(), status);
        assert_eq!(header(&response, "access-control-allow-origin"), "*");
        assert!(header(&response, "access-control-expose-headers").contains("retry-after"));
        assert_eq!(json_of(response).await.0, status);
    }
    let users = client
        .get(format!("{}/__mock/users", mock.base_url()))
        .header("origin", ORIGIN)
        .send()
        .await
        .unwrap();
    assert_eq!(header(&users, "access-control-allow-origin"), "*");
}
