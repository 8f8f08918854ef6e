//! The one place row outcomes go: journal `done` entries, the results file, counts, progress.
//!
//! A single task owns them, so the results file needs no lock and counts are exact; senders
//! reach it through a bounded channel. Each event carries its record's position in the file,
//! and the results file is written in that order: rows that finish while an earlier one is
//! still in flight wait here (at most a few seconds' worth, since every call has a deadline).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::scan::Scan;
use crate::journal::JournalHandle;
use crate::limiter::Limiter;
use crate::outcome::{Outcome, RowOutcome};
use crate::progress::Progress;
use crate::results::{ResultRow, ResultsWriter};
use crate::secrets::SecretsFile;
use crate::summary::Counts;

/// An [`Event`] with the position of its record in the file (0 for the first data row): the
/// order of the results file.
pub type Numbered = (u64, Event);

/// Something that happened to a row in pass 2.
pub enum Event {
    /// The row was sent and got its outcome.
    Sent {
        /// Line of the file.
        line: u64,
        /// Content fingerprint, for the journal.
        fingerprint: u64,
        /// The email, for the results.
        email: String,
        /// What happened.
        outcome: RowOutcome,
        /// An error that must stop the import.
        fatal: Option<applivery::Error>,
        /// The created user's OEM secret, for the secrets file only.
        secret: Option<applivery::Secret>,
    },
    /// The journal says an earlier run finished the row; it was not sent.
    FromJournal {
        /// Line of the file.
        line: u64,
        /// The email.
        email: String,
        /// The recorded outcome.
        outcome: RowOutcome,
    },
    /// The import stopped before the row was sent.
    NotSent {
        /// Line of the file.
        line: u64,
        /// The email.
        email: String,
        /// The row's fingerprint if it was journaled as `started` (it then gets a `done`).
        journaled: Option<u64>,
        /// An earlier run may have created the user (kept for the next run).
        ambiguous: bool,
    },
    /// With `--skip-existing`: the organization already has the email; the row was not sent.
    SkippedExisting {
        /// Line of the file.
        line: u64,
        /// The email.
        email: String,
    },
    /// The row is invalid (counted in pass 1; listed here so that the results keep file order).
    Invalid(InvalidRow),
    /// The journal could not record the row's start, so it was not sent.
    JournalFailed {
        /// Line of the file.
        line: u64,
        /// The email.
        email: String,
        /// Why.
        error: String,
    },
}

/// A row pass 1 found invalid.
pub struct InvalidRow {
    /// Line of the file.
    pub line: u64,
    /// The email, as far as it could be read.
    pub email: String,
    /// What is wrong.
    pub message: String,
}

/// What the recorder saw, for the summary and the exit code.
pub struct Report {
    /// Rows by outcome (invalid rows from pass 1 included).
    pub counts: Counts,
    /// Rows sent by this run.
    pub sent: u64,
    /// The error that stopped the import, if any.
    pub fatal: Option<applivery::Error>,
    /// The finished results file.
    pub results_path: Option<PathBuf>,
    /// Why the results file is incomplete.
    pub results_error: Option<String>,
    /// Why the journal failed.
    pub journal_error: Option<String>,
    /// The secrets file and how many secrets this run wrote to it.
    pub secrets: Option<(PathBuf, u64)>,
    /// Why the secrets file is incomplete.
    pub secrets_error: Option<String>,
}

/// The recorder task.
pub struct Recorder {
    results: Option<ResultsWriter>,
    secrets: Option<SecretsFile>,
    journal: Option<JournalHandle>,
    progress: Progress,
    limiter: Limiter,
    stop: Arc<AtomicBool>,
    report: Report,
    /// Position of the next result to write.
    next_result: u64,
    /// Results that arrived before an earlier one: (line, email, outcome) by position.
    waiting: BTreeMap<u64, (u64, String, RowOutcome)>,
}

impl Recorder {
    /// Starts the recorder; it ends when every event sender is dropped.
    pub fn start(
        results: Option<ResultsWriter>,
        secrets: Option<SecretsFile>,
        journal: Option<JournalHandle>,
        scan: &Scan,
        limiter: Limiter,
        stop: Arc<AtomicBool>,
        quiet: bool,
    ) -> (mpsc::Sender<Numbered>, JoinHandle<Report>) {
        let (sender, mut events) = mpsc::channel(1024);
        let mut counts = Counts::default();
        for _ in 0..scan.invalid {
            counts.add(Outcome::Invalid);
        }
        let mut recorder = Recorder {
            results,
            secrets,
            journal,
            progress: Progress::new(scan.to_send, quiet),
            limiter,
            stop,
            report: Report {
                counts,
                sent: 0,
                fatal: None,
                results_path: None,
                results_error: None,
                journal_error: None,
                secrets: None,
                secrets_error: None,
            },
            next_result: 0,
            waiting: BTreeMap::new(),
        };
        let task = tokio::spawn(async move {
            while let Some((position, event)) = events.recv().await {
                recorder.record(position, event);
            }
            recorder.finish()
        });
        (sender, task)
    }

