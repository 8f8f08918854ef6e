//! The facade's bulk engine, set up for an import: it does the sending (AIMD on 429/503 with
//! `Retry-After`, retries, stop); the import only feeds it rows and records what comes out.
//!
//! Outcomes come as they are decided, so that each new secret is written the moment its answer
//! arrives (not behind a slower row, where a crash could lose it), then they are put back in
//! the order given for the recorder.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use applivery::bulk::{BulkOutcome, Outcome, StopReason};
use applivery::{BulkControl, Client, NewOemUser, RetryPolicy};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::in_engine::InEngine;
use crate::args::ImportArgs;
use crate::journal::JournalHandle;
use crate::secrets::SecretsFile;

/// Outcomes decided ahead of the recorder.
const OUTCOMES: usize = 1024;

/// A running engine.
pub(super) struct Engine {
    /// Stops it (Ctrl-C, a local failure) and reads its counters.
    pub(super) control: BulkControl,
    /// The outcome of every row given to it, in the order given.
    pub(super) outcomes: mpsc::Receiver<BulkOutcome<NewOemUser>>,
    /// Ends with the run.
    pub(super) ended: JoinHandle<Ended>,
}

/// How the engine's run ended.
pub(super) struct Ended {
    /// Why it stopped early, if it did.
    pub(super) stop: Option<StopReason>,
    /// The secrets file and how many secrets this run wrote to it.
    pub(super) secrets: Option<(PathBuf, u64)>,
    /// Why the secrets file is incomplete.
    pub(super) secrets_error: Option<String>,
}

/// Starts the engine on `users`; with a journal, each row is journaled `started` before it
/// leaves.
pub(super) fn start(
    client: &Client,
    args: &ImportArgs,
    users: mpsc::Receiver<NewOemUser>,
    journal: Option<(JournalHandle, &InEngine)>,
    secrets: Option<SecretsFile>,
) -> Engine {
    let mut call = client
        .create_oem_users_from_stream(args.target.org.clone(), Receiving(users))
        .concurrency(usize::from(args.concurrency))
        .timeout(Duration::from_secs(args.target.timeout))
        .retry_policy(retry_policy(args.max_attempts))
        .as_decided();
    if let Some((journal, in_engine)) = journal {
        call = call.before_send(in_engine.hook(journal));
    }
    let mut stream = call.stream();
    let control = stream.control();
    let (sender, outcomes) = mpsc::channel(OUTCOMES);
    // Its own task, so the requests in flight progress while the recorder writes.
    let stopper = control.clone();
    let ended = tokio::spawn(async move {
        let mut secrets = Secrets {
            file: secrets,
            error: None,
            control: stopper,
        };
        let mut waiting = BTreeMap::new();
        let mut next = 0;
        'run: while let Some(done) = crate::stream::next(&mut stream).await {
            secrets.write(&done);
            waiting.insert(done.index, done);
            while let Some(done) = waiting.remove(&next) {
                next += 1;
                if sender.send(done).await.is_err() {
                    break 'run;
                }
            }
        }
        secrets.end(stream.stop_reason().cloned())
    });
    Engine {
        control,
        outcomes,
        ended,
    }
}

/// `--max-attempts` per row, with no time budget of their own: the per-request `--timeout` and
/// the server's `Retry-After` bound each wait.
fn retry_policy(max_attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(max_attempts)
        .max_elapsed(Duration::from_secs(24 * 3600))
        .initial_backoff(Duration::from_millis(200))
        .max_backoff(Duration::from_secs(10))
        .retry_ambiguous(true)
}

/// A channel as the engine's input stream.
struct Receiving(mpsc::Receiver<NewOemUser>);

impl futures_core::Stream for Receiving {
    type Item = NewOemUser;
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<NewOemUser>> {
        self.get_mut().0.poll_recv(cx)
    }
}

/// The secrets file, written by the engine's task as answers arrive.
struct Secrets {
    file: Option<SecretsFile>,
    error: Option<String>,
    control: BulkControl,
}

impl Secrets {
    /// Writes a created user's secret; on failure, nothing more is sent (later secrets would
    /// be lost too).
    fn write(&mut self, done: &BulkOutcome<NewOemUser>) {
        let (Some(file), Outcome::Created(collaborator)) = (&mut self.file, &done.outcome) else {
            return;
        };
        let Some(secret) = &collaborator.oem_secret else {
            return;
        };
        if let Err(e) = file.write(done.input.get_email(), &collaborator.id, secret) {
            self.control.stop();
            self.error = Some(e);
            self.file = None;
        }
    }

    fn end(self, stop: Option<StopReason>) -> Ended {
        let (secrets, error) = match self.file.map(|file| (file.written, file.finish())) {
            Some((written, Ok(path))) => (Some((path, written)), self.error),
            Some((_, Err(e))) => (None, Some(e)),
            None => (None, self.error),
        };
        Ended {
            stop,
            secrets,
            secrets_error: error,
        }
    }
}
