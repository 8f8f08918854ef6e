//! Every operation of the spec in one shape: the per-call options over the whole generated table,
//! the operations added through it (groups, apps), and a stream that owns what it needs.

mod common;

use std::time::Duration;

use applivery::{ErrorKind, NewOemUser, RetryPolicy};
use applivery_api::operation::Operation;
use applivery_api::operations::OPERATIONS;
use applivery_api::request::Value;
use common::*;
use futures_core::Stream;

/// Arguments that pass the spec's rules for `operation`: the mock's organization first, a
/// 24-hex id for any other path parameter; a body for an operation that takes one.
fn call(client: &applivery::Client, operation: &'static Operation) -> applivery::RawCall {
    let args = operation
        .path_params
        .iter()
        .map(|param| match param.wire {
            "organizationId" => DEFAULT_ORG.to_owned(),
            _ => "5f3a9c0e1b2c3d4e5f6a7b8c".to_owned(),
        })
        .collect();
    let call = client.raw_call(operation, args, Vec::new());
    match operation.body {
        Some(_) => call.body(format!(r#"{{"email":"{}"}}"#, email()).into_bytes()),
        None => call,
    }
}

#[tokio::test]
async fn per_call_options_hold_for_every_operation_of_the_table() {
    let mock = mock().await;
    let client = builder(&mock)
        .timeout(Duration::from_secs(5))
        .retry_policy(fast_retries().max_attempts(10))
        .build()
        .unwrap();
    for operation in OPERATIONS {
        let id = operation.id;
        // A per-call timeout.
        mock.push_faults(["latency=400"]);
        let error = call(&client, operation)
            .timeout(Duration::from_millis(100))
            .retry_policy(RetryPolicy::none())
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Timeout, "{id}: {error}");
        // A deadline over the whole call.
        mock.push_faults(["hang"; 10]);
        let error = call(&client, operation)
            .deadline(Duration::from_millis(200))
            .await
            .unwrap_err();
        assert!(
            error.message().contains("deadline of 200 ms"),
            "{id}: {error}"
        );
        mock.reset();
        // A per-call retry policy.
        mock.push_faults(["status=503", "status=503"]);
        let error = call(&client, operation)
            .retry_policy(RetryPolicy::none())
            .await
            .unwrap_err();
        assert_eq!(
            (error.kind(), error.attempts()),
            (ErrorKind::ServerError, 1),
            "{id}"
        );
        // The client's policy retries past the 503 left in the queue.
        let answered = call(&client, operation).await;
        assert!(
            answered.is_ok() || operation.id == "refreshOemUserSecret",
            "{id}: {answered:?}"
        );
        mock.reset();
    }
}

#[tokio::test]
async fn an_idempotent_operation_is_retried_even_when_ambiguous_failures_are_not() {
    let mock = mock().await;
    let client = builder(&mock)
        .retry_policy(fast_retries().retry_ambiguous(false))
        .build()
        .unwrap();
    // A 500 may have done the work: a create is not repeated, a list is.
    mock.push_faults(["status=500"]);
    let page = client.list_collaborators(DEFAULT_ORG).await.unwrap();
    assert!(page.items.is_empty());
    mock.push_faults(["status=500"]);
    let error = client
        .create_oem_user(DEFAULT_ORG, NewOemUser::new(email()))
        .await
        .unwrap_err();
    assert_eq!(
        (error.kind(), error.attempts()),
        (ErrorKind::ServerError, 1)
    );
}

#[tokio::test]
async fn groups_are_the_tags_in_use_each_once() {
    let mock = mock().await;
    let org = client(&mock).organization(DEFAULT_ORG).unwrap();
    for tags in [vec!["beta", "emea"], vec!["emea"], vec!["=formula"]] {
        org.create_oem_user(NewOemUser::new(email()).tags(tags))
            .await
            .unwrap();
    }
    let groups = org
        .list_collaborator_groups()
        .timeout(Duration::from_secs(5))
        .await
        .unwrap();
    let values: Vec<&str> = groups.items.iter().map(|g| g.value.as_str()).collect();
    assert_eq!(values, ["beta", "emea", "=formula"]);
    let error = client(&mock)
        .list_collaborator_groups("a/b")
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    assert_eq!(error.attempts(), 0);
}

#[tokio::test]
async fn apps_answer_the_documented_example_in_pages() {
    let mock = mock().await;
    let list = client(&mock)
        .list_collaborator_apps(DEFAULT_ORG)
        .page_size(5);
    let page = list.page(1).await.unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].application.id, "string");
    assert_eq!(page.has_next_page, Some(false));
    let all: Vec<_> = collect(list.stream()).await;
    assert_eq!(all.len(), 1);
}

async fn collect<T>(stream: impl Stream<Item = Result<T, applivery::Error>>) -> Vec<T> {
    let mut stream = std::pin::pin!(stream);
    let mut items = Vec::new();
    while let Some(item) = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
        items.push(item.unwrap());
    }
    items
}

#[tokio::test]
async fn a_stream_moves_into_a_task_and_dropping_it_sends_nothing_more() {
    let mock = mock().await;
    let client = client(&mock);
    for _ in 0..7 {
        client
            .create_oem_user(DEFAULT_ORG, NewOemUser::new(email()))
            .await
            .unwrap();
    }
    let before = mock.request_count();
    let stream = client.list_collaborators(DEFAULT_ORG).page_size(2).stream();
    // `Send + 'static`: the task owns it.
    let all = tokio::spawn(collect(stream)).await.unwrap();
    assert_eq!(all.len(), 7);
    assert_eq!(mock.request_count() - before, 4, "4 pages of 2");

    let before = mock.request_count();
    let mut stream = client.list_collaborators(DEFAULT_ORG).page_size(2).stream();
    let first = tokio::spawn(async move {
        let item = std::future::poll_fn(|cx| std::pin::Pin::new(&mut stream).poll_next(cx)).await;
        drop(stream);
        item
    })
    .await
    .unwrap();
    assert!(first.unwrap().is_ok());
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        mock.request_count() - before,
        1,
        "one page, then nothing after the drop"
    );
}

#[tokio::test]
async fn query_values_are_checked_by_the_spec_before_sending() {
    let mock = mock().await;
    let client = client(&mock);
    let list = &applivery_api::operations::LIST_COLLABORATORS;
    let error = client
        .raw_call(
            list,
            vec![DEFAULT_ORG.into()],
            vec![
                ("sort", Value::Text("x:up".into())),
                ("onlyUsers", Value::Text("yes".into())),
            ],
        )
        .await
        .unwrap_err();
    let fields: Vec<_> = error.field_errors().iter().map(|e| e.field).collect();
    assert_eq!(fields, ["sort", "onlyUsers"]);
    assert_eq!(mock.request_count(), 0);
}
