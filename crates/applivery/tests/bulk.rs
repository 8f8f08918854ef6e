//! Bulk runs (`create_oem_users`, `refresh_oem_user_secrets`) against the mock over HTTP:
//! one outcome per input, in input order, through injected faults; stop; the hook; refresh.

mod common;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use applivery::bulk::{BulkOutcome, Outcome, StopReason};
use applivery::{Client, ErrorKind, NewOemUser, RetryPolicy};
use common::*;
use futures_core::Stream;

/// Every outcome of a stream, in the order delivered.
async fn collect<S: Stream + Unpin>(mut stream: S) -> Vec<S::Item> {
    let mut items = Vec::new();
    while let Some(item) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut stream).poll_next(cx)).await
    {
        items.push(item);
    }
    items
}

fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(20)
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(20))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_creates_through_faults_each_get_one_outcome_in_order() {
    let mock = MockServer::start(MockConfig {
        // Periods whose pairwise products exceed the requests made, so that no request gets
        // two faults at once (a 503 after creating would be a server lying about safety).
        periodic_faults: vec![
            (101, "status=503,retry-after=0".into()),
            (103, "drop".into()),
            (107, "drop,after-create".into()),
            (109, "status=429,retry-after=0".into()),
            (113, "status=500,after-create".into()),
        ],
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let client = client(&mock);
    let run = email();
    let emails: Vec<String> = (0..10_000)
        .map(|n| match n % 997 {
            // Invalid: never sent.
            13 => format!("not an email {n}"),
            _ => format!("bulk{n}.{run}"),
        })
        .collect();
    // Two inputs repeat an earlier email: the second of each is already registered.
    let mut users: Vec<NewOemUser> = emails.iter().map(NewOemUser::new).collect();
    users[5_000] = NewOemUser::new(&emails[10]);
    users[9_999] = NewOemUser::new(&emails[20]);
    let stream = client
        .create_oem_users(DEFAULT_ORG, users.clone())
        .concurrency(32)
        .retry_policy(quick_retries())
        .stream();
    let control = stream.control();
    let outcomes = collect(stream).await;

    assert_eq!(outcomes.len(), users.len());
    let mut valid = HashSet::new();
    for (position, done) in outcomes.iter().enumerate() {
        assert_eq!(done.index, position as u64, "delivered in input order");
        assert_eq!(done.input, users[position]);
        let email = done.input.get_email().to_lowercase();
        match &done.outcome {
            Outcome::Invalid(error) => {
                assert_eq!(error.kind(), ErrorKind::InvalidInput);
                assert!(email.starts_with("not an email"));
            }
            Outcome::Created(collaborator) => {
                assert!(
                    collaborator.oem_secret.is_some(),
                    "a created user has its secret"
                );
                assert!(valid.insert(email), "created twice: {done:?}");
            }
            Outcome::AlreadyRegistered { after_retry, .. } => {
                // A repeated email, or a create whose answer was lost (after-create faults).
                assert!(
                    *after_retry || position == 5_000 || position == 9_999,
                    "{done:?}"
                );
                valid.insert(email);
            }
            other => panic!("input {position}: unexpected {}", other.as_str()),
        }
    }
    let held: HashSet<String> = mock
        .users()
        .into_iter()
        .filter_map(|c| c.user.and_then(|u| u.email))
        .map(|e| e.to_lowercase())
        .filter(|e| e.ends_with(&run))
        .collect();
    assert_eq!(held, valid, "the mock holds exactly the valid emails");
    let progress = control.progress();
    assert_eq!(progress.finished(), users.len() as u64);
    assert_eq!(progress.invalid, 11);
    assert!(progress.retries > 100, "faults were retried: {progress:?}");
    assert!(
        progress.push_backs > 0 && progress.lowest_limit < 32,
        "{progress:?}"
    );
    assert_eq!(progress.in_flight, 0);
}

#[tokio::test]
async fn outcomes_never_show_a_secret() {
    let mock = mock().await;
    let client = client(&mock);
    let outcomes = collect(
        client
            .create_oem_users(DEFAULT_ORG, [NewOemUser::new(email())])
            .stream(),
    )
    .await;
    let Outcome::Created(collaborator) = &outcomes[0].outcome else {
        panic!("{:?}", outcomes[0]);
    };
    let secret = collaborator
        .oem_secret
        .as_ref()
        .unwrap()
        .expose()
        .to_owned();
    let shown = format!("{:?} {:?}", outcomes[0], outcomes[0].outcome);
    assert!(!shown.contains(&secret), "{shown}");
    assert!(shown.contains(outcomes[0].input.get_email()), "{shown}");
}

#[tokio::test]
async fn a_first_stop_lets_nothing_new_leave_and_finishes_what_is_in_flight() {
    let mock = MockServer::start(MockConfig {
        latency: Some(Duration::from_millis(200)),
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let client = client(&mock);
    let users: Vec<NewOemUser> = (0..100).map(|_| NewOemUser::new(email())).collect();
    let mut stream = client
        .create_oem_users(DEFAULT_ORG, users)
        .concurrency(4)
        .stream();
    let first = std::future::poll_fn(|cx| std::pin::Pin::new(&mut stream).poll_next(cx))
        .await
        .unwrap();
    assert_eq!(first.outcome.as_str(), "created");
    stream.stop();
    let rest = collect(stream).await;
    assert_eq!(rest.len(), 99);
    let created = 1 + rest
        .iter()
        .filter(|o| o.outcome.as_str() == "created")
        .count();
    let not_sent = rest
        .iter()
        .filter(|o| o.outcome.as_str() == "not_sent")
        .count();
    assert_eq!(created + not_sent, 100, "only created or not sent");
    assert!(
        created <= 1 + 4,
        "at most the requests in flight finished: {created}"
    );
    assert_eq!(mock.users().len(), created, "not-sent inputs were not sent");
}

#[tokio::test]
async fn a_second_stop_abandons_the_requests_in_flight_as_unknown() {
    let mock = mock().await;
    let client = client(&mock);
    let users: Vec<NewOemUser> = (0..10).map(|_| NewOemUser::new(email())).collect();
    for user in &users {
        mock.fault_for_email(user.get_email(), ["hang"]);
    }
    let stream = client
        .create_oem_users(DEFAULT_ORG, users)
        .concurrency(3)
        .timeout(Duration::from_secs(30))
        .stream();
    let control = stream.control();
    let collecting = tokio::spawn(collect(stream));
    while control.progress().in_flight < 3 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    control.stop();
    control.stop();
    let outcomes = tokio::time::timeout(Duration::from_secs(10), collecting)
        .await
        .expect("a second stop ends the run at once")
        .unwrap();
    let names: Vec<&str> = outcomes.iter().map(|o| o.outcome.as_str()).collect();
    assert_eq!(names[..3], ["unknown"; 3]);
    assert_eq!(names[3..], ["not_sent"; 7]);
}

#[tokio::test]
async fn the_hook_runs_before_each_send_and_its_failure_stops_the_run() {
    let mock = mock().await;
    let client = client(&mock);
    let users: Vec<NewOemUser> = (0..20).map(|_| NewOemUser::new(email())).collect();
    let journal = Arc::new(Mutex::new(Vec::new()));
    let written = Arc::clone(&journal);
    let outcomes = collect(
        client
            .create_oem_users(DEFAULT_ORG, users.clone())
            .concurrency(2)
            .before_send(move |index, user: &NewOemUser| {
                written
                    .lock()
                    .unwrap()
                    .push((index, user.get_email().to_owned()));
                let fail = index == 10;
                async move { if fail { Err("disk full") } else { Ok(()) } }
            })
            .stream(),
    )
    .await;
    let journal = journal.lock().unwrap().clone();
    assert!(
        journal.len() >= 11,
        "the hook saw inputs ahead: {}",
        journal.len()
    );
    for (index, email) in &journal {
        assert_eq!(users[*index as usize].get_email(), email);
    }
    assert_eq!(outcomes.len(), 20);
    for done in &outcomes {
        let expected = if done.index < 10 {
            "created"
        } else {
            "not_sent"
        };
        // Inputs after the failed one may have been sent already (they were in flight).
        if done.index <= 10 || done.outcome.as_str() != "created" {
            assert_eq!(done.outcome.as_str(), expected, "{done:?}");
        }
    }
    let created: HashSet<String> = mock
        .users()
        .into_iter()
        .filter_map(|c| c.user.and_then(|u| u.email))
        .collect();
    assert!(
        !created.contains(users[10].get_email()),
        "never sent without its hook"
    );
}

#[tokio::test]
async fn refresh_rotates_each_secret_and_goes_on_past_refusals() {
    let mock = mock().await;
    let client = client(&mock);
    let users: Vec<NewOemUser> = (0..30).map(|_| NewOemUser::new(email())).collect();
    let created: Vec<BulkOutcome<NewOemUser>> =
        collect(client.create_oem_users(DEFAULT_ORG, users).stream()).await;
    let mut ids: Vec<String> = created
        .iter()
        .map(|o| o.outcome.value().unwrap().id.clone())
        .collect();
    ids.insert(5, String::new());
    ids.insert(7, "5f3a9c0e1b2c3d4e5f6a7b8c".into());
    mock.push_faults(["drop,after-create", "status=502"]);
    let refreshed = collect(
        client
            .refresh_oem_user_secrets(DEFAULT_ORG, ids.clone())
            .concurrency(8)
            .retry_policy(quick_retries())
            .stream(),
    )
    .await;
    assert_eq!(refreshed.len(), ids.len());
    for done in &refreshed {
        assert_eq!(done.input, ids[done.index as usize]);
        match done.index {
            5 => assert_eq!(done.outcome.as_str(), "invalid"),
            7 => assert_eq!(done.outcome.as_str(), "failed"),
            _ => {
                let Outcome::Refreshed(collaborator) = &done.outcome else {
                    panic!("{done:?}");
                };
                let email = collaborator
                    .user
                    .as_ref()
                    .and_then(|u| u.email.as_deref())
                    .unwrap();
                let secret = collaborator.oem_secret.as_ref().unwrap().expose();
                assert_eq!(
                    mock.oem_secret(DEFAULT_ORG, email).as_deref(),
                    Some(secret),
                    "the secret given is the one in force"
                );
            }
        }
    }
}

#[tokio::test]
async fn an_error_that_concerns_every_input_stops_the_run() {
    let mock = mock().await;
    let client = Client::builder()
        .api_key("wrong-key")
        .base_url(mock.base_url())
        .build()
        .unwrap();
    let users: Vec<NewOemUser> = (0..50).map(|_| NewOemUser::new(email())).collect();
    let stream = client
        .create_oem_users(DEFAULT_ORG, users)
        .concurrency(1)
        .stream();
    let mut stream = stream;
    let outcomes = collect(&mut stream).await;
    assert_eq!(outcomes[0].outcome.as_str(), "failed");
    assert!(
        outcomes[1..]
            .iter()
            .all(|o| o.outcome.as_str() == "not_sent")
    );
    assert!(
        matches!(stream.stop_reason(), Some(StopReason::Fatal(e)) if e.kind() == ErrorKind::Unauthorized)
    );
}
