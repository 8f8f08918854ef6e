//! Response decoding for [`applivery::sans_io::classify_with`]: the host's `JSON.parse` reads the body
//! and the result is checked against the wire format's required fields.
//!
//! The success body goes back to JavaScript as the parsed object itself, shaped as
//! `applivery::Collaborator` serializes: the OEM secret (`data.oemSecret`, else an `oemSecret`
//! inside the collaborator) as an [`OemSecret`] that prints `[redacted]`, missing timestamps and
//! `createdBy` as `null`, a `null` user dropped, and the user's `null` and unknown fields
//! dropped. The rules are those of the generated
//! `applivery-api` types; the wasm tests run both decoders over the same bodies and require the
//! same result.
//!
//! Why not serde here: the generated `Deserialize` impls need serde_json's `Map`/`Value` (for
//! `detected` and unknown fields) and a serde bridge to JS values; together they were about
//! half of the package's wasm.

use applivery_api::types::{ErrorDetail, ErrorResponse};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::js::{get, is_absent, set};
use crate::oem_secret::OemSecret;

/// The [`applivery::sans_io::WireDecoder`] of the package; the collaborator stays a JS object.
pub(crate) struct HostJson;

/// Why a success body is not the documented envelope: the first offending field.
type Invalid = &'static str;

impl applivery::sans_io::WireDecoder for HostJson {
    type Output = JsValue;

    fn success(&self, body: &[u8]) -> Result<JsValue, String> {
        let envelope = parse(body).ok_or_else(|| String::from("the body is not JSON"))?;
        success(&envelope).map_err(|field| {
            let mut reason = String::from(field);
            reason.push_str(" is missing or has the wrong type");
            reason
        })
    }

    fn error(&self, body: &[u8]) -> Option<ErrorResponse> {
        let envelope = parse(body).filter(is_object)?;
        let status = get(&envelope, "status");
        if !(is_absent(&status) || status.as_bool().is_some()) {
            return None;
        }
        let detail = get(&envelope, "error");
        let error = if is_absent(&detail) {
            None
        } else {
            if !is_object(&detail) {
                return None;
            }
            let code = get(&detail, "code");
            let code = match code.as_f64() {
                _ if is_absent(&code) => None,
                Some(code) if code.fract() == 0.0 && code.abs() <= MAX_SAFE_INTEGER => {
                    Some(code as i64)
                }
                _ => return None,
            };
            let message = get(&detail, "message");
            let message = match message.as_string() {
                _ if is_absent(&message) => None,
                Some(message) => Some(message),
                None => return None,
            };
            Some(ErrorDetail { code, message })
        };
        Some(ErrorResponse {
            error,
            status: status.as_bool(),
        })
    }
}

/// Largest integer a JS number holds exactly (2^53 - 1).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// `JSON.parse` of a UTF-8 body; `None` for anything else.
fn parse(body: &[u8]) -> Option<JsValue> {
    js_sys::JSON::parse(core::str::from_utf8(body).ok()?).ok()
}

/// A plain JSON object (not an array, not `null`).
fn is_object(value: &JsValue) -> bool {
    value.is_object() && !Array::is_array(value)
}

/// Checks `{ status: boolean, data: { collaborator } }` and returns the shaped collaborator.
fn success(envelope: &JsValue) -> Result<JsValue, Invalid> {
    if !is_object(envelope) {
        return Err("the body");
    }
    if get(envelope, "status").as_bool().is_none() {
        return Err("status");
    }
    let data = get(envelope, "data");
    if !is_object(&data) {
        return Err("data");
    }
    let collaborator = get(&data, "collaborator");
    if !is_object(&collaborator) {
        return Err("data.collaborator");
    }
    for (name, path) in TEXT_FIELDS {
        if !get(&collaborator, name).is_string() {
            return Err(path);
        }
    }
    if !is_string_array(&get(&collaborator, "tags")) {
        return Err("data.collaborator.tags");
    }
    if !is_object(&get(&collaborator, "detected")) {
        return Err("data.collaborator.detected");
    }
    let object: &Object = collaborator.unchecked_ref();
    // Documented as required, decoded leniently: missing is `null`, as in the generated types.
    for (name, path) in NULLABLE_TEXT_FIELDS {
        let value = get(&collaborator, name);
        if value.is_undefined() {
            set(object, name, JsValue::NULL);
        } else if !(value.is_null() || value.is_string()) {
            return Err(path);
        }
    }
    let beside = get(&data, "oemSecret");
    if !(is_absent(&beside) || beside.is_string()) {
        return Err("data.oemSecret");
    }
    let found = get(&collaborator, "user");
    if is_absent(&found) {
        // `Option::None` is not serialized.
        delete(object, "user");
    } else {
        set(object, "user", user(&found)?);
    }
    // As `applivery::Collaborator::from_data`: beside the collaborator first, then inside it,
    // where any JSON value is taken (a non-string one in its JSON text).
    let inside = get(&collaborator, "oemSecret");
    let secret = match beside.as_string() {
        Some(secret) => Some(secret),
        None if is_absent(&inside) => None,
        None => inside
            .as_string()
            .or_else(|| js_sys::JSON::stringify(&inside).ok().map(String::from)),
    };
    match secret {
        Some(secret) => set(object, "oemSecret", OemSecret::new(secret)),
        None => delete(object, "oemSecret"),
    }
    Ok(collaborator)
}

/// An `OemUser`, copied as the Rust type keeps it: every field optional, present ones of their
/// type, `null` ones and unknown ones dropped.
fn user(user: &JsValue) -> Result<Object, Invalid> {
    if !is_object(user) {
        return Err("data.collaborator.user");
    }
    let kept = Object::new();
    for (name, path) in USER_FIELDS {
        let value = get(user, name);
        if is_absent(&value) {
            continue;
        }
        // `ssoUser` is typed boolean on one page and "any" on another: any value is kept.
        let typed = name == "ssoUser" || value.is_string();
        if !typed {
            return Err(path);
        }
        set(&kept, name, value);
    }
    Ok(kept)
}

/// The fields of `OemUser` with their paths for messages.
const USER_FIELDS: [(&str, &str); 7] = [
    ("email", "data.collaborator.user.email"),
    ("firstName", "data.collaborator.user.firstName"),
    ("id", "data.collaborator.user.id"),
    ("lastName", "data.collaborator.user.lastName"),
    ("picture", "data.collaborator.user.picture"),
    ("role", "data.collaborator.user.role"),
    ("ssoUser", "data.collaborator.user.ssoUser"),
];

/// The collaborator's required text fields, with their paths for messages.
const TEXT_FIELDS: [(&str, &str); 3] = [
    ("id", "data.collaborator.id"),
    ("organization", "data.collaborator.organization"),
    ("role", "data.collaborator.role"),
];

/// The collaborator's nullable text fields that may also be missing.
const NULLABLE_TEXT_FIELDS: [(&str, &str); 3] = [
    ("createdBy", "data.collaborator.createdBy"),
    ("createdAt", "data.collaborator.createdAt"),
    ("updatedAt", "data.collaborator.updatedAt"),
];

fn is_string_array(value: &JsValue) -> bool {
    value
        .dyn_ref::<Array>()
        .is_some_and(|items| items.iter().all(|item| item.is_string()))
}

fn delete(object: &Object, name: &'static str) {
    let _ = Reflect::delete_property(object, &crate::js::key(name));
}
