//! `BulkRun`: the decisions of one `createOemUsers` / `refreshOemUserSecrets` run. The JS loop
//! (`web/applivery-oem/bulk.js`) asks what to do next and does it with the client's module,
//! which validates and sends each attempt:
//!
//! ```js
//! for (;;) {
//!   for (let o; (o = run.pop()); ) yield o;      // outcomes, in input order
//!   const next = run.next();
//!   if (Array.isArray(next)) send(...next);      // [index, input]: an attempt; then run.settle(index, step)
//!   else if (next === READ) { /* next input: run.start(input) -> index, or run.invalid(input, fields); or run.endOfInput() */ }
//!   else if (next === DRAIN) { /* next input: run.skip(input), or run.endOfInput() */ }
//!   else if (next === WAIT) { /* until an answer */ }
//!   else if (next === DONE) return;
//!   else { /* next ms, or until an answer */ }
//! }
//! ```

use std::time::Duration;

use applivery::bulk::{BulkKind, Outcome, StopReason};
use applivery::sans_io::{Attempt, Next, Scheduler};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::failure::Failure;
use crate::options::Options;

/// [`BulkRun::step`]'s answers (`next()` in JS) other than an attempt to send or milliseconds to sleep (>= 0).
const READ: f64 = -1.0;
const DRAIN: f64 = -2.0;
const WAIT: f64 = -3.0;
const DONE: f64 = -4.0;

/// The state of one bulk run; the JS loop owns it while the run's iterator lives.
#[wasm_bindgen]
pub struct BulkRun {
    scheduler: Scheduler<JsValue, JsValue, Failure>,
    /// Attempts sent and not yet settled, found again by their input's index.
    in_flight: Vec<Attempt<JsValue, Failure>>,
    next_index: u64,
    /// `Date.now()` at the start: the scheduler's clock counts from there.
    started: f64,
    timeout_ms: Option<f64>,
}

#[wasm_bindgen]
impl BulkRun {
    /// A run of creates (`refresh` false) or secret refreshes, with the `concurrency`,
    /// `maxAttempts`, `timeoutMs` and `signal` of `options` (absent: the defaults); throws the
    /// fields of a `config` error for a bad one.
    #[wasm_bindgen(constructor)]
    pub fn new(refresh: bool, options: JsValue) -> Result<BulkRun, JsValue> {
        let options = Options::read(&options)?;
        let kind = if refresh {
            BulkKind::Refresh
        } else {
            BulkKind::Create
        };
        let concurrency = match options.concurrency {
            0 => applivery::bulk::DEFAULT_CONCURRENCY,
            n => n as usize,
        };
        let policy = match options.max_attempts {
            0 => applivery::bulk::default_policy(),
            n => applivery::bulk::default_policy().max_attempts(n),
        };
        Ok(BulkRun {
            scheduler: Scheduler::new(kind, concurrency, policy),
            in_flight: Vec::new(),
            next_index: 0,
            started: js_sys::Date::now(),
            timeout_ms: options.timeout_ms,
        })
    }

    /// Milliseconds allowed for each attempt, if the options set it (else the client's).
    #[wasm_bindgen(getter, js_name = timeoutMs)]
    pub fn timeout_ms(&self) -> Option<f64> {
        self.timeout_ms
    }

    fn now(&self) -> Duration {
        Duration::from_millis((js_sys::Date::now() - self.started).max(0.0) as u64)
    }

    /// What to do now: `[index, input]`, an attempt to send, or `-1` read the next input, `-2`
    /// drain it, `-3` wait for an answer, `-4` done, else wait that many milliseconds (or for an
    /// answer).
    #[wasm_bindgen(js_name = next)]
    pub fn step(&mut self) -> JsValue {
        let now = self.now();
        match self.scheduler.next(now) {
            Next::Send(attempt) => {
                let send = Array::of2(&(attempt.index as f64).into(), &attempt.input);
                self.in_flight.push(attempt);
                send.into()
            }
            Next::SendNext => READ.into(),
            Next::Drain => DRAIN.into(),
            Next::Wait => WAIT.into(),
            Next::SleepUntil(at) => (at.saturating_sub(now).as_millis() as f64).into(),
            _ => DONE.into(),
        }
    }

