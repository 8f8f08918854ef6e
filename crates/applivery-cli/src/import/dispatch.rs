//! Pass 2: stream the file again and hand each valid row to a task once the limiter allows.

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use applivery::NewOemUser;
use tokio::sync::mpsc;

use super::recorder::{Event, InvalidRow, Numbered};
use super::row_user::{invalid_reason, to_user};
use super::send::Sender;
use crate::args::ImportArgs;
use crate::failure::Failure;
use crate::input::{FileError, Record, Row, RowReader};
use crate::journal::{Durable, Journal, JournalState, Lookup};
use crate::limiter::Limiter;

/// Rows read ahead of the senders.
const READ_AHEAD: usize = 256;

/// A row whose `started` entry is on its way to disk, waiting for a permit.
struct Primed {
    /// Position in the file, for the order of the results.
    position: u64,
    row: Row,
    user: NewOemUser,
    fingerprint: u64,
    ambiguous: bool,
    durable: Option<Durable>,
}

/// Sends every valid row the journal does not record as finished.
///
/// Up to `--concurrency` rows ahead of the senders are journaled as `started` before they get
/// a permit, so by the time a permit frees up their entry is usually on disk: the fsync is off
/// the critical path. The price: after a crash, up to twice `--concurrency` rows (in flight or
/// primed) are re-sent and reconciled, instead of only those in flight.
/// What is known before anything is sent: the journal of earlier runs, and with
/// `--skip-existing` the organization's emails (lower-cased).
pub(super) struct Known<'a> {
    pub(super) journal: &'a JournalState,
    pub(super) existing_emails: &'a HashSet<String>,
}

