//! The decisions of a bulk run, without I/O: which input goes next, how many are in flight,
//! what an answer means for the input and for the whole run, and the order outcomes leave in.
//!
//! A driver owns the I/O (the facade's reqwest client, the npm package's `fetch`) and loops:
//!
//! ```text
//! loop match scheduler.next(now) {
//!     Next::Send(attempt)    => send it; later scheduler.settle(attempt, result, now, rng)
//!     Next::SendNext         => read the next input: scheduler.start(index, input, now) and
//!                               send that, or scheduler.skip(..) it (invalid), or
//!                               scheduler.end_of_input()
//!     Next::Drain            => read the next input and scheduler.skip(index, input, NotSent),
//!                               or scheduler.end_of_input()
//!     Next::SleepUntil(t)    => wait until t or an answer
//!     Next::Wait             => wait for an answer
//!     Next::Done             => stop
//! }
//! and deliver scheduler.pop() whenever it has something.
//! ```

use std::time::Duration;

use super::failure::AttemptFailure;
use super::limiter::{Limiter, Room};
use super::outcome::{BulkOutcome, Outcome};
use super::progress::Progress;
use crate::error::{Error, ErrorKind, RetryClass};
use crate::retry::RetryPolicy;

/// The operation a bulk run repeats: it decides which failures may be retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BulkKind {
    /// Create OEM users: a non-idempotent POST; a 4009 ends an input as already registered.
    Create,
    /// Refresh OEM users' secrets: repeating one does no harm (the last secret is in force).
    Refresh,
}

/// Why a run stopped early.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum StopReason<E = Error> {
    /// The caller asked (`stop`).
    Requested,
    /// An error that concerns every input (a refused key, an unknown organization, the OEM
    /// feature blocked): sending more would only repeat it. The input that got it is failed.
    Fatal(E),
    /// The `before_send` hook failed: nothing is sent without the trace it keeps.
    Hook(String),
}

/// One attempt of one input, owned by the driver while it is in flight.
#[derive(Debug)]
pub struct Attempt<I, E = Error> {
    /// The input's position.
    pub index: u64,
    /// The input.
    pub input: I,
    /// Attempts of this input so far, this one included.
    pub number: u32,
    ambiguous: bool,
    epoch: u64,
    first_sent: Duration,
    last_error: Option<E>,
}

/// What the driver does next.
#[derive(Debug)]
pub enum Next<I, E = Error> {
    /// Send this attempt now (a retry whose wait is over).
    Send(Attempt<I, E>),
    /// A slot is free: read the next input and [`Scheduler::start`] it (or
    /// [`Scheduler::skip`] it), or call [`Scheduler::end_of_input`].
    SendNext,
    /// The run stopped: read the next input and [`Scheduler::skip`] it as not sent (every
    /// input gets an outcome), or call [`Scheduler::end_of_input`].
    Drain,
    /// Nothing to do before this time, unless an answer arrives.
    SleepUntil(Duration),
    /// Nothing to do before an answer arrives.
    Wait,
    /// The run is over (outcomes may still wait in [`Scheduler::pop`]).
    Done,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Run {
    Running,
    /// Nothing new leaves; the requests in flight finish.
    Stopping,
    /// The requests in flight were abandoned.
    Abandoned,
}

/// The state of one bulk run. `I` is an input, `T` what a success gives, `E` a failure.
#[derive(Debug)]
pub struct Scheduler<I, T, E: AttemptFailure = Error> {
    kind: BulkKind,
    policy: RetryPolicy,
    limiter: Limiter,
    run: Run,
    stop_reason: Option<StopReason<E>>,
    input_ended: bool,
    /// Failed attempts waiting to be sent again, with the time they may leave.
    retries: Vec<(Duration, Attempt<I, E>)>,
    /// Outcomes decided but not yet delivered: they wait for every earlier input's. Slot `k`
    /// is input `next_out + k`. (`Vec`s here, not a `BTreeMap` or `VecDeque`: the keys are
    /// dense and the lists short, and those two were 13 KB of the npm package's wasm.)
    finished: Vec<Option<BulkOutcome<I, T, E>>>,
    next_out: u64,
    /// Whether outcomes leave in input order (else as they are decided).
    in_order: bool,
    progress: Progress,
}

impl<I, T, E: AttemptFailure> Scheduler<I, T, E> {
    /// A run of `kind` with at most `concurrency` requests in flight, retrying each input by
    /// `policy` (its attempts, backoff and time budget; for a create, ambiguous failures are
    /// retried only if it says so).
    pub fn new(kind: BulkKind, concurrency: usize, policy: RetryPolicy) -> Self {
        let limiter = Limiter::new(concurrency);
        let progress = Progress {
            limit: limiter.limit(),
            lowest_limit: limiter.lowest(),
            ..Progress::default()
        };
        Scheduler {
            kind,
            policy,
            limiter,
            run: Run::Running,
            stop_reason: None,
            input_ended: false,
            retries: Vec::new(),
            finished: Vec::new(),
            next_out: 0,
            in_order: true,
            progress,
        }
    }

