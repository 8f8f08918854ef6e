//! A failed attempt, as the client's module reported it: the fields of its `AppliveryError`.

use std::time::Duration;

use applivery::bulk::AttemptFailure;
use applivery::{ErrorKind, RetryClass};
use js_sys::Reflect;
use wasm_bindgen::JsValue;

/// What the scheduler reads of an error (its kind, status, `Retry-After` and retry class), read
/// once from the fields the client's module wrote (`error_fields` in crates/applivery-wasm),
/// and those fields, which become the outcome's `AppliveryError` as they are.
#[derive(Clone)]
pub(crate) struct Failure {
    kind: ErrorKind,
    status: Option<u16>,
    retry_after: Option<Duration>,
    class: RetryClass,
    pub(crate) fields: JsValue,
}

impl Failure {
    pub(crate) fn read(fields: JsValue) -> Failure {
        let kind = text(&fields, "kind");
        let class = text(&fields, "retryClass");
        Failure {
            kind: ErrorKind::ALL
                .iter()
                .copied()
                .find(|known| known.as_str() == kind)
                .unwrap_or(ErrorKind::Api),
            status: number(&fields, "status").map(|status| status as u16),
            retry_after: number(&fields, "retryAfterSeconds")
                .filter(|seconds| *seconds >= 0.0 && seconds.is_finite())
                .map(Duration::from_secs_f64),
            class: match class.as_str() {
                "safe" => RetryClass::Safe,
                "ambiguous" => RetryClass::Ambiguous,
                _ => RetryClass::Never,
            },
            fields,
        }
    }

    fn set(&self, name: &str, value: JsValue) {
        // The fields are a plain object the client's module made for this attempt.
        let _ = Reflect::set(&self.fields, &JsValue::from_str(name), &value);
    }
}

impl AttemptFailure for Failure {
    fn kind(&self) -> ErrorKind {
        self.kind
    }
    fn status(&self) -> Option<u16> {
        self.status
    }
    fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }
    fn retry_class(&self) -> RetryClass {
        self.class
    }
    fn into_after_retry(mut self) -> Self {
        if self.kind == ErrorKind::AlreadyRegistered {
            self.kind = ErrorKind::AlreadyRegisteredAfterRetry;
            let message = applivery::sans_io::after_retry_message(&text(&self.fields, "message"));
            self.set("kind", self.kind.as_str().into());
            self.set("message", message.into());
        }
        self
    }
    fn with_retry_class(mut self, class: RetryClass) -> Self {
        self.class = class;
        self.set("retryable", (class != RetryClass::Never).into());
        self
    }
}

fn text(fields: &JsValue, name: &str) -> String {
    Reflect::get(fields, &JsValue::from_str(name))
        .ok()
        .and_then(|value| value.as_string())
        .unwrap_or_default()
}

fn number(fields: &JsValue, name: &str) -> Option<f64> {
    Reflect::get(fields, &JsValue::from_str(name))
        .ok()
        .and_then(|value| value.as_f64())
}
