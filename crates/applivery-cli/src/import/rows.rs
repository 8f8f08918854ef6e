//! Pass 2's reader: streams the file again on a blocking thread, looks each row up in the
//! journal, and gives the engine the rows to send. Every row, sent or not, also goes to the
//! recorder as an [`Item`], in file order.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use applivery::{BulkControl, NewOemUser};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::in_engine::InEngine;
use super::row_user::{invalid_reason, to_user};
use crate::failure::Failure;
use crate::input::{Format, Record, Row, RowReader};
use crate::journal::{JournalCursor, Lookup};
use crate::outcome::RowOutcome;

/// One row of the file, as the recorder lists it.
pub(super) enum Item {
    /// Invalid (pass 1 counted and reported it; listed so that the results keep file order).
    Invalid {
        line: u64,
        email: String,
        message: String,
    },
    /// An earlier run finished it; not sent.
    FromJournal {
        line: u64,
        email: String,
        outcome: RowOutcome,
    },
    /// `--skip-existing`: the organization had this email when the import started.
    SkippedExisting { line: u64, email: String },
    /// Given to the engine: its outcome is the engine's next one.
    Sent(SentRow),
}

/// What the recorder needs of a row the engine has.
pub(super) struct SentRow {
    pub(super) position: u64,
    pub(super) line: u64,
    pub(super) email: String,
    pub(super) fingerprint: u64,
    /// An earlier run may have created the user (a 4009 then means "probably by us").
    pub(super) ambiguous: bool,
}

/// Where the reader's rows go.
pub(super) struct Outlets {
    pub(super) users: mpsc::Sender<NewOemUser>,
    pub(super) items: mpsc::Sender<Item>,
    pub(super) in_engine: InEngine,
    /// Stopped if the file changes under the reader or the journal cannot be read.
    pub(super) control: BulkControl,
}

/// Starts the reader; it ends with the file, or with the failure that stopped the import.
pub(super) fn spawn(
    file: PathBuf,
    format: Option<Format>,
    cursor: JournalCursor,
    existing_emails: HashSet<String>,
    outlets: Outlets,
) -> JoinHandle<Option<Failure>> {
    tokio::task::spawn_blocking(move || {
        let control = outlets.control.clone();
        let read = read(&file, format, cursor, &existing_emails, &outlets);
        if read.is_err() {
            // Nothing more leaves; what is in flight finishes and is journaled.
            control.stop();
        }
        read.err()
    })
}

fn read(
    file: &Path,
    format: Option<Format>,
    mut cursor: JournalCursor,
    existing_emails: &HashSet<String>,
    outlets: &Outlets,
) -> Result<(), Failure> {
    let changed = |e: crate::input::FileError| Failure::usage(format!("{}: {e}", file.display()));
    for (position, record) in RowReader::open(file, format).map_err(changed)?.enumerate() {
        let record = record.map_err(changed)?;
        let (item, user) = classify(position as u64, record, &mut cursor, existing_emails)?;
        if let Item::Sent(row) = &item {
            outlets.in_engine.push(row.position, row.fingerprint);
        }
        if !send(outlets, user, item) {
            return Ok(());
        }
    }
    Ok(())
}

/// What becomes of the record at `position`: with its user when the engine is to send it.
fn classify(
    position: u64,
    record: Record,
    cursor: &mut JournalCursor,
    existing_emails: &HashSet<String>,
) -> Result<(Item, Option<NewOemUser>), Failure> {
    let (row, user) = match checked(record) {
        Ok(valid) => valid,
        Err(invalid) => return Ok((invalid, None)),
    };
    let fingerprint = row.fingerprint();
    let (line, email) = (row.line, row.user.email);
    let lookup = cursor
        .lookup(position, fingerprint)
        .map_err(|e| Failure::local_io(e.to_string()))?;
    let ambiguous = match lookup {
        Lookup::Finished(outcome) => {
            return Ok((
                Item::FromJournal {
                    line,
                    email,
                    outcome,
                },
                None,
            ));
        }
        Lookup::Unfinished { ambiguous } => ambiguous,
        Lookup::New | Lookup::Changed => false,
    };
    if existing_emails.contains(&email.to_lowercase()) {
        return Ok((Item::SkippedExisting { line, email }, None));
    }
    let row = SentRow {
        position,
        line,
        email,
        fingerprint,
        ambiguous,
    };
    Ok((Item::Sent(row), Some(user)))
}

/// A valid row with its user, or its listing as invalid.
fn checked(record: Record) -> Result<(Row, NewOemUser), Item> {
    match record {
        Record::Row(row) => {
            let user = to_user(&row);
            match invalid_reason(&user) {
                None => Ok((row, user)),
                Some(message) => Err(Item::Invalid {
                    line: row.line,
                    email: row.user.email,
                    message,
                }),
            }
        }
        Record::Invalid {
            line,
            email,
            message,
        } => Err(Item::Invalid {
            line,
            email: email.unwrap_or_default(),
            message,
        }),
    }
}

/// Hands a row on: its user to the engine first (the recorder then waits for its outcome),
/// then the item to the recorder. `false` once the import is gone.
fn send(outlets: &Outlets, user: Option<NewOemUser>, item: Item) -> bool {
    if let Some(user) = user
        && outlets.users.blocking_send(user).is_err()
    {
        return false;
    }
    outlets.items.blocking_send(item).is_ok()
}
