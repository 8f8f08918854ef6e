//! The shapes that cross into JavaScript, described as Rust types so that the package's
//! `index.d.ts` is generated from them (JSON Schema -> json-schema-to-typescript), never written
//! by hand.
//!
//! Inputs and outputs reuse the generated wire types ([`NewOemUser`], [`Collaborator`]); the
//! types here cover what only the JS API has: the client options and the error fields.

use schemars::JsonSchema;
use schemars::r#gen::{SchemaGenerator, SchemaSettings};
use schemars::schema::{InstanceType, Schema, SchemaObject};

pub use applivery_api::types::{Collaborator, NewOemUser, OemUser};

/// Options of `new AppliveryClient(options)`.
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)] // read field by field from the JS object; see `client.rs`
pub struct ClientOptions {
    /// The organization's API key, sent as `Authorization: Bearer <key>`. Never shown on the
    /// client, on errors or in logs.
    pub api_key: String,
    /// API root; default `https://api.applivery.io`. Must be `https://`, or `http://` for a
    /// loopback host (a local mock).
    pub base_url: Option<String>,
    /// Time allowed for each attempt, in milliseconds, 0 for none; default 30000.
    pub timeout_ms: Option<f64>,
    /// Retries after a retryable failure (rate limit, server error, timeout, network), 0 for
    /// none; default 2.
    pub max_retries: Option<u32>,
    /// The `fetch` to send with (a proxy, instrumentation, a test double); default the global
    /// `fetch`. It is called with the URL and an init holding `method`, `headers`, `body` and
    /// `signal`.
    pub fetch: Option<FetchFunction>,
}

/// The names [`ClientOptions`] is read with, in declaration order.
pub const CLIENT_OPTION_NAMES: [&str; 5] =
    ["apiKey", "baseUrl", "timeoutMs", "maxRetries", "fetch"];

/// What an `AppliveryError` carries besides `name` and `stack`: the JSON form of
/// `applivery::Error` (its `Serialize` implementation), field for field.
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)] // describes `applivery::Error`'s serialization; a test keeps them equal
pub struct AppliveryErrorFields {
    /// What went wrong, by stable name (the same in Rust, JS and the CLI).
    pub kind: ErrorKind,
    /// A human-readable explanation: the server's message for API errors. Never the key.
    pub message: String,
    /// HTTP status of the response, when there was one.
    pub status: Option<u16>,
    /// Applivery error code (such as 4009), when the response had one.
    pub code: Option<i64>,
    /// Whether trying again later may succeed.
    pub retryable: bool,
    /// How long the server asked to wait (`Retry-After`), in seconds.
    pub retry_after_seconds: Option<f64>,
    /// The invalid fields, for kind `invalid_input`; empty otherwise.
    pub field_errors: Vec<FieldError>,
    /// How many HTTP attempts were made (0 when nothing was sent).
    pub attempts: u32,
}

/// One invalid input field.
#[derive(JsonSchema)]
#[allow(dead_code)] // describes `applivery::FieldError`'s serialization
pub struct FieldError {
    /// The field's wire name.
    pub field: FieldName,
    /// What is wrong with it. Never contains the rejected value.
    pub message: String,
}

/// One entry of `errorGuide()`: what an error kind means and what to do, as the CLI's hints
/// and the README say it (`applivery::ErrorKind::meaning` and `remedy`).
#[derive(JsonSchema)]
#[allow(dead_code)] // built field by field in `guide.rs`
pub struct ErrorGuideEntry {
    /// The error kind.
    pub kind: ErrorKind,
    /// What happened, as a short heading.
    pub meaning: String,
    /// What the person can do about it.
    pub remedy: String,
}

/// One property of the request body, as `oemUserFields()` lists them (from the spec's
/// `NewOemUser`).
#[derive(JsonSchema)]
#[allow(dead_code)] // built field by field in `guide.rs`
pub struct OemUserField {
    /// The property's wire name (`firstName`): the key of a `NewOemUser`.
    pub name: String,
    /// The name in kebab case (`first-name`): the CLI's flag, and an id for a form field.
    pub flag: String,
    /// Whether the property is an array of strings (`tags`).
    pub list: bool,
    /// Whether the spec requires it.
    pub required: bool,
    /// The spec's description.
    pub description: String,
}

