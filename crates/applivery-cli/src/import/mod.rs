//! `applivery oem-users import FILE`: validate every row, then create the valid ones through the
//! facade's bulk engine (`Client::create_oem_users_from_stream`: bounded, adaptive concurrency,
//! retries, outcomes in order), journaling each row so that a rerun resumes.
//!
//! The import is a composition: the file readers ([`crate::input`]) feed the engine
//! (`engine.rs`, which writes each new secret as its answer arrives); its `before_send` hook
//! journals each row `started` ([`crate::journal`]) before it leaves; the recorder
//! (`recorder.rs`) writes each outcome to the journal, the results file, the progress and the
//! summary. Memory stays flat whatever the file size: both passes
//! stream the file, and the tasks of pass 2 are joined by bounded channels. Resuming reads the
//! journal in file order beside the input, one slot at a time.

mod engine;
mod finish;
mod in_engine;
mod journal_state;
mod outputs;
mod pass2;
mod recorder;
mod row_outcome;
mod row_user;
mod rows;
mod scan;
mod skip_existing;

use std::path::PathBuf;
use std::time::Duration;

use applivery::RetryPolicy;

use crate::args::{GlobalArgs, ImportArgs};
use crate::exit_code;
use crate::failure::Failure;
use crate::journal::{JournalLock, RunInfo};
use crate::results::ResultsWriter;
use crate::summary::Summary;
use scan::{Scan, ScanError};

/// Runs the import; returns the exit code (the summary is printed).
pub async fn run(global: &GlobalArgs, args: ImportArgs) -> Result<u8, Failure> {
    let json = global.output.is_json();
    outputs::check(&args)?;
    // The engine retries, each attempt bounded by `--timeout`.
    let timeout = Duration::from_secs(args.target.timeout);
    let client = crate::client::build(global, &args.target, RetryPolicy::none(), timeout)?;
    let run_info = RunInfo {
        input: args.file.display().to_string(),
        organization: args.target.org.clone(),
        base_url: client.base_url().to_owned(),
    };
    let journal_path = outputs::journal_path(&args);
    // Held until the run ends: the index below must not change under us. A dry run only reads.
    let _lock = match &journal_path {
        Some(path) if !args.dry_run => {
            Some(JournalLock::acquire(path).map_err(|e| Failure::local_io(e.to_string()))?)
        }
        _ => None,
    };
    let index = journal_state::open(journal_path.as_deref(), &run_info, &args)?;

    // Pass 1: validate everything; nothing is sent from a bad file.
    let mut results = match &args.results {
        Some(path) => Some(ResultsWriter::create(path).map_err(Failure::local_io)?),
        None => None,
    };
    // A real run lists invalid rows in pass 2, where the results are written in file order.
    let dry_run_results = results.as_mut().filter(|_| args.dry_run);
    let scan = scan::scan(&args.file, args.format, &index, dry_run_results, args.quiet)
        .map_err(|e| scan_failure(&args, e))?;
    let mut summary = summary(&args, &scan, journal_path.clone());
    if args.dry_run {
        if let Some(results) = results {
            results.finish().map_err(Failure::local_io)?;
        }
        summary.exit_code = match scan.invalid {
            0 => exit_code::OK,
            _ => exit_code::ROWS_INVALID,
        };
        summary.print(json);
        return Ok(summary.exit_code);
    }

    // Pass 2: send.
    let journal = (&run_info, journal_path.as_deref());
    let sent = pass2::send(global, &args, &client, journal, (&index, &scan), results).await?;
    Ok(finish::finish(summary, sent, json))
}

fn scan_failure(args: &ImportArgs, error: ScanError) -> Failure {
    match error {
        ScanError::File(e) => Failure::usage(format!("{}: {e}", args.file.display())),
        ScanError::Results(e) | ScanError::Journal(e) => Failure::local_io(e),
    }
}

/// The summary as pass 1 leaves it.
fn summary(args: &ImportArgs, scan: &Scan, journal: Option<PathBuf>) -> Summary {
    Summary {
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
        journal: journal.filter(|_| !args.dry_run),
        results: args.results.clone(),
        secrets: None,
        secrets_written: None,
        stopped_by: None,
        exit_code: 0,
    }
}