    /// What to do now.
    pub fn next(&mut self, now: Duration) -> Next<I, E> {
        if self.run != Run::Running {
            return if !self.input_ended {
                Next::Drain
            } else if self.run == Run::Stopping && self.limiter.in_flight() > 0 {
                Next::Wait
            } else {
                Next::Done
            };
        }
        let room = self.limiter.room(now);
        if room == Room::Free {
            if let Some(at) = self.retries.iter().position(|(ready, _)| *ready <= now) {
                let (_, mut attempt) = self.retries.remove(at);
                attempt.number += 1;
                attempt.epoch = self.limiter.take();
                self.progress.sent += 1;
                self.progress.retries += 1;
                return Next::Send(attempt);
            }
            if !self.input_ended {
                return Next::SendNext;
            }
        }
        let earliest_retry = self.retries.iter().map(|(ready, _)| *ready).min();
        let wake = match room {
            Room::PausedUntil(until) => Some(earliest_retry.map_or(until, |r| r.max(until))),
            Room::Free => earliest_retry,
            Room::Full => None,
        };
        match wake {
            Some(at) => Next::SleepUntil(at),
            None if self.limiter.in_flight() > 0 => Next::Wait,
            None if self.input_ended && self.retries.is_empty() => Next::Done,
            // Paused with nothing in flight and nothing to retry: wait for the pause to end.
            None => Next::SleepUntil(now),
        }
    }

    /// Starts input `index` (the next one: inputs are numbered from 0 in order) after
    /// [`Next::SendNext`]; send the attempt returned.
    pub fn start(&mut self, index: u64, input: I, now: Duration) -> Attempt<I, E> {
        self.progress.read += 1;
        self.progress.sent += 1;
        Attempt {
            index,
            input,
            number: 1,
            ambiguous: false,
            epoch: self.limiter.take(),
            first_sent: now,
            last_error: None,
        }
    }

    /// Ends input `index` without sending it: [`Outcome::Invalid`], or [`Outcome::NotSent`]
    /// after a stop (or when the driver could not prepare it).
    pub fn skip(&mut self, index: u64, input: I, outcome: Outcome<T, E>) {
        self.progress.read += 1;
        self.finish(index, input, outcome);
    }

    /// The input has no more items.
    pub fn end_of_input(&mut self) {
        self.input_ended = true;
    }

    /// Takes the answer of an attempt: the input is finished, or queued to be sent again.
    pub fn settle(
        &mut self,
        attempt: Attempt<I, E>,
        result: Result<T, E>,
        now: Duration,
        rng: impl FnMut() -> f64,
    ) {
        let error = match result {
            Ok(value) => {
                self.limiter.success();
                let outcome = match self.kind {
                    BulkKind::Create => Outcome::Created(value),
                    BulkKind::Refresh => Outcome::Refreshed(value),
                };
                return self.finish(attempt.index, attempt.input, outcome);
            }
            Err(error) => error,
        };
        let kind = error.kind();
        if self.kind == BulkKind::Create
            && matches!(
                kind,
                ErrorKind::AlreadyRegistered | ErrorKind::AlreadyRegisteredAfterRetry
            )
        {
            return self.already_registered(attempt, error);
        }
        if kind == ErrorKind::RateLimited || error.status() == Some(503) {
            self.limiter
                .push_back(attempt.epoch, error.retry_after(), now);
        } else {
            self.limiter.release();
        }
        if self.is_fatal(kind) {
            if self.stop_reason.is_none() {
                self.stop_reason = Some(StopReason::Fatal(error.clone()));
            }
            self.halt();
            return self.finish(attempt.index, attempt.input, Outcome::Failed(error));
        }
        self.retry_or_fail(attempt, error, now, rng);
    }