/// What `readCsvHeader(cells)` makes of a CSV import file's header row, by the CLI's rule:
/// cells name a `NewOemUser` property ignoring case, whitespace, `_`, `-` and a byte order mark.
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)] // built field by field in `guide.rs`
pub struct CsvHeader {
    /// The column index of each property the header names (`email`, `firstName`, ...).
    pub columns: std::collections::BTreeMap<String, u32>,
    /// Non-empty cells that name no property, trimmed: ignored, worth a warning.
    pub unknown_columns: Vec<String>,
    /// Why the header cannot be used, or `null`.
    pub problem: Option<CsvHeaderProblem>,
}

/// A header `readCsvHeader` refuses.
#[derive(JsonSchema)]
#[allow(dead_code)] // built field by field in `guide.rs`
pub struct CsvHeaderProblem {
    /// `missing`: a required property has no column; `duplicate`: two cells name one property.
    pub reason: CsvHeaderProblemReason,
    /// The property's wire name.
    pub property: String,
    /// The problem in words (the CLI's).
    pub message: String,
}

/// Why a header is refused.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum CsvHeaderProblemReason {
    /// A required property has no column.
    Missing,
    /// Two cells name the same property.
    Duplicate,
}

/// A function with the signature of the global `fetch` (JSON Schema cannot say so; the
/// `tsType` keyword tells json-schema-to-typescript).
pub struct FetchFunction;

impl JsonSchema for FetchFunction {
    fn schema_name() -> String {
        "FetchFunction".into()
    }

    fn is_referenceable() -> bool {
        false
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let mut schema = SchemaObject::default();
        schema
            .extensions
            .insert("tsType".into(), "typeof globalThis.fetch".into());
        schema.into()
    }
}

/// The stable error kind names: `applivery::ErrorKind::ALL`, as strings.
pub struct ErrorKind;

impl JsonSchema for ErrorKind {
    fn schema_name() -> String {
        "ErrorKind".into()
    }

    // Inlined with its title: the TypeScript then has exactly one type of that name.
    fn is_referenceable() -> bool {
        false
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        string_enum(
            "ErrorKind",
            "What went wrong, by stable name.",
            applivery::ErrorKind::ALL.iter().map(|kind| kind.as_str()),
        )
    }
}

/// The input field names a `FieldError` can name.
pub struct FieldName;

impl JsonSchema for FieldName {
    fn schema_name() -> String {
        "FieldName".into()
    }

    // Inlined with its title: the TypeScript then has exactly one type of that name.
    fn is_referenceable() -> bool {
        false
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        string_enum(
            "FieldName",
            "An input field, named as on the wire.",
            std::iter::once("organizationId")
                .chain(NewOemUser::PROPERTIES.iter().copied())
                .chain(["userId", "page", "pageSize", "sort", "role", "onlyUsers"]),
        )
    }
}

/// A string enum; the title makes the TypeScript refer to it by name instead of inlining it.
fn string_enum<'a>(
    title: &str,
    description: &str,
    values: impl Iterator<Item = &'a str>,
) -> Schema {
    let mut schema = SchemaObject {
        instance_type: Some(InstanceType::String.into()),
        enum_values: Some(values.map(Into::into).collect()),
        ..Default::default()
    };
    schema.metadata().title = Some(title.into());
    schema.metadata().description = Some(description.into());
    schema.into()
}

