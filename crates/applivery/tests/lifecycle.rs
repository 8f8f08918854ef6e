//! Refresh an OEM secret and list collaborators, over real HTTP against the mock: success,
//! documented errors, faults and retries, and paging through thousands of collaborators.

mod common;

use std::pin::Pin;

use applivery::{Collaborator, Error, ErrorKind, NewOemUser};
use common::*;
use futures_core::Stream;

/// The next item of a stream (no futures-util needed).
async fn next<S: Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    std::future::poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
}

async fn create(client: &applivery::Client, email: &str, tag: &str) -> Collaborator {
    client
        .create_oem_user(DEFAULT_ORG, NewOemUser::new(email).tag(tag))
        .await
        .expect("created")
}

#[tokio::test]
async fn refresh_rotates_the_secret_and_the_old_one_is_gone() {
    let mock = mock().await;
    let client = client(&mock);
    let email = email();
    let created = create(&client, &email, "t").await;
    let old = created.oem_secret.as_ref().unwrap().expose().to_owned();

    let refreshed = client
        .refresh_oem_user_secret(DEFAULT_ORG, &created.id)
        .await
        .expect("refreshed");
    let new = refreshed
        .oem_secret
        .as_ref()
        .expect("a new secret")
        .expose();
    assert_ne!(new, old);
    assert_eq!(refreshed.id, created.id);
    assert_eq!(mock.oem_secret(DEFAULT_ORG, &email).as_deref(), Some(new));
    let shown = format!(
        "{refreshed:?} {}",
        serde_json::to_string(&refreshed).unwrap()
    );
    assert!(!shown.contains(new), "{shown}");

    // A create of another user and a list afterwards: no secret anywhere in the list.
    create(&client, &self::email(), "t").await;
    let page = client
        .list_collaborators(DEFAULT_ORG)
        .page(1)
        .await
        .unwrap();
    assert_eq!(page.items.len(), 2);
    assert!(page.items.iter().all(|c| c.oem_secret.is_none()));
    let listed = serde_json::to_string(&page).unwrap();
    assert!(!listed.contains(new) && !listed.contains(&old), "{listed}");
}

#[tokio::test]
async fn refresh_errors_are_the_documented_kinds_and_faults_are_retried() {
    let mock = mock().await;
    let client = client(&mock);
    let created = create(&client, &email(), "t").await;
    let kind = |result: Result<Collaborator, Error>| result.unwrap_err().kind();

    assert_eq!(
        kind(
            client
                .refresh_oem_user_secret(DEFAULT_ORG, "000000000000000000000000")
                .await
        ),
        ErrorKind::NotFound
    );
    assert_eq!(
        kind(
            client
                .refresh_oem_user_secret(DEFAULT_BLOCKED_ORG, &created.id)
                .await
        ),
        ErrorKind::FeatureBlocked
    );
    let wrong_key = builder(&mock).api_key("wrong").build().unwrap();
    assert_eq!(
        kind(
            wrong_key
                .refresh_oem_user_secret(DEFAULT_ORG, &created.id)
                .await
        ),
        ErrorKind::Unauthorized
    );
    let sent = mock.request_count();
    let error = client
        .refresh_oem_user_secret("a/b", &created.id)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    assert_eq!(error.field_errors()[0].field, "organizationId");
    assert_eq!(mock.request_count(), sent, "nothing is sent");

    // A lost answer (the secret rotated, the answer dropped), then success: the retry rotates
    // again and returns the secret in force.
    mock.push_faults(["status=503", "drop,after-create"]);
    let refreshed = client
        .refresh_oem_user_secret(DEFAULT_ORG, &created.id)
        .await
        .expect("retried to success");
    assert_eq!(
        mock.oem_secret(
            DEFAULT_ORG,
            created.user.as_ref().unwrap().email.as_deref().unwrap()
        )
        .as_deref(),
        Some(refreshed.oem_secret.as_ref().unwrap().expose())
    );
}

