//! Where an import writes (journal, results, secrets), checked before anything is read or
//! sent: a typo such as `--results users.csv` must not destroy the input or the journal.

use std::path::{Path, PathBuf};

use crate::args::ImportArgs;
use crate::failure::Failure;
use crate::journal;
use crate::results::ResultsWriter;

/// The journal's path, unless `--no-journal`.
pub(super) fn journal_path(args: &ImportArgs) -> Option<PathBuf> {
    (!args.no_journal).then(|| {
        args.journal
            .clone()
            .unwrap_or_else(|| journal::default_path(&args.file))
    })
}

/// Refuses outputs that are the input, or each other.
pub(super) fn check(args: &ImportArgs) -> Result<(), Failure> {
    let journal = journal_path(args);
    if let Some(results) = &args.results {
        ResultsWriter::check_path(results).map_err(Failure::usage)?;
        refuse(&args.file, results, "--results", "the input file")?;
    }
    if let Some(path) = &args.journal {
        refuse(&args.file, path, "--journal", "the input file")?;
    }
    if let (Some(results), Some(journal)) = (&args.results, &journal) {
        refuse(journal, results, "--results", "the journal")?;
    }
    if let Some(secrets) = &args.secrets {
        refuse(&args.file, secrets, "--secrets", "the input file")?;
        for (other, what) in [
            (&args.results, "the results file"),
            (&journal, "the journal"),
        ] {
            if let Some(other) = other {
                refuse(other, secrets, "--secrets", what)?;
            }
        }
    }
    Ok(())
}

/// Refuses `output` when it is the same file as `other` (`what`): compared as files (device and
/// inode: a hard or symbolic link is the same file), by path while one does not exist.
fn refuse(other: &Path, output: &Path, flag: &str, what: &str) -> Result<(), Failure> {
    if crate::output_file::same_file(other, output) {
        return Err(Failure::usage(format!(
            "{flag} {} is {what}; choose another path",
            output.display()
        )));
    }
    Ok(())
}
