//! One HTTP exchange over the host's global `fetch` (browsers and Node 20 alike).
//!
//! Chosen for size: the host already ships an HTTP client, so binding `fetch` directly costs a
//! few hundred bytes where reqwest costs over 100 KB gzip. A per-attempt `AbortController`
//! gives the timeout and relays the caller's `AbortSignal`.

use js_sys::{Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue, prelude::wasm_bindgen};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, Headers, RequestInit, Response};

#[wasm_bindgen]
extern "C" {
    /// The global `fetch`, present in browsers, workers and Node 18+.
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(url: &str, init: &RequestInit) -> Promise;
    #[wasm_bindgen(js_name = setTimeout)]
    pub(crate) fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    pub(crate) fn clear_timeout(id: &JsValue);
}

/// What the server answered, as far as the shared classification needs it.
pub(crate) struct Answer {
    pub status: u16,
    pub retry_after: Option<String>,
    pub body: Vec<u8>,
}

/// Why no answer came back.
pub(crate) enum Failure {
    /// The caller's signal fired: the promise rejects with its `reason`, as `fetch` does.
    Aborted(JsValue),
    /// The per-attempt timeout fired.
    Timeout,
    /// The connection could not be made (known in Node only): nothing was sent.
    Connect(String),
    /// The connection failed or broke, perhaps after sending; the message is the host's (it
    /// never holds the key).
    Network(String),
    /// The response announced a body over the limit; it was not read.
    TooLarge,
}

/// Undoes the timer and the listener when the attempt ends, however it ends.
struct AttemptGuard<'a> {
    timer: Option<JsValue>,
    signal: Option<&'a AbortSignal>,
    abort: Function,
}

impl Drop for AttemptGuard<'_> {
    fn drop(&mut self) {
        if let Some(timer) = &self.timer {
            clear_timeout(timer);
        }
        if let Some(signal) = self.signal {
            let _ = signal.remove_event_listener_with_callback("abort", &self.abort);
        }
    }
}

/// POSTs `body` (JSON text) to `url` with the bearer key, and reads the whole answer.
///
/// Sends only `Authorization` and `Content-Type`, so a browser's CORS preflight asks for nothing
/// a server would refuse. `timeout_ms == 0` means no timeout.
pub(crate) async fn post_json(
    url: &str,
    authorization: &str,
    body: &JsValue,
    timeout_ms: f64,
    max_body: u64,
    signal: Option<&AbortSignal>,
) -> Result<Answer, Failure> {
    if let Some(signal) = signal.filter(|s| s.aborted()) {
        return Err(Failure::Aborted(signal.reason()));
    }
    let controller = AbortController::new().map_err(network)?;
    // `controller.abort` bound to its controller: usable as a timer or event callback without
    // a Rust closure.
    let abort: Function = Reflect::get(&controller, &JsValue::from_str("abort"))
        .map_err(network)?
        .unchecked_into::<Function>()
        .bind0(&controller);
    let timer = (timeout_ms > 0.0).then(|| set_timeout(&abort, timeout_ms));
    if let Some(signal) = signal {
        let _ = signal.add_event_listener_with_callback("abort", &abort);
    }
    let _guard = AttemptGuard {
        timer,
        signal,
        abort,
    };
    let outcome = exchange(url, authorization, body, max_body, &controller).await;
    outcome.map_err(|error| {
        if let Some(signal) = signal.filter(|s| s.aborted()) {
            Failure::Aborted(signal.reason())
        } else if controller.signal().aborted() && !matches!(error, Failure::TooLarge) {
            Failure::Timeout
        } else {
            error
        }
    })
}

async fn exchange(
    url: &str,
    authorization: &str,
    body: &JsValue,
    max_body: u64,
    controller: &AbortController,
) -> Result<Answer, Failure> {
    let headers = Headers::new().map_err(network)?;
    headers
        .set("Authorization", authorization)
        .map_err(network)?;
    headers
        .set("Content-Type", "application/json")
        .map_err(network)?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(body);
    init.set_signal(Some(&controller.signal()));
    let response: Response = JsFuture::from(global_fetch(url, &init))
        .await
        .map_err(network)?
        .unchecked_into();
    let headers = response.headers();
    let declared = headers
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|length| length.trim().parse::<u64>().ok());
    if declared.is_some_and(|length| length > max_body) {
        // Closes the connection instead of downloading what will be refused.
        controller.abort();
        return Err(Failure::TooLarge);
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(network)?)
        .await
        .map_err(network)?;
    let body = Uint8Array::new(&buffer).to_vec();
    if body.len() as u64 > max_body {
        return Err(Failure::TooLarge);
    }
    Ok(Answer {
        status: response.status(),
        retry_after: headers.get("retry-after").ok().flatten(),
        body,
    })
}

/// The host's message for a failed call: `error.message`, plus Node's `error.cause.message`
/// ("fetch failed: connect ECONNREFUSED 127.0.0.1:9"); browsers say no more than "Failed to
/// fetch".
fn network(error: JsValue) -> Failure {
    let mut message = String::from("fetch failed");
    if let Some(error) = error.dyn_ref::<js_sys::Error>() {
        message = String::from(error.message());
        let cause = error.cause();
        if let Some(cause) = cause.dyn_ref::<js_sys::Error>() {
            message.push_str(": ");
            message.push_str(&String::from(cause.message()));
            // Node names the failures that happen before anything is sent.
            let code = Reflect::get(cause, &JsValue::from_str("code"))
                .ok()
                .and_then(|code| code.as_string())
                .unwrap_or_default();
            if CONNECT_CODES.contains(&code.as_str()) {
                return Failure::Connect(message);
            }
        }
    }
    Failure::Network(message)
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