/// The JSON Schema document the package's `.d.ts` types are generated from: one definition per
/// type. Output properties the package always sets are marked required.
pub fn package_schema() -> serde_json::Value {
    let mut generator = SchemaSettings::draft07().into_generator();
    generator.subschema_for::<ClientOptions>();
    generator.subschema_for::<NewOemUser>();
    generator.subschema_for::<Collaborator>();
    generator.subschema_for::<AppliveryErrorFields>();
    generator.subschema_for::<ErrorGuideEntry>();
    generator.subschema_for::<CsvHeader>();
    generator.subschema_for::<OemUserField>();
    generator.subschema_for::<applivery_api::types::CollaboratorPage>();
    // Every other operation's answer, as the spec describes it (generated from the table).
    applivery_api::operations::add_data_schemas(&mut generator);
    let mut definitions =
        serde_json::to_value(generator.take_definitions()).expect("schemas serialize to JSON");
    unwrap_single_refs(&mut definitions);
    for output in [
        "AppliveryErrorFields",
        "FieldError",
        "ErrorGuideEntry",
        "CsvHeader",
        "CsvHeaderProblem",
        "OemUserField",
        "CollaboratorPage",
    ] {
        let names = definitions[output]["properties"]
            .as_object()
            .map(|properties| properties.keys().cloned().collect())
            .unwrap_or_default();
        set_required(&mut definitions[output], names);
    }
    set_required(
        &mut definitions["Collaborator"],
        always_serialized_collaborator_keys(),
    );
    // The same `ErrorKind` type as the error's `kind` (inlined twice, it would become `ErrorKind1`).
    definitions["ErrorGuideEntry"]["properties"]["kind"] = serde_json::json!({
        "tsType": "ErrorKind",
        "description": "The error kind."
    });
    // Documented as boolean on one page and "any" on another: whatever JSON value came.
    definitions["OemUser"]["properties"]["ssoUser"]["tsType"] = "unknown".into();
    // The package hands the secret over as an `OemSecret` object (declared in index.d.ts).
    definitions["Collaborator"]["properties"]["oemSecret"] = serde_json::json!({
        "tsType": "OemSecret",
        "description": "The new user's OEM secret (`data.oemSecret` of the answer): `expose()` \
            reads it; `console.log` and `JSON.stringify` show `[redacted]`."
    });
    serde_json::json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": ROOT_TITLE,
        // The root only carries the definitions; generate-dts.mjs drops its empty interface.
        "type": "object",
        "additionalProperties": false,
        "definitions": definitions,
    })
}

/// Title of the schema's root, which only holds the definitions.
pub const ROOT_TITLE: &str = "AppliveryOemTypes";

fn set_required(definition: &mut serde_json::Value, mut names: Vec<String>) {
    names.sort();
    definition["required"] = names.into();
}

/// The keys `applivery::Collaborator` serializes even when every optional value is absent:
/// what a JS caller can rely on being present (`null` when unknown).
fn always_serialized_collaborator_keys() -> Vec<String> {
    let sparse = applivery_api::types::Collaborator::blank();
    let json = serde_json::to_value(applivery::Collaborator::from(sparse))
        .expect("a collaborator serializes");
    json.as_object()
        .map(|object| object.keys().cloned().collect())
        .unwrap_or_default()
}

/// Turns schemars' `{"allOf": [{"$ref": X}], "description": ...}` (a described reference) into
/// `{"$ref": X, "description": ...}`, so that the TypeScript names the referenced type instead
/// of inlining it.
fn unwrap_single_refs(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(object) => {
            let single_ref = match object.get("allOf").and_then(|all| all.as_array()) {
                Some(all) if all.len() == 1 && all[0].get("$ref").is_some() => {
                    Some(all[0]["$ref"].clone())
                }
                _ => None,
            };
            if let Some(reference) = single_ref {
                object.remove("allOf");
                object.insert("$ref".into(), reference);
            }
            object.values_mut().for_each(unwrap_single_refs);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(unwrap_single_refs),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn property_names(definition: &str) -> Vec<String> {
        let schema = package_schema();
        let mut names: Vec<String> = schema["definitions"][definition]["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("{definition} has properties"))
            .keys()
            .cloned()
            .collect();
        names.sort();
        names
    }

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        names.sort();
        names
    }

    #[test]
    fn error_fields_match_the_facade_error_json() {
        let error = applivery::Error::new(applivery::ErrorKind::Api, "x");
        let json = serde_json::to_value(&error).unwrap();
        let mut keys: Vec<String> = json.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        assert_eq!(keys, property_names("AppliveryErrorFields"));
    }

    #[test]
    fn readers_use_the_schema_names() {
        assert_eq!(
            sorted(&CLIENT_OPTION_NAMES),
            property_names("ClientOptions")
        );
        assert_eq!(sorted(NewOemUser::PROPERTIES), property_names("NewOemUser"));
    }

    #[test]
    fn every_error_kind_is_listed() {
        let schema = package_schema();
        let kind = &schema["definitions"]["AppliveryErrorFields"]["properties"]["kind"];
        assert_eq!(kind["title"], "ErrorKind");
        let listed = kind["enum"].as_array().unwrap();
        assert_eq!(listed.len(), applivery::ErrorKind::ALL.len());
    }
}