pub(super) async fn dispatch(
    args: &ImportArgs,
    known: Known<'_>,
    sender: &Arc<Sender>,
    limiter: &Limiter,
    stop: &AtomicBool,
    journal: Option<&Journal>,
    events: mpsc::Sender<Numbered>,
) -> Result<(), Failure> {
    let (rows_tx, mut rows) = mpsc::channel::<Result<Record, FileError>>(READ_AHEAD);
    let path = args.file.clone();
    let format = args.format;
    let reader = tokio::task::spawn_blocking(move || {
        let reader = match RowReader::open(&path, format) {
            Ok(reader) => reader,
            Err(e) => {
                let _ = rows_tx.blocking_send(Err(e));
                return;
            }
        };
        for record in reader {
            if rows_tx.blocking_send(record).is_err() {
                return;
            }
        }
    });
    let mut cursor = known
        .journal
        .cursor()
        .map_err(|e| Failure::local_io(e.to_string()))?;
    let journal = journal.map(Journal::handle);
    let window = usize::from(args.concurrency);
    let mut primed: VecDeque<Primed> = VecDeque::with_capacity(window);
    let mut end_of_file = false;
    let mut result = Ok(());
    let mut position = 0u64;
    loop {
        // Top up the primed rows: wait for a row only when none is primed.
        while !end_of_file && primed.len() < window && !stop.load(Ordering::SeqCst) {
            let record = if primed.is_empty() {
                rows.recv().await
            } else {
                match rows.try_recv() {
                    Ok(record) => Some(record),
                    Err(mpsc::error::TryRecvError::Empty) => break,
                    Err(mpsc::error::TryRecvError::Disconnected) => None,
                }
            };
            let Some(record) = record else {
                end_of_file = true;
                break;
            };
            let record = match record {
                Ok(record) => record,
                Err(e) => {
                    // The file changed under us: stop sending; what was sent is journaled.
                    stop.store(true, Ordering::SeqCst);
                    result = Err(Failure::usage(format!("{}: {e}", args.file.display())));
                    end_of_file = true;
                    break;
                }
            };
            let at = position;
            position += 1;
            let (row, user) = match checked(record) {
                Ok(valid) => valid,
                Err(invalid) => {
                    let event = Event::Invalid(invalid);
                    if events.send((at, event)).await.is_err() {
                        return result;
                    }
                    continue;
                }
            };
            let fingerprint = row.fingerprint();
            let lookup = match cursor.lookup(at, fingerprint) {
                Ok(lookup) => lookup,
                Err(e) => {
                    stop.store(true, Ordering::SeqCst);
                    result = Err(Failure::local_io(e.to_string()));
                    // Reported as not sent, with the rest of the file.
                    let event = Event::NotSent {
                        line: row.line,
                        email: row.user.email,
                        journaled: None,
                        ambiguous: false,
                    };
                    if events.send((at, event)).await.is_err() {
                        return result;
                    }
                    break;
                }
            };
            let ambiguous = match lookup {
                Lookup::Finished(outcome) => {
                    let event = Event::FromJournal {
                        line: row.line,
                        email: row.user.email,
                        outcome,
                    };
                    if events.send((at, event)).await.is_err() {
                        return result;
                    }
                    continue;
                }
                Lookup::Unfinished { ambiguous } => ambiguous,
                Lookup::New | Lookup::Changed => false,
            };
            // `--skip-existing`: the organization had this email when the import started.
            if known
                .existing_emails
                .contains(&row.user.email.to_lowercase())
            {
                let event = Event::SkippedExisting {
                    line: row.line,
                    email: row.user.email,
                };
                if events.send((at, event)).await.is_err() {
                    return result;
                }
                continue;
            }
            let durable = journal
                .as_ref()
                .map(|journal| journal.begin_started(at, fingerprint));
            primed.push_back(Primed {
                position: at,
                row,
                user,
                fingerprint,
                ambiguous,
                durable,
            });
        }
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let Some(next) = primed.pop_front() else {
            break;
        };
        let permit = limiter.acquire().await;
        if stop.load(Ordering::SeqCst) {
            primed.push_front(next);
            break;
        }
        let sender = Arc::clone(sender);
        let events = events.clone();
        tokio::spawn(async move {
            let Primed {
                position,
                row,
                user,
                fingerprint,
                ambiguous,
                durable,
            } = next;
            if let Some(durable) = durable
                && let Err(e) = durable.wait().await
            {
                // Never send a row without a durable trace of it.
                drop(permit);
                let failed = Event::JournalFailed {
                    line: row.line,
                    email: row.user.email,
                    error: e.to_string(),
                };
                let _ = events.send((position, failed)).await;
                return;
            }
            let sent = sender.send(&user, permit, ambiguous).await;
            let event = Event::Sent {
                line: row.line,
                fingerprint,
                email: row.user.email,
                outcome: sent.outcome,
                fatal: sent.fatal,
                secret: sent.secret,
            };
            let _ = events.send((position, event)).await;
        });
    }
    // Stopped early: the primed rows and the rest of the file are not sent. Primed rows get a
    // `done` entry so the next run knows they never left.
    for primed in primed.drain(..) {
        let event = Event::NotSent {
            line: primed.row.line,
            email: primed.row.user.email,
            journaled: primed.durable.is_some().then_some(primed.fingerprint),
            ambiguous: primed.ambiguous,
        };
        if events.send((primed.position, event)).await.is_err() {
            break;
        }
    }
    if !end_of_file {
        // The rest of the file: listed in the results, not sent.
        while let Some(Ok(record)) = rows.recv().await {
            let at = position;
            position += 1;
            let event = match checked(record) {
                Err(invalid) => Event::Invalid(invalid),
                Ok((row, _)) => match cursor.lookup(at, row.fingerprint()) {
                    Ok(Lookup::Finished(outcome)) => Event::FromJournal {
                        line: row.line,
                        email: row.user.email,
                        outcome,
                    },
                    _ => Event::NotSent {
                        line: row.line,
                        email: row.user.email,
                        journaled: None,
                        ambiguous: false,
                    },
                },
            };
            if events.send((at, event)).await.is_err() {
                break;
            }
        }
    }
    drop(rows);
    let _ = reader.await;
    result
}

/// A valid row with its user, or what lists it as invalid in the results (pass 1 counted and
/// reported it already).
fn checked(record: Record) -> Result<(Row, NewOemUser), InvalidRow> {
    match record {
        Record::Row(row) => {
            let user = to_user(&row);
            match invalid_reason(&user) {
                None => Ok((row, user)),
                Some(message) => Err(InvalidRow {
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
        } => Err(InvalidRow {
            line,
            email: email.unwrap_or_default(),
            message,
        }),
    }
}
