//! Generates `validation.rs`: the spec's constraints on requests as Rust checks.
//!
//! typify would turn a constrained string into a newtype checked with a regex engine at
//! deserialization (which would reject answers and grow the wasm package), so codegen hands
//! progenitor the spec without its validation keywords ([`strip_keywords`]) and generates the
//! checks here instead: `problems()` on every request body type, and a `<name>_problems`
//! function for every constrained path or query parameter.
//!
//! A `pattern` is compiled ([`super::pattern`]) into a `CompiledPattern` table, emitted once per
//! distinct pattern as a `<NAME>_PATTERN` static (and listed in `COMPILED_PATTERNS`); its
//! problem message is the schema's `x-pattern-message`, or "must match the pattern `...`". A
//! pattern outside the compiler's regular subset (the email pattern's look-aheads) falls back
//! to its hand-written matcher in `applivery_api::patterns`, looked up in [`PATTERN_MATCHERS`].
//! A pattern with neither, or any constraint this generator cannot map, fails codegen with the
//! schema and property named.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use openapiv3::{
    ArrayType, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind,
    StringType, Type,
};

/// The patterns the compiler cannot take, each with the `applivery_api::patterns` function
/// that implements it by hand.
const PATTERN_MATCHERS: &[(&str, &str)] = &[(
    r"^(?!\.)(?!.*\.\.)([A-Za-z0-9_'+\-\.]*)[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$",
    "email",
)];

/// The extension of a string schema that says, to a person, what its `pattern` asks for.
const PATTERN_MESSAGE: &str = "x-pattern-message";

/// The statics of the compiled patterns, one per distinct pattern, in order of appearance.
#[derive(Default)]
struct CompiledPatterns {
    /// Pattern text -> static name.
    names: BTreeMap<String, String>,
    code: String,
    list: Vec<(String, String)>,
}

impl CompiledPatterns {
    /// The static for `pattern`, emitting it on first use; `Err` if it does not compile.
    fn name(&mut self, field: &str, pattern: &str) -> Result<String, String> {
        if let Some(name) = self.names.get(pattern) {
            return Ok(name.clone());
        }
        let table = super::pattern::compile(pattern)?;
        let base = format!("{}_PATTERN", snake_case(field).to_uppercase());
        let mut name = base.clone();
        for n in 2.. {
            if !self.names.values().any(|taken| *taken == name) {
                break;
            }
            name = format!("{base}_{n}");
        }
        let _ = writeln!(
            self.code,
            "#[doc = {:?}]\npub static {name}: crate::compiled_pattern::CompiledPattern<'static> = {};",
            format!(" `{pattern}`, compiled by `cargo xtask codegen`."),
            super::pattern::emit(&table)
        );
        self.names.insert(pattern.to_owned(), name.clone());
        self.list.push((pattern.to_owned(), name.clone()));
        Ok(name)
    }

    /// The statics, and `COMPILED_PATTERNS` listing them by pattern text.
    fn finish(self) -> String {
        let entries: String = self
            .list
            .iter()
            .map(|(pattern, name)| format!("({pattern:?}, &{name}),"))
            .collect();
        format!(
            "{}/// Each compiled pattern of the spec, by its text: what tests hold to a regex engine.\n\
             pub static COMPILED_PATTERNS: &[(&str, &crate::compiled_pattern::CompiledPattern<'static>)] = &[{entries}];\n",
            self.code
        )
    }
}

/// The spec as progenitor should see it: no `pattern`, `minLength` or `maxLength` anywhere.
pub fn strip_keywords(spec: &OpenAPI) -> OpenAPI {
    let mut spec = spec.clone();
    if let Some(components) = spec.components.as_mut() {
        for schema in components.schemas.values_mut() {
            if let ReferenceOr::Item(schema) = schema {
                strip_schema(schema);
            }
        }
    }
    for item in spec.paths.paths.values_mut() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
        ];
        let operations = operations
            .into_iter()
            .flatten()
            .map(|op| &mut op.parameters);
        for parameters in std::iter::once(&mut item.parameters).chain(operations) {
            for parameter in parameters.iter_mut() {
                let ReferenceOr::Item(parameter) = parameter else {
                    continue;
                };
                let (Parameter::Path { parameter_data, .. }
                | Parameter::Query { parameter_data, .. }
                | Parameter::Header { parameter_data, .. }
                | Parameter::Cookie { parameter_data, .. }) = parameter;
                if let ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) =
                    &mut parameter_data.format
                {
                    strip_schema(schema);
                }
            }
        }
    }
    spec
}

