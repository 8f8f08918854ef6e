//! Parallel creates of one email: exactly one wins, every other one is 4009.

mod common;

use std::sync::Arc;

use applivery_mock::{DEFAULT_ORG, MockConfig, MockServer};
use common::*;
use reqwest::StatusCode;
use serde_json::json;
use tokio::sync::Barrier;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_parallel_creates_of_one_email_give_one_200() {
    const PARALLEL: usize = 200;
    let mock = Arc::new(MockServer::start(MockConfig::default()).await.unwrap());
    let client = http();
    let barrier = Arc::new(Barrier::new(PARALLEL));
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..PARALLEL {
        let (mock, client, barrier) = (mock.clone(), client.clone(), barrier.clone());
        tasks.spawn(async move {
            // Case variants of one address: uniqueness is case-insensitive.
            let email = if i % 2 == 0 {
                "Same@Example.com"
            } else {
                "same@example.COM"
            };
            barrier.wait().await;
            let response = create_in(
                &client,
                &mock,
                DEFAULT_ORG,
                &json!({ "email": email }),
                None,
            )
            .await
            .unwrap();
            json_of(response).await
        });
    }
    let mut ok = 0;
    let mut already_registered = 0;
    while let Some(answer) = tasks.join_next().await {
        let (status, body) = answer.unwrap();
        assert_matches_spec(status, &body);
        match (status, body["error"]["code"].as_i64()) {
            (StatusCode::OK, _) => ok += 1,
            (StatusCode::FORBIDDEN, Some(4009)) => already_registered += 1,
            other => panic!("unexpected answer {other:?}: {body}"),
        }
    }
    assert_eq!((ok, already_registered), (1, PARALLEL - 1));
    assert_eq!(mock.users().len(), 1);
    assert_eq!(mock.request_count(), PARALLEL as u64);
}
