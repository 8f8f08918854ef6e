//! From the engine's outcome of a row to the import's ([`RowOutcome`]); never the secret (the
//! engine's task wrote it to the secrets file).

use applivery::ErrorKind;
use applivery::bulk::Outcome as Engine;

use crate::outcome::{Outcome, RowOutcome};

/// The row's outcome. `ambiguous`: the journal says an earlier run may have
/// created the user, so a 4009 is `already_registered_after_retry`, and a failure stays
/// ambiguous for the next run.
pub(super) fn row_outcome(engine: Engine, ambiguous: bool) -> RowOutcome {
    match engine {
        Engine::Created(collaborator) => RowOutcome::created(collaborator.id),
        Engine::AlreadyRegistered { after_retry, error } => {
            if after_retry || ambiguous {
                RowOutcome::with_kind(
                    Outcome::AlreadyRegistered,
                    ErrorKind::AlreadyRegisteredAfterRetry.as_str(),
                    "the user exists; an earlier attempt of this import may have created it",
                )
            } else {
                RowOutcome::with_kind(
                    Outcome::AlreadyRegistered,
                    error.kind().as_str(),
                    error.message(),
                )
            }
        }
        Engine::Failed(error) => {
            let mut failed =
                RowOutcome::with_kind(Outcome::Failed, error.kind().as_str(), error.to_string());
            failed.ambiguous = ambiguous || error.is_ambiguous();
            failed
        }
        Engine::Invalid(error) => {
            RowOutcome::with_kind(Outcome::Invalid, "invalid_input", error.to_string())
        }
        Engine::NotSent => {
            let mut not_sent = RowOutcome::not_sent();
            not_sent.ambiguous = ambiguous;
            not_sent
        }
        // Abandoned in flight (the process exits at a second Ctrl-C before this is seen), or
        // an outcome this import does not ask for: it may have taken effect.
        _ => {
            let mut unknown = RowOutcome::with_kind(
                Outcome::Failed,
                "unknown",
                "sent, and the import ended before the answer came",
            );
            unknown.ambiguous = true;
            unknown
        }
    }
}
