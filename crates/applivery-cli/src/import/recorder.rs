//! The one place row outcomes go: journal `done` entries, the results file, counts and
//! progress (the engine's task wrote any new secret already, as its answer arrived).
//!
//! It takes the reader's rows in file order and, for each row the engine has, the engine's next
//! outcome (the engine delivers them in the order given): the results file is written in file
//! order as it goes, with nothing held back.

use std::path::PathBuf;

use applivery::bulk::BulkOutcome;
use applivery::{BulkControl, NewOemUser};
use tokio::sync::mpsc;

use super::in_engine::InEngine;
use super::row_outcome::row_outcome;
use super::rows::{Item, SentRow};
use crate::journal::JournalHandle;
use crate::outcome::{Outcome, RowOutcome};
use crate::progress::Progress;
use crate::results::{ResultRow, ResultsWriter};
use crate::summary::Counts;

/// What the recorder saw, for the summary and the exit code.
#[derive(Default)]
pub struct Report {
    /// Rows by outcome (invalid rows from pass 1 included).
    pub counts: Counts,
    /// Rows sent by this run.
    pub sent: u64,
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

impl Report {
    /// A report that starts with the invalid rows pass 1 counted.
    pub(super) fn counting_invalid(invalid: u64) -> Report {
        let mut report = Report::default();
        for _ in 0..invalid {
            report.counts.add(Outcome::Invalid);
        }
        report
    }
}

/// Where outcomes are written.
pub(super) struct Recorder {
    pub(super) results: Option<ResultsWriter>,
    pub(super) journal: Option<JournalHandle>,
    pub(super) in_engine: InEngine,
    pub(super) progress: Progress,
    /// For the progress line's concurrency.
    pub(super) control: BulkControl,
    pub(super) report: Report,
}

impl Recorder {
    /// Records every row until the reader ends.
    pub(super) async fn run(
        mut self,
        mut items: mpsc::Receiver<Item>,
        mut outcomes: mpsc::Receiver<BulkOutcome<NewOemUser>>,
    ) -> Report {
        while let Some(item) = items.recv().await {
            match item {
                Item::Invalid {
                    line,
                    email,
                    message,
                } => {
                    let outcome = RowOutcome::with_kind(Outcome::Invalid, "invalid_input", message);
                    self.write_result(line, &email, &outcome);
                }
                Item::FromJournal {
                    line,
                    email,
                    outcome,
                } => self.row(line, &email, outcome, false),
                Item::SkippedExisting { line, email } => {
                    let outcome = RowOutcome::with_kind(
                        Outcome::SkippedExisting,
                        "skipped_existing",
                        "the organization already has a collaborator with this email",
                    );
                    self.row(line, &email, outcome, true);
                }
                Item::Sent(row) => match outcomes.recv().await {
                    Some(done) => self.sent(row, done),
                    None => break,
                },
            }
        }
        self.finish()
    }

    /// A row the engine had.
    fn sent(&mut self, row: SentRow, done: BulkOutcome<NewOemUser>) {
        // Its secret, if any, is already written: before the `done` entry, so a secret is
        // never lost once the row is finished.
        let mut outcome = row_outcome(done.outcome, row.ambiguous);
        match self.in_engine.pop() {
            // A row not sent after a stop was journaled `started` only if read ahead: then its
            // `done` tells the next run it never left.
            Ok(journaled) => {
                if let Some(journal) = &self.journal
                    && journaled
                {
                    journal.done(row.position, row.fingerprint, &outcome);
                }
            }
            // Never sent without a durable trace: not sent, and the import stops.
            Err(why) => {
                outcome = RowOutcome::with_kind(Outcome::NotSent, "io", why.clone());
                self.report.journal_error.get_or_insert(why);
            }
        }
        if outcome.outcome != Outcome::NotSent {
            self.report.sent += 1;
        }
        self.row(row.line, &row.email, outcome, true);
    }

    fn row(&mut self, line: u64, email: &str, outcome: RowOutcome, this_run: bool) {
        self.report.counts.add(outcome.outcome);
        if this_run {
            let limit = self.control.progress().limit;
            self.progress.row_done(&self.report.counts, limit);
        }
        self.write_result(line, email, &outcome);
    }

    fn write_result(&mut self, line: u64, email: &str, outcome: &RowOutcome) {
        if let Some(results) = &mut self.results
            && let Err(e) = results.write(&ResultRow::new(line, email, outcome))
        {
            self.report.results_error = Some(e);
            self.results = None;
        }
    }

    fn finish(mut self) -> Report {
        let limit = self.control.progress().limit;
        self.progress.finish(&self.report.counts, limit);
        if let Some(results) = self.results.take() {
            match results.finish() {
                Ok(path) => self.report.results_path = Some(path),
                Err(e) => self.report.results_error = Some(e),
            }
        }
        self.report
    }
}
