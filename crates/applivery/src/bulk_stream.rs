//! The driver of a bulk run on the reqwest client: it does the I/O (reads inputs, sends,
//! sleeps) and asks [`Scheduler`] for every decision.

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use futures_core::Stream;

use crate::Collaborator;
use crate::bulk::{Attempt, BulkKind, BulkOutcome, Next, Outcome, Progress, Scheduler, StopReason};
use crate::bulk_call::Inputs;
use crate::error::Error;
use crate::platform::{BoxFuture, Stopwatch, random_unit, sleep};

/// The `before_send` hook: the input's index and the input, to a future of its success.
pub(crate) type Hook<I> = Arc<dyn Fn(u64, &I) -> BoxFuture<Result<(), String>> + Send + Sync>;

/// Builds (and validates) one attempt of an input; an `Err` is the input's rule breaks.
pub(crate) type MakeAttempt<I> =
    Box<dyn Fn(&I) -> Result<BoxFuture<Result<Collaborator, Error>>, Error> + Send + Sync>;

/// How an attempt in flight ended.
enum Answer {
    /// The hook of a first attempt failed: it was not sent.
    Hook(String),
    Call(Box<Result<Collaborator, Error>>),
}

/// A valid input read ahead, its hook called.
struct Primed<I> {
    index: u64,
    input: I,
    hook: Option<BoxFuture<Result<(), String>>>,
}

/// What a [`BulkControl`] shares with its stream.
#[derive(Default)]
struct Shared {
    stops: AtomicU8,
    waker: Mutex<Option<Waker>>,
    progress: Mutex<Progress>,
}

/// Stops a bulk run or reads its counters from anywhere (another task, a Ctrl-C handler).
/// Cheap to clone.
#[derive(Clone)]
pub struct BulkControl {
    shared: Arc<Shared>,
}

impl fmt::Debug for BulkControl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BulkControl")
            .field("progress", &self.progress())
            .finish()
    }
}

impl BulkControl {
    /// The first stop lets nothing new leave and lets the requests in flight finish (inputs
    /// not sent are reported [`Outcome::NotSent`]); a second abandons the requests in flight,
    /// reported [`Outcome::Unknown`]. After a stop the run still reads the rest of the input to
    /// report each one: a stream input that never ends must be ended by its owner.
    pub fn stop(&self) {
        self.shared.stops.fetch_add(1, Ordering::SeqCst);
        if let Some(waker) = lock(&self.shared.waker).take() {
            waker.wake();
        }
    }

    /// The run's counters, as of its last step.
    pub fn progress(&self) -> Progress {
        *lock(&self.shared.progress)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Counters and a waker: nothing a panic elsewhere could leave half-written.
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// The outcomes of a bulk run ([`crate::BulkCall::stream`]), in input order: a
/// [`Stream`] of [`BulkOutcome`]s, `Send + 'static` natively.
///
/// Memory is bounded by the concurrency: at most `concurrency` inputs are read ahead and as
/// many in flight. An outcome that is ready waits for every earlier one, so finished outcomes
/// may gather behind a slow input, for at most one input's time budget.
#[must_use = "streams do nothing unless polled"]
pub struct BulkStream<I> {
    scheduler: Scheduler<I, Collaborator>,
    inputs: Inputs<I>,
    input_ended: bool,
    next_index: u64,
    read_ahead: usize,
    primed: VecDeque<Primed<I>>,
    in_flight: Vec<(Attempt<I>, BoxFuture<Answer>)>,
    timer: Option<(Duration, BoxFuture<()>)>,
    make_attempt: MakeAttempt<I>,
    hook: Option<Hook<I>>,
    clock: Stopwatch,
    stops_seen: u8,
    control: BulkControl,
}

impl<I> Unpin for BulkStream<I> {}

impl<I> fmt::Debug for BulkStream<I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BulkStream")
            .field("progress", &self.scheduler.progress())
            .field("stop_reason", &self.scheduler.stop_reason())
            .finish_non_exhaustive()
    }
}

impl<I: Send + 'static> BulkStream<I> {
    pub(crate) fn new(
        kind: BulkKind,
        concurrency: usize,
        policy: crate::RetryPolicy,
        inputs: Inputs<I>,
        make_attempt: MakeAttempt<I>,
        hook: Option<Hook<I>>,
        in_order: bool,
    ) -> Self {
        let mut scheduler = Scheduler::new(kind, concurrency, policy);
        if !in_order {
            scheduler.deliver_as_decided();
        }
        let control = BulkControl {
            shared: Arc::default(),
        };
        *lock(&control.shared.progress) = scheduler.progress();
        BulkStream {
            scheduler,
            inputs,
            input_ended: false,
            next_index: 0,
            read_ahead: concurrency.max(1),
            primed: VecDeque::new(),
            in_flight: Vec::new(),
            timer: None,
            make_attempt,
            hook,
            clock: Stopwatch::start(),
            stops_seen: 0,
            control,
        }
    }
}

impl<I> BulkStream<I> {
    /// A handle to stop the run or read its counters from elsewhere.
    pub fn control(&self) -> BulkControl {
        self.control.clone()
    }

    /// Stops the run; see [`BulkControl::stop`].
    pub fn stop(&self) {
        self.control.stop();
    }

    /// The run's counters.
    pub fn progress(&self) -> Progress {
        self.scheduler.progress()
    }

    /// Why the run stopped early, if it did.
    pub fn stop_reason(&self) -> Option<&StopReason> {
        self.scheduler.stop_reason()
    }

    /// Takes the stops asked through [`BulkControl`].
    fn take_stops(&mut self) {
        let asked = self.control.shared.stops.load(Ordering::SeqCst);
        while self.stops_seen < asked {
            self.stops_seen += 1;
            if self.scheduler.stop() {
                for (attempt, _) in self.in_flight.drain(..) {
                    self.scheduler.abandon(attempt);
                }
            }
        }
    }

