//! Pass 2: the reader feeds the engine, the engine sends, the recorder writes the outcomes;
//! each in its own task, joined by bounded channels, so memory stays flat.

use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use applivery::Client;
use applivery::bulk::{Progress, StopReason};
use tokio::sync::mpsc;

use super::in_engine::InEngine;
use super::recorder::{Recorder, Report};
use super::rows::{self, Outlets};
use super::scan::Scan;
use super::{engine, skip_existing};
use crate::args::{GlobalArgs, ImportArgs};
use crate::failure::Failure;
use crate::journal::{Journal, JournalState, RunInfo};
use crate::results::ResultsWriter;
use crate::secrets::SecretsFile;

/// Rows read ahead of the engine (it reads up to `--concurrency` more itself).
const READ_AHEAD: usize = 256;
/// Rows listed ahead of the recorder.
const ITEMS: usize = 1024;

/// How pass 2 went.
pub(super) struct Sent {
    pub(super) report: Report,
    /// Why the engine stopped early, if it did.
    pub(super) stop: Option<StopReason>,
    /// Why the reader stopped early (the file changed, the journal unreadable).
    pub(super) reader: Option<Failure>,
    pub(super) journal_closed: Result<(), String>,
    pub(super) interrupted: bool,
    pub(super) progress: Progress,
    pub(super) elapsed: Duration,
}

/// Sends every valid row the journal does not record as finished.
pub(super) async fn send(
    global: &GlobalArgs,
    args: &ImportArgs,
    client: &Client,
    (run_info, journal_path): (&RunInfo, Option<&Path>),
    (index, scan): (&JournalState, &Scan),
    results: Option<ResultsWriter>,
) -> Result<Sent, Failure> {
    let secrets = open_secrets(args)?;
    let journal = open_journal(journal_path, run_info)?;
    let existing = skip_existing::existing_emails(global, args).await?;
    let cursor = index
        .cursor()
        .map_err(|e| Failure::local_io(e.to_string()))?;
    let started = Instant::now();
    let in_engine = InEngine::default();
    let (users, engine_users) = mpsc::channel(READ_AHEAD);
    let (items, recorder_items) = mpsc::channel(ITEMS);
    let hook = journal.as_ref().map(|j| (j.handle(), &in_engine));
    let engine = engine::start(client, args, engine_users, hook, secrets);
    let interrupted = crate::interrupt::watch(engine.control.clone());
    let outlets = Outlets {
        users,
        items,
        in_engine: in_engine.clone(),
        control: engine.control.clone(),
    };
    let reader = rows::spawn(args.file.clone(), args.format, cursor, existing, outlets);
    let recorder = Recorder {
        results,
        journal: journal.as_ref().map(Journal::handle),
        in_engine,
        progress: crate::progress::Progress::new(scan.to_send, args.quiet),
        control: engine.control.clone(),
        report: Report::counting_invalid(scan.invalid),
    };
    let mut report = recorder.run(recorder_items, engine.outcomes).await;
    let ended = engine
        .ended
        .await
        .expect("the engine's task does not panic");
    report.secrets = ended.secrets;
    report.secrets_error = ended.secrets_error;
    let stop = ended.stop;
    let reader = reader.await.expect("the reader does not panic");
    let journal_closed = match journal {
        Some(journal) => journal.close().await.map_err(|e| e.to_string()),
        None => Ok(()),
    };
    Ok(Sent {
        report,
        stop,
        reader,
        journal_closed,
        interrupted: interrupted.load(Ordering::SeqCst),
        progress: engine.control.progress(),
        elapsed: started.elapsed(),
    })
}

/// The journal, opened for appending, when the import keeps one.
fn open_journal(path: Option<&Path>, run_info: &RunInfo) -> Result<Option<Journal>, Failure> {
    path.map(|path| Journal::open(path, run_info))
        .transpose()
        .map_err(|e| Failure::local_io(e.to_string()))
}

/// `--secrets`: opened (0600) before anything is sent.
fn open_secrets(args: &ImportArgs) -> Result<Option<SecretsFile>, Failure> {
    let Some(path) = &args.secrets else {
        return Ok(None);
    };
    let (secrets, note) = SecretsFile::open(path).map_err(Failure::local_io)?;
    if let Some(note) = note {
        eprintln!("applivery: warning: {note}");
    }
    Ok(Some(secrets))
}
