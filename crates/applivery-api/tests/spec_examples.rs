//! The checked-in spec and the generated wire types agree, and decoding is tolerant.

use applivery_api::types::{CreateOemUserResponse, ErrorResponse, NewOemUser};
use openapiv3::{OpenAPI, ReferenceOr};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

const OPERATION_PATH: &str = "/v1/organizations/{organizationId}/oem/users";

fn spec() -> OpenAPI {
    serde_json::from_str(applivery_api::OPENAPI_SPEC).expect("the spec parses as OpenAPI 3.0")
}

fn operation(spec: &OpenAPI) -> &openapiv3::Operation {
    let ReferenceOr::Item(item) = &spec.paths.paths[OPERATION_PATH] else {
        panic!("path item is inline");
    };
    item.post.as_ref().expect("POST is documented")
}

/// Decodes `example` as `T`, re-encodes it and checks nothing was lost or invented.
fn round_trip<T: DeserializeOwned + Serialize>(example: &Value) -> T {
    let decoded: T = serde_json::from_value(example.clone())
        .unwrap_or_else(|e| panic!("example does not decode: {e}\n{example:#}"));
    assert_eq!(&serde_json::to_value(&decoded).unwrap(), example);
    decoded
}

/// Every documented example of the response to `status`.
fn response_examples(spec: &OpenAPI, status: u16) -> Vec<Value> {
    let responses = &operation(spec).responses.responses;
    let ReferenceOr::Item(response) = &responses[&openapiv3::StatusCode::Code(status)] else {
        panic!("{status} response is inline");
    };
    let examples: Vec<Value> = response.content["application/json"]
        .examples
        .values()
        .map(|example| match example {
            ReferenceOr::Item(example) => example.value.clone().expect("an example value"),
            ReferenceOr::Reference { .. } => panic!("{status} example is a $ref"),
        })
        .collect();
    assert!(!examples.is_empty(), "{status} has examples");
    examples
}

#[test]
fn spec_describes_the_endpoint() {
    let spec = spec();
    assert!(spec.openapi.starts_with("3.0."));
    assert_eq!(spec.servers[0].url, "https://api.applivery.io");
    let op = operation(&spec);
    assert_eq!(op.operation_id.as_deref(), Some("createOemUser"));
    let statuses: Vec<String> = op
        .responses
        .responses
        .keys()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(statuses, ["200", "400", "401", "403", "404"]);
    let schemes = &spec.components.as_ref().unwrap().security_schemes;
    let ReferenceOr::Item(openapiv3::SecurityScheme::HTTP { scheme, .. }) = &schemes["bearerAuth"]
    else {
        panic!("bearerAuth is an inline HTTP scheme");
    };
    assert_eq!(scheme, "bearer");
}

#[test]
fn every_schema_property_is_described() {
    let spec: Value = serde_json::from_str(applivery_api::OPENAPI_SPEC).unwrap();
    for (name, schema) in spec["components"]["schemas"].as_object().unwrap() {
        assert!(
            schema["description"].is_string(),
            "{name} has no description"
        );
        for (field, property) in schema["properties"].as_object().unwrap() {
            let described = property["description"].is_string() || property["$ref"].is_string();
            assert!(described, "{name}.{field} has no description");
        }
    }
}

#[test]
fn request_example_round_trips() {
    let spec = spec();
    let ReferenceOr::Item(body) = operation(&spec).request_body.as_ref().unwrap() else {
        panic!("request body is inline");
    };
    let example = body.content["application/json"].example.as_ref().unwrap();
    assert!(body.content["application/json"].examples.is_empty());
    let user: NewOemUser = round_trip(example);
    assert_eq!(user.email, "user@example.com");
}

#[test]
fn success_example_round_trips() {
    let [example] = &response_examples(&spec(), 200)[..] else {
        panic!("one success example");
    };
    let response: CreateOemUserResponse = round_trip(example);
    assert!(response.status);
    assert_eq!(response.data.oem_secret.as_deref(), Some("string"));
    let collaborator = response.data.collaborator;
    assert_eq!(collaborator.role, "owner");
    assert_eq!(collaborator.user.unwrap().sso_user, Some(json!(true)));
}

