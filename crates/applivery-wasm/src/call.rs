//! One call (`createOemUser`, `refreshOemUserSecret`, a page of `listCollaborators`) as a state
//! machine, driven by the JS wrapper: the wrapper does the
//! I/O (`fetch`, timers, `AbortSignal`), this decides everything else.
//!
//! Sans-I/O keeps promises, closures and the fetch bindings out of the wasm, and the wrapper's
//! loop is short:
//!
//! ```js
//! const call = client.prepareOperation(index, pathArgs, body, options, page, signal); // validates, sends nothing
//! const { method, url, body } = call.request();               // read once per call
//! for (;;) {
//!   const authorization = call.attemptAuthorization();        // starts an attempt
//!   const step = /* fetch(url, init) */ call.answered(status, retryAfter, bytes);
//!   if (step.retryInMs === undefined) return step;            // { ok } or { error }
//!   /* wait step.retryInMs */
//! }
//! ```
//!
//! Each step is the facade's: [`applivery::sans_io::classify_with`] then [`RetryState::after_attempt`].

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use applivery::sans_io::{RetryState, Step};
use applivery::{Error, RetryPolicy};
use js_sys::Object;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;

pub(crate) use crate::decode::Answer;
use crate::decode::HostJson;
use crate::js::{error_fields, get, message_of, set, single};

/// The scheme of the `Authorization` header.
pub(crate) const BEARER: &str = "Bearer ";

/// A client's settings, shared by its calls.
pub(crate) struct Config {
    /// `Bearer <key>`: the only form the key is kept in.
    pub authorization: String,
    /// The base URL, without a trailing `/`.
    pub base_url: String,
    /// Milliseconds allowed for each attempt; 0 for no limit.
    pub timeout_ms: f64,
    /// The facade's retry policy, from `maxRetries`.
    pub policy: RetryPolicy,
}

impl Config {
    /// The key, for scrubbing errors only.
    pub(crate) fn key(&self) -> &str {
        self.authorization.strip_prefix(BEARER).unwrap_or_default()
    }
}

/// A validated call: its request, and the facade's retry state.
#[wasm_bindgen]
pub struct Call {
    config: Rc<Config>,
    method: &'static str,
    url: String,
    /// The JSON body (the generated wire type, as serde_json writes it), if the call has one.
    body: Option<String>,
    decoder: HostJson,
    state: RetryState,
    /// `Date.now()` at the start, for the policy's time budget.
    started: f64,
}

impl Call {
    /// A call of `method` to `path` (after the base URL: the operation's path and query from
    /// the operation table, validated and encoded).
    pub(crate) fn request(
        config: Rc<Config>,
        method: &'static str,
        path: &str,
        answer: Answer,
    ) -> Call {
        let mut url = String::with_capacity(config.base_url.len() + path.len());
        url.push_str(&config.base_url);
        url.push_str(path);
        Call {
            state: RetryState::new(config.policy),
            config,
            method,
            url,
            body: None,
            decoder: HostJson {
                answer,
                following: Cell::new(None),
            },
            started: js_sys::Date::now(),
        }
    }

    /// The call makes one attempt: a bulk run's scheduler decides what follows it.
    pub(crate) fn single_attempt(mut self) -> Call {
        self.state = RetryState::new(RetryPolicy::none());
        self
    }

    /// The JSON body every attempt sends, if the call has one.
    pub(crate) fn set_body(&mut self, body: Option<String>) {
        self.body = body;
    }

    /// The facade's decision after an attempt, as `{ ok }`, `{ error }` or `{ retryInMs }`.
    fn step(&mut self, outcome: Result<JsValue, Error>) -> JsValue {
        let elapsed = Duration::from_millis((js_sys::Date::now() - self.started).max(0.0) as u64);
        match self
            .state
            .after_attempt(outcome, elapsed, js_sys::Math::random)
        {
            Step::Done(Ok(collaborator)) => single("ok", collaborator),
            // A server that echoes the request must not put the key on the JS error.
            Step::Done(Err(error)) => {
                single("error", error_fields(&error.scrub(self.config.key())))
            }
            Step::Retry { delay, .. } => single("retryInMs", delay.as_millis() as f64),
            _ => single(
                "error",
                error_fields(&Error::new(applivery::ErrorKind::Api, "unknown retry step")),
            ),
        }
    }
}

