//! One import per journal at a time: two runs appending to one journal would each resume from a
//! view the other one is changing, and could both send the same row.
//!
//! The lock is taken on a file beside the journal, `<journal>.lock`, not on the journal: on
//! Windows a lock is mandatory, and would stop this very run from reading and appending to the
//! journal through its other handles. The lock file stays (it is empty): deleting it on exit
//! would let two later runs lock two different files.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use super::JournalError;

/// An exclusive lock on the journal, held for the whole run. The operating system releases it
/// with the file handle, also when the process is killed, so a crash never leaves it stuck.
pub struct JournalLock {
    _file: File,
}

impl JournalLock {
    /// Locks the journal at `journal`, or says another import holds it.
    pub fn acquire(journal: &Path) -> Result<JournalLock, JournalError> {
        let path = lock_path(journal);
        let file = crate::output_file::no_follow(
            OpenOptions::new().create(true).truncate(false).write(true),
        )
        .open(&path)
        .map_err(|e| JournalError::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => Ok(JournalLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(JournalError::Busy {
                path: journal.to_path_buf(),
            }),
            Err(TryLockError::Error(e)) => Err(JournalError::io(&path, e)),
        }
    }
}

/// `<journal>.lock`.
fn lock_path(journal: &Path) -> PathBuf {
    let mut name = journal.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}
