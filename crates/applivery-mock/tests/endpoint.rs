//! The endpoint's behaviour over real HTTP, every answer checked against the spec's schemas.

mod common;

use applivery_api::types::{Collaborator, CreateOemUserResponse};
use applivery_mock::errors::ALREADY_REGISTERED;
use applivery_mock::{DEFAULT_API_KEY, DEFAULT_BLOCKED_ORG, DEFAULT_ORG, MockConfig, MockServer};
use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn post_raw(
    mock: &MockServer,
    org: &str,
    authorization: Option<&str>,
    body: &'static str,
) -> (StatusCode, Value) {
    let mut request = http().post(endpoint(mock, org)).body(body);
    if let Some(value) = authorization {
        request = request.header("authorization", value);
    }
    json_of(request.send().await.unwrap()).await
}

#[tokio::test]
async fn creates_a_complete_collaborator() {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    let body = json!({
        "email": "Ada@Example.com",
        "firstName": "Ada",
        "lastName": "Lovelace",
        "tags": ["beta", "eu"],
    });
    let response = create_in(&http(), &mock, DEFAULT_ORG, &body, None)
        .await
        .unwrap();
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "application/json"
    );
    let (status, body) = json_of(response).await;
    assert_eq!(status, StatusCode::OK);
    assert_matches_spec(status, &body);

    let created: CreateOemUserResponse = serde_json::from_value(body.clone()).unwrap();
    assert!(created.status);
    let collaborator = created.data.collaborator;
    assert_eq!(collaborator.id.len(), 24);
    assert!(collaborator.id.chars().all(|c| c.is_ascii_hexdigit()));
    let is_object_id = |id: &str| id.len() == 24 && id.chars().all(|c| c.is_ascii_hexdigit());
    assert!(is_object_id(&collaborator.organization), "{collaborator:?}");
    // Documented collaborator roles: owner, admin, editor, viewer, unassigned.
    assert_eq!(collaborator.role, "unassigned");
    assert_eq!(collaborator.tags, ["beta", "eu"]);
    let created_by = collaborator.created_by.as_deref().unwrap();
    assert!(is_object_id(created_by), "{created_by}");
    assert!(!created_by.contains(DEFAULT_API_KEY));
    for timestamp in [&collaborator.created_at, &collaborator.updated_at] {
        let timestamp = timestamp.as_deref().unwrap();
        // 2026-11-05T05:35:12.345Z
        assert_eq!(timestamp.len(), 24, "{timestamp}");
        assert!(
            timestamp.ends_with('Z') && timestamp.as_bytes()[10] == b'T',
            "{timestamp}"
        );
    }
    let user = collaborator.user.clone().unwrap();
    assert_eq!(user.email.as_deref(), Some("Ada@Example.com"));
    assert_eq!(user.first_name.as_deref(), Some("Ada"));
    assert_eq!(user.last_name.as_deref(), Some("Lovelace"));
    assert_eq!(user.role.as_deref(), Some("user"));
    assert_eq!(user.id.as_ref().map(String::len), Some(24));
    assert!(collaborator.extra.is_empty(), "{collaborator:?}");

    // The OEM secret is beside the collaborator, fresh, and what the mock stored.
    let secret = created.data.oem_secret.expect("data.oemSecret");
    assert!(secret.len() >= 32, "{secret}");
    assert_eq!(
        mock.oem_secret(DEFAULT_ORG, "ada@example.com"),
        Some(secret.clone())
    );
    assert_eq!(mock.users(), vec![collaborator]);
    // Neither users() nor Debug shows it.
    assert!(!format!("{:?} {mock:?}", mock.users()).contains(&secret));
    assert_eq!(mock.request_count(), 1);
}

#[tokio::test]
async fn ids_are_fresh() {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    let client = http();
    let (_, first) = create(&client, &mock, "one@example.com").await;
    let (_, second) = create(&client, &mock, "two@example.com").await;
    let id = |body: &Value| body["data"]["collaborator"]["id"].clone();
    assert_ne!(id(&first), id(&second));
}

#[tokio::test]
async fn missing_or_malformed_authorization_is_4002() {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    let body = r#"{"email":"a@example.com"}"#;
    for authorization in [
        None,
        Some(""),
        Some("Bearer"),
        Some("Bearer "),
        Some("Basic bW9jaw=="),
    ] {
        let answer = post_raw(&mock, DEFAULT_ORG, authorization, body).await;
        assert_error(&answer, 401, 4002, Some("No auth token"));
    }
    assert!(mock.users().is_empty());
}

