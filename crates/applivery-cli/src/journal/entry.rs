//! One line of the journal.

use serde::{Deserialize, Serialize};

use crate::outcome::{Outcome, RowOutcome};

/// What a run writes to: a journal only resumes a run against the same place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunInfo {
    /// The input file, as given.
    pub input: String,
    /// The organization the users are created in.
    pub organization: String,
    /// The API base URL.
    pub base_url: String,
}

/// A journal line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Entry {
    /// A run started.
    Open {
        /// Journal format version.
        version: u32,
        /// What the run writes to.
        #[serde(flatten)]
        run: RunInfo,
    },
    /// The row's request is about to be sent.
    Started {
        /// Line of the input file.
        line: u64,
        /// The row's content fingerprint, hex.
        row: String,
    },
    /// The row got its outcome.
    Done {
        /// Line of the input file.
        line: u64,
        /// The row's content fingerprint, hex.
        row: String,
        /// What happened.
        outcome: Outcome,
        /// Error kind, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        kind: Option<String>,
        /// Message, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
        /// Created collaborator id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        /// The failure may have created the user.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        ambiguous: bool,
    },
}

/// The journal format version this build writes and reads.
pub const VERSION: u32 = 1;

/// A fingerprint as written in the journal.
pub fn fingerprint_hex(fingerprint: u64) -> String {
    format!("{fingerprint:016x}")
}

impl Entry {
    /// The `done` entry of a row outcome.
    pub fn done(line: u64, fingerprint: u64, outcome: &RowOutcome) -> Entry {
        Entry::Done {
            line,
            row: fingerprint_hex(fingerprint),
            outcome: outcome.outcome,
            kind: outcome.kind.clone(),
            message: outcome.message.clone(),
            id: outcome.collaborator_id.clone(),
            ambiguous: outcome.ambiguous,
        }
    }

    /// The entry as one journal line, with its newline.
    pub fn to_line(&self) -> String {
        let mut line = serde_json::to_string(self).expect("journal entries always serialize");
        line.push('\n');
        line
    }
}
