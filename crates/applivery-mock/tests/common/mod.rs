//! Helpers shared by the mock's tests: a plain reqwest client (not the SDK) and the spec's schemas.

#![allow(dead_code)] // each test file uses a different subset

use std::sync::LazyLock;

use applivery_mock::{DEFAULT_API_KEY, DEFAULT_ORG, MockServer};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A plain HTTP client; the pool is per test so tests do not share connections.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder().build().unwrap()
}

pub fn endpoint(mock: &MockServer, org: &str) -> String {
    format!("{}/v1/organizations/{org}/oem/users", mock.base_url())
}

/// POSTs `body` to the endpoint of `org` with the default key and an optional fault header.
pub async fn create_in(
    client: &reqwest::Client,
    mock: &MockServer,
    org: &str,
    body: &Value,
    fault: Option<&str>,
) -> reqwest::Result<reqwest::Response> {
    let mut request = client
        .post(endpoint(mock, org))
        .bearer_auth(DEFAULT_API_KEY)
        .json(body);
    if let Some(fault) = fault {
        request = request.header("x-mock-fault", fault);
    }
    request.send().await
}

/// Creates `email` in the default organization and returns status and JSON body.
pub async fn create(
    client: &reqwest::Client,
    mock: &MockServer,
    email: &str,
) -> (StatusCode, Value) {
    let response = create_in(client, mock, DEFAULT_ORG, &json!({ "email": email }), None)
        .await
        .unwrap();
    json_of(response).await
}

/// Status and JSON body of an API response, checked against the spec's schema for its status;
/// panics when the body is not JSON or does not match.
pub async fn json_of(response: reqwest::Response) -> (StatusCode, Value) {
    let (status, body) = mock_json_of(response).await;
    assert_matches_spec(status, &body);
    (status, body)
}

/// Status and JSON body of a `/__mock/*` response (not part of the spec).
pub async fn mock_json_of(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let text = response.text().await.unwrap();
    let body = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("status {status}: body is not JSON ({e}): {text}"));
    (status, body)
}

/// The spec as a JSON Schema 2020-12 document: OpenAPI's `nullable: true` becomes a type union;
/// `$ref`s to `#/components/schemas/X` resolve because the components keep their place.
static SPEC_AS_SCHEMA: LazyLock<Value> = LazyLock::new(|| {
    let mut spec: Value = serde_json::from_str(applivery_api::OPENAPI_SPEC).unwrap();
    nullable_to_type_union(&mut spec["components"]["schemas"]);
    spec
});

fn nullable_to_type_union(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.remove("nullable") == Some(Value::Bool(true))
                && let Some(Value::String(ty)) = map.get("type").cloned()
            {
                map.insert("type".into(), json!([ty, "null"]));
            }
            map.values_mut().for_each(nullable_to_type_union);
        }
        Value::Array(items) => items.iter_mut().for_each(nullable_to_type_union),
        _ => {}
    }
}

/// The component schema `#/components/schemas/{name}` as a validator.
pub fn validator(name: &str) -> jsonschema::Validator {
    let spec = &*SPEC_AS_SCHEMA;
    assert!(
        spec["components"]["schemas"].get(name).is_some(),
        "no schema {name} in the spec"
    );
    let schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": format!("#/components/schemas/{name}"),
        "components": spec["components"],
    });
    jsonschema::validator_for(&schema).unwrap()
}

/// The schema the spec documents for `status` (`ErrorResponse` for undocumented error statuses,
/// since every error of the API uses that envelope).
pub fn schema_name_for(status: StatusCode) -> String {
    let spec = &*SPEC_AS_SCHEMA;
    let responses =
        &spec["paths"]["/v1/organizations/{organizationId}/oem/users"]["post"]["responses"];
    let reference = responses.get(status.as_str()).map(|r| {
        r["content"]["application/json"]["schema"]["$ref"]
            .as_str()
            .unwrap()
            .to_string()
    });
    match reference {
        Some(reference) => reference.rsplit('/').next().unwrap().to_string(),
        None => {
            assert!(!status.is_success(), "undocumented success status {status}");
            "ErrorResponse".to_string()
        }
    }
}

/// Fails unless `body` matches the spec's schema for `status`.
pub fn assert_matches_spec(status: StatusCode, body: &Value) {
    let name = schema_name_for(status);
    let errors: Vec<String> = validator(&name)
        .iter_errors(body)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{status} body does not match {name}: {errors:?}\n{body}"
    );
}

/// Checks the error envelope's status, code and (when given) message, against the spec too.
pub fn assert_error(
    (status, body): &(StatusCode, Value),
    expected_status: u16,
    expected_code: i64,
    message: Option<&str>,
) {
    assert_eq!(status.as_u16(), expected_status, "{body}");
    assert_matches_spec(*status, body);
    assert_eq!(body["status"], json!(false), "{body}");
    assert_eq!(body["error"]["code"], json!(expected_code), "{body}");
    if let Some(message) = message {
        assert_eq!(body["error"]["message"], json!(message), "{body}");
    }
}
