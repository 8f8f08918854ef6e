//! One import per journal at a time: two runs appending to one journal would each resume from a
//! view the other one is changing, and could both send the same row.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

use super::JournalError;

/// An exclusive lock on the journal, held for the whole run. The operating system releases it
/// with the file handle, also when the process is killed, so a crash never leaves it stuck.
pub struct JournalLock {
    _file: File,
}

impl JournalLock {
    /// Locks the journal at `path` (creating it if needed), or says another import holds it.
    pub fn acquire(path: &Path) -> Result<JournalLock, JournalError> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| JournalError::io(path, e))?;
        match file.try_lock() {
            Ok(()) => Ok(JournalLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(JournalError::Busy {
                path: path.to_path_buf(),
            }),
            Err(TryLockError::Error(e)) => Err(JournalError::io(path, e)),
        }
    }
}
