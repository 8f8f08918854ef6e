//! `BulkRun`: one `createOemUsers` / `refreshOemUserSecrets` run of the package. The facade's
//! [`Scheduler`] decides (pace, retries, outcomes, their order, stopping); the JS wrapper
//! (`web/applivery-oem/bulk.js`) does the I/O and loops:
//!
//! ```js
//! for (;;) {
//!   for (let o; (o = run.pop()); ) yield o;       // outcomes, in input order
//!   const next = run.next();
//!   if (typeof next === 'object') send(next);      // a Call: one attempt, then run.settle(call)
//!   else if (next === READ) { /* next input: run.start(input) -> Call | undefined (invalid), or run.endOfInput() */ }
//!   else if (next === DRAIN) { /* next input: run.skip(input), or run.endOfInput() */ }
//!   else if (next === WAIT) { /* until an answer */ }
//!   else if (next === DONE) return;
//!   else { /* next ms, or until an answer */ }
//! }
//! ```
//!
//! Each attempt is a [`Call`] prepared as a single call is (same validation, same
//! classification), in bulk mode: it makes one attempt and hands its result to [`BulkRun::settle`]
//! instead of retrying itself.

use std::rc::Rc;
use std::time::Duration;

use applivery::bulk::{BulkKind, Outcome};
use applivery::sans_io::{Attempt, Next, Scheduler};
use applivery::{Error, RetryPolicy};
use applivery_api::operation::Operation;
use applivery_api::operations::OPERATIONS;
use js_sys::{Array, Object};
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::call::{Call, Config};
use crate::client::prepare;
use crate::js::{error_fields, is_absent, set};

/// [`BulkRun::next`]'s answers other than a `Call` to send or milliseconds to sleep (>= 0).
const READ: f64 = -1.0;
const DRAIN: f64 = -2.0;
const WAIT: f64 = -3.0;
const DONE: f64 = -4.0;

/// The state of one bulk run; the wrapper owns it while the run's iterator lives.
#[wasm_bindgen]
pub struct BulkRun {
    config: Rc<Config>,
    operation: &'static Operation,
    kind: BulkKind,
    organization_id: JsValue,
    scheduler: Scheduler<JsValue, JsValue>,
    /// Attempts sent and not yet settled: their `Call`s carry the index.
    in_flight: Vec<Attempt<JsValue>>,
    next_index: u64,
    /// `Date.now()` at the start: the scheduler's clock counts from there.
    started: f64,
    /// Milliseconds allowed for each attempt; 0 for no limit.
    timeout_ms: f64,
}

impl BulkRun {
    /// A run of `kind` for the client's `config`: at most `concurrency` requests in flight
    /// (default the facade's), each input tried at most `max_attempts` times (default: the
    /// facade's bulk policy), each attempt allowed `timeout_ms` (default the client's).
    pub(crate) fn new(
        config: Rc<Config>,
        kind: BulkKind,
        organization_id: JsValue,
        [concurrency, max_attempts, timeout_ms]: [JsValue; 3],
    ) -> Result<BulkRun, Error> {
        let timeout_ms = match timeout_ms.as_f64() {
            _ if is_absent(&timeout_ms) => config.timeout_ms,
            Some(ms) if ms >= 0.0 && ms.is_finite() => ms,
            _ => return Err(Error::config("timeoutMs must be a number >= 0")),
        };
        let concurrency = match whole(&concurrency, 1000.0) {
            None => applivery::bulk::DEFAULT_CONCURRENCY,
            Some(Some(n)) => n as usize,
            Some(None) => {
                return Err(Error::config(
                    "concurrency must be an integer from 1 to 1000",
                ));
            }
        };
        let policy: RetryPolicy = match whole(&max_attempts, 100.0) {
            None => applivery::bulk::default_policy(),
            Some(Some(n)) => applivery::bulk::default_policy().max_attempts(n),
            Some(None) => {
                return Err(Error::config(
                    "maxAttempts must be an integer from 1 to 100",
                ));
            }
        };
        // The operation a kind repeats, by its spec id (the table's order is the generator's).
        let id = match kind {
            BulkKind::Create => "createOemUser",
            BulkKind::Refresh => "refreshOemUserSecret",
        };
        let operation = OPERATIONS
            .iter()
            .find(|operation| operation.id == id)
            .ok_or_else(|| Error::config("unknown operation"))?;
        Ok(BulkRun {
            config,
            operation,
            kind,
            organization_id,
            scheduler: Scheduler::new(kind, concurrency, policy),
            in_flight: Vec::new(),
            next_index: 0,
            started: js_sys::Date::now(),
            timeout_ms,
        })
    }

    fn now(&self) -> Duration {
        Duration::from_millis((js_sys::Date::now() - self.started).max(0.0) as u64)
    }

    /// One attempt of `input`, validated as a single call is; it does not retry itself.
    fn call(&self, input: &JsValue, index: u64) -> Result<Call, Error> {
        let (path_args, body) = match self.kind {
            BulkKind::Create => (Array::of1(&self.organization_id), input),
            BulkKind::Refresh => (
                Array::of2(&self.organization_id, input),
                &JsValue::UNDEFINED,
            ),
        };
        let undefined = JsValue::UNDEFINED;
        let mut call = prepare(
            self.config.clone(),
            self.operation,
            &path_args,
            body,
            &undefined,
            &undefined,
        )?;
        call.bulk_index = Some(index);
        Ok(call)
    }