    fn record(&mut self, position: u64, event: Event) {
        match event {
            Event::Sent {
                line,
                fingerprint,
                email,
                outcome,
                fatal,
                secret,
            } => {
                // Before the `done` record: a secret is never lost once the row is finished.
                if let (Some(secret), Some(id)) = (&secret, &outcome.collaborator_id) {
                    self.write_secret(&email, id, secret);
                }
                if let Some(journal) = &self.journal {
                    journal.done(position, fingerprint, &outcome);
                }
                self.report.sent += 1;
                if let Some(fatal) = fatal
                    && self.report.fatal.is_none()
                {
                    self.stop.store(true, Ordering::SeqCst);
                    self.report.fatal = Some(fatal);
                }
                self.row(position, line, email, outcome, true);
            }
            Event::FromJournal {
                line,
                email,
                outcome,
            } => self.row(position, line, email, outcome, false),
            Event::SkippedExisting { line, email } => {
                let outcome = RowOutcome::with_kind(
                    Outcome::SkippedExisting,
                    "skipped_existing",
                    "the organization already has a collaborator with this email",
                );
                self.row(position, line, email, outcome, true);
            }
            Event::Invalid(InvalidRow {
                line,
                email,
                message,
            }) => {
                let outcome = RowOutcome::with_kind(Outcome::Invalid, "invalid_input", message);
                self.result(position, line, email, outcome);
            }
            Event::NotSent {
                line,
                email,
                journaled,
                ambiguous,
            } => {
                let mut outcome = RowOutcome::not_sent();
                outcome.ambiguous = ambiguous;
                if let (Some(journal), Some(fingerprint)) = (&self.journal, journaled) {
                    journal.done(position, fingerprint, &outcome);
                }
                self.row(position, line, email, outcome, true);
            }
            Event::JournalFailed { line, email, error } => {
                self.stop.store(true, Ordering::SeqCst);
                let outcome = RowOutcome::with_kind(Outcome::NotSent, "io", error.clone());
                self.report.journal_error.get_or_insert(error);
                self.row(position, line, email, outcome, true);
            }
        }
    }

    fn row(
        &mut self,
        position: u64,
        line: u64,
        email: String,
        outcome: RowOutcome,
        this_run: bool,
    ) {
        self.report.counts.add(outcome.outcome);
        if this_run {
            self.progress
                .row_done(&self.report.counts, self.limiter.limit());
        }
        self.result(position, line, email, outcome);
    }

    /// Writes the row's result once every earlier one is written.
    fn result(&mut self, position: u64, line: u64, email: String, outcome: RowOutcome) {
        if self.results.is_none() {
            return;
        }
        self.waiting.insert(position, (line, email, outcome));
        while let Some(entry) = self.waiting.first_entry() {
            if *entry.key() != self.next_result {
                break;
            }
            let (line, email, outcome) = entry.remove();
            self.write_result(line, &email, &outcome);
            self.next_result += 1;
        }
    }

    fn write_result(&mut self, line: u64, email: &str, outcome: &RowOutcome) {
        if let Some(results) = &mut self.results
            && let Err(e) = results.write(&ResultRow::new(line, email, outcome))
        {
            self.report.results_error = Some(e);
            self.results = None;
        }
    }

    fn write_secret(&mut self, email: &str, id: &str, secret: &applivery::Secret) {
        if let Some(secrets) = &mut self.secrets
            && let Err(e) = secrets.write(email, id, secret)
        {
            // Later secrets would be lost too: stop sending.
            self.stop.store(true, Ordering::SeqCst);
            self.report.secrets_error = Some(e);
            self.secrets = None;
        }
    }

    fn finish(mut self) -> Report {
        // Positions never reported (the file changed, the run stopped early) leave gaps: what
        // did arrive is still written, in order.
        for (line, email, outcome) in std::mem::take(&mut self.waiting).into_values() {
            self.write_result(line, &email, &outcome);
        }
        self.progress
            .finish(&self.report.counts, self.limiter.limit());
        if let Some(secrets) = self.secrets.take() {
            let written = secrets.written;
            match secrets.finish() {
                Ok(path) => self.report.secrets = Some((path, written)),
                Err(e) => self.report.secrets_error = Some(e),
            }
        }
        if let Some(results) = self.results.take() {
            match results.finish() {
                Ok(path) => self.report.results_path = Some(path),
                Err(e) => self.report.results_error = Some(e),
            }
        }
        self.report
    }
}
