//! `applivery oem-users import FILE`: validate every row, then create the valid ones with
//! bounded, adaptive concurrency, journaling each row so that a rerun resumes.
//!
//! Memory stays flat whatever the file size: both passes stream the file, and at most
//! `--concurrency` rows plus a small read-ahead are held at once. (Resuming also holds the
//! journal's index: a few dozen bytes per journaled row.)

mod recorder;
mod row_user;
mod scan;
mod send;

use std::collections::VecDeque;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use applivery::{NewOemUser, RetryPolicy};
use tokio::sync::mpsc;

use crate::args::{GlobalArgs, ImportArgs, OutputFormat};
use crate::exit_code;
use crate::failure::Failure;
use crate::input::{FileError, Record, Row, RowReader};
use crate::journal::{self, Durable, Journal, JournalIndex, Lookup, RunInfo};
use crate::limiter::Limiter;
use crate::outcome::RowOutcome;
use crate::results::ResultsWriter;
use crate::summary::Summary;
use recorder::{Event, Recorder};
use row_user::{invalid_reason, to_user};
use scan::ScanError;
use send::Sender;

/// Rows read ahead of the senders.
const READ_AHEAD: usize = 256;

/// Runs the import; returns the exit code (the summary is printed).
pub async fn run(global: &GlobalArgs, args: ImportArgs) -> Result<u8, Failure> {
    let json = global.output == OutputFormat::Json;
    if let Some(results) = &args.results {
        ResultsWriter::check_path(results).map_err(Failure::usage)?;
        refuse_overwriting_input(&args.file, results, "--results")?;
    }
    if let Some(journal) = &args.journal {
        refuse_overwriting_input(&args.file, journal, "--journal")?;
    }
    let client = crate::client::build(
        global,
        &args.target,
        RetryPolicy::none(),
        Duration::from_secs(args.timeout),
    )?;
    let run_info = RunInfo {
        input: args.file.display().to_string(),
        organization: args.target.org.clone(),
        base_url: client.base_url().to_owned(),
    };
    let journal_path = (!args.no_journal).then(|| {
        args.journal
            .clone()
            .unwrap_or_else(|| journal::default_path(&args.file))
    });
    let index = match &journal_path {
        Some(path) => {
            JournalIndex::load(path, &run_info).map_err(|e| Failure::usage(e.to_string()))?
        }
        None => JournalIndex::default(),
    };
    if index.unreadable_lines > 0 {
        eprintln!(
            "applivery: warning: {} unreadable journal lines ignored (a run killed mid-write); \
             their rows are re-sent and reconciled",
            index.unreadable_lines
        );
    }

    // Pass 1: validate everything; nothing is sent from a bad file.
    let mut results = match &args.results {
        Some(path) => Some(ResultsWriter::create(path).map_err(Failure::local_io)?),
        None => None,
    };
    let scan = match scan::scan(
        &args.file,
        args.format,
        &index,
        results.as_mut(),
        args.quiet,
    ) {
        Ok(scan) => scan,
        Err(ScanError::File(e)) => {
            return Err(Failure::usage(format!("{}: {e}", args.file.display())));
        }
        Err(ScanError::Results(e)) => return Err(Failure::local_io(e)),
    };
    let mut summary = Summary {
        file: args.file.clone(),
        organization: args.target.org.clone(),
        dry_run: args.dry_run,
        rows: scan.rows,
        created: 0,
        already_registered: 0,
        invalid: scan.invalid,
        failed: 0,
        not_sent: 0,
        from_journal: scan.finished_before,
        sent: 0,
        push_backs: 0,
        lowest_concurrency: usize::from(args.concurrency),
        elapsed_seconds: 0.0,
        rows_per_second: 0.0,
        journal: journal_path.clone().filter(|_| !args.dry_run),
        results: args.results.clone(),
        stopped_by: None,
        exit_code: 0,
    };
    if args.dry_run {
        if let Some(results) = results {
            results.finish().map_err(Failure::local_io)?;
        }
        summary.exit_code = if scan.invalid > 0 {
            exit_code::ROWS_INVALID
        } else {
            exit_code::OK
        };
        summary.print(json);
        return Ok(summary.exit_code);
    }

    // Pass 2: send.
    let journal = match &journal_path {
        Some(path) => {
            Some(Journal::open(path, &run_info).map_err(|e| Failure::local_io(e.to_string()))?)
        }
        None => None,
    };
    let started = Instant::now();
    let limiter = Limiter::new(usize::from(args.concurrency));
    let stop = Arc::new(AtomicBool::new(false));
    let interrupted = Arc::new(AtomicBool::new(false));
    watch_ctrl_c(Arc::clone(&stop), Arc::clone(&interrupted));
    let (events, recorder) = Recorder::start(
        results,
        journal.as_ref().map(Journal::handle),
        &scan,
        limiter.clone(),
        Arc::clone(&stop),
        args.quiet,
    );
    let sender = Arc::new(Sender {
        client,
        organization: args.target.org.clone(),
        limiter: limiter.clone(),
        max_attempts: args.max_attempts,
    });
    let dispatched = dispatch(
        &args,
        &index,
        &sender,
        &limiter,
        &stop,
        journal.as_ref(),
        events,
    )
    .await;
    let report = recorder.await.expect("the recorder does not panic");
    let journal_closed = match journal {
        Some(journal) => journal.close().await.map_err(|e| e.to_string()),
        None => Ok(()),
    };
    let elapsed = started.elapsed();

    summary.set_counts(&report.counts, report.sent, elapsed);
    summary.push_backs = limiter.push_backs();
    summary.lowest_concurrency = limiter.lowest_limit();
    summary.results = report.results_path.clone();
    let local_error = report
        .results_error
        .clone()
        .or(journal_closed.err())
        .or(report.journal_error.clone());
    summary.stopped_by = if let Some(fatal) = &report.fatal {
        Some(fatal.kind().as_str().to_owned())
    } else if report.journal_error.is_some() {
        Some("io".to_owned())
    } else if dispatched.is_err() {
        Some("file_changed".to_owned())
    } else if interrupted.load(Ordering::SeqCst) {
        Some("interrupted".to_owned())
    } else {
        None
    };
    summary.exit_code = if let Some(fatal) = &report.fatal {
        exit_code::for_kind(fatal.kind())
    } else if local_error.is_some() {
        exit_code::LOCAL_IO
    } else if let Err(e) = &dispatched {
        e.exit_code
    } else if interrupted.load(Ordering::SeqCst) {
        exit_code::INTERRUPTED
    } else if summary.failed > 0 || summary.not_sent > 0 {
        exit_code::ROWS_FAILED
    } else if summary.invalid > 0 {
        exit_code::ROWS_INVALID
    } else {
        exit_code::OK
    };
    if let Some(fatal) = report.fatal {
        Failure::api(fatal).report(false);
        eprintln!("applivery: the import stopped; rows not sent are retried by the next run");
    }
    if let Some(error) = &local_error {
        eprintln!("applivery: error: {error}");
    }
    if let Err(e) = &dispatched {
        e.report(false);
    }
    summary.print(json);
    Ok(summary.exit_code)
}

