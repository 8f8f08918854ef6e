//! The header rule against the shared table (`csv_headers.json`), which the CLI's reader and the
//! admin page's reader are also tested against. The CSV layer (quotes, BOM before the file) is
//! the readers'; here a header line is split on commas with quotes and a leading BOM removed.

use applivery_api::csv_header::{HeaderError, new_oem_user_property, read_header};
use serde_json::{Value, json};

fn cases() -> Vec<Value> {
    let table: Value = serde_json::from_str(include_str!("csv_headers.json")).unwrap();
    table["cases"].as_array().unwrap().clone()
}

fn outcome(header: &str) -> Value {
    let line = header.strip_prefix('\u{feff}').unwrap_or(header);
    let cells: Vec<String> = line.split(',').map(|c| c.replace('"', "")).collect();
    match read_header(cells.iter().map(String::as_str)) {
        Ok(header) => {
            let columns: serde_json::Map<String, Value> = header
                .columns
                .iter()
                .map(|&(property, index)| (property.to_owned(), json!(index)))
                .collect();
            json!({ "columns": columns, "unknown": header.unknown })
        }
        Err(HeaderError::Missing { property }) => json!({ "error": { "missing": property } }),
        Err(HeaderError::Duplicate { property }) => json!({ "error": { "duplicate": property } }),
    }
}

#[test]
fn the_rule_gives_the_table() {
    let cases = cases();
    assert!(cases.len() >= 20);
    for case in cases {
        let mut expected = case.clone();
        let object = expected.as_object_mut().unwrap();
        object.remove("name");
        object.remove("header");
        assert_eq!(
            outcome(case["header"].as_str().unwrap()),
            expected,
            "{}",
            case["name"]
        );
    }
}

#[test]
fn every_property_is_named_by_itself_and_its_spaced_forms() {
    for &property in applivery_api::types::NewOemUser::PROPERTIES {
        assert_eq!(new_oem_user_property(property), Some(property));
        let upper = property.to_ascii_uppercase();
        assert_eq!(new_oem_user_property(&format!(" {upper} ")), Some(property));
    }
    assert_eq!(new_oem_user_property(""), None);
    assert_eq!(new_oem_user_property("_-"), None);
}
