//! The closing summary of an import.

use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use crate::outcome::Outcome;

/// How many rows ended with each outcome.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    created: u64,
    already_registered: u64,
    invalid: u64,
    failed: u64,
    not_sent: u64,
    skipped_existing: u64,
}

impl Counts {
    /// Counts one row.
    pub fn add(&mut self, outcome: Outcome) {
        *self.slot(outcome) += 1;
    }

    /// Rows with this outcome.
    pub fn get(&self, outcome: Outcome) -> u64 {
        match outcome {
            Outcome::Created => self.created,
            Outcome::AlreadyRegistered => self.already_registered,
            Outcome::Invalid => self.invalid,
            Outcome::Failed => self.failed,
            Outcome::NotSent => self.not_sent,
            Outcome::SkippedExisting => self.skipped_existing,
        }
    }

    fn slot(&mut self, outcome: Outcome) -> &mut u64 {
        match outcome {
            Outcome::Created => &mut self.created,
            Outcome::AlreadyRegistered => &mut self.already_registered,
            Outcome::Invalid => &mut self.invalid,
            Outcome::Failed => &mut self.failed,
            Outcome::NotSent => &mut self.not_sent,
            Outcome::SkippedExisting => &mut self.skipped_existing,
        }
    }

    /// Every row counted.
    pub fn total(&self) -> u64 {
        self.created
            + self.already_registered
            + self.invalid
            + self.failed
            + self.not_sent
            + self.skipped_existing
    }
}

/// The summary printed at the end of an import.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// The input file.
    pub file: PathBuf,
    /// The organization.
    pub organization: String,
    /// Whether nothing was sent (`--dry-run`).
    pub dry_run: bool,
    /// Data rows in the file.
    pub rows: u64,
    /// Rows created (by this run or an earlier one with the same journal).
    pub created: u64,
    /// Rows whose user already existed.
    pub already_registered: u64,
    /// Rows that failed validation.
    pub invalid: u64,
    /// Rows that failed to be created.
    pub failed: u64,
    /// Rows not sent because the import stopped early.
    pub not_sent: u64,
    /// Rows not sent because the organization already had the email (`--skip-existing`).
    pub skipped_existing: u64,
    /// Rows finished by an earlier run, taken from the journal and not sent again.
    pub from_journal: u64,
    /// Requests completed by this run (rows sent, not counting retries).
    pub sent: u64,
    /// Responses that asked to slow down (429, 503); each paused every request.
    pub push_backs: u64,
    /// The lowest concurrency the import adapted down to.
    pub lowest_concurrency: usize,
    /// Wall time of the sending pass.
    pub elapsed_seconds: f64,
    /// `sent / elapsed_seconds`.
    pub rows_per_second: f64,
    /// The journal, if any.
    pub journal: Option<PathBuf>,
    /// The results file, if any.
    pub results: Option<PathBuf>,
    /// The secrets file, if any (its content is never printed).
    pub secrets: Option<PathBuf>,
    /// Secrets this run appended to it.
    pub secrets_written: Option<u64>,
    /// Why the import stopped before the end: an error kind (`unauthorized`, ...), `io`
    /// (journal or results), `file_changed`, or `interrupted`.
    pub stopped_by: Option<String>,
    /// The process exit code.
    pub exit_code: u8,
}

impl Summary {
    /// Fills the counts and rates.
    pub fn set_counts(&mut self, counts: &Counts, sent: u64, elapsed: Duration) {
        self.created = counts.get(Outcome::Created);
        self.already_registered = counts.get(Outcome::AlreadyRegistered);
        self.invalid = counts.get(Outcome::Invalid);
        self.failed = counts.get(Outcome::Failed);
        self.not_sent = counts.get(Outcome::NotSent);
        self.skipped_existing = counts.get(Outcome::SkippedExisting);
        self.sent = sent;
        self.elapsed_seconds = elapsed.as_secs_f64();
        self.rows_per_second = if self.elapsed_seconds > 0.0 {
            sent as f64 / self.elapsed_seconds
        } else {
            0.0
        };
    }

    /// Prints the summary on stdout, as text or one JSON object.
    pub fn print(&self, json: bool) {
        if json {
            let text = serde_json::to_string(self).expect("the summary always serializes");
            println!("{}", crate::terminal::json(&text));
            return;
        }
        let verb = if self.dry_run { "Checked" } else { "Imported" };
        let line = format!(
            "{verb} {} into {}: {} rows",
            self.file.display(),
            self.organization,
            self.rows
        );
        println!("{}", crate::terminal::clean(&line));
        if self.dry_run {
            println!("  valid               {:>8}", self.rows - self.invalid);
            println!("  invalid             {:>8}", self.invalid);
            println!("  done by earlier run {:>8}", self.from_journal);
            println!("Dry run: nothing was sent.");
        } else {
            println!("  created             {:>8}", self.created);
            println!("  already registered  {:>8}", self.already_registered);
            println!("  invalid             {:>8}", self.invalid);
            println!("  failed              {:>8}", self.failed);
            if self.skipped_existing > 0 {
                println!("  skipped (existing)  {:>8}", self.skipped_existing);
            }
            if self.not_sent > 0 {
                println!("  not sent            {:>8}", self.not_sent);
            }
            if self.push_backs > 0 {
                println!(
                    "The API pushed back {} times (429/503): paused as asked, concurrency lowered to {} at worst.",
                    self.push_backs, self.lowest_concurrency
                );
            }
            println!(
                "Sent {} rows in {:.1} s ({:.1} rows/s); {} rows finished by an earlier run were not sent again.",
                self.sent, self.elapsed_seconds, self.rows_per_second, self.from_journal
            );
        }
        if let Some(journal) = &self.journal {
            println!("Journal: {}", journal.display());
        }
        if let Some(results) = &self.results {
            println!("Results: {}", results.display());
        }
        if let Some(secrets) = &self.secrets {
            println!(
                "Secrets: {} ({} appended by this run; mode 0600, keep it private)",
                secrets.display(),
                self.secrets_written.unwrap_or(0)
            );
        }
    }
}