    /// Polls every request in flight, settling those that answered.
    fn poll_in_flight(&mut self, cx: &mut Context<'_>) {
        let mut at = 0;
        while at < self.in_flight.len() {
            let Poll::Ready(answer) = self.in_flight[at].1.as_mut().poll(cx) else {
                at += 1;
                continue;
            };
            let (attempt, _) = self.in_flight.swap_remove(at);
            match answer {
                Answer::Call(result) => {
                    let now = self.clock.elapsed();
                    self.scheduler.settle(attempt, *result, now, random_unit);
                }
                Answer::Hook(message) => self.scheduler.hook_failed(attempt, message),
            }
        }
    }

    /// Reads inputs ahead (up to the concurrency), validating them and calling the hook.
    fn read_ahead(&mut self, cx: &mut Context<'_>) {
        while !self.input_ended && self.primed.len() < self.read_ahead {
            let Some(input) = self.poll_input(cx) else {
                return;
            };
            let index = self.next_index;
            self.next_index += 1;
            if let Err(error) = (self.make_attempt)(&input) {
                self.scheduler.skip(index, input, Outcome::Invalid(error));
                continue;
            }
            let hook = self.hook.as_ref().map(|hook| hook(index, &input));
            self.primed.push_back(Primed { index, input, hook });
        }
    }

    /// The next input if one is ready; marks the end of the input.
    fn poll_input(&mut self, cx: &mut Context<'_>) -> Option<I> {
        match self.inputs.as_mut().poll_next(cx) {
            Poll::Ready(Some(input)) => Some(input),
            Poll::Ready(None) => {
                self.input_ended = true;
                None
            }
            Poll::Pending => None,
        }
    }

    /// Sends a first attempt of a primed input: its hook first, then the request.
    fn send_first(&mut self, primed: Primed<I>, now: Duration) {
        let request = (self.make_attempt)(&primed.input);
        let attempt = self.scheduler.start(primed.index, primed.input, now);
        let hook = primed.hook;
        let answer: BoxFuture<Answer> = Box::pin(async move {
            if let Some(hook) = hook
                && let Err(message) = hook.await
            {
                return Answer::Hook(message);
            }
            match request {
                Ok(request) => Answer::Call(Box::new(request.await)),
                Err(error) => Answer::Call(Box::new(Err(error))),
            }
        });
        self.in_flight.push((attempt, answer));
    }

    /// Sends a retry.
    fn send_again(&mut self, attempt: Attempt<I>) {
        let answer: BoxFuture<Answer> = match (self.make_attempt)(&attempt.input) {
            Ok(request) => Box::pin(async move { Answer::Call(Box::new(request.await)) }),
            Err(error) => Box::pin(async move { Answer::Call(Box::new(Err(error))) }),
        };
        self.in_flight.push((attempt, answer));
    }

    /// Waits until `at` (since the run began); whether that time has come.
    fn sleep_until(&mut self, at: Duration, cx: &mut Context<'_>) -> bool {
        let now = self.clock.elapsed();
        if at <= now {
            self.timer = None;
            return true;
        }
        if self.timer.as_ref().is_none_or(|(target, _)| *target != at) {
            self.timer = Some((at, Box::pin(sleep(at - now))));
        }
        let (_, timer) = self.timer.as_mut().expect("set above");
        if timer.as_mut().poll(cx).is_ready() {
            self.timer = None;
            return true;
        }
        false
    }

    /// One step of the run; `Ready(true)` when it may go on at once, `Ready(false)` at its end.
    fn step(&mut self, cx: &mut Context<'_>) -> Poll<bool> {
        self.take_stops();
        self.poll_in_flight(cx);
        if self.scheduler.stop_reason().is_none() {
            self.read_ahead(cx);
        }
        let now = self.clock.elapsed();
        match self.scheduler.next(now) {
            Next::Send(attempt) => self.send_again(attempt),
            Next::SendNext => match self.primed.pop_front() {
                Some(primed) => self.send_first(primed, now),
                None if self.input_ended => self.scheduler.end_of_input(),
                None => return Poll::Pending,
            },
            Next::Drain => {
                if let Some(primed) = self.primed.pop_front() {
                    self.scheduler
                        .skip(primed.index, primed.input, Outcome::NotSent);
                } else if let Some(input) = self.poll_input(cx) {
                    let index = self.next_index;
                    self.next_index += 1;
                    let outcome = match (self.make_attempt)(&input) {
                        Err(error) => Outcome::Invalid(error),
                        Ok(_) => Outcome::NotSent,
                    };
                    self.scheduler.skip(index, input, outcome);
                } else if self.input_ended {
                    self.scheduler.end_of_input();
                } else {
                    return Poll::Pending;
                }
            }
            Next::SleepUntil(at) => {
                if !self.sleep_until(at, cx) {
                    return Poll::Pending;
                }
            }
            Next::Wait => return Poll::Pending,
            Next::Done => return Poll::Ready(false),
        }
        Poll::Ready(true)
    }
}

impl<I> Stream for BulkStream<I> {
    type Item = BulkOutcome<I, Collaborator>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        *lock(&this.control.shared.waker) = Some(cx.waker().clone());
        let result = loop {
            if let Some(outcome) = this.scheduler.pop() {
                break Poll::Ready(Some(outcome));
            }
            match this.step(cx) {
                Poll::Ready(true) => continue,
                Poll::Ready(false) => break Poll::Ready(this.scheduler.pop()),
                Poll::Pending => break Poll::Pending,
            }
        };
        *lock(&this.control.shared.progress) = this.scheduler.progress();
        result
    }
}
