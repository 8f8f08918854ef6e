//! The import journal: an append-only, fsync'd log of what happened to each row, so that a
//! killed import can be resumed without sending any finished row twice.
//!
//! One JSON object per line:
//! - `{"event":"open", ...}` when a run starts (organization and base URL it writes to);
//! - `{"event":"started","line":N,"row":"<fingerprint>"}` written and synced BEFORE the row's
//!   request leaves;
//! - `{"event":"done","line":N,"row":"<fingerprint>","outcome":...}` after the answer.
//!
//! On resume a row is matched by line AND fingerprint of its content: `done` as created or
//! already registered is skipped; `started` without `done` is ambiguous (the request may have
//! created the user) and is re-sent, a 4009 then meaning "already registered, probably by us";
//! `done` as failed is re-sent. The API key is never written.

mod entry;
mod index;
mod lock;
mod writer;

pub use entry::{Entry, RunInfo};
pub use index::{JournalIndex, Lookup};
pub use lock::JournalLock;
pub use writer::{Durable, Journal, JournalError, JournalHandle};

/// Where the journal of `input` goes by default: `<input>.journal` next to it.
pub fn default_path(input: &std::path::Path) -> std::path::PathBuf {
    let mut name = input.as_os_str().to_owned();
    name.push(".journal");
    std::path::PathBuf::from(name)
}

#[cfg(test)]
mod tests;