fn strip_schema(schema: &mut Schema) {
    match &mut schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => {
            string.pattern = None;
            string.min_length = None;
            string.max_length = None;
        }
        SchemaKind::Type(Type::Object(object)) => {
            for property in object.properties.values_mut() {
                if let ReferenceOr::Item(property) = property {
                    strip_schema(property);
                }
            }
        }
        SchemaKind::Type(Type::Array(ArrayType {
            items: Some(ReferenceOr::Item(items)),
            ..
        })) => strip_schema(items),
        _ => {}
    }
}

/// The source of `validation.rs` (unformatted), or why the spec's constraints can't be mapped.
pub fn generate(spec: &OpenAPI, types: &syn::File) -> Result<String, String> {
    let mut out = String::from(
        "//! The spec's constraints on requests, checked before anything is sent.\n\
         use crate::rules::{self, Problem};\n",
    );
    let mut compiled = CompiledPatterns::default();
    for name in request_body_schemas(spec)? {
        let schema = component(spec, &name)?;
        let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
            return Err(format!("request body schema {name} is not an object"));
        };
        let fields = struct_fields(types, &name)?;
        let mut body = String::new();
        for (property, property_schema) in &object.properties {
            let place = format!("{name}.{property}");
            let ReferenceOr::Item(property_schema) = property_schema else {
                return Err(format!("{place} is a $ref: inline it"));
            };
            let (field, optional) = fields.get(property.as_str()).ok_or_else(|| {
                format!("{place}: no field of the generated struct {name} is named after it")
            })?;
            let calls = checks(&place, property, property_schema, "value", &mut compiled)?;
            if calls.is_empty() {
                continue;
            }
            let _ = if *optional {
                writeln!(body, "if let Some(value) = &self.{field} {{ {calls} }}")
            } else {
                writeln!(body, "{{ let value = &self.{field}; {calls} }}")
            };
        }
        let properties: Vec<&String> = object.properties.keys().collect();
        let required: Vec<&String> = object.required.iter().collect();
        let _ = writeln!(
            out,
            "impl crate::types::{name} {{\n\
             /// The spec's property names of `{name}` (wire names), in the spec's order: what\n\
             /// readers of other formats (CSV headers, JSON keys) match against.\n\
             pub const PROPERTIES: &'static [&'static str] = &{properties:?};\n\
             /// The properties the spec requires.\n\
             pub const REQUIRED: &'static [&'static str] = &{required:?};\n\
             /// Every rule of the spec's `{name}` schema that this value breaks, in the\n\
             /// spec's property order. Empty when it may be sent.\n\
             pub fn problems(&self) -> Vec<Problem> {{\n\
             #[allow(unused_mut)] let mut problems = Vec::new();\n{body}problems\n}}\n}}"
        );
    }
    // Every request body schema by name, for a server that routes by the operation table (the
    // mock checks the body of an operation it does not model with it).
    let arms: String = request_body_schemas(spec)?
        .iter()
        .map(|name| {
            format!(
                "{name:?} => Some(serde_json::from_slice::<crate::types::{name}>(json)\
                 .map(|body| body.problems()).map_err(|e| e.to_string())),"
            )
        })
        .collect();
    let _ = writeln!(
        out,
        "/// Every rule of the spec that `json`, a request body of the schema named `schema`, breaks;\n\
         /// `Err` with the reason when it is not JSON of that schema's shape; `None` for a schema\n\
         /// that is no request body.\n\
         pub fn body_problems(schema: &str, json: &[u8]) -> Option<Result<Vec<Problem>, String>> {{\n\
         match schema {{ {arms} _ => None }}\n}}"
    );
    for (name, schema) in constrained_parameters(spec)? {
        let place = format!("parameter {name}");
        let calls = checks(&place, &name, &schema, "value", &mut compiled)?;
        let _ = writeln!(
            out,
            "/// Every rule of the spec's `{name}` parameter that `value` breaks.\n\
             pub fn {}_problems(value: &str) -> Vec<Problem> {{\n\
             let mut problems = Vec::new();\n{calls}\nproblems\n}}",
            snake_case(&name)
        );
    }
    out.push_str(&compiled.finish());
    Ok(out)
}

