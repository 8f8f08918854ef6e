//! A bulk run's options: `concurrency`, `maxAttempts`, `timeoutMs` and `signal`.

use applivery::Error;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortSignal;

/// The options of a run, checked.
pub(crate) struct Options {
    /// Requests in flight at once; 0 for the facade's default.
    pub concurrency: u32,
    /// Attempts of each input; 0 for the facade's bulk policy's.
    pub max_attempts: u32,
    /// Milliseconds allowed for each attempt; `None` for the client's.
    pub timeout_ms: Option<f64>,
}

impl Options {
    /// Reads `options` (absent values: the defaults); the fields of a `config` error for a
    /// bad one.
    pub(crate) fn read(options: &JsValue) -> Result<Options, JsValue> {
        Self::check(options).map_err(|error| config_fields(&error))
    }

    fn check(options: &JsValue) -> Result<Options, Error> {
        let signal = get(options, "signal");
        if !is_absent(&signal) && !signal.is_instance_of::<AbortSignal>() {
            return Err(Error::config("options.signal must be an AbortSignal"));
        }
        let concurrency = whole(&get(options, "concurrency"), 1000)
            .ok_or_else(|| Error::config("concurrency must be an integer from 1 to 1000"))?;
        let max_attempts = whole(&get(options, "maxAttempts"), 100)
            .ok_or_else(|| Error::config("maxAttempts must be an integer from 1 to 100"))?;
        let timeout = get(options, "timeoutMs");
        let timeout_ms = match timeout.as_f64() {
            _ if is_absent(&timeout) => None,
            Some(ms) if ms >= 0.0 && ms.is_finite() => Some(ms),
            _ => return Err(Error::config("timeoutMs must be a number >= 0")),
        };
        Ok(Options {
            concurrency,
            max_attempts,
            timeout_ms,
        })
    }
}

/// 0 when absent; the integer when it is from 1 to `max`; `None` otherwise.
fn whole(value: &JsValue, max: u32) -> Option<u32> {
    if is_absent(value) {
        return Some(0);
    }
    value
        .as_f64()
        .filter(|n| *n >= 1.0 && *n <= f64::from(max) && n.fract() == 0.0)
        .map(|n| n as u32)
}

/// The fields of an `AppliveryError` for a `config` error: the client's module writes every
/// error this way (`error_fields` in crates/applivery-wasm); this module has only this one.
fn config_fields(error: &Error) -> JsValue {
    let object = Object::new();
    let set = |name: &str, value: JsValue| {
        let _ = Reflect::set(&object, &JsValue::from_str(name), &value);
    };
    set("kind", error.kind().as_str().into());
    set("message", error.message().into());
    set("status", JsValue::NULL);
    set("code", JsValue::NULL);
    set("retryable", false.into());
    set("retryAfterSeconds", JsValue::NULL);
    set("fieldErrors", Array::new().into());
    set("attempts", 0.into());
    object.into()
}

fn get(object: &JsValue, name: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn is_absent(value: &JsValue) -> bool {
    value.is_undefined() || value.is_null()
}
