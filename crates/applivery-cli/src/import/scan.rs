//! Pass 1: read the whole file, validate every row, count, and report the invalid ones. Nothing
//! is sent; a bad file stops here.

use applivery_api::types::NewOemUser;
use std::path::Path;

use super::row_user::{invalid_reason, to_user};
use crate::input::{FileError, Format, Record, RowReader};
use crate::journal::{JournalCursor, JournalState, Lookup};
use crate::outcome::{Outcome, RowOutcome};
use crate::results::{ResultRow, ResultsWriter};

/// Invalid rows shown on stderr; the rest are counted (and all go to the results file).
const MAX_REPORTED: u64 = 50;

/// What pass 1 found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Scan {
    /// Data rows.
    pub rows: u64,
    /// Rows that are invalid.
    pub invalid: u64,
    /// Valid rows the journal says are finished.
    pub finished_before: u64,
    /// Valid rows this run will send.
    pub to_send: u64,
    /// Rows whose position the journal records with other content (the file was edited).
    pub changed: u64,
    /// Journal slots that could not be read (torn by a crash); their rows are re-sent.
    pub unreadable: u64,
}

/// Reads and validates `path`, writing invalid rows to `results` when given (a dry run; a real
/// run lists them in pass 2, in file order).
pub fn scan(
    path: &Path,
    format: Option<Format>,
    journal: &JournalState,
    mut results: Option<&mut ResultsWriter>,
    quiet: bool,
) -> Result<Scan, ScanError> {
    let mut reader = RowReader::open(path, format)?;
    // A CSV header names its columns up front; JSON Lines' keys are known at the end.
    if reader.format() == Format::Csv {
        warn_unknown(&reader, "columns");
    }
    let mut scan = Scan::default();
    let mut cursor = journal
        .cursor()
        .map_err(|e| ScanError::Journal(e.to_string()))?;
    for record in &mut reader {
        let position = scan.rows;
        scan.rows += 1;
        let Some((line, email, reason)) = check(record?, position, &mut cursor, &mut scan)? else {
            continue;
        };
        scan.invalid += 1;
        if !quiet && scan.invalid <= MAX_REPORTED {
            eprintln!("line {line}: invalid: {}", crate::terminal::clean(&reason));
        }
        if let Some(results) = results.as_deref_mut() {
            let outcome = RowOutcome::with_kind(Outcome::Invalid, "invalid_input", reason);
            results
                .write(&ResultRow::new(line, &email, &outcome))
                .map_err(ScanError::Results)?;
        }
    }
    if reader.format() == Format::Jsonl {
        warn_unknown(&reader, "keys");
    }
    if scan.invalid > MAX_REPORTED && !quiet {
        eprintln!(
            "... and {} more invalid rows (--results PATH lists them all)",
            scan.invalid - MAX_REPORTED
        );
    }
    scan.unreadable = cursor.unreadable;
    warn_journal(&scan);
    if scan.rows == 0 {
        return Err(ScanError::File(FileError::NoRows));
    }
    Ok(scan)
}

/// Counts a valid record (by what the journal says of it); an invalid one is returned as
/// (line, email, why).
fn check(
    record: Record,
    position: u64,
    cursor: &mut JournalCursor,
    scan: &mut Scan,
) -> Result<Option<(u64, String, String)>, ScanError> {
    let row = match record {
        Record::Invalid {
            line,
            email,
            message,
        } => return Ok(Some((line, email.unwrap_or_default(), message))),
        Record::Row(row) => row,
    };
    if let Some(reason) = invalid_reason(&to_user(&row)) {
        return Ok(Some((row.line, row.user.email, reason)));
    }
    let lookup = cursor
        .lookup(position, row.fingerprint())
        .map_err(|e| ScanError::Journal(e.to_string()))?;
    match lookup {
        Lookup::Finished(_) => scan.finished_before += 1,
        Lookup::Changed => {
            scan.changed += 1;
            scan.to_send += 1;
        }
        Lookup::New | Lookup::Unfinished { .. } => scan.to_send += 1,
    }
    Ok(None)
}

/// Unknown columns or keys are ignored, and said so.
fn warn_unknown(reader: &RowReader, what: &str) {
    let unknown = reader.unknown_fields();
    if !unknown.is_empty() {
        let line = format!(
            "applivery: warning: ignoring unknown {what}: {} (known: {})",
            unknown.join(", "),
            NewOemUser::PROPERTIES.join(", ")
        );
        eprintln!("{}", crate::terminal::clean(&line));
    }
}

/// What the journal could not vouch for: those rows are re-sent.
fn warn_journal(scan: &Scan) {
    if scan.unreadable > 0 {
        eprintln!(
            "applivery: warning: {} unreadable journal slots (a run killed mid-write): their \
             rows are re-sent and reconciled",
            scan.unreadable
        );
    }
    if scan.changed > 0 {
        eprintln!(
            "applivery: warning: {} rows differ from what the journal recorded for their line \
             (the file was edited since): they are sent as new rows",
            scan.changed
        );
    }
}

/// Why pass 1 stopped.
#[derive(Debug)]
pub enum ScanError {
    /// The file cannot be imported.
    File(FileError),
    /// The results file cannot be written.
    Results(String),
    /// The journal cannot be read.
    Journal(String),
}

impl From<FileError> for ScanError {
    fn from(error: FileError) -> Self {
        ScanError::File(error)
    }
}
