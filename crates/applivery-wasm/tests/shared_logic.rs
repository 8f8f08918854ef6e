//! The facade's logic as compiled into the package, run by `wasm-bindgen-test` under Node and in
//! headless Chromium (`cargo xtask test` runs both; see xtask/src/wasm_tests.rs).
//!
//! The package's behaviour over HTTP is covered by web/test/*.test.mjs against applivery-mock;
//! these tests check that the shared Rust code behaves the same once compiled to wasm32.
#![cfg(target_arch = "wasm32")]

use applivery::{ErrorKind, NewOemUser, RetryPolicy, RetryState, Step};
use applivery_wasm::Client;
use js_sys::{JSON, Object, Reflect};
use std::time::Duration;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

fn options(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (name, value) in pairs {
        Reflect::set(&object, &JsValue::from_str(name), value).unwrap();
    }
    object.into()
}

/// The `{ error }` a call resolves to when it fails.
async fn failure(promise: js_sys::Promise) -> JsValue {
    let outcome = JsFuture::from(promise)
        .await
        .expect("only an abort rejects");
    let error = field(&outcome, "error");
    assert!(error.is_object(), "expected {{ error }}");
    error
}

fn field(object: &JsValue, name: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(name)).unwrap()
}

#[wasm_bindgen_test]
fn validation_reports_every_field_in_the_facade_order() {
    let user = NewOemUser::new("not-an-email").first_name(" ").tag("");
    let error = applivery::validate_request("a/b", &user).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    let fields: Vec<_> = error.field_errors().iter().map(|e| e.field).collect();
    assert_eq!(fields, ["organizationId", "email", "firstName", "tags"]);
    assert!(applivery::validate_request("demo-org", &NewOemUser::new("josé@bücher.de")).is_ok());
}

#[wasm_bindgen_test]
fn classification_decodes_the_wire_format() {
    let body = br#"{"status":true,"data":{"collaborator":{"id":"c1","organization":"o",
        "role":"owner","tags":["t"],"detected":{"os":"ios"},"createdBy":null,
        "createdAt":"2026-01-01T00:00:00Z","updatedAt":null,"oemSecret":"s3cr3t","newField":1,
        "user":{"email":"a@example.com","ssoUser":null}}}}"#;
    let collaborator = applivery::classify(200, None, body).unwrap();
    assert_eq!(collaborator.id, "c1");
    assert_eq!(collaborator.oem_secret.as_ref().unwrap().expose(), "s3cr3t");
    let json = serde_json::to_string(&collaborator).unwrap();
    assert!(!json.contains("s3cr3t"), "{json}");

    for (status, code, kind) in [
        (400, 5187, ErrorKind::FeatureBlocked),
        (401, 4002, ErrorKind::Unauthorized),
        (401, 4004, ErrorKind::Unauthorized),
        (403, 4009, ErrorKind::AlreadyRegistered),
        (404, 3001, ErrorKind::NotFound),
        (400, 1234, ErrorKind::Api),
    ] {
        let body = format!(r#"{{"status":false,"error":{{"code":{code},"message":"m"}}}}"#);
        let error = applivery::classify(status, None, body.as_bytes()).unwrap_err();
        assert_eq!((error.kind(), error.code()), (kind, Some(code)));
    }
    let limited = applivery::classify(429, Some("3"), b"").unwrap_err();
    assert_eq!(limited.kind(), ErrorKind::RateLimited);
    assert_eq!(limited.retry_after(), Some(Duration::from_secs(3)));
    let garbled = applivery::classify(200, None, b"{not json").unwrap_err();
    assert_eq!(garbled.kind(), ErrorKind::InvalidResponse);
}

#[wasm_bindgen_test]
fn retry_decisions_use_the_clock_free_policy() {
    let mut state = RetryState::new(RetryPolicy::default());
    state.begin_attempt();
    let step = state.after_attempt::<()>(
        Err(applivery::Error::timeout("t")),
        Duration::ZERO,
        js_sys::Math::random,
    );
    assert!(matches!(step, Step::Retry { .. }));
    state.begin_attempt();
    let duplicate = applivery::classify(403, None, br#"{"error":{"code":4009}}"#);
    let Step::Done(Err(error)) = state.after_attempt(duplicate, Duration::ZERO, || 0.5) else {
        panic!("expected the end of the call");
    };
    assert_eq!(error.kind(), ErrorKind::AlreadyRegisteredAfterRetry);
}

#[wasm_bindgen_test]
fn options_are_checked_with_the_facade_base_url_rule() {
    let key = ("apiKey", JsValue::from_str("k"));
    for base_url in [
        "https://api.applivery.io",
        "http://127.0.0.1:4010/",
        "http://[::1]:1",
    ] {
        let url = ("baseUrl", JsValue::from_str(base_url));
        assert!(
            Client::new(options(&[key.clone(), url])).is_ok(),
            "{base_url}"
        );
    }
    for base_url in [
        "http://example.com",
        "ftp://localhost",
        "https://u:p@x.io",
        "nope",
    ] {
        let url = ("baseUrl", JsValue::from_str(base_url));
        let error = Client::new(options(&[key.clone(), url])).err().unwrap();
        assert_eq!(field(&error, "kind"), "config", "{base_url}");
    }
    let error = Client::new(options(&[])).err().unwrap();
    assert_eq!(field(&error, "kind"), "config");
}

#[wasm_bindgen_test]
async fn invalid_input_rejects_before_any_request() {
    // Port 9 (discard) on loopback: were anything sent, the error would be `network`.
    let client = Client::new(options(&[
        ("apiKey", JsValue::from_str("k")),
        ("baseUrl", JsValue::from_str("http://127.0.0.1:9")),
    ]))
    .unwrap();
    let user = options(&[
        ("email", JsValue::from_str("bad")),
        ("tags", JsValue::from(3)),
    ]);
    let promise = client.create_oem_user("demo-org".into(), user, JsValue::UNDEFINED);
    let error = failure(promise).await;
    assert_eq!(field(&error, "kind"), "invalid_input");
    assert_eq!(field(&error, "attempts"), 0);
    let fields = JSON::stringify(&field(&error, "fieldErrors")).unwrap();
    assert_eq!(
        String::from(fields),
        r#"[{"field":"email","message":"must contain exactly one '@'"},{"field":"tags","message":"must be an array of strings"}]"#
    );
}

#[wasm_bindgen_test]
async fn an_unreachable_server_is_a_network_error() {
    let client = Client::new(options(&[
        ("apiKey", JsValue::from_str("k")),
        ("baseUrl", JsValue::from_str("http://127.0.0.1:9")),
        ("maxRetries", JsValue::from(0)),
    ]))
    .unwrap();
    let user = options(&[("email", JsValue::from_str("a@example.com"))]);
    let promise = client.create_oem_user("demo-org".into(), user, JsValue::UNDEFINED);
    let error = failure(promise).await;
    assert_eq!(field(&error, "kind"), "network");
    assert_eq!(field(&error, "attempts"), 1);
}