#[tokio::test]
async fn the_stream_pages_through_every_collaborator_once_in_order() {
    let mock = mock().await;
    let client = client(&mock);
    let mut emails = Vec::new();
    for i in 0..2_500 {
        let email = format!("list{i:05}@example.com");
        create(&client, &email, if i % 2 == 0 { "even" } else { "odd" }).await;
        emails.push(email);
    }
    let requests_before = mock.request_count();
    let list = client.list_collaborators(DEFAULT_ORG).page_size(100);
    let mut stream = list.clone().stream();
    let mut seen = Vec::new();
    while let Some(collaborator) = next(&mut stream).await {
        let collaborator = collaborator.expect("a collaborator");
        seen.push(collaborator.user.unwrap().email.unwrap());
    }
    assert_eq!(
        seen, emails,
        "every collaborator exactly once, in creation order"
    );
    assert_eq!(
        mock.request_count() - requests_before,
        25,
        "25 pages of 100"
    );

    let first = list.page(1).await.unwrap();
    assert_eq!(
        (
            first.total_docs,
            first.total_pages,
            first.has_next_page,
            first.next_page
        ),
        (Some(2_500), Some(25), Some(true), Some(2))
    );
    let last = list.page(25).await.unwrap();
    assert_eq!((last.has_next_page, last.items.len()), (Some(false), 100));

    // Filters and sort, as the mock implements the documented parameters.
    let evens = client
        .list_collaborators(DEFAULT_ORG)
        .tag("even")
        .page(1)
        .await
        .unwrap();
    assert_eq!(evens.total_docs, Some(1_250));
    let one = client
        .list_collaborators(DEFAULT_ORG)
        .email("LIST00007@")
        .page(1)
        .await
        .unwrap();
    assert_eq!(one.items.len(), 1);
    let newest = client
        .list_collaborators(DEFAULT_ORG)
        .sort("user.email:desc")
        .page_size(1)
        .page(1)
        .await
        .unwrap();
    assert_eq!(
        newest.items[0].user.as_ref().unwrap().email.as_deref(),
        Some("list02499@example.com")
    );
    let none = client
        .list_collaborators(DEFAULT_ORG)
        .role("owner")
        .page(1)
        .await
        .unwrap();
    assert_eq!((none.total_docs, none.items.len()), (Some(0), 0));
}

#[tokio::test]
async fn list_filters_are_checked_before_anything_is_sent() {
    let mock = mock().await;
    let client = client(&mock);
    let error = client
        .list_collaborators("a/b")
        .sort("name:sideways")
        .role("superuser")
        .email("x".repeat(257))
        .page(1)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    let fields: Vec<_> = error.field_errors().iter().map(|e| e.field).collect();
    assert_eq!(fields, ["organizationId", "sort", "role", "email"]);
    assert_eq!(mock.request_count(), 0);
}

#[tokio::test]
async fn list_errors_and_faults() {
    let mock = mock().await;
    let client = client(&mock);
    let kind = |result: Result<applivery::CollaboratorPage, Error>| result.unwrap_err().kind();
    assert_eq!(
        kind(client.list_collaborators("unknown-org").page(1).await),
        ErrorKind::NotFound
    );
    let wrong_key = builder(&mock).api_key("wrong").build().unwrap();
    assert_eq!(
        kind(wrong_key.list_collaborators(DEFAULT_ORG).page(1).await),
        ErrorKind::Unauthorized
    );
    mock.push_faults(["status=503", "html"]);
    assert!(client.list_collaborators(DEFAULT_ORG).page(1).await.is_ok());
    // An error ends the stream after it is yielded.
    mock.push_faults(["status=500", "status=500", "status=500"]);
    let mut stream = client.list_collaborators(DEFAULT_ORG).stream();
    assert_eq!(
        next(&mut stream).await.unwrap().unwrap_err().kind(),
        ErrorKind::ServerError
    );
    assert!(next(&mut stream).await.is_none());
}
