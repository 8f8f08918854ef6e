//! The mock refuses exactly the emails the documented pattern and length refuse: the same
//! generated corpus as applivery-api's differential test, over HTTP, judged against
//! fancy-regex running the spec's own pattern.

mod common;
#[path = "../../applivery-api/tests/support/email_corpus.rs"]
mod email_corpus;

use applivery_mock::{DEFAULT_API_KEY, DEFAULT_ORG, MockConfig, MockServer};
use common::*;
use serde_json::json;

#[tokio::test]
async fn the_mock_judges_every_generated_email_as_the_documented_pattern_does() {
    let spec: serde_json::Value = serde_json::from_str(applivery_api::OPENAPI_SPEC).unwrap();
    let rule = &spec["components"]["schemas"]["NewOemUser"]["properties"]["email"];
    let regex = fancy_regex::Regex::new(rule["pattern"].as_str().unwrap()).unwrap();
    let max = rule["maxLength"].as_u64().unwrap() as usize;

    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    let client = http();
    let corpus = email_corpus::emails(5000);
    let mut disagreements = Vec::new();
    for batch in corpus.chunks(64) {
        let answers = batch.iter().map(|email| {
            let request = client
                .post(endpoint(&mock, DEFAULT_ORG))
                .bearer_auth(DEFAULT_API_KEY)
                .json(&json!({ "email": email }))
                .send();
            async move { request.await.unwrap().status().as_u16() }
        });
        let statuses = futures_join_all(answers).await;
        for (email, status) in batch.iter().zip(statuses) {
            let documented = regex.is_match(email).unwrap() && email.chars().count() <= max;
            // 200, or 403 for an email the corpus repeats (case-insensitively): accepted.
            let accepted = matches!(status, 200 | 403);
            assert!(matches!(status, 200 | 400 | 403), "{email:?}: {status}");
            if accepted != documented {
                disagreements.push(format!("{email:?}: mock {status}, pattern {documented}"));
            }
        }
    }
    assert!(disagreements.is_empty(), "{disagreements:#?}");
    assert!(corpus.len() >= 5000);
}

/// Awaits every future, concurrently, keeping their order (no `futures` dependency needed).
async fn futures_join_all<F: std::future::Future<Output = u16> + Send + 'static>(
    futures: impl Iterator<Item = F>,
) -> Vec<u16> {
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::with_capacity(handles.len());
    for handle in handles {
        out.push(handle.await.unwrap());
    }
    out
}