#[tokio::test]
async fn an_unknown_key_is_4004() {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    let answer = post_raw(
        &mock,
        DEFAULT_ORG,
        Some("Bearer not-the-key"),
        r#"{"email":"a@example.com"}"#,
    )
    .await;
    assert_error(&answer, 401, 4004, Some("Invalid Token"));
    // The scheme is case-insensitive, the token is not.
    let answer = post_raw(
        &mock,
        DEFAULT_ORG,
        Some("bearer MOCK-API-KEY"),
        r#"{"email":"a@example.com"}"#,
    )
    .await;
    assert_error(&answer, 401, 4004, None);
    let answer = post_raw(
        &mock,
        DEFAULT_ORG,
        Some("bearer mock-api-key"),
        r#"{"email":"a@example.com"}"#,
    )
    .await;
    assert_eq!(answer.0, StatusCode::OK);
}

#[tokio::test]
async fn an_unknown_organization_is_3001() {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    let response = create_in(
        &http(),
        &mock,
        "no-such-org",
        &json!({"email": "a@example.com"}),
        None,
    )
    .await
    .unwrap();
    assert_error(
        &json_of(response).await,
        404,
        3001,
        Some("Entity not found"),
    );
}

#[tokio::test]
async fn a_blocked_organization_is_5187() {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    let response = create_in(
        &http(),
        &mock,
        DEFAULT_BLOCKED_ORG,
        &json!({"email": "a@example.com"}),
        None,
    )
    .await
    .unwrap();
    assert_error(
        &json_of(response).await,
        400,
        5187,
        Some("Feature block by platform configuration"),
    );
    assert!(mock.users().is_empty());
}

