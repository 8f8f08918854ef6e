//! [`MockCore`]: one mock's state, and a request handled as the Rust mock's connections do.

use std::future::poll_fn;
use std::pin::pin;
use std::rc::Rc;
use std::task::Poll;

use applivery_mock::in_process::InProcessMock;
use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::options::MockOptions;

/// A mock: its configuration, users, secrets and fault queues.
#[wasm_bindgen]
pub struct MockCore {
    mock: Rc<InProcessMock>,
}

#[wasm_bindgen]
impl MockCore {
    /// `options` as JSON (see `MockOptions`); throws an `Error` naming what is wrong.
    #[wasm_bindgen(constructor)]
    pub fn new(options: &str) -> Result<MockCore, JsError> {
        let options: MockOptions = serde_json::from_str(options)
            .map_err(|e| JsError::new(&format!("applivery-oem/mock: options: {e}")))?;
        let bound = options.bound_address();
        let mock = InProcessMock::new(&options.config())
            .map_err(|e| JsError::new(&format!("applivery-oem/mock: {e}")))?;
        if let Some(ip) = bound {
            mock.set_bound(ip);
        }
        Ok(MockCore {
            mock: Rc::new(mock),
        })
    }

    /// One request: `target` is the path and query, `headers` flat name/value pairs. Resolves to
    /// `{status, headers, body, failed, length?}` (`headers` flat; `failed`: the body broke off
    /// after `body`, as `truncated-json` does; `length`: the announced Content-Length), or `undefined` when the connection closes without a
    /// response (`drop`). A `hang` resolves only when `abort` (a promise) settles, to `null`:
    /// the request is then dropped, as a server drops the work of a client that went away.
    pub fn handle(
        &self,
        method: String,
        target: String,
        headers: Vec<String>,
        body: Vec<u8>,
        abort: Option<js_sys::Promise>,
    ) -> js_sys::Promise {
        let mock = self.mock.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            let mut request = Request::builder()
                .method(method.as_str())
                .uri(target.as_str());
            for pair in headers.chunks_exact(2) {
                request = request.header(pair[0].as_str(), pair[1].as_str());
            }
            let request = request
                .body(Body::from(body))
                .map_err(|e| JsError::new(&format!("applivery-oem/mock: bad request: {e}")))?;
            let answer = async move {
                let Some(response) = mock.handle(request).await else {
                    return JsValue::UNDEFINED;
                };
                answer_to_js(response).await
            };
            let Some(abort) = abort else {
                return Ok(answer.await);
            };
            let mut answer = pin!(answer);
            let mut aborted = pin!(JsFuture::from(abort));
            Ok(poll_fn(|cx| {
                if aborted.as_mut().poll(cx).is_ready() {
                    return Poll::Ready(JsValue::NULL);
                }
                answer.as_mut().poll(cx)
            })
            .await)
        })
    }

    /// The created collaborators as JSON (`GET /__mock/users`), of one organization or all.
    pub fn users(&self, organization: Option<String>) -> String {
        let users = self.mock.users(organization.as_deref());
        serde_json::to_string(&users).unwrap_or_else(|_| "[]".into())
    }

    /// The created users' request bodies as JSON (`GET /__mock/requests`).
    pub fn requests(&self, organization: Option<String>) -> String {
        let requests = self.mock.requests(organization.as_deref());
        serde_json::to_string(&requests).unwrap_or_else(|_| "[]".into())
    }

    /// The OEM secrets as JSON (`GET /__mock/oem-secrets`).
    #[wasm_bindgen(js_name = oemSecrets)]
    pub fn oem_secrets(&self, organization: Option<String>) -> String {
        self.mock.oem_secrets_json(organization.as_deref())
    }

    /// Queues fault specs for the requests creating `email`, or for the next requests.
    #[wasm_bindgen(js_name = pushFaults)]
    pub fn push_faults(&self, email: Option<String>, specs: Vec<String>) -> Result<(), JsError> {
        self.mock
            .push_faults(email.as_deref(), &specs)
            .map_err(|e| JsError::new(&format!("applivery-oem/mock: {e}")))
    }

    /// API requests received since the start or the last reset.
    #[wasm_bindgen(js_name = requestCount)]
    pub fn request_count(&self) -> f64 {
        self.mock.request_count() as f64
    }

    /// Forgets users, queued faults, the request count and the rate window.
    pub fn reset(&self) {
        self.mock.reset();
    }
}

/// `{status, headers, body, failed, length?}`, the body read to its end or to where it broke
/// off; `length` is the Content-Length a server announces.
async fn answer_to_js(response: axum::response::Response) -> JsValue {
    let (parts, mut body) = response.into_parts();
    // What hyper would announce as Content-Length (none for a streamed body).
    let length = http_body::Body::size_hint(&body).exact();
    let mut bytes = Vec::new();
    let mut failed = false;
    while let Some(frame) = body.frame().await {
        match frame {
            Ok(frame) => {
                if let Ok(data) = frame.into_data() {
                    bytes.extend_from_slice(&data);
                }
            }
            Err(_) => {
                failed = true;
                break;
            }
        }
    }
    let headers = js_sys::Array::new();
    for (name, value) in &parts.headers {
        headers.push(&name.as_str().into());
        headers.push(&String::from_utf8_lossy(value.as_bytes()).as_ref().into());
    }
    let answer = js_sys::Object::new();
    let set = |key: &str, value: &JsValue| {
        let _ = js_sys::Reflect::set(&answer, &key.into(), value);
    };
    set("status", &parts.status.as_u16().into());
    set("headers", &headers);
    set("body", &js_sys::Uint8Array::from(bytes.as_slice()));
    set("failed", &failed.into());
    if let Some(length) = length {
        set("length", &(length as f64).into());
    }
    answer.into()
}
