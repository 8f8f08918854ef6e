//! What the scheduler reads of a failed attempt.

use std::time::Duration;

use crate::error::{Error, ErrorKind, RetryClass};

/// A failed attempt as the [`super::Scheduler`] sees it: [`Error`] in Rust. The npm package's
/// bulk part is a wasm module of its own, apart from the client's; it schedules with a summary
/// of the `Error` the client's module classified.
pub trait AttemptFailure: Clone {
    /// See [`Error::kind`].
    fn kind(&self) -> ErrorKind;
    /// See [`Error::status`].
    fn status(&self) -> Option<u16>;
    /// See [`Error::retry_after`].
    fn retry_after(&self) -> Option<Duration>;
    /// See [`Error::retry_class`].
    fn retry_class(&self) -> RetryClass;
    /// See [`Error::is_ambiguous`].
    fn is_ambiguous(&self) -> bool {
        crate::error::is_ambiguous(self.kind(), self.status(), self.retry_class())
    }
    /// A 4009 becomes [`ErrorKind::AlreadyRegisteredAfterRetry`] (an earlier attempt may have
    /// created the user); anything else is kept.
    fn into_after_retry(self) -> Self;
    /// The same failure, retried as `class` says.
    fn with_retry_class(self, class: RetryClass) -> Self;
}

impl AttemptFailure for Error {
    fn kind(&self) -> ErrorKind {
        Error::kind(self)
    }
    fn status(&self) -> Option<u16> {
        Error::status(self)
    }
    fn retry_after(&self) -> Option<Duration> {
        Error::retry_after(self)
    }
    fn retry_class(&self) -> RetryClass {
        Error::retry_class(self)
    }
    fn into_after_retry(self) -> Self {
        Error::into_after_retry(self)
    }
    fn with_retry_class(self, class: RetryClass) -> Self {
        Error::with_retry_class(self, class)
    }
}