#[tokio::test]
async fn invalid_bodies_are_400_naming_the_field() {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    let key = format!("Bearer {DEFAULT_API_KEY}");
    let cases: [(&'static str, &str); 10] = [
        ("not json", "body is not valid JSON"),
        ("", "body is not valid JSON"),
        ("[]", "body must be a JSON object"),
        (r#"{"firstName":"A"}"#, "email is required"),
        (r#"{"email":"no-at-sign"}"#, "email must contain '@'"),
        (r#"{"email":"a@b.c"}"#, "email the domain must end in"),
        (
            r#"{"email":"josé@example.com"}"#,
            "email may only use letters A-Z",
        ),
        (r#"{"email":42}"#, "email must be a string"),
        (
            r#"{"email":"a@example.com","lastName":7}"#,
            "lastName must be a string",
        ),
        (
            r#"{"email":"a@example.com","tags":[1]}"#,
            "tags must be an array of strings",
        ),
    ];
    for (body, detail) in cases {
        let response = http()
            .post(endpoint(&mock, DEFAULT_ORG))
            .header("authorization", &key)
            .body(body)
            .send()
            .await
            .unwrap();
        let got = response.headers()["x-mock-detail"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(got.starts_with(detail), "{body}: {got}");
        let answer = json_of(response).await;
        assert_error(&answer, 400, 6001, Some("Database Validation Error"));
    }
    assert!(mock.users().is_empty());
}

#[tokio::test]
async fn accepts_what_the_spec_does_not_forbid() {
    let config = MockConfig {
        orgs: vec!["5F3A9C0E1B2C3D4E5F6A7B8C".into(), "a".repeat(1000)],
        ..MockConfig::default()
    };
    let mock = MockServer::start(config).await.unwrap();
    let key = format!("Bearer {DEFAULT_API_KEY}");
    let long_org = "a".repeat(1000);
    let tags = serde_json::to_string(&vec!["dup"; 60]).unwrap();
    let body: &'static str =
        format!(r#"{{"email":"o-@x-.io","firstName":" ","lastName":"","tags":{tags}}}"#).leak();
    for org in ["5F3A9C0E1B2C3D4E5F6A7B8C", long_org.as_str()] {
        let answer = post_raw(&mock, org, Some(&key), body).await;
        assert_eq!(answer.0, StatusCode::OK, "{org}: {}", answer.1);
    }
    let hex = &mock.users()[0];
    assert_eq!(hex.organization, "5f3a9c0e1b2c3d4e5f6a7b8c");
    assert_eq!(hex.tags.len(), 60);
}

#[tokio::test]
async fn organization_ids_breaking_the_pattern_are_400() {
    let config = MockConfig {
        orgs: vec!["ab".into(), "a_b".into()],
        ..MockConfig::default()
    };
    let mock = MockServer::start(config).await.unwrap();
    let key = format!("Bearer {DEFAULT_API_KEY}");
    for org in ["ab", "a_b"] {
        let answer = post_raw(&mock, org, Some(&key), r#"{"email":"a@example.com"}"#).await;
        assert_error(&answer, 400, 6001, Some("Database Validation Error"));
    }
    assert!(mock.users().is_empty());
}

#[tokio::test]
async fn a_registered_email_is_4009_case_insensitively_per_organization() {
    let config = MockConfig {
        orgs: vec!["org-a".into(), "org-b".into()],
        ..MockConfig::default()
    };
    let mock = MockServer::start(config).await.unwrap();
    let client = http();
    let post = |org: &'static str, email: &'static str| {
        let client = client.clone();
        let mock = &mock;
        async move {
            let response = create_in(&client, mock, org, &json!({ "email": email }), None)
                .await
                .unwrap();
            json_of(response).await
        }
    };
    assert_eq!(post("org-a", "Grace@Example.com").await.0, StatusCode::OK);
    let again = post("org-a", "grace@example.COM").await;
    assert_error(
        &again,
        403,
        ALREADY_REGISTERED.0,
        Some(ALREADY_REGISTERED.1),
    );
    // Another organization is another namespace.
    assert_eq!(post("org-b", "grace@example.com").await.0, StatusCode::OK);
    assert_eq!(mock.users().len(), 2);
}

#[tokio::test]
async fn configured_keys_and_orgs_replace_the_defaults() {
    let config = MockConfig {
        api_keys: vec!["k1".into(), "k2".into()],
        orgs: vec!["acme".into()],
        blocked_orgs: vec![],
        ..MockConfig::default()
    };
    let mock = MockServer::start(config).await.unwrap();
    let body = r#"{"email":"a@example.com"}"#;
    assert_eq!(
        post_raw(&mock, "acme", Some("Bearer k2"), body).await.0,
        StatusCode::OK
    );
    assert_error(
        &post_raw(&mock, "acme", Some("Bearer mock-api-key"), body).await,
        401,
        4004,
        None,
    );
    assert_error(
        &post_raw(&mock, DEFAULT_ORG, Some("Bearer k1"), body).await,
        404,
        3001,
        None,
    );
    assert_error(
        &post_raw(&mock, DEFAULT_BLOCKED_ORG, Some("Bearer k1"), body).await,
        404,
        3001,
        None,
    );
}

#[tokio::test]
async fn other_routes_and_methods_answer_in_the_envelope() {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    let client = http();
    let response = client
        .get(format!("{}/v1/nothing", mock.base_url()))
        .send()
        .await
        .unwrap();
    assert_error(&json_of(response).await, 404, 3001, None);
    let response = client
        .get(endpoint(&mock, DEFAULT_ORG))
        .send()
        .await
        .unwrap();
    // RFC 9110: a 405 lists the methods the resource takes.
    assert_eq!(response.headers()["allow"], "POST");
    let (status, body) = json_of(response).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_matches_spec(status, &body);
}

#[tokio::test]
async fn mock_routes_list_and_reset_users() {
    let config = MockConfig {
        orgs: vec!["org-a".into(), "org-b".into()],
        ..MockConfig::default()
    };
    let mock = MockServer::start(config).await.unwrap();
    let client = http();
    for (org, email) in [
        ("org-a", "1@example.com"),
        ("org-b", "2@example.com"),
        ("org-a", "3@example.com"),
    ] {
        let response = create_in(&client, &mock, org, &json!({ "email": email }), None)
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
    let list = |query: &'static str| {
        let client = client.clone();
        let url = format!("{}/__mock/users{query}", mock.base_url());
        async move {
            let (status, body) = mock_json_of(client.get(url).send().await.unwrap()).await;
            assert_eq!(status, StatusCode::OK);
            let collaborator = validator("Collaborator");
            for item in body.as_array().unwrap() {
                assert!(collaborator.is_valid(item), "{item}");
            }
            serde_json::from_value::<Vec<Collaborator>>(body).unwrap()
        }
    };
    let all = list("").await;
    let emails: Vec<_> = all
        .iter()
        .map(|c| c.user.clone().unwrap().email.unwrap())
        .collect();
    assert_eq!(emails, ["1@example.com", "2@example.com", "3@example.com"]);
    assert_eq!(all, mock.users());
    assert_eq!(list("?organization=org-a").await.len(), 2);
    assert_eq!(list("?organization=org-b").await.len(), 1);
    assert_eq!(
        mock.request_count(),
        3,
        "/__mock/* requests are not counted"
    );

    let (status, body) = mock_json_of(
        client
            .post(format!("{}/__mock/reset", mock.base_url()))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((status, body), (StatusCode::OK, json!({ "status": true })));
    assert!(list("").await.is_empty());
    assert_eq!(mock.request_count(), 0);
    // After a reset the same email can be created again.
    assert_eq!(
        create_in(
            &client,
            &mock,
            "org-a",
            &json!({"email": "1@example.com"}),
            None
        )
        .await
        .unwrap()
        .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn reset_from_the_library_and_health() {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    let client = http();
    assert_eq!(
        create(&client, &mock, "a@example.com").await.0,
        StatusCode::OK
    );
    mock.push_faults(["status=500"]);
    mock.reset();
    assert!(mock.users().is_empty());
    assert_eq!(mock.request_count(), 0);
    // The queued fault is gone and the email is free again.
    assert_eq!(
        create(&client, &mock, "a@example.com").await.0,
        StatusCode::OK
    );
    let (status, body) = mock_json_of(
        client
            .get(format!("{}/__mock/health", mock.base_url()))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((status, body), (StatusCode::OK, json!({ "status": true })));
}

#[tokio::test]
async fn shutdown_releases_the_port() {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    let addr = mock.addr();
    assert_eq!(mock.base_url(), format!("http://{addr}"));
    mock.shutdown().await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

#[test]
fn the_schema_check_can_fail() {
    // Guards the guard: a collaborator without `id` must be refused by the spec's schema.
    let mut body = json!({"status": true, "data": {"collaborator": {
        "id": "x", "organization": "o", "role": "user", "tags": [], "detected": {},
        "createdBy": null, "updatedAt": "t", "createdAt": "t"
    }}});
    assert!(validator("CreateOemUserResponse").is_valid(&body));
    body["data"]["collaborator"]
        .as_object_mut()
        .unwrap()
        .remove("id");
    assert!(!validator("CreateOemUserResponse").is_valid(&body));
    assert!(!validator("ErrorResponse").is_valid(&json!({"status": "no"})));
}

#[tokio::test]
async fn a_body_over_1_mib_is_413_in_the_envelope() {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    let huge = format!(
        r#"{{"email":"a@example.com","firstName":"{}"}}"#,
        "x".repeat(1024 * 1024)
    );
    let response = http()
        .post(endpoint(&mock, DEFAULT_ORG))
        .bearer_auth(DEFAULT_API_KEY)
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_error(&json_of(response).await, 413, 6001, None);
    assert!(mock.users().is_empty());
}

#[tokio::test]
async fn oem_secrets_count_refreshes_per_user() {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    let client = http();
    let (_, ada) = create(&client, &mock, "ada@example.com").await;
    create(&client, &mock, "bob@example.com").await;
    let refresh = |id: &str| {
        client
            .put(format!(
                "{}/v1/organizations/{DEFAULT_ORG}/oem/users/{id}/secret",
                mock.base_url()
            ))
            .bearer_auth(DEFAULT_API_KEY)
            .send()
    };
    let ada_id = ada["data"]["collaborator"]["id"].as_str().unwrap();
    for _ in 0..2 {
        assert_eq!(refresh(ada_id).await.unwrap().status(), StatusCode::OK);
    }
    // An unknown user changes no count.
    let unknown = refresh("aaaaaaaaaaaaaaaaaaaaaaaa").await.unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let (status, secrets) = mock_json_of(
        client
            .get(format!("{}/__mock/oem-secrets", mock.base_url()))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let counts: Vec<(&str, u64)> = secrets
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["email"].as_str().unwrap(),
                s["refreshCount"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(counts, [("ada@example.com", 2), ("bob@example.com", 0)]);
    mock.reset();
    create(&client, &mock, "ada@example.com").await;
    assert_eq!(
        mock_json_of(
            client
                .get(format!("{}/__mock/oem-secrets", mock.base_url()))
                .send()
                .await
                .unwrap()
        )
        .await
        .1[0]["refreshCount"],
        0
    );
}
