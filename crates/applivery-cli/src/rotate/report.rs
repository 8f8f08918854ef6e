//! What a rotation tells: progress on stderr, one line per user in `--results`, the summary
//! (text or JSON) and whether anything is left to do. Never a secret.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use applivery::bulk::{Outcome, Progress};

use super::args::RotateArgs;
use super::selection::Selected;
use crate::exit_code;
use crate::failure::Failure;

/// The report of one run.
pub struct Report {
    json: bool,
    quiet: bool,
    results: Option<(PathBuf, csv::Writer<std::fs::File>)>,
    results_path: Option<PathBuf>,
    secrets: Option<PathBuf>,
    selected: usize,
    pending: usize,
    done_before: usize,
    unresolved: usize,
    refreshed: u64,
    failed: u64,
    not_sent: u64,
    unknown: u64,
    started: Instant,
    last_progress: Instant,
}

impl Report {
    pub fn new(args: &RotateArgs, json: bool) -> Report {
        Report {
            json,
            quiet: args.quiet,
            results: None,
            results_path: args.results.clone(),
            secrets: args.secrets.clone(),
            selected: 0,
            pending: 0,
            done_before: 0,
            unresolved: 0,
            refreshed: 0,
            failed: 0,
            not_sent: 0,
            unknown: 0,
            started: Instant::now(),
            last_progress: Instant::now(),
        }
    }

    /// An earlier run of this journal finished `done` users.
    pub fn resumed(&mut self, done: usize) {
        self.done_before = done;
        if !self.quiet {
            eprintln!("applivery: resuming: {done} users were rotated by an earlier run");
        }
    }

    /// A row of `--from` that names nobody.
    pub fn unresolved(&mut self, row: &str, why: &str) {
        self.unresolved += 1;
        let line = format!("applivery: warning: {row}: {why}; not rotated");
        eprintln!("{}", crate::terminal::clean(&line));
    }

    pub fn selected(&mut self, selected: usize, pending: usize) {
        self.selected = selected;
        self.pending = pending;
    }

