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

use applivery_api::shape::{Field, Shape};
use applivery_api::types::{Collaborator, CollaboratorPage, ErrorDetail, ErrorResponse};
use std::cell::Cell;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::js::{get, is_absent, set};
use crate::oem_secret::OemSecret;

/// The [`applivery::sans_io::WireDecoder`] of the package; what it decodes stays a JS object.
/// One decoder for every answer, so that the facade's classification is compiled once.
pub(crate) struct HostJson {
    /// What a success answer holds.
    pub(crate) answer: Answer,
    /// After a page: the number of the page that follows, if any.
    pub(crate) following: Cell<Option<u64>>,
}

/// What a success answer holds.
#[derive(Clone, Copy)]
pub(crate) enum Answer {
    /// `{ collaborator, oemSecret }`: create and refresh.
    Collaborator,
    /// A page of collaborators; the number it was asked as.
    Page(u64),
}

/// Why a success body is not the documented envelope: the first offending field's path.
type Invalid = String;

impl applivery::sans_io::WireDecoder for HostJson {
    type Output = JsValue;

    fn success(&self, body: &[u8]) -> Result<JsValue, String> {
        let envelope = parse(body).ok_or_else(|| String::from("the body is not JSON"))?;
        let decoded = match self.answer {
            Answer::Collaborator => success(&envelope),
            Answer::Page(requested) => page(&envelope, requested).map(|(page, following)| {
                self.following.set(following);
                page
            }),
        };
        decoded.map_err(|mut reason| {
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
        return Err("the body".into());
    }
    if get(envelope, "status").as_bool().is_none() {
        return Err("status".into());
    }
    let data = get(envelope, "data");
    if !is_object(&data) {
        return Err("data".into());
    }
    let collaborator = get(&data, "collaborator");
    if !is_object(&collaborator) {
        return Err("data.collaborator".into());
    }
    let beside = get(&data, "oemSecret");
    if !(is_absent(&beside) || beside.is_string()) {
        return Err("data.oemSecret".into());
    }
    let object: &Object = collaborator.unchecked_ref();
    shape_collaborator(object, "data.collaborator")?;
    // As `applivery::Collaborator::from_data`: beside the collaborator first, then inside it.
    keep_secret(object, beside.as_string());
    Ok(collaborator)
}

/// Puts the OEM secret on the collaborator as an [`OemSecret`]: `beside` if given, else an
/// `oemSecret` inside the collaborator, where any JSON value is taken (a non-string one in its
/// JSON text), as `applivery::Collaborator` does; no secret, no key.
fn keep_secret(object: &Object, beside: Option<String>) {
    let inside = get(object, "oemSecret");
    let secret = match beside {
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
}

/// `data.<name>`, for messages (no `format!`: it would link core's formatting into the wasm).
fn data_path(field: &Field) -> Invalid {
    let mut path = String::from("data.");
    path.push_str(field.name);
    path
}

/// Checks `{ status, data: { items, totalDocs, ... } }` against the spec's `CollaboratorPage`.
fn page(envelope: &JsValue, requested: u64) -> Result<(JsValue, Option<u64>), Invalid> {
    if !is_object(envelope) {
        return Err("the body".into());
    }
    if get(envelope, "status").as_bool().is_none() {
        return Err("status".into());
    }
    let data = get(envelope, "data");
    if !is_object(&data) {
        return Err("data".into());
    }
    let object: &Object = data.unchecked_ref();
    let mut items = 0;
    for field in CollaboratorPage::FIELDS {
        let value = get(&data, field.name);
        if let Shape::RecordList(_) = field.shape {
            let list = value.dyn_ref::<Array>().ok_or_else(|| data_path(field))?;
            for item in list.iter() {
                if !is_object(&item) {
                    return Err(data_path(field));
                }
                let item: &Object = item.unchecked_ref();
                shape_collaborator(item, "data.items[]")?;
                keep_secret(item, None);
            }
            items = list.length() as usize;
        } else if is_absent(&value) {
            set(object, field.name, JsValue::NULL);
        } else if !fits(field.shape, &value) {
            return Err(data_path(field));
        }
    }
    let number = |name| get(&data, name).as_f64().map(|n| n as i64);
    let following = applivery::sans_io::next_page(
        requested,
        items,
        get(&data, "hasNextPage").as_bool(),
        number("nextPage"),
        number("totalPages"),
    );
    Ok((data, following))
}

/// Checks the collaborator's fields against the spec's `Collaborator::FIELDS` and shapes it,
/// in place, as `applivery::Collaborator` serializes: a required field must be of its type;
/// a missing optional one is `null` when the spec marks it nullable and absent otherwise; a
/// record (`user`) is copied as its Rust type keeps it. Unknown fields stay as they came.
fn shape_collaborator(object: &Object, at: &str) -> Result<(), Invalid> {
    let path = |field: &Field| {
        let mut path = String::from(at);
        path.push('.');
        path.push_str(field.name);
        path
    };
    for field in Collaborator::FIELDS {
        let value = get(object, field.name);
        if is_absent(&value) {
            if field.required {
                return Err(path(field));
            } else if field.nullable {
                set(object, field.name, JsValue::NULL);
            } else {
                // `Option::None` is not serialized.
                delete(object, field.name);
            }
        } else if let Shape::Record(fields) = field.shape {
            set(object, field.name, record(&value, fields, &path(field))?);
        } else if !fits(field.shape, &value) {
            return Err(path(field));
        }
    }
    Ok(())
}

/// A nested record (an `OemUser`), copied as the generated Rust type keeps it: every field
/// optional, present ones of their type, `null` and unknown ones dropped.
fn record(value: &JsValue, fields: &'static [Field], at: &str) -> Result<Object, Invalid> {
    if !is_object(value) {
        return Err(at.into());
    }
    let kept = Object::new();
    for field in fields {
        let inner = get(value, field.name);
        if is_absent(&inner) {
            continue;
        }
        if !fits(field.shape, &inner) {
            let mut path = String::from(at);
            path.push('.');
            path.push_str(field.name);
            return Err(path);
        }
        set(&kept, field.name, inner);
    }
    Ok(kept)
}

/// Whether a present JSON value is of the shape.
fn fits(shape: Shape, value: &JsValue) -> bool {
    match shape {
        Shape::Text => value.is_string(),
        Shape::TextList => value
            .dyn_ref::<Array>()
            .is_some_and(|items| items.iter().all(|item| item.is_string())),
        Shape::Bool => value.as_bool().is_some(),
        Shape::Integer => value.as_f64().is_some_and(|n| n.fract() == 0.0),
        Shape::Object | Shape::Record(_) => is_object(value),
        Shape::RecordList(_) => Array::is_array(value),
        Shape::Any => true,
    }
}

fn delete(object: &Object, name: &'static str) {
    let _ = Reflect::delete_property(object, &crate::js::key(name));
}
