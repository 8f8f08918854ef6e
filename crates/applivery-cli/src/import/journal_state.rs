//! What the journal of earlier runs says, read before anything is sent (a journal of an earlier
//! format is upgraded first; a dry run only reads, so it ignores one).

use std::path::Path;

use crate::args::ImportArgs;
use crate::failure::Failure;
use crate::journal::{self, JournalError, JournalState, RunInfo};

/// The journal's index, or none without a journal.
pub(super) fn open(
    path: Option<&Path>,
    run_info: &RunInfo,
    args: &ImportArgs,
) -> Result<JournalState, Failure> {
    let Some(path) = path else {
        return Ok(JournalState::none());
    };
    match JournalState::open(path, run_info) {
        Err(JournalError::OldFormat { .. }) if args.dry_run => {
            eprintln!(
                "applivery: warning: journal {} is of an earlier applivery: the import \
                 upgrades it; this dry run ignores it",
                path.display()
            );
            Ok(JournalState::none())
        }
        Err(JournalError::OldFormat { .. }) => {
            let kept = journal::upgrade(path, run_info, &args.file, args.format)
                .map_err(Failure::usage)?;
            eprintln!(
                "applivery: journal {} upgraded to this version's format (the old one is \
                 kept as {})",
                path.display(),
                kept.display()
            );
            JournalState::open(path, run_info).map_err(failure)
        }
        opened => opened.map_err(failure),
    }
}

/// A journal that cannot be read is a local I/O failure; one that is not ours, a usage error.
fn failure(e: JournalError) -> Failure {
    match e {
        JournalError::Io { .. } => Failure::local_io(e.to_string()),
        _ => Failure::usage(e.to_string()),
    }
}