    /// The call of an attempt, kept in flight until [`BulkRun::settle`].
    fn send(&mut self, attempt: Attempt<JsValue>) -> JsValue {
        match self.call(&attempt.input, attempt.index) {
            Ok(call) => {
                self.in_flight.push(attempt);
                call.into()
            }
            // Valid when it started, so not expected; the input fails instead of looping.
            Err(error) => {
                let now = self.now();
                self.scheduler
                    .settle(attempt, Err(error), now, js_sys::Math::random);
                JsValue::from(0.0)
            }
        }
    }
}

#[wasm_bindgen]
impl BulkRun {
    /// Milliseconds allowed for each attempt; 0 for no limit.
    #[wasm_bindgen(getter, js_name = timeoutMs)]
    pub fn timeout_ms(&self) -> f64 {
        self.timeout_ms
    }

    /// What to do now: a `Call` to send, or `-1` read the next input, `-2` drain it, `-3` wait
    /// for an answer, `-4` done, else wait that many milliseconds (or for an answer).
    #[wasm_bindgen(js_name = next)]
    pub fn step(&mut self) -> JsValue {
        let now = self.now();
        match self.scheduler.next(now) {
            Next::Send(attempt) => self.send(attempt),
            Next::SendNext => READ.into(),
            Next::Drain => DRAIN.into(),
            Next::Wait => WAIT.into(),
            Next::SleepUntil(at) => (at.saturating_sub(now).as_millis() as f64).into(),
            _ => DONE.into(),
        }
    }

    /// Starts the next input after `-1`: its first attempt's `Call`, or `undefined` when the
    /// input is invalid (its outcome is decided: nothing is sent).
    pub fn start(&mut self, input: JsValue) -> Option<Call> {
        let index = self.next_index;
        self.next_index += 1;
        match self.call(&input, index) {
            Ok(call) => {
                let now = self.now();
                let attempt = self.scheduler.start(index, input, now);
                self.in_flight.push(attempt);
                Some(call)
            }
            Err(error) => {
                self.scheduler.skip(index, input, Outcome::Invalid(error));
                None
            }
        }
    }

    /// The next input after `-2` (the run stopped): not sent.
    pub fn skip(&mut self, input: JsValue) {
        let index = self.next_index;
        self.next_index += 1;
        self.scheduler.skip(index, input, Outcome::NotSent);
    }

    /// The input has no more items.
    #[wasm_bindgen(js_name = endOfInput)]
    pub fn end_of_input(&mut self) {
        self.scheduler.end_of_input();
    }

    /// Takes the result of `call`'s attempt (`answered`, `failed` or `tooLarge` was called on
    /// it). A call whose attempt was abandoned by [`BulkRun::stop`] is ignored.
    pub fn settle(&mut self, call: &mut Call) {
        let (Some(index), Some(result)) = (call.bulk_index, call.settled.take()) else {
            return;
        };
        if let Some(at) = self.in_flight.iter().position(|a| a.index == index) {
            let attempt = self.in_flight.swap_remove(at);
            let now = self.now();
            self.scheduler
                .settle(attempt, result, now, js_sys::Math::random);
        }
    }

    /// Stops the run: the first time nothing new leaves and what is in flight finishes; the
    /// second abandons what is in flight (outcome `unknown`). Whether the wrapper is to abort
    /// the requests in flight.
    pub fn stop(&mut self) -> bool {
        let abandon = self.scheduler.stop();
        if abandon {
            for attempt in self.in_flight.drain(..) {
                self.scheduler.abandon(attempt);
            }
        }
        abandon
    }

    /// The next outcome in input order, `{ index, input, outcome, collaborator?, error? }`
    /// (`error` as the fields of an `AppliveryError`), or `undefined` until it is decided.
    pub fn pop(&mut self) -> JsValue {
        let Some(done) = self.scheduler.pop() else {
            return JsValue::UNDEFINED;
        };
        let object = Object::new();
        set(&object, "index", done.index as f64);
        set(&object, "input", done.input);
        set(&object, "outcome", done.outcome.as_str());
        if let Some(error) = done.outcome.error() {
            // A server that echoes the request must not put the key on the JS error.
            set(
                &object,
                "error",
                error_fields(&error.clone().scrub(self.config.key())),
            );
        }
        if let Outcome::Created(value) | Outcome::Refreshed(value) = done.outcome {
            set(&object, "collaborator", value);
        }
        object.into()
    }
}

/// `None` when absent; `Some(Some(n))` for an integer from 1 to `max`; `Some(None)` otherwise.
fn whole(value: &JsValue, max: f64) -> Option<Option<u32>> {
    if is_absent(value) {
        return None;
    }
    Some(
        value
            .as_f64()
            .filter(|n| *n >= 1.0 && *n <= max && n.fract() == 0.0)
            .map(|n| n as u32),
    )
}
