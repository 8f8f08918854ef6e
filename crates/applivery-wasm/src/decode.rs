//! Response decoding for [`applivery::sans_io::classify_with`]: the host's `JSON.parse` reads the body
//! and the result is checked against the wire format's required fields.
//!
//! The success body goes back to JavaScript as the parsed object itself, shaped as
//! `applivery::Collaborator` serializes: the OEM secret (`data.oemSecret`, else an `oemSecret`
//! inside the collaborator) as an [`OemSecret`] that prints `[redacted]`, missing timestamps and
//! `createdBy` as `null`, a `null` user dropped, and the user's `null` and unknown fields
//! dropped; a page's missing paging fields `null`. The rules are those of the generated
//! `applivery-api` types; the wasm tests run both decoders over the same bodies and require the
//! same result.
//!
//! The walk over a success body is `decode.js`'s, over tables this module makes once from the
//! generated `FIELDS`: one call into JS per answer, where reading each property with `Reflect`
//! from here was about a hundred calls across the wasm boundary per collaborator (in Node, 6-8
//! us of a create; a page of a hundred, ten thousand). Error bodies are read here.
//!
//! Why not serde here: the generated `Deserialize` impls need serde_json's `Map`/`Value` (for
//! `detected` and unknown fields) and a serde bridge to JS values; together they were about
//! half of the package's wasm.

use applivery_api::shape::{Field, Shape};
use applivery_api::types::{Collaborator, CollaboratorPage, ErrorDetail, ErrorResponse};
use std::cell::Cell;

use js_sys::Array;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use crate::js::{get, is_absent, lent_key, set};
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
    /// Any other operation's `data`, as parsed (checked to be an object; a page's `items` an
    /// array); for a paged one, the number it was asked as.
    Data(Option<u64>),
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
            Answer::Data(requested) => data(&envelope, requested).map(|(data, following)| {
                self.following.set(following);
                data
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
    let decoded = TABLES.with(|tables| decode_answer(envelope, &tables.collaborator, false));
    settle(decoded).map(|(collaborator, _)| collaborator)
}

/// Checks `{ status, data: { items, totalDocs, ... } }` against the spec's `CollaboratorPage`.
fn page(envelope: &JsValue, requested: u64) -> Result<(JsValue, Option<u64>), Invalid> {
    let decoded = TABLES.with(|tables| decode_answer(envelope, &tables.page, true));
    let (data, items) = settle(decoded)?;
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

/// Checks `{ status?, data: {...} }` (and `data.items` an array for a page) and returns `data`
/// as parsed, with the page that follows a paged one.
fn data(envelope: &JsValue, requested: Option<u64>) -> Result<(JsValue, Option<u64>), Invalid> {
    let status = get(envelope, "status");
    if !is_object(envelope) || !(is_absent(&status) || status.as_bool().is_some()) {
        return Err("status".into());
    }
    let data = get(envelope, "data");
    if !is_object(&data) {
        return Err("data".into());
    }
    let Some(requested) = requested else {
        return Ok((data, None));
    };
    let items = get(&data, "items");
    if !Array::is_array(&items) {
        return Err("data.items".into());
    }
    let count = items.unchecked_ref::<Array>().length() as usize;
    let number = |name| get(&data, name).as_f64().map(|n| n as i64);
    let following = applivery::sans_io::next_page(
        requested,
        count,
        get(&data, "hasNextPage").as_bool(),
        number("nextPage"),
        number("totalPages"),
    );
    Ok((data, following))
}

/// What `decode.js` returns: the path of the first wrong field, or the shaped value, with each
/// OEM secret it left as a string wrapped here as an [`OemSecret`] (in wasm memory, printed
/// `[redacted]`), and the number of items.
fn settle(decoded: JsValue) -> Result<(JsValue, usize), Invalid> {
    if let Some(path) = decoded.as_string() {
        return Err(path);
    }
    let decoded: Array = decoded.unchecked_into();
    let carriers: Array = decoded.get(1).unchecked_into();
    for carrier in carriers.iter() {
        let secret = get(&carrier, "oemSecret").as_string().unwrap_or_default();
        set(carrier.unchecked_ref(), "oemSecret", OemSecret::new(secret));
    }
    let items = decoded.get(2).as_f64().unwrap_or(0.0) as usize;
    Ok((decoded.get(0), items))
}

// The walk over the parsed body, in JS: one call per answer instead of a call into JS per
// property read (see decode.js, which follows the rules in this module's docs).
#[wasm_bindgen(module = "/src/decode.js")]
extern "C" {
    #[wasm_bindgen(js_name = decodeAnswer)]
    fn decode_answer(envelope: &JsValue, table: &Array, page: bool) -> JsValue;
}

/// The generated `FIELDS` of the answers, as `decode.js` reads them; made once.
struct Tables {
    collaborator: Array,
    page: Array,
}

thread_local! {
    static TABLES: Tables = Tables {
        collaborator: table(Collaborator::FIELDS),
        page: table(CollaboratorPage::FIELDS),
    };
}

/// `[[name, shape, required, nullable, nestedTable?], ...]`, `shape` numbered as in `decode.js`.
fn table(fields: &'static [Field]) -> Array {
    let rows = Array::new();
    for field in fields {
        let (code, nested) = match field.shape {
            Shape::Text => (0, None),
            Shape::TextList => (1, None),
            Shape::Bool => (2, None),
            Shape::Integer => (3, None),
            Shape::Object => (4, None),
            Shape::Any => (5, None),
            Shape::Record(fields) => (6, Some(fields)),
            Shape::RecordList(fields) => (7, Some(fields)),
        };
        let row = Array::new();
        row.push(lent_key(field.name));
        row.push(&JsValue::from(code));
        row.push(&JsValue::from_bool(field.required));
        row.push(&JsValue::from_bool(field.nullable));
        if let Some(fields) = nested {
            row.push(&table(fields));
        }
        rows.push(&row);
    }
    rows
}
