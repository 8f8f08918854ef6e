//! The import journal: a durable record of what happened to each row, so that a killed import
//! can be resumed without sending any finished row twice, with memory that stays flat.
//!
//! One file, [`format`](mod@format): a header naming the organization and base URL it was written for,
//! then one fixed-size slot per data row of the input, addressed by the row's position:
//! - `started` + the row's content fingerprint, written and synced BEFORE the row's request
//!   leaves;
//! - `done` + the outcome (and the collaborator id) after the answer, overwriting it.
//!
//! On resume the slots are read in file order beside the input ([`JournalCursor`]), a row
//! matched by position AND fingerprint: `done` as created or already registered is skipped
//! (its outcome goes to the results); `started` without `done` is ambiguous (the request may
//! have created the user) and is re-sent, a 4009 then meaning "already registered, probably by
//! us"; `done` as failed or not sent is re-sent. The API key and secrets are never written.
//! A journal of format 1 (JSON lines) is [`upgrade`]d when an import resumes it.

mod cursor;
pub mod format;
mod lock;
mod run_info;
mod upgrade;
mod writer;

pub use cursor::{JournalCursor, JournalState, Lookup, ids_path};
pub use format::read_journal_bytes;
pub use lock::JournalLock;
pub use run_info::RunInfo;
pub use upgrade::upgrade;
pub use writer::{Durable, Journal, JournalError, JournalHandle};

/// Where the journal of `input` goes by default: `<input>.journal` next to it.
pub fn default_path(input: &std::path::Path) -> std::path::PathBuf {
    let mut name = input.as_os_str().to_owned();
    name.push(".journal");
    std::path::PathBuf::from(name)
}

#[cfg(test)]
mod tests;
