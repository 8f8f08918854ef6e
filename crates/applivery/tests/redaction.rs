//! With a distinctive key, nothing the crate prints, logs or serializes contains it, and no
//! `oemSecret` shows either.

mod common;

use std::time::Duration;

use applivery::{Client, NewOemUser, RetryPolicy};
use common::*;

const KEY: &str = "sk-REDACTION-CANARY-6f1e0c2b9a";
const WRONG_KEY: &str = "sk-WRONG-CANARY-93ad71";

fn renderings<T: std::fmt::Debug>(value: &T) -> Vec<String> {
    vec![format!("{value:?}"), format!("{value:#?}")]
}

fn error_renderings(error: &applivery::Error) -> Vec<String> {
    let mut out = renderings(error);
    out.push(error.to_string());
    out.push(error.message().to_owned());
    out.push(serde_json::to_string(error).unwrap());
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        out.push(format!("{cause} {cause:?}"));
        source = cause.source();
    }
    out
}

#[tokio::test]
async fn the_key_and_oem_secrets_appear_nowhere() {
    let mock = MockServer::start(MockConfig {
        api_keys: vec![KEY.into()],
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let (trace, _guard) = TraceCapture::start();

    let builder = Client::builder()
        .api_key(KEY)
        .base_url(mock.base_url())
        .retry_policy(fast_retries())
        .timeout(Duration::from_millis(300));
    let client = builder.clone().build().unwrap();
    let single = builder
        .clone()
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let mut shown = renderings(&builder);
    shown.extend(renderings(&client));
    shown.extend(renderings(client.retry_policy()));

    // A success: the collaborator carries an oemSecret.
    let created = client
        .create_oem_user(DEFAULT_ORG, NewOemUser::new(email()).first_name("Ada"))
        .await
        .unwrap();
    let oem_secret = created
        .oem_secret
        .clone()
        .expect("the mock sends an oemSecret");
    shown.extend(renderings(&created));
    shown.push(serde_json::to_string(&created).unwrap());
    shown.push(format!("{oem_secret} {oem_secret:?}"));

    // Failures of every sort, with retries (so the retry events are traced too).
    let mut errors = Vec::new();
    for spec in [
        "status=500,after-create",
        "status=429,retry-after=0",
        "status=401,code=4002",
        "html",
        "malformed-json",
        "truncated-json",
        "drop",
        "hang",
        "oversized",
    ] {
        // Once with retries (traced), once without (always an error).
        for client in [&client, &single] {
            mock.push_faults([spec]);
            if let Err(e) = client
                .create_oem_user(DEFAULT_ORG, NewOemUser::new(email()))
                .await
            {
                errors.push(e);
            }
            mock.reset();
        }
    }
    let dup = email();
    client
        .create_oem_user(DEFAULT_ORG, NewOemUser::new(&dup))
        .await
        .unwrap();
    errors.push(
        client
            .create_oem_user(DEFAULT_ORG, NewOemUser::new(&dup))
            .await
            .unwrap_err(),
    );
    errors.push(
        client
            .create_oem_user("a/b", NewOemUser::new("bad"))
            .await
            .unwrap_err(),
    );
    errors.push(
        client
            .create_oem_user("nope", NewOemUser::new(email()))
            .await
            .unwrap_err(),
    );

    // A wrong key, and a refused connection, with RetryPolicy::none().
    let wrong = Client::builder()
        .api_key(WRONG_KEY)
        .base_url(mock.base_url())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    shown.extend(renderings(&wrong));
    errors.push(
        wrong
            .create_oem_user(DEFAULT_ORG, NewOemUser::new(email()))
            .await
            .unwrap_err(),
    );
    let refused = Client::builder()
        .api_key(KEY)
        .base_url(refused_base_url())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    errors.push(
        refused
            .create_oem_user(DEFAULT_ORG, NewOemUser::new(email()))
            .await
            .unwrap_err(),
    );

    // Config errors built from a key with a forbidden character.
    errors.push(
        Client::builder()
            .api_key(format!("{KEY}\n"))
            .build()
            .unwrap_err(),
    );

    assert!(errors.len() >= 18, "{errors:?}");
    for error in &errors {
        shown.extend(error_renderings(error));
    }
    let trace = trace.text();
    assert!(
        trace.contains("applivery.create_oem_user"),
        "spans were captured: {trace}"
    );
    assert!(trace.contains("retrying"), "retries were captured");
    shown.push(trace);

    for text in &shown {
        for secret in [KEY, WRONG_KEY, oem_secret.expose()] {
            assert!(!text.contains(secret), "a secret leaked into: {text}");
        }
    }
}