    /// A 4009 for a create: the user exists, created by an earlier attempt if one may have.
    fn already_registered(&mut self, attempt: Attempt<I, E>, error: E) {
        self.limiter.success();
        let after_retry =
            attempt.ambiguous || error.kind() == ErrorKind::AlreadyRegisteredAfterRetry;
        let error = if after_retry {
            error.into_after_retry()
        } else {
            error
        };
        let outcome = Outcome::AlreadyRegistered { after_retry, error };
        self.finish(attempt.index, attempt.input, outcome);
    }

    /// Queues the input to be sent again if the run goes on and the policy allows, else fails it.
    fn retry_or_fail(
        &mut self,
        mut attempt: Attempt<I, E>,
        error: E,
        now: Duration,
        rng: impl FnMut() -> f64,
    ) {
        let delay = if self.run == Run::Running && self.may_retry(&error) {
            let elapsed = now.saturating_sub(attempt.first_sent);
            self.policy
                .delay(attempt.number, error.retry_after(), elapsed, rng)
        } else {
            None
        };
        match delay {
            Some(delay) => {
                attempt.ambiguous |= self.kind == BulkKind::Create && error.is_ambiguous();
                attempt.last_error = Some(error);
                self.retries.push((now + delay, attempt));
            }
            None => {
                let error = marked_ambiguous(error, attempt.ambiguous);
                self.finish(attempt.index, attempt.input, Outcome::Failed(error));
            }
        }
    }

    /// The answer of an attempt in flight was abandoned (after a second stop).
    pub fn abandon(&mut self, attempt: Attempt<I, E>) {
        self.limiter.release();
        self.finish(attempt.index, attempt.input, Outcome::Unknown);
    }

    /// The `before_send` hook of an input failed: it is not sent, and neither is anything
    /// after it.
    pub fn hook_failed(&mut self, attempt: Attempt<I, E>, message: String) {
        self.limiter.release();
        self.progress.sent -= 1;
        if self.stop_reason.is_none() {
            self.stop_reason = Some(StopReason::Hook(message));
        }
        self.halt();
        self.finish(attempt.index, attempt.input, Outcome::NotSent);
    }

    /// Stops the run: the first call lets nothing new leave and lets the requests in flight
    /// finish; a second abandons them (the driver then calls [`Scheduler::abandon`] for each).
    /// Returns whether the requests in flight are to be abandoned.
    pub fn stop(&mut self) -> bool {
        if self.stop_reason.is_none() {
            self.stop_reason = Some(StopReason::Requested);
        }
        match self.run {
            Run::Running => {
                self.halt();
                false
            }
            Run::Stopping | Run::Abandoned => {
                self.run = Run::Abandoned;
                true
            }
        }
    }

    /// Why the run stopped early, if it did.
    pub fn stop_reason(&self) -> Option<&StopReason<E>> {
        self.stop_reason.as_ref()
    }

    /// Outcomes leave as they are decided instead of in input order (for callers that must
    /// act on an answer at once, such as writing a secret down before anything can lose it).
    /// Call it before anything is decided.
    pub fn deliver_as_decided(&mut self) {
        self.in_order = false;
    }

    /// The next outcome in input order, once it and every earlier one are decided (or the
    /// next decided, after [`Scheduler::deliver_as_decided`]).
    pub fn pop(&mut self) -> Option<BulkOutcome<I, T, E>> {
        // As decided, `finished` is a plain queue (see `finish`).
        self.finished.first()?.as_ref()?;
        self.next_out += 1;
        self.finished.remove(0)
    }

    /// The run's counters.
    pub fn progress(&self) -> Progress {
        Progress {
            in_flight: self.limiter.in_flight(),
            push_backs: self.limiter.push_backs(),
            limit: self.limiter.limit(),
            lowest_limit: self.limiter.lowest(),
            ..self.progress
        }
    }

    /// Nothing new leaves: the attempts waiting to be retried end with their last error.
    fn halt(&mut self) {
        if self.run == Run::Running {
            self.run = Run::Stopping;
        }
        for (_, attempt) in std::mem::take(&mut self.retries) {
            let outcome = match attempt.last_error {
                Some(error) => Outcome::Failed(marked_ambiguous(error, attempt.ambiguous)),
                None => Outcome::NotSent,
            };
            self.finish(attempt.index, attempt.input, outcome);
        }
    }

