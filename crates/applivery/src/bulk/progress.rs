//! Counters of a bulk run, for progress bars and summaries.

/// A snapshot of a bulk run's counters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Inputs taken from the input so far.
    pub read: u64,
    /// Requests sent (retries included).
    pub sent: u64,
    /// Requests in flight now.
    pub in_flight: usize,
    /// Attempts retried.
    pub retries: u64,
    /// Push-backs (429, 503) seen.
    pub push_backs: u64,
    /// The concurrency limit now, after push-backs.
    pub limit: usize,
    /// The lowest concurrency limit reached.
    pub lowest_limit: usize,
    /// Outcomes decided, by kind.
    pub created: u64,
    /// Secrets refreshed.
    pub refreshed: u64,
    /// Users that already existed (after a retry or not).
    pub already_registered: u64,
    /// Inputs that broke a rule and were not sent.
    pub invalid: u64,
    /// Inputs that failed.
    pub failed: u64,
    /// Inputs sent whose answer was abandoned.
    pub unknown: u64,
    /// Inputs never sent.
    pub not_sent: u64,
}

impl Progress {
    /// Inputs whose outcome is decided.
    pub fn finished(&self) -> u64 {
        self.created
            + self.refreshed
            + self.already_registered
            + self.invalid
            + self.failed
            + self.unknown
            + self.not_sent
    }

    pub(crate) fn count<T, E>(&mut self, outcome: &super::Outcome<T, E>) {
        use super::Outcome;
        let counter = match outcome {
            Outcome::Invalid(_) => &mut self.invalid,
            Outcome::Created(_) => &mut self.created,
            Outcome::Refreshed(_) => &mut self.refreshed,
            Outcome::AlreadyRegistered { .. } => &mut self.already_registered,
            Outcome::Failed(_) => &mut self.failed,
            Outcome::Unknown => &mut self.unknown,
            Outcome::NotSent => &mut self.not_sent,
        };
        *counter += 1;
    }
}
