//! `errorGuide()`, `readCsvHeader()` and `oemUserFields()`: texts, rules and the request's
//! properties, written once in Rust (or generated from the spec), that the admin page (and any
//! package user) shows or applies as the CLI does.

use applivery::ErrorKind;
use applivery_api::csv_header::{self, HeaderError};
use applivery_api::shape::Shape;
use applivery_api::types::NewOemUser;
use js_sys::{Array, Object};
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::js::set;

/// `[{ kind, meaning, remedy }]` for every error kind: `applivery::ErrorKind::meaning` and
/// `remedy`, the words the CLI's hints and the README use.
#[wasm_bindgen(js_name = errorGuide)]
pub fn error_guide() -> Array {
    let guide = Array::new();
    for kind in ErrorKind::ALL {
        let entry = Object::new();
        set(&entry, "kind", kind.as_str());
        set(&entry, "meaning", kind.meaning());
        set(&entry, "remedy", kind.remedy());
        guide.push(&entry);
    }
    guide
}

/// `[{ name, flag, list, required, description }]`: the properties of the spec's `NewOemUser`
/// (its generated `FIELDS`), in the spec's order, for building a form or reading columns.
#[wasm_bindgen(js_name = oemUserFields)]
pub fn oem_user_fields() -> Array {
    let fields = Array::new();
    for field in NewOemUser::FIELDS {
        let entry = Object::new();
        set(&entry, "name", field.name);
        set(&entry, "flag", field.flag);
        set(&entry, "list", matches!(field.shape, Shape::TextList));
        set(&entry, "required", field.required);
        set(&entry, "description", field.description);
        fields.push(&entry);
    }
    fields
}

/// Reads the header row of a CSV import file (its cells, as strings) by the CLI's rule
/// (`applivery_api::csv_header`): `{ columns, unknownColumns, problem }`, where `columns` maps
/// each property named to its column index and `problem` is `null` or
/// `{ reason: "missing" | "duplicate", property, message }`.
#[wasm_bindgen(js_name = readCsvHeader)]
pub fn read_csv_header(cells: Array) -> Object {
    let cells: Vec<String> = cells
        .iter()
        .map(|cell| cell.as_string().unwrap_or_default())
        .collect();
    let result = Object::new();
    let columns = Object::new();
    let unknown = Array::new();
    let mut problem = JsValue::NULL;
    match csv_header::read_header(cells.iter().map(String::as_str)) {
        Ok(header) => {
            for (property, index) in header.columns {
                set(&columns, property, index as u32);
            }
            for cell in &header.unknown {
                unknown.push(&JsValue::from_str(cell));
            }
        }
        Err(error) => {
            let (reason, property) = match error {
                HeaderError::Missing { property } => ("missing", property),
                HeaderError::Duplicate { property } => ("duplicate", property),
            };
            let object = Object::new();
            set(&object, "reason", reason);
            set(&object, "property", property);
            set(&object, "message", error.to_string());
            problem = object.into();
        }
    }
    set(&result, "columns", columns);
    set(&result, "unknownColumns", unknown);
    set(&result, "problem", problem);
    result
}