    fn finish(&mut self, index: u64, input: I, outcome: Outcome<T, E>) {
        self.progress.count(&outcome);
        if !self.in_order {
            self.finished
                .push(Some(BulkOutcome::new(index, input, outcome)));
            return;
        }
        let slot = (index - self.next_out) as usize;
        if self.finished.len() <= slot {
            self.finished.resize_with(slot + 1, || None);
        }
        self.finished[slot] = Some(BulkOutcome::new(index, input, outcome));
    }

    /// Errors that concern every input, not this one.
    fn is_fatal(&self, kind: ErrorKind) -> bool {
        match kind {
            ErrorKind::Unauthorized | ErrorKind::FeatureBlocked | ErrorKind::Config => true,
            // For a create, "not found" is the organization; for a refresh it may be the user.
            ErrorKind::NotFound => self.kind == BulkKind::Create,
            _ => false,
        }
    }

    fn may_retry(&self, error: &E) -> bool {
        match error.retry_class() {
            RetryClass::Safe => true,
            RetryClass::Ambiguous => {
                self.kind == BulkKind::Refresh || self.policy.get_retry_ambiguous()
            }
            // An undecodable 2xx most likely created the user: sending it again learns that
            // from a 4009 instead of leaving the input failed.
            RetryClass::Never => {
                self.kind == BulkKind::Create
                    && error.is_ambiguous()
                    && self.policy.get_retry_ambiguous()
            }
        }
    }
}

/// The final error of an input, ambiguous if any of its attempts was: a create whose answer was
/// lost once may exist, whatever its last attempt said (a 429, say), and the next run must read
/// a 4009 as "created by us".
fn marked_ambiguous<E: AttemptFailure>(error: E, ambiguous: bool) -> E {
    if ambiguous && !error.is_ambiguous() {
        error.with_retry_class(RetryClass::Ambiguous)
    } else {
        error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: Duration = Duration::ZERO;

    fn first(
        scheduler: &mut Scheduler<&'static str, ()>,
        input: &'static str,
    ) -> Attempt<&'static str> {
        assert!(matches!(scheduler.next(T0), Next::SendNext));
        scheduler.start(0, input, T0)
    }

    #[test]
    fn a_failure_after_a_lost_answer_stays_ambiguous() {
        let policy = RetryPolicy::default().max_attempts(2);
        let mut scheduler = Scheduler::<&str, ()>::new(BulkKind::Create, 1, policy);
        let attempt = first(&mut scheduler, "a");
        scheduler.settle(attempt, Err(Error::timeout("lost")), T0, || 0.0);
        let Next::Send(attempt) = scheduler.next(Duration::from_secs(1)) else {
            panic!("the lost answer is retried");
        };
        let throttled = crate::classify::classify(429, Some("0"), b"").unwrap_err();
        scheduler.settle(attempt, Err(throttled), Duration::from_secs(1), || 0.0);
        let done = scheduler.pop().expect("decided");
        let Outcome::Failed(error) = done.outcome else {
            panic!("{:?}", done.outcome.as_str());
        };
        assert_eq!(error.kind(), ErrorKind::RateLimited);
        assert!(
            error.is_ambiguous(),
            "an earlier attempt may have created the user"
        );
    }

    #[test]
    fn outcomes_leave_in_input_order_or_as_decided() {
        for in_order in [true, false] {
            let mut scheduler =
                Scheduler::<&str, ()>::new(BulkKind::Refresh, 2, RetryPolicy::none());
            if !in_order {
                scheduler.deliver_as_decided();
            }
            let a = first(&mut scheduler, "a");
            assert!(matches!(scheduler.next(T0), Next::SendNext));
            let b = scheduler.start(1, "b", T0);
            scheduler.settle(b, Ok(()), T0, || 0.0);
            assert_eq!(scheduler.pop().map(|o| o.index), (!in_order).then_some(1));
            scheduler.settle(a, Ok(()), T0, || 0.0);
            assert_eq!(scheduler.pop().map(|o| o.index), Some(0));
            assert_eq!(scheduler.pop().map(|o| o.index), in_order.then_some(1));
        }
    }
}
