//! What became of one row of an import.

use serde::{Deserialize, Serialize};

/// The final outcome of a row, as written to the journal, the results file and the summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The user was created by this import.
    Created,
    /// The server answered 4009: the user already existed (possibly created by an earlier,
    /// interrupted attempt of this import: then the kind is `already_registered_after_retry`).
    AlreadyRegistered,
    /// The row failed validation and was not sent.
    Invalid,
    /// Sending failed; the row is retried by the next run with the same journal.
    Failed,
    /// The import stopped (a fatal error such as `unauthorized`, or Ctrl-C) before the row was
    /// sent; the next run sends it.
    NotSent,
    /// With `--skip-existing`: the organization already had a collaborator with this email
    /// (compared ignoring case), so the row was not sent.
    SkippedExisting,
}

impl Outcome {
    /// The name used in the results file, the journal and the JSON summary.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Created => "created",
            Outcome::AlreadyRegistered => "already_registered",
            Outcome::Invalid => "invalid",
            Outcome::Failed => "failed",
            Outcome::NotSent => "not_sent",
            Outcome::SkippedExisting => "skipped_existing",
        }
    }

    /// Whether the row needs nothing more: the user exists.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Outcome::Created | Outcome::AlreadyRegistered | Outcome::SkippedExisting
        )
    }
}

/// The outcome of a row with its details, for the results file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowOutcome {
    /// What happened.
    pub outcome: Outcome,
    /// The error kind (`already_registered`, `server_error`, ...) when there is one.
    pub kind: Option<String>,
    /// A human-readable explanation, when there is one.
    pub message: Option<String>,
    /// The created collaborator's id.
    pub collaborator_id: Option<String>,
    /// Whether the failure may have created the user anyway (timeout, 5xx, broken answer): the
    /// next run re-sends it and reads a 4009 as "already registered by us".
    pub ambiguous: bool,
}

impl RowOutcome {
    /// A row that was created.
    pub fn created(collaborator_id: String) -> RowOutcome {
        RowOutcome {
            outcome: Outcome::Created,
            kind: None,
            message: None,
            collaborator_id: Some(collaborator_id),
            ambiguous: false,
        }
    }

    /// A row not sent because the import stopped first.
    pub fn not_sent() -> RowOutcome {
        RowOutcome::with_kind(
            Outcome::NotSent,
            "not_sent",
            "the import stopped before this row was sent; the next run sends it",
        )
    }

    /// An outcome with a kind and message.
    pub fn with_kind(outcome: Outcome, kind: &str, message: impl Into<String>) -> RowOutcome {
        RowOutcome {
            outcome,
            kind: Some(kind.to_owned()),
            message: Some(message.into()),
            collaborator_id: None,
            ambiguous: false,
        }
    }
}