    /// `--dry-run`: who would be rotated.
    pub fn dry_run(self, pending: &[Selected]) -> Result<u8, Failure> {
        let mut out = std::io::stdout().lock();
        let write = |out: &mut std::io::StdoutLock<'_>, line: &str| {
            writeln!(out, "{line}")
                .map_err(|e| Failure::local_io(format!("cannot write to stdout: {e}")))
        };
        if self.json {
            let users: Vec<serde_json::Value> = pending
                .iter()
                .map(|s| serde_json::json!({ "collaboratorId": s.id, "email": s.email }))
                .collect();
            let value = serde_json::json!({
                "dryRun": true,
                "selected": self.selected,
                "toRotate": users,
                "unresolved": self.unresolved,
            });
            let text = serde_json::to_string_pretty(&value).expect("JSON serializes");
            write(&mut out, &crate::terminal::json(&text))?;
        } else {
            for s in pending {
                write(
                    &mut out,
                    &crate::terminal::clean(&format!("{}\t{}", s.id, s.email)),
                )?;
            }
            eprintln!(
                "applivery: dry run: {} of {} selected users would be rotated; nothing was sent",
                pending.len(),
                self.selected
            );
        }
        Ok(if self.unresolved > 0 {
            exit_code::ROWS_INVALID
        } else {
            exit_code::OK
        })
    }

    /// One user's outcome (`progress`: the run's counters after it).
    pub fn outcome(&mut self, id: &str, email: &str, outcome: &Outcome, progress: Progress) {
        match outcome {
            Outcome::Refreshed(_) => self.refreshed += 1,
            Outcome::NotSent => self.not_sent += 1,
            Outcome::Unknown => self.unknown += 1,
            _ => self.failed += 1,
        }
        if let Some(error) = outcome.error()
            && !self.quiet
        {
            let line = format!("applivery: {id} ({email}): {}", error);
            eprintln!("{}", crate::terminal::clean(&line));
        }
        if let Err(e) = self.result_line(id, email, outcome) {
            eprintln!("applivery: error: {e}");
            self.results = None;
            self.results_path = None;
        }
        if !self.quiet && self.last_progress.elapsed().as_secs() >= 1 {
            self.last_progress = Instant::now();
            eprintln!(
                "applivery: rotated {}/{} (in flight {}, concurrency {})",
                self.refreshed, self.pending, progress.in_flight, progress.limit
            );
        }
    }

    fn result_line(&mut self, id: &str, email: &str, outcome: &Outcome) -> Result<(), String> {
        let Some(path) = &self.results_path else {
            return Ok(());
        };
        if self.results.is_none() {
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create(true).truncate(true);
            let file = crate::output_file::open(path, &mut options, false)
                .map_err(|e| format!("results file {}: {e}", path.display()))?;
            let mut writer = csv::Writer::from_writer(file);
            writer
                .write_record(["collaboratorId", "email", "outcome", "kind", "message"])
                .map_err(|e| e.to_string())?;
            self.results = Some((path.clone(), writer));
        }
        let (_, writer) = self.results.as_mut().expect("opened above");
        let neutral = applivery_api::csv_cell::neutralize;
        let kind = outcome.error().map(|e| e.kind().as_str()).unwrap_or("");
        let message = outcome.error().map(|e| e.to_string()).unwrap_or_default();
        writer
            .write_record([
                &*neutral(id),
                &*neutral(email),
                outcome.as_str(),
                kind,
                &*neutral(&message),
            ])
            .map_err(|e| e.to_string())
    }

    /// Whether users are left to rotate (failed, not sent, or unknown).
    pub fn incomplete(&self) -> bool {
        self.failed + self.not_sent + self.unknown > 0 || self.unresolved > 0
    }

    /// Prints the summary; returns `code`.
    pub fn finish(
        mut self,
        secrets_written: u64,
        progress: Progress,
        code: u8,
    ) -> Result<u8, Failure> {
        if let Some((path, mut writer)) = self.results.take()
            && let Err(e) = writer.flush()
        {
            eprintln!("applivery: error: results file {}: {e}", path.display());
        }
        let elapsed = self.started.elapsed().as_secs_f64();
        let summary = serde_json::json!({
            "selected": self.selected,
            "rotatedBefore": self.done_before,
            "rotated": self.refreshed,
            "failed": self.failed,
            "notSent": self.not_sent,
            "unknown": self.unknown,
            "unresolved": self.unresolved,
            "secretsWritten": secrets_written,
            "secrets": self.secrets.as_ref().map(|p| p.display().to_string()),
            "results": self.results_path.as_ref().map(|p| p.display().to_string()),
            "pushBacks": progress.push_backs,
            "lowestConcurrency": progress.lowest_limit,
            "elapsedSeconds": elapsed,
            "exitCode": code,
        });
        if self.json {
            let text = serde_json::to_string_pretty(&summary).expect("JSON serializes");
            println!("{}", crate::terminal::json(&text));
        } else {
            self.print_text(secrets_written);
        }
        Ok(code)
    }

    /// The summary as text, and what to do when users are left.
    fn print_text(&self, secrets_written: u64) {
        let left = self.failed + self.not_sent + self.unknown;
        let unresolved = if self.unresolved > 0 {
            format!("; rows naming nobody: {}", self.unresolved)
        } else {
            String::new()
        };
        let text = format!(
            "Rotated {} of {} users ({} by an earlier run); {} left to rotate{}.\n\
             New secrets: {} ({} written by this run).",
            self.refreshed,
            self.selected,
            self.done_before,
            left,
            unresolved,
            self.secrets
                .as_ref()
                .map_or(String::new(), |p| p.display().to_string()),
            secrets_written,
        );
        println!("{}", crate::terminal::clean(&text));
        if left > 0 {
            println!("Run the same command again to rotate the users left.");
        }
    }
}