/// A typo such as `--results users.csv` must not destroy the input.
fn refuse_overwriting_input(input: &Path, output: &Path, flag: &str) -> Result<(), Failure> {
    let same = match (std::path::absolute(input), std::path::absolute(output)) {
        (Ok(a), Ok(b)) => a == b,
        _ => input == output,
    } || matches!(
        (input.canonicalize(), output.canonicalize()),
        (Ok(a), Ok(b)) if a == b
    );
    if same {
        return Err(Failure::usage(format!(
            "{flag} {} is the input file; choose another path",
            output.display()
        )));
    }
    Ok(())
}

/// A row whose `started` entry is on its way to disk, waiting for a permit.
struct Primed {
    row: Row,
    user: NewOemUser,
    fingerprint: u64,
    ambiguous: bool,
    durable: Option<Durable>,
}

/// Streams the file again and hands each valid row to a task once the limiter allows.
///
/// Up to `--concurrency` rows ahead of the senders are journaled as `started` before they get
/// a permit, so by the time a permit frees up their entry is usually on disk: the fsync is off
/// the critical path. The price: after a crash, up to twice `--concurrency` rows (in flight or
/// primed) are re-sent and reconciled, instead of only those in flight.
async fn dispatch(
    args: &ImportArgs,
    index: &JournalIndex,
    sender: &Arc<Sender>,
    limiter: &Limiter,
    stop: &AtomicBool,
    journal: Option<&Journal>,
    events: mpsc::Sender<Event>,
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
    let journal = journal.map(Journal::handle);
    let window = usize::from(args.concurrency);
    let mut primed: VecDeque<Primed> = VecDeque::with_capacity(window);
    let mut end_of_file = false;
    let mut result = Ok(());
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
            let row = match record {
                Ok(Record::Row(row)) => row,
                Ok(Record::Invalid { .. }) => continue, // reported by pass 1
                Err(e) => {
                    // The file changed under us: stop sending; what was sent is journaled.
                    stop.store(true, Ordering::SeqCst);
                    result = Err(Failure::usage(format!("{}: {e}", args.file.display())));
                    end_of_file = true;
                    break;
                }
            };
            let user = to_user(&row);
            if invalid_reason(&user).is_some() {
                continue; // reported by pass 1
            }
            let fingerprint = row.fingerprint();
            let ambiguous = match index.lookup(row.line, fingerprint) {
                Lookup::Finished(prior) => {
                    let event = Event::FromJournal {
                        line: row.line,
                        email: row.email,
                        outcome: prior.to_outcome(),
                    };
                    if events.send(event).await.is_err() {
                        return result;
                    }
                    continue;
                }
                Lookup::Unfinished { ambiguous } => ambiguous,
                Lookup::New | Lookup::Changed => false,
            };
            let durable = journal
                .as_ref()
                .map(|journal| journal.begin_started(row.line, fingerprint));
            primed.push_back(Primed {
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
                let _ = events
                    .send(Event::JournalFailed {
                        line: row.line,
                        email: row.email,
                        error: e.to_string(),
                    })
                    .await;
                return;
            }
            let sent = sender.send(&user, permit, ambiguous).await;
            let _ = events
                .send(Event::Sent {
                    line: row.line,
                    fingerprint,
                    email: row.email,
                    outcome: sent.outcome,
                    fatal: sent.fatal,
                })
                .await;
        });
    }
    // Stopped early: the primed rows and the rest of the file are not sent. Primed rows get a
    // `done` entry so the next run knows they never left.
    for primed in primed.drain(..) {
        let event = Event::NotSent {
            line: primed.row.line,
            email: primed.row.email,
            journaled: primed.durable.is_some().then_some(primed.fingerprint),
            ambiguous: primed.ambiguous,
        };
        if events.send(event).await.is_err() {
            break;
        }
    }
    while !end_of_file {
        let Some(record) = rows.recv().await else {
            end_of_file = true;
            continue;
        };
        let row = match record {
            Ok(Record::Row(row)) => row,
            Ok(Record::Invalid { .. }) => continue,
            Err(_) => break,
        };
        if invalid_reason(&to_user(&row)).is_some() {
            continue;
        }
        let event = match index.lookup(row.line, row.fingerprint()) {
            Lookup::Finished(prior) => Event::FromJournal {
                line: row.line,
                email: row.email,
                outcome: prior.to_outcome(),
            },
            _ => Event::NotSent {
                line: row.line,
                email: row.email,
                journaled: None,
                ambiguous: false,
            },
        };
        if events.send(event).await.is_err() {
            break;
        }
    }
    drop(rows);
    let _ = reader.await;
    result
}

/// Ctrl-C stops sending new rows and lets those in flight finish; a second one exits at once
/// (the journal keeps the import resumable either way).
fn watch_ctrl_c(stop: Arc<AtomicBool>, interrupted: Arc<AtomicBool>) {
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_err() {
            return;
        }
        stop.store(true, Ordering::SeqCst);
        interrupted.store(true, Ordering::SeqCst);
        eprintln!(
            "applivery: interrupted: finishing the requests in flight (Ctrl-C again to quit now; \
             rerun the same command to resume)"
        );
        if tokio::signal::ctrl_c().await.is_ok() {
            std::process::exit(i32::from(exit_code::INTERRUPTED));
        }
    });
}

/// A row outcome for a row that was not sent because the import stopped.
fn not_sent() -> RowOutcome {
    RowOutcome::with_kind(
        crate::outcome::Outcome::NotSent,
        "not_sent",
        "the import stopped before this row was sent; the next run sends it",
    )
}
