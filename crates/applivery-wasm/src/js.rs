//! Small helpers for reading and building plain JS objects, and the JS form of an
//! [`applivery::Error`].
//!
//! Written out field by field with `Reflect` instead of through serde: a generic serializer and
//! deserializer over `JsValue` were a third of the package's wasm.

use std::cell::RefCell;

use applivery::{Error, FieldError, RetryClass};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

// `get`, `set_value` and `lent_key` are called from dozens of places: kept out of line, they are
// compiled once instead of at every call (measured: smaller package).

/// `object[name]`, `undefined` when absent or when `object` is not an object.
#[inline(never)]
pub(crate) fn get(object: &JsValue, name: &'static str) -> JsValue {
    Reflect::get(object, lent_key(name)).unwrap_or(JsValue::UNDEFINED)
}

/// `object[name] = value`.
pub(crate) fn set(object: &Object, name: &'static str, value: impl Into<JsValue>) {
    set_value(object, name, &value.into());
}

#[inline(never)]
fn set_value(object: &Object, name: &'static str, value: &JsValue) {
    reflect_set(object, lent_key(name), value);
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `Reflect.set` without js-sys's exception shim (a `try`/`catch` and an `apply` per call):
    /// only called on objects this crate made or `JSON.parse` returned, whose properties are
    /// plain data that cannot throw.
    #[wasm_bindgen(js_namespace = Reflect, js_name = set)]
    fn reflect_set(target: &Object, key: &JsValue, value: &JsValue) -> bool;
}

thread_local! {
    /// The JS strings of the property names used so far: each is decoded once, not per call.
    static KEYS: RefCell<Vec<(&'static str, &'static JsValue)>> = const { RefCell::new(Vec::new()) };
}

/// `name` as a JS string, made once per name. Names are the crate's literals (a few dozen), so
/// a scan comparing addresses finds them faster than decoding the UTF-8 again. Each is kept for
/// the module's life and lent by reference: no JS reference cloned and dropped per access.
#[inline(never)]
pub(crate) fn lent_key(name: &'static str) -> &'static JsValue {
    KEYS.with_borrow_mut(|keys| {
        if let Some((_, value)) = keys.iter().find(|(known, _)| core::ptr::eq(*known, name)) {
            return *value;
        }
        let value: &'static JsValue = Box::leak(Box::new(JsValue::from_str(name)));
        keys.push((name, value));
        value
    })
}

/// `undefined` or `null`.
pub(crate) fn is_absent(value: &JsValue) -> bool {
    value.is_undefined() || value.is_null()
}

/// `{ [name]: value }`.
pub(crate) fn single(name: &'static str, value: impl Into<JsValue>) -> JsValue {
    let object = Object::new();
    set(&object, name, value);
    object.into()
}

/// `value`, or `null` for `None`.
pub(crate) fn or_null<T: Into<JsValue>>(value: Option<T>) -> JsValue {
    value.map_or(JsValue::NULL, Into::into)
}

/// The fields of an `AppliveryError`: the same names and values as `applivery::Error`'s
/// `Serialize` form (a wasm test compares the two).
pub(crate) fn error_fields(error: &Error) -> JsValue {
    let object = Object::new();
    set(&object, "kind", error.kind().as_str());
    set(&object, "message", error.message());
    set(&object, "status", or_null(error.status()));
    // Applivery codes are small; a JS number holds them exactly.
    set(
        &object,
        "code",
        or_null(error.code().map(|code| code as f64)),
    );
    set(&object, "retryable", error.is_retryable());
    // For the bulk module's scheduler (crates/applivery-bulk-wasm), which gets a failed
    // attempt as these fields; `AppliveryError` does not copy it.
    let class = match error.retry_class() {
        RetryClass::Safe => "safe",
        RetryClass::Ambiguous => "ambiguous",
        _ => "never",
    };
    set(&object, "retryClass", class);
    set(
        &object,
        "retryAfterSeconds",
        or_null(error.retry_after().map(|delay| delay.as_secs_f64())),
    );
    set(&object, "fieldErrors", field_errors(error.field_errors()));
    set(&object, "attempts", error.attempts());
    object.into()
}

/// `[{ field, message }, ...]`. (Pushed one by one: `collect()` into an `Array` links a
/// larger generic `Extend`.)
pub(crate) fn field_errors(errors: &[FieldError]) -> Array {
    let array = Array::new();
    for error in errors {
        let object = Object::new();
        set(&object, "field", error.field);
        set(&object, "message", error.message.as_str());
        array.push(&object);
    }
    array
}

/// `error.message` of a JS exception, or a generic text.
pub(crate) fn message_of(error: &JsValue) -> Option<String> {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
}