    /// Starts the next input after `-1`: its index, to send its first attempt with.
    pub fn start(&mut self, input: JsValue) -> f64 {
        let index = self.take_index();
        let attempt = self.scheduler.start(index, input, self.now());
        self.in_flight.push(attempt);
        index as f64
    }

    /// The next input after `-1`, refused by the client's validation (`fields` of its error):
    /// nothing is sent.
    pub fn invalid(&mut self, input: JsValue, fields: JsValue) {
        let index = self.take_index();
        let failure = Failure::read(fields);
        self.scheduler.skip(index, input, Outcome::Invalid(failure));
    }

    /// The next input after `-2` (the run stopped): not sent.
    pub fn skip(&mut self, input: JsValue) {
        let index = self.take_index();
        self.scheduler.skip(index, input, Outcome::NotSent);
    }

    /// The input has no more items.
    #[wasm_bindgen(js_name = endOfInput)]
    pub fn end_of_input(&mut self) {
        self.scheduler.end_of_input();
    }

    /// Takes the result of input `index`'s attempt, the client's `{ ok }` or `{ error }`. An
    /// attempt abandoned by [`BulkRun::stop`] is ignored.
    pub fn settle(&mut self, index: f64, step: JsValue) {
        let Some(at) = self.in_flight.iter().position(|a| a.index as f64 == index) else {
            return;
        };
        let attempt = self.in_flight.swap_remove(at);
        let error = field(&step, "error");
        let result = if error.is_object() {
            Err(Failure::read(error))
        } else {
            Ok(field(&step, "ok"))
        };
        let now = self.now();
        self.scheduler
            .settle(attempt, result, now, js_sys::Math::random);
    }

    /// Stops the run: the first time nothing new leaves and what is in flight finishes; the
    /// second abandons what is in flight (outcome `unknown`). Whether the JS loop is to abort
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
        set(&object, "index", (done.index as f64).into());
        set(&object, "input", done.input);
        set(&object, "outcome", done.outcome.as_str().into());
        match done.outcome {
            Outcome::Created(value) | Outcome::Refreshed(value) => {
                set(&object, "collaborator", value)
            }
            Outcome::Invalid(failure)
            | Outcome::Failed(failure)
            | Outcome::AlreadyRegistered { error: failure, .. } => {
                set(&object, "error", failure.fields)
            }
            _ => {}
        }
        object.into()
    }

    /// The run's counters: `{ read, sent, inFlight, retries, pushBacks, limit, lowestLimit,
    /// created, refreshed, alreadyRegistered, invalid, failed, unknown, notSent }`, and
    /// `stopped`: why the run stopped early (`"requested"`, or `"fatal"`: an error that
    /// concerns every input, which the input that got it carries), or `null`.
    pub fn progress(&self) -> Object {
        let progress = self.scheduler.progress();
        let object = Object::new();
        let counts = [
            ("read", progress.read),
            ("sent", progress.sent),
            ("inFlight", progress.in_flight as u64),
            ("retries", progress.retries),
            ("pushBacks", progress.push_backs),
            ("limit", progress.limit as u64),
            ("lowestLimit", progress.lowest_limit as u64),
            ("created", progress.created),
            ("refreshed", progress.refreshed),
            ("alreadyRegistered", progress.already_registered),
            ("invalid", progress.invalid),
            ("failed", progress.failed),
            ("unknown", progress.unknown),
            ("notSent", progress.not_sent),
        ];
        for (name, count) in counts {
            set(&object, name, (count as f64).into());
        }
        let stopped = match self.scheduler.stop_reason() {
            None => JsValue::NULL,
            Some(StopReason::Fatal(_)) => "fatal".into(),
            Some(_) => "requested".into(),
        };
        set(&object, "stopped", stopped);
        object
    }

    fn take_index(&mut self) -> u64 {
        self.next_index += 1;
        self.next_index - 1
    }
}

fn field(object: &JsValue, name: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn set(object: &Object, name: &str, value: JsValue) {
    let _ = Reflect::set(object, &JsValue::from_str(name), &value);
}
