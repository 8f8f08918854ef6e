//! A Rust service's nightly sync: provision every user of its own directory as an OEM user,
//! keep each new secret, and report the users that need a look — the bulk API end to end.
//!
//! ```sh
//! # Against the real API, configured from the environment:
//! APPLIVERY_API_KEY=... APPLIVERY_ORGANIZATION_ID=... cargo run -p applivery --example nightly_sync
//!
//! # Without APPLIVERY_API_KEY it runs against the local mock, in-process:
//! cargo run -p applivery --example nightly_sync
//! ```

use std::pin::Pin;
use std::time::Duration;

use applivery::bulk::Outcome;
use applivery::{Client, NewOemUser, Organization};
use futures_core::Stream;

/// The service's own user directory (here: generated).
fn directory() -> impl Iterator<Item = NewOemUser> + Send + 'static {
    (1..=500).map(|n| {
        NewOemUser::new(format!("employee{n}@example.com"))
            .first_name(format!("Employee {n}"))
            .tag("nightly-sync")
    })
}

/// The organization of `APPLIVERY_API_KEY` and friends, or the local mock's when it is not set
/// (kept running while the returned server lives).
async fn organization()
-> Result<(Organization, Option<applivery_mock::MockServer>), Box<dyn std::error::Error>> {
    if std::env::var_os("APPLIVERY_API_KEY").is_some() {
        return Ok((Organization::from_env()?, None));
    }
    let mock = applivery_mock::MockServer::start(Default::default()).await?;
    eprintln!(
        "APPLIVERY_API_KEY is not set: using the local mock at {}",
        mock.base_url()
    );
    let client = Client::builder()
        .api_key(applivery_mock::DEFAULT_API_KEY)
        .base_url(mock.base_url())
        .build()?;
    Ok((
        client.organization(applivery_mock::DEFAULT_ORG)?,
        Some(mock),
    ))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (organization, _mock) = organization().await?;

    let mut outcomes = organization
        .create_oem_users(directory())
        .concurrency(16) // halved automatically while the API answers 429/503
        .timeout(Duration::from_secs(10)) // each attempt
        .stream();
    let control = outcomes.control(); // stop() from a signal handler; progress() for a gauge
    let mut secrets_kept = 0;
    while let Some(done) = std::future::poll_fn(|cx| Pin::new(&mut outcomes).poll_next(cx)).await {
        match &done.outcome {
            Outcome::Created(collaborator) => {
                // Store the secret in your vault here; it is shown nowhere else.
                let _secret = collaborator.oem_secret.as_ref().map(|s| s.expose());
                secrets_kept += 1;
            }
            // Exists already: a previous night's run. `after_retry`: this run may have created
            // it and lost the answer, so its secret is unknown: refresh it.
            Outcome::AlreadyRegistered {
                after_retry: true, ..
            } => {
                eprintln!("{}: refresh its secret", done.input.get_email());
            }
            Outcome::AlreadyRegistered { .. } => {}
            other => eprintln!(
                "{}: {} {:?}",
                done.input.get_email(),
                other.as_str(),
                other.error()
            ),
        }
    }
    let progress = control.progress();
    println!(
        "created {} (secrets kept: {secrets_kept}), already there {}, failed {}, invalid {}; \
         {} requests, {} push-backs, lowest concurrency {}",
        progress.created,
        progress.already_registered,
        progress.failed,
        progress.invalid,
        progress.sent,
        progress.push_backs,
        progress.lowest_limit,
    );
    Ok(())
}