#[wasm_bindgen]
impl Call {
    /// What every attempt of the call sends and allows, read once per call:
    /// `{ method, url, body, timeoutMs, maxResponseBytes }` (`body` undefined when the call has
    /// none; `timeoutMs` 0 for no limit; `maxResponseBytes` the largest body accepted). One
    /// object instead of a getter each: one crossing, and less glue in the package.
    #[wasm_bindgen(js_name = request)]
    pub fn request_fields(&self) -> Object {
        let request = Object::new();
        set(&request, "method", self.method);
        set(&request, "url", self.url.as_str());
        if let Some(body) = &self.body {
            set(&request, "body", body.as_str());
        }
        set(&request, "timeoutMs", self.config.timeout_ms);
        set(
            &request,
            "maxResponseBytes",
            applivery::sans_io::MAX_RESPONSE_BYTES as f64,
        );
        request
    }

    /// After a page of collaborators: the number of the page that follows, `undefined` at the
    /// end of the list.
    #[wasm_bindgen(getter)]
    pub fn following(&self) -> Option<f64> {
        self.decoder.following.get().map(|page| page as f64)
    }

    /// Starts an attempt and returns the `Authorization` header's value: the wrapper writes the
    /// rest of the init (`method`, `body`, and `Content-Type` only with a body: nothing a
    /// browser's CORS preflight would be refused for) as a JS literal, cheaper than building it
    /// here property by property. The value goes into that init for `fetch` and is kept nowhere
    /// else.
    #[wasm_bindgen(js_name = attemptAuthorization)]
    pub fn attempt_authorization(&mut self) -> String {
        self.state.begin_attempt();
        self.config.authorization.clone()
    }

    /// The attempt's complete answer: the next step.
    pub fn answered(&mut self, status: u16, retry_after: Option<String>, body: &[u8]) -> JsValue {
        let outcome = if body.len() as u64 > applivery::sans_io::MAX_RESPONSE_BYTES {
            Err(too_large(status))
        } else {
            // The clock only for a `Retry-After` (an HTTP date is read against it).
            let retry_after = retry_after.map(|value| {
                let now = (js_sys::Date::now() / 1000.0) as u64;
                applivery::sans_io::retry_after_in_seconds(&value, now)
            });
            applivery::sans_io::classify_with(&self.decoder, status, retry_after.as_deref(), body)
        };
        self.step(outcome)
    }

    /// The answer announced a body over [`Call::max_response_bytes`]; the wrapper did not read
    /// it.
    #[wasm_bindgen(js_name = tooLarge)]
    pub fn too_large(&mut self, status: u16) -> JsValue {
        self.step(Err(too_large(status)))
    }

    /// No answer: `timed_out` when the wrapper's timer fired, else `error` is what `fetch`
    /// threw.
    pub fn failed(&mut self, error: JsValue, timed_out: bool) -> JsValue {
        let error = if timed_out {
            Error::timeout("no complete answer within timeoutMs")
        } else {
            fetch_error(&error)
        };
        self.step(Err(error))
    }
}

fn too_large(status: u16) -> Error {
    Error::invalid_response(Some(status), "response body too large", b"")
}

/// What `fetch` threw, as the facade's error: a connection never made (known in Node only) is
/// safe to retry, a redirect (known in Node, Deno and Bun) is final, anything else may have
/// reached the server.
///
/// The message is the host's: `error.message`, plus Node's `error.cause.message` ("fetch failed:
/// connect ECONNREFUSED 127.0.0.1:9"); browsers say no more than "Failed to fetch".
fn fetch_error(error: &JsValue) -> Error {
    let mut message = message_of(error).unwrap_or_else(|| String::from("fetch failed"));
    let cause = get(error, "cause");
    let cause_message = message_of(&cause);
    if refused_redirect(&message, cause_message.as_deref(), error) {
        return Error::invalid_response(None, "redirected; redirects are not followed", b"");
    }
    if let Some(cause_message) = cause_message {
        message.push_str(": ");
        message.push_str(&cause_message);
        let code = get(&cause, "code").as_string().unwrap_or_default();
        if CONNECT_CODES.contains(&code.as_str()) {
            return Error::connect(message);
        }
    }
    Error::network(message)
}

/// Whether `fetch` refused a 3xx (`redirect: 'error'`): the server answered, and would answer a
/// retry the same, so the error is final, as a 3xx is in the facade. Each runtime says it its
/// own way: Node (undici) in the cause, Deno in the message, Bun in `code`.
fn refused_redirect(message: &str, cause_message: Option<&str>, error: &JsValue) -> bool {
    cause_message == Some("unexpected redirect")
        || message.ends_with("while redirect mode is set to 'error'")
        || get(error, "code").as_string().as_deref() == Some("UnexpectedRedirect")
}

/// Node's error codes for a connection that was never made: nothing reached the server.
const CONNECT_CODES: [&str; 6] = [
    "ECONNREFUSED",
    "ENOTFOUND",
    "EAI_AGAIN",
    "EHOSTUNREACH",
    "ENETUNREACH",
    "UND_ERR_CONNECT_TIMEOUT",
];
