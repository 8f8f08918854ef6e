//! What became of one input of a bulk run.

use std::fmt;

use super::failure::AttemptFailure;
use crate::Collaborator;
use crate::error::Error;

/// The outcome of one input of a bulk run. Every input gets exactly one.
///
/// `T` is what a success gives: the created or refreshed [`Collaborator`] (with its OEM secret)
/// in Rust. `E` is a failure: [`Error`] in Rust.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Outcome<T = Collaborator, E = Error> {
    /// The input breaks a rule of the spec: nothing was sent.
    Invalid(E),
    /// The user was created; the collaborator carries the new OEM secret.
    Created(T),
    /// The user's OEM secret was refreshed; the collaborator carries the new one.
    Refreshed(T),
    /// The server answered 4009: the user already exists. `after_retry`: an earlier attempt of
    /// this input may have created it and its answer was lost (its secret with it).
    AlreadyRegistered {
        /// Whether an earlier attempt may have created the user.
        after_retry: bool,
        /// The server's answer.
        error: E,
    },
    /// The server refused it, or it kept failing until its attempts or time ran out.
    /// [`Error::is_ambiguous`] says whether it may have taken effect anyway.
    Failed(E),
    /// Sent, and the run was abandoned (a second stop) before its answer came: it may or may
    /// not have taken effect.
    Unknown,
    /// Never sent: the run stopped first (a stop, an error that concerns every input, or a
    /// failed `before_send` hook).
    NotSent,
}

impl<T, E> Outcome<T, E> {
    /// The outcome's name, the same in Rust, the npm package and the CLI's files:
    /// `invalid`, `created`, `refreshed`, `already_registered`,
    /// `already_registered_after_retry`, `failed`, `unknown`, `not_sent`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Outcome::Invalid(_) => "invalid",
            Outcome::Created(_) => "created",
            Outcome::Refreshed(_) => "refreshed",
            Outcome::AlreadyRegistered {
                after_retry: false, ..
            } => "already_registered",
            Outcome::AlreadyRegistered {
                after_retry: true, ..
            } => "already_registered_after_retry",
            Outcome::Failed(_) => "failed",
            Outcome::Unknown => "unknown",
            Outcome::NotSent => "not_sent",
        }
    }

    /// The success's value (created or refreshed), if any.
    pub fn value(&self) -> Option<&T> {
        match self {
            Outcome::Created(value) | Outcome::Refreshed(value) => Some(value),
            _ => None,
        }
    }

    /// The error behind the outcome, if any.
    pub fn error(&self) -> Option<&E> {
        match self {
            Outcome::Invalid(error)
            | Outcome::Failed(error)
            | Outcome::AlreadyRegistered { error, .. } => Some(error),
            _ => None,
        }
    }

    /// Whether the input needs nothing more: it took effect, or the user exists.
    pub fn is_done(&self) -> bool {
        matches!(
            self,
            Outcome::Created(_) | Outcome::Refreshed(_) | Outcome::AlreadyRegistered { .. }
        )
    }
}

/// One input of a bulk run and its outcome, delivered in input order.
#[derive(Clone)]
#[non_exhaustive]
pub struct BulkOutcome<I, T = Collaborator, E = Error> {
    /// The input's position, from 0.
    pub index: u64,
    /// The input, as given.
    pub input: I,
    /// What became of it.
    pub outcome: Outcome<T, E>,
}

impl<I, T, E> BulkOutcome<I, T, E> {
    pub(crate) fn new(index: u64, input: I, outcome: Outcome<T, E>) -> Self {
        BulkOutcome {
            index,
            input,
            outcome,
        }
    }
}

/// Shows the index, the input (a [`crate::NewOemUser`] shows its email; secrets are never
/// shown) and the outcome's name.
impl<I: fmt::Debug, T, E: AttemptFailure> fmt::Debug for BulkOutcome<I, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("BulkOutcome");
        out.field("index", &self.index)
            .field("input", &self.input)
            .field("outcome", &self.outcome.as_str());
        if let Some(error) = self.outcome.error() {
            out.field("error", &error.kind());
        }
        out.finish()
    }
}