/// The calls that check one value of `schema` (a `&String` or `&Vec<String>` named `value`).
fn checks(
    place: &str,
    field: &str,
    schema: &Schema,
    value: &str,
    compiled: &mut CompiledPatterns,
) -> Result<String, String> {
    let mut out = String::new();
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(StringType {
            pattern,
            enumeration,
            min_length,
            max_length,
            ..
        })) => {
            if let Some(max) = max_length {
                let _ = write!(
                    out,
                    "rules::max_length(&mut problems, {field:?}, {value}, {max});"
                );
            }
            if let Some(min) = min_length {
                let _ = write!(
                    out,
                    "rules::min_length(&mut problems, {field:?}, {value}, {min});"
                );
            }
            if let Some(pattern) = pattern {
                let _ = match compiled.name(field, pattern) {
                    Ok(name) => {
                        let message = pattern_message(place, schema, pattern)?;
                        write!(
                            out,
                            "rules::compiled_pattern(&mut problems, {field:?}, {value}, &{name}, {message:?});"
                        )
                    }
                    Err(why) => {
                        let matcher = hand_written_matcher(place, pattern, &why)?;
                        write!(
                            out,
                            "rules::pattern(&mut problems, {field:?}, {value}, crate::patterns::{matcher});"
                        )
                    }
                };
            }
            let allowed: Vec<&String> = enumeration.iter().flatten().collect();
            if !allowed.is_empty() {
                let _ = write!(
                    out,
                    "rules::one_of(&mut problems, {field:?}, {value}, &{allowed:?});"
                );
            }
        }
        SchemaKind::Type(Type::Array(array)) => {
            if array.unique_items {
                return Err(format!(
                    "{place}: uniqueItems is not supported by the generator"
                ));
            }
            if let Some(max) = array.max_items {
                let _ = write!(
                    out,
                    "rules::max_items(&mut problems, {field:?}, {value}.len(), {max});"
                );
            }
            if let Some(min) = array.min_items {
                let _ = write!(
                    out,
                    "rules::min_items(&mut problems, {field:?}, {value}.len(), {min});"
                );
            }
            if let Some(ReferenceOr::Item(items)) = &array.items
                && !checks(place, field, items, "item", compiled)?.is_empty()
            {
                return Err(format!(
                    "{place}: constraints on array items are not supported by the generator"
                ));
            }
        }
        SchemaKind::Type(Type::Integer(number)) => {
            if number.minimum.is_some() || number.maximum.is_some() || number.multiple_of.is_some()
            {
                return Err(format!(
                    "{place}: integer bounds are not supported by the generator"
                ));
            }
        }
        SchemaKind::Type(Type::Number(number)) => {
            if number.minimum.is_some() || number.maximum.is_some() || number.multiple_of.is_some()
            {
                return Err(format!(
                    "{place}: number bounds are not supported by the generator"
                ));
            }
        }
        SchemaKind::Type(Type::Boolean(_)) => {}
        _ => {
            return Err(format!(
                "{place}: only strings, arrays, numbers and booleans are supported in a request"
            ));
        }
    }
    Ok(out)
}

/// What a problem with `pattern` says: the schema's `x-pattern-message`, or the pattern itself.
fn pattern_message(place: &str, schema: &Schema, pattern: &str) -> Result<String, String> {
    match schema.schema_data.extensions.get(PATTERN_MESSAGE) {
        None => Ok(format!("must match the pattern `{pattern}`")),
        Some(serde_json::Value::String(message)) if !message.trim().is_empty() => {
            Ok(message.clone())
        }
        Some(_) => Err(format!(
            "{place}: {PATTERN_MESSAGE} must be a non-empty string"
        )),
    }
}

/// The `applivery_api::patterns` function for a pattern the compiler refused (`why`).
fn hand_written_matcher(place: &str, pattern: &str, why: &str) -> Result<&'static str, String> {
    PATTERN_MATCHERS
        .iter()
        .find(|(known, _)| *known == pattern)
        .map(|&(_, matcher)| matcher)
        .ok_or_else(|| {
            format!(
                "{place}: the pattern {pattern:?} cannot be compiled ({why}) and has no \
                 hand-written matcher; keep to the regular subset of ECMAScript regular \
                 expressions, or add a matcher to crates/applivery-api/src/patterns.rs and to \
                 PATTERN_MATCHERS in xtask/src/codegen/validation.rs"
            )
        })
}