#[test]
fn each_documented_error_example_round_trips() {
    let spec = spec();
    let documented = [
        (400, vec![5187, 6001]),
        (401, vec![4002, 4004]),
        (403, vec![4009]),
        (404, vec![3001]),
    ];
    for (status, codes) in documented {
        let found: Vec<i64> = response_examples(&spec, status)
            .iter()
            .map(|example| {
                let error: ErrorResponse = round_trip(example);
                assert_eq!(error.status, Some(false));
                error.error.unwrap().code.unwrap()
            })
            .collect();
        assert_eq!(found, codes, "{status}");
    }
}

#[test]
fn success_from_a_newer_server_still_decodes() {
    let body = json!({
        "status": true,
        "extra": "top-level field added later",
        "data": {
            "collaborator": {
                "id": "c1",
                "organization": "org1",
                "role": "role-invented-next-year",
                "tags": [],
                "detected": {"os": "ios", "nested": {"deep": [1, 2]}},
                "createdBy": null,
                "updatedAt": "2026-11-26T05:00:00.000Z",
                "createdAt": "2026-11-26T05:00:00.000Z",
                "oemSecret": "not in the spec",
                "user": {"email": "a@example.com", "role": "superuser-2", "picture": null, "newField": 1}
            },
            "alsoNew": {}
        }
    });
    let response: CreateOemUserResponse = serde_json::from_value(body).unwrap();
    let collaborator = response.data.collaborator;
    assert_eq!(collaborator.role, "role-invented-next-year");
    assert_eq!(collaborator.created_by, None);
    assert_eq!(collaborator.extra["oemSecret"], "not in the spec");
    let user = collaborator.user.unwrap();
    assert_eq!(user.role.as_deref(), Some("superuser-2"));
    assert_eq!(
        (user.first_name, user.picture, user.sso_user),
        (None, None, None)
    );
}

#[test]
fn missing_timestamps_and_any_sso_user_decode() {
    for sso_user in [
        json!(true),
        json!("yes"),
        json!(1),
        json!({"provider": "x"}),
        json!([]),
    ] {
        let body = json!({"status": true, "data": {"collaborator": {
            "id": "c1", "organization": "o", "role": "viewer", "tags": [], "detected": {},
            "user": {"ssoUser": sso_user.clone()}
        }}});
        let response: CreateOemUserResponse = serde_json::from_value(body).unwrap();
        let collaborator = response.data.collaborator;
        assert_eq!(
            (collaborator.created_at, collaborator.created_by),
            (None, None)
        );
        assert_eq!(collaborator.updated_at, None);
        assert_eq!(collaborator.user.unwrap().sso_user, Some(sso_user));
    }
}

#[test]
fn every_assumption_is_marked() {
    // Where the spec goes beyond Applivery's pages it says so with `x-assumption`.
    let spec: Value = serde_json::from_str(applivery_api::OPENAPI_SPEC).unwrap();
    let operation = &spec["paths"][OPERATION_PATH]["post"];
    assert!(
        operation["x-assumption"]
            .as_str()
            .unwrap()
            .contains("Rate limits")
    );
    assert!(operation["responses"]["400"]["x-assumption"].is_string());
    assert!(operation["responses"]["403"]["x-assumption"].is_string());
    let email = &spec["components"]["schemas"]["NewOemUser"]["properties"]["email"];
    assert!(
        email["x-assumption"]
            .as_str()
            .unwrap()
            .contains("Uniqueness")
    );
}

#[test]
fn success_without_optional_user_decodes() {
    let body = json!({"status": true, "data": {"collaborator": {
        "id": "c1", "organization": "o", "role": "viewer", "tags": ["a"], "detected": {},
        "createdBy": "u", "updatedAt": "t", "createdAt": "t"
    }}});
    let response: CreateOemUserResponse = serde_json::from_value(body).unwrap();
    assert_eq!(response.data.collaborator.user, None);
}

#[test]
fn partial_error_envelopes_decode() {
    for body in [
        json!({}),
        json!({"status": false}),
        json!({"error": {"message": "x"}}),
        json!({"error": {"code": 1, "extra": true}}),
    ] {
        serde_json::from_value::<ErrorResponse>(body.clone())
            .unwrap_or_else(|e| panic!("{body} does not decode: {e}"));
    }
}
