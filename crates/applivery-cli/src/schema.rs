//! `applivery oem-users schema`: the JSON Schema of an import row, from the generated type.

/// Prints the schema of `applivery_api::types::NewOemUser` (pretty JSON).
pub fn run() {
    let schema = schemars::schema_for!(applivery_api::types::NewOemUser);
    println!(
        "{}",
        serde_json::to_string_pretty(&schema).expect("a schema always serializes")
    );
}