/// The fields of the generated struct `name`: spec property name -> (Rust field, is an `Option`).
pub(super) fn struct_fields(
    types: &syn::File,
    name: &str,
) -> Result<BTreeMap<String, (String, bool)>, String> {
    let item = types
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Struct(s) if s.ident == name => Some(s),
            _ => None,
        })
        .ok_or_else(|| format!("the generated types have no struct {name}"))?;
    let mut fields = BTreeMap::new();
    for field in &item.fields {
        let Some(ident) = &field.ident else { continue };
        let rust = ident.to_string();
        let wire = serde_rename(&field.attrs).unwrap_or_else(|| rust.clone());
        let optional = matches!(&field.ty, syn::Type::Path(path)
            if path.path.segments.last().is_some_and(|last| last.ident == "Option"));
        fields.insert(wire, (rust, optional));
    }
    Ok(fields)
}

/// The `rename = "..."` of a field's `#[serde(...)]`, if any.
fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    let mut rename = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                rename = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    rename
}

/// The component schemas used as JSON request bodies, in path order, each once.
pub(super) fn request_body_schemas(spec: &OpenAPI) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    for (path, item) in &spec.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, operation) in item.iter() {
            let Some(body) = &operation.request_body else {
                continue;
            };
            let ReferenceOr::Item(body) = body else {
                return Err(format!(
                    "{} {path}: the request body is a $ref; inline it",
                    method.to_uppercase()
                ));
            };
            let Some(media) = body.content.get("application/json") else {
                continue;
            };
            match &media.schema {
                Some(ReferenceOr::Reference { reference }) => {
                    let name =
                        reference
                            .strip_prefix("#/components/schemas/")
                            .ok_or_else(|| {
                                format!(
                                    "{} {path}: unsupported $ref {reference}",
                                    method.to_uppercase()
                                )
                            })?;
                    if !names.iter().any(|n| n == name) {
                        names.push(name.to_string());
                    }
                }
                Some(ReferenceOr::Item(_)) => {
                    return Err(format!(
                        "{} {path}: the request body schema must be a $ref to components/schemas",
                        method.to_uppercase()
                    ));
                }
                None => {}
            }
        }
    }
    Ok(names)
}

pub(super) fn component<'a>(spec: &'a OpenAPI, name: &str) -> Result<&'a Schema, String> {
    match spec.components.as_ref().and_then(|c| c.schemas.get(name)) {
        Some(ReferenceOr::Item(schema)) => Ok(schema),
        Some(ReferenceOr::Reference { .. }) => Err(format!("schema {name} is a $ref; inline it")),
        None => Err(format!("schema {name} is not in components/schemas")),
    }
}

/// Path and query parameters whose schema has a constraint, by name. One name, one schema.
fn constrained_parameters(spec: &OpenAPI) -> Result<BTreeMap<String, Schema>, String> {
    let mut found: BTreeMap<String, Schema> = BTreeMap::new();
    for item in spec.paths.paths.values() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let operations = item.iter().map(|(_, op)| &op.parameters);
        for parameter in std::iter::once(&item.parameters)
            .chain(operations)
            .flatten()
        {
            let ReferenceOr::Item(parameter) = parameter else {
                continue;
            };
            let (Parameter::Path { parameter_data, .. } | Parameter::Query { parameter_data, .. }) =
                parameter
            else {
                continue;
            };
            let ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) =
                &parameter_data.format
            else {
                continue;
            };
            let SchemaKind::Type(Type::String(string)) = &schema.schema_kind else {
                continue;
            };
            let constrained = string.pattern.is_some()
                || string.min_length.is_some()
                || string.max_length.is_some()
                || !string.enumeration.is_empty();
            if !constrained {
                continue;
            }
            let name = &parameter_data.name;
            match found.get(name) {
                Some(known) if known.schema_kind != schema.schema_kind => {
                    return Err(format!(
                        "parameter {name} has different constraints in different operations"
                    ));
                }
                Some(_) => {}
                None => {
                    found.insert(name.clone(), schema.clone());
                }
            }
        }
    }
    Ok(found)
}

pub(super) fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            if !out.is_empty() {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if c == '-' {
            out.push('_');
        } else {
            out.push(c);
        }
    }
    out
}
