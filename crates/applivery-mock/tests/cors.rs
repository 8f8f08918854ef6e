//! Browser pages on a loopback origin (or one named with `--allow-origin`) can call the mock,
//! preflight included; any other origin gets no CORS headers and a 403, and a request naming a
//! host that is not loopback (DNS rebinding) gets a 421.

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

fn preflight(mock: &MockServer, origin: &str) -> reqwest::RequestBuilder {
    http()
        .request(reqwest::Method::OPTIONS, endpoint(mock, DEFAULT_ORG))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization,content-type,x-mock-fault",
        )
        .header("access-control-request-private-network", "true")
}

#[tokio::test]
async fn preflight_allows_the_headers_the_sdk_sends() {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    let response = preflight(&mock, ORIGIN).send().await.unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    assert_eq!(header(&response, "access-control-allow-origin"), ORIGIN);
    assert!(header(&response, "vary").contains("origin"));
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
        assert_eq!(header(&response, "access-control-allow-origin"), ORIGIN);
        assert!(header(&response, "access-control-expose-headers").contains("retry-after"));
        assert_eq!(json_of(response).await.0, status);
    }
    let users = client
        .get(format!("{}/__mock/users", mock.base_url()))
        .header("origin", ORIGIN)
        .send()
        .await
        .unwrap();
    assert_eq!(header(&users, "access-control-allow-origin"), ORIGIN);
}

#[tokio::test]
async fn every_loopback_origin_is_allowed_and_only_those() {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    for origin in [
        "http://localhost",
        "https://localhost:8443",
        "http://127.0.0.1:4011",
        "http://127.1.2.3",
        "http://[::1]:3000",
        "HTTP://LOCALHOST:5173",
    ] {
        let response = preflight(&mock, origin).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NO_CONTENT, "{origin}");
        assert_eq!(
            header(&response, "access-control-allow-origin"),
            origin.to_ascii_lowercase()
        );
    }
    for origin in [
        "https://evil.example",
        "http://localhost.evil.example",
        "http://127.0.0.1.nip.io:4010",
        "http://evil.localhost",
        "http://[::2]",
        "http://10.0.0.1:4010",
        "null",
        "file://",
        "http://localhost:5173/path",
        "*",
    ] {
        let response = preflight(&mock, origin).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{origin}");
        for name in [
            "access-control-allow-origin",
            "access-control-allow-private-network",
            "access-control-allow-headers",
        ] {
            assert!(
                response.headers().get(name).is_none(),
                "{origin} got {name}"
            );
        }
    }
}

/// A page on any web site the developer visits must not read the OEM secrets, reset the mock or
/// queue faults: with its `Origin`, every request is refused before it is served.
#[tokio::test]
async fn a_foreign_origin_can_neither_read_nor_change_the_mock() {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    let client = http();
    let (status, _) = create(&client, &mock, "kept@example.com").await;
    assert_eq!(status, StatusCode::OK);
    let evil = "https://evil.example";
    let secrets = client
        .get(format!("{}/__mock/oem-secrets", mock.base_url()))
        .header("origin", evil)
        .send()
        .await
        .unwrap();
    assert_eq!(secrets.status(), StatusCode::FORBIDDEN);
    assert!(
        secrets
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    let body = secrets.text().await.unwrap();
    assert!(!body.contains("kept@example.com"), "{body}");
    // In the error envelope, so that an SDK pointed at the mock reports an answer.
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["error"]["code"], 403, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("--allow-origin")
    );
    // A "simple" request needs no preflight: the browser sends it, the mock must not act on it.
    let reset = client
        .post(format!("{}/__mock/reset", mock.base_url()))
        .header("origin", evil)
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), StatusCode::FORBIDDEN);
    assert_eq!(mock.users().len(), 1, "the reset was not done");
    let created = client
        .post(endpoint(&mock, DEFAULT_ORG))
        .header("origin", evil)
        .header("content-type", "text/plain")
        .bearer_auth("mock-api-key")
        .body(r#"{"email":"evil@example.com"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::FORBIDDEN);
    assert_eq!(mock.users().len(), 1);
    // Without an Origin (curl, a test, Node's fetch) nothing changes.
    let plain = client
        .get(format!("{}/__mock/oem-secrets", mock.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), StatusCode::OK);
    assert!(plain.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn origins_named_in_the_config_are_allowed() {
    let config = MockConfig::default()
        .allow_origin("https://admin.example.com/")
        .allow_origin("null");
    let mock = MockServer::start(config).await.unwrap();
    for (origin, answer) in [
        ("https://admin.example.com", "https://admin.example.com"),
        ("null", "null"),
    ] {
        let response = preflight(&mock, origin).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NO_CONTENT, "{origin}");
        assert_eq!(header(&response, "access-control-allow-origin"), answer);
        assert_eq!(
            header(&response, "access-control-allow-private-network"),
            "true"
        );
    }
    let other = preflight(&mock, "https://other.example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_invalid_allowed_origin_fails_the_start() {
    for origin in [
        "admin.example.com",
        "https://a.example/path",
        "ftp://a.example",
        "*",
    ] {
        let error = MockServer::start(MockConfig::default().allow_origin(origin))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput, "{origin}");
        assert!(error.to_string().contains(origin), "{error}");
    }
}

/// DNS rebinding: a page on `evil.example` whose name later resolves to 127.0.0.1 is same-origin
/// with itself, so CORS does not apply; the `Host` it sends still names `evil.example`.
#[tokio::test]
async fn a_request_for_a_foreign_host_is_refused() {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    let port = mock.addr().port();
    let get = |host: String| {
        http()
            .get(format!("{}/__mock/oem-secrets", mock.base_url()))
            .header("host", host)
            .send()
    };
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_string(),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        format!("10.0.0.1:{port}"),
    ] {
        let response = get(host.clone()).await.unwrap();
        assert_eq!(response.status(), StatusCode::MISDIRECTED_REQUEST, "{host}");
        assert!(response.text().await.unwrap().contains("--allow-host"));
    }
    for host in [
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
        format!("127.0.0.1:{port}"),
        format!("127.0.0.2:{port}"),
        format!("[::1]:{port}"),
        "localhost".to_string(),
    ] {
        let response = get(host.clone()).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{host}");
    }
    let named = MockServer::start(MockConfig::default().allow_host("mock.test"))
        .await
        .unwrap();
    let response = http()
        .get(format!("{}/__mock/users", named.base_url()))
        .header("host", format!("mock.test:{}", named.addr().port()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}
