//! `applivery oem-users import FILE`: validate every row, then create the valid ones with
//! bounded, adaptive concurrency, journaling each row so that a rerun resumes.
//!
//! Memory stays flat whatever the file size: both passes stream the file, and at most
//! `--concurrency` rows plus a small read-ahead are held at once. Resuming reads the journal
//! in file order beside the input, one slot at a time (see [`crate::journal`]).

mod dispatch;
mod recorder;
mod row_user;
mod scan;
mod send;

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use applivery::RetryPolicy;

use crate::args::{GlobalArgs, ImportArgs};
use crate::exit_code;
use crate::failure::Failure;
use crate::journal::{self, Journal, JournalError, JournalLock, JournalState, RunInfo};
use crate::limiter::Limiter;
use crate::results::ResultsWriter;
use crate::secrets::SecretsFile;
use crate::summary::Summary;
use dispatch::{Known, dispatch};
use recorder::Recorder;
use scan::ScanError;
use send::Sender;

/// Runs the import; returns the exit code (the summary is printed).
pub async fn run(global: &GlobalArgs, args: ImportArgs) -> Result<u8, Failure> {
    let json = global.output.is_json();
    if let Some(results) = &args.results {
        ResultsWriter::check_path(results).map_err(Failure::usage)?;
        refuse_overwriting_input(&args.file, results, "--results")?;
    }
    if let Some(journal) = &args.journal {
        refuse_overwriting_input(&args.file, journal, "--journal")?;
    }
    if let Some(results) = &args.results
        && !args.no_journal
    {
        let journal = args
            .journal
            .clone()
            .unwrap_or_else(|| journal::default_path(&args.file));
        refuse_overwriting(&journal, results, "--results", "the journal")?;
    }
    if let Some(secrets) = &args.secrets {
        refuse_overwriting_input(&args.file, secrets, "--secrets")?;
        let journal = (!args.no_journal).then(|| {
            args.journal
                .clone()
                .unwrap_or_else(|| journal::default_path(&args.file))
        });
        for (other, what) in [
            (&args.results, "the results file"),
            (&journal, "the journal"),
        ] {
            if let Some(other) = other {
                refuse_overwriting(other, secrets, "--secrets", what)?;
            }
        }
    }
    let client = crate::client::build(
        global,
        &args.target,
        RetryPolicy::none(),
        Duration::from_secs(args.target.timeout),
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
    // Held until the run ends: the index below must not change under us. A dry run only reads.
    let _lock = match &journal_path {
        Some(path) if !args.dry_run => {
            Some(JournalLock::acquire(path).map_err(|e| Failure::local_io(e.to_string()))?)
        }
        _ => None,
    };
    let journal_failure = |e: JournalError| match e {
        JournalError::Io { .. } => Failure::local_io(e.to_string()),
        _ => Failure::usage(e.to_string()),
    };
    let index = match &journal_path {
        Some(path) => match JournalState::open(path, &run_info) {
            Err(JournalError::OldFormat { .. }) if args.dry_run => {
                eprintln!(
                    "applivery: warning: journal {} is of an earlier applivery: the import \
                     upgrades it; this dry run ignores it",
                    path.display()
                );
                JournalState::none()
            }
            Err(JournalError::OldFormat { .. }) => {
                let kept = journal::upgrade(path, &run_info, &args.file, args.format)
                    .map_err(Failure::usage)?;
                eprintln!(
                    "applivery: journal {} upgraded to this version's format (the old one is \
                     kept as {})",
                    path.display(),
                    kept.display()
                );
                JournalState::open(path, &run_info).map_err(journal_failure)?
            }
            opened => opened.map_err(journal_failure)?,
        },
        None => JournalState::none(),
    };

    // Pass 1: validate everything; nothing is sent from a bad file.
    let mut results = match &args.results {
        Some(path) => Some(ResultsWriter::create(path).map_err(Failure::local_io)?),
        None => None,
    };
    // A real run lists invalid rows in pass 2, where the results are written in file order.
    let dry_run_results = results.as_mut().filter(|_| args.dry_run);
    let scan = match scan::scan(&args.file, args.format, &index, dry_run_results, args.quiet) {
        Ok(scan) => scan,
        Err(ScanError::File(e)) => {
            return Err(Failure::usage(format!("{}: {e}", args.file.display())));
        }
        Err(ScanError::Results(e) | ScanError::Journal(e)) => return Err(Failure::local_io(e)),
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
        skipped_existing: 0,
        from_journal: scan.finished_before,
        sent: 0,
        push_backs: 0,
        lowest_concurrency: usize::from(args.concurrency),
        elapsed_seconds: 0.0,
        rows_per_second: 0.0,
        journal: journal_path.clone().filter(|_| !args.dry_run),
        results: args.results.clone(),
        secrets: None,
        secrets_written: None,
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
    let secrets = match &args.secrets {
        Some(path) => {
            let (secrets, note) = SecretsFile::open(path).map_err(Failure::local_io)?;
            if let Some(note) = note {
                eprintln!("applivery: warning: {note}");
            }
            Some(secrets)
        }
        None => None,
    };
    let journal = match &journal_path {
        Some(path) => {
            Some(Journal::open(path, &run_info).map_err(|e| Failure::local_io(e.to_string()))?)
        }
        None => None,
    };
    let existing = if args.skip_existing {
        existing_emails(global, &args).await?
    } else {
        HashSet::new()
    };
    let started = Instant::now();
    let limiter = Limiter::new(usize::from(args.concurrency));
    let stop = Arc::new(AtomicBool::new(false));
    let interrupted = Arc::new(AtomicBool::new(false));
    watch_ctrl_c(Arc::clone(&stop), Arc::clone(&interrupted));
    let (events, recorder) = Recorder::start(
        results,
        secrets,
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
        Known {
            journal: &index,
            existing_emails: &existing,
        },
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
    summary.secrets = report.secrets.clone().map(|(path, _)| path);
    summary.secrets_written = report.secrets.as_ref().map(|(_, n)| *n);
    let local_error = report
        .results_error
        .clone()
        .or(report.secrets_error.clone())
        .or(journal_closed.err())
        .or(report.journal_error.clone());
    summary.stopped_by = if let Some(fatal) = &report.fatal {
        Some(fatal.kind().as_str().to_owned())
    } else if report.journal_error.is_some() || report.secrets_error.is_some() {
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
        eprintln!("applivery: error: {}", crate::terminal::clean(error));
    }
    if let Err(e) = &dispatched {
        e.report(false);
    }
    summary.print(json);
    Ok(summary.exit_code)
}

/// A typo such as `--results users.csv` must not destroy the input.
fn refuse_overwriting_input(input: &Path, output: &Path, flag: &str) -> Result<(), Failure> {
    refuse_overwriting(input, output, flag, "the input file")
}

/// Refuses `output` when it is the same file as `other` (`what`): compared as files (device and
/// inode: a hard or symbolic link is the same file), by path while one does not exist.
fn refuse_overwriting(other: &Path, output: &Path, flag: &str, what: &str) -> Result<(), Failure> {
    if crate::output_file::same_file(other, output) {
        return Err(Failure::usage(format!(
            "{flag} {} is {what}; choose another path",
            output.display()
        )));
    }
    Ok(())
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

/// `--skip-existing`: the emails of the organization's collaborators, lower-cased, listed page
/// after page (with the client's usual retries) before anything is sent.
async fn existing_emails(
    global: &GlobalArgs,
    args: &ImportArgs,
) -> Result<HashSet<String>, Failure> {
    // Listing is a one-off call: the SDK's retries, not the import's own.
    let client = crate::client::for_command(global, &args.target)?;
    let mut stream = client.list_collaborators(&args.target.org).stream();
    let mut emails = HashSet::new();
    while let Some(collaborator) = std::future::poll_fn(|cx| {
        futures_core::Stream::poll_next(std::pin::Pin::new(&mut stream), cx)
    })
    .await
    {
        let collaborator = collaborator.map_err(Failure::api)?;
        if let Some(email) = collaborator.user.and_then(|user| user.email) {
            emails.insert(email.to_lowercase());
        }
    }
    if !args.quiet {
        eprintln!(
            "applivery: --skip-existing: {} collaborators already in {}",
            emails.len(),
            args.target.org
        );
    }
    Ok(emails)
}
