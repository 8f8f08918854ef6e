//! Generates what follows from the spec's list of operations, so that an operation added to the
//! spec needs no hand edit anywhere:
//!
//! - `applivery-api/src/operations.rs`: one `applivery_api::operation::Operation` per operation
//!   (id, method, path template, path and query parameters with their generated checks, body and
//!   success schemas, paging, CLI names, documented errors, the success example) and
//!   `OPERATIONS`, the table the npm package, the mock's router and the CLI walk;
//! - `applivery/src/generated/operations.rs`: the facade's methods, one per operation on
//!   `Client` and on `Organization` (`client.list_collaborator_groups(org)`), each returning the
//!   generic `Call` builder with the operation's query setters.
//!
//! Extensions read: `x-cli` ("group command") on an operation; `x-name` (the surface name,
//! camelCase) and `x-item-name` (one item of an array) on a parameter. Anything the generator
//! cannot carry fails codegen with the operation and parameter named.

use std::fmt::Write as _;

use openapiv3::{
    OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, Response, SchemaKind, Type,
};

use super::fields::kebab_case;
use super::validation::{component, snake_case, struct_fields};

/// Wire schemas the facade has its own type for (with `From` the wire type): the answer of
/// create and refresh and a listed collaborator become `applivery::Collaborator` (with its
/// OEM secret as a `Secret`). Any other schema is answered as its generated wire type.
const FACADE_TYPES: &[(&str, &str)] = &[
    ("CreateOemUserData", "crate::Collaborator"),
    ("Collaborator", "crate::Collaborator"),
    ("NewOemUser", "crate::NewOemUser"),
];

/// Names a query setter may not take: the builder's own methods.
const RESERVED: &[&str] = &[
    "timeout",
    "deadline",
    "retry_policy",
    "page",
    "stream",
    "send",
    "into_future",
    "clone",
];

/// One operation, as the generator reads it.
struct Op {
    id: String,
    method: String,
    path: String,
    path_params: Vec<Param>,
    query: Vec<Param>,
    body: Option<String>,
    success: String,
    /// The success envelope's `data` schema, if it has one.
    data: Option<String>,
    /// The item schema of a paged answer.
    paged_item: Option<String>,
    cli: (String, String),
    summary: String,
    description: String,
    errors: Vec<(u16, Vec<i64>)>,
    example: Option<String>,
}

struct Param {
    wire: String,
    name: String,
    item: Option<String>,
    kind: &'static str,
    required: bool,
    description: String,
    /// The generated `validation.rs` function that checks one value, if the spec constrains it.
    check: Option<String>,
}

/// The sources.
pub struct Generated {
    /// applivery-api's `operations.rs` (Rust, unformatted).
    pub table: String,
    /// The facade's `generated/operations.rs` (Rust, unformatted).
    pub facade: String,
    /// The npm package's `operations.js`: what its wrapper makes a method of.
    pub js: String,
    /// The npm package's `operations.d.ts`: those methods' declarations.
    pub dts: String,
    /// README's table of every operation and its name on each surface (a generated block).
    pub markdown: String,
}

pub fn generate(spec: &OpenAPI, types: &syn::File) -> Result<Generated, String> {
    let ops = read(spec)?;
    Ok(Generated {
        table: table(&ops),
        facade: facade(&ops, types)?,
        js: js(&ops),
        dts: dts(&ops),
        markdown: markdown(&ops),
    })
}

fn read(spec: &OpenAPI) -> Result<Vec<Op>, String> {
    let mut ops = Vec::new();
    for (path, item) in &spec.paths.paths {
        let ReferenceOr::Item(item) = item else {
            return Err(format!("path {path} is a $ref; inline it"));
        };
        for (method, operation) in item.iter() {
            ops.push(read_operation(
                spec,
                path,
                &item.parameters,
                method,
                operation,
            )?);
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for op in &ops {
        if !seen.insert(op.cli.clone()) {
            return Err(format!(
                "{}: CLI command `{} {}` is taken twice",
                op.id, op.cli.0, op.cli.1
            ));
        }
    }
    Ok(ops)
}

/// One operation of the spec, as the generator reads it (`common` are its path item's
/// parameters).
fn read_operation(
    spec: &OpenAPI,
    path: &str,
    common: &[ReferenceOr<Parameter>],
    method: &str,
    operation: &openapiv3::Operation,
) -> Result<Op, String> {
    let place = format!("{} {path}", method.to_uppercase());
    let id = operation
        .operation_id
        .clone()
        .ok_or_else(|| format!("{place} has no operationId"))?;
    let place = format!("{place} ({id})");
    let (path_params, query) = parameters(&place, path, common, operation)?;
    let body = match &operation.request_body {
        None => None,
        Some(ReferenceOr::Item(body)) => body
            .content
            .get("application/json")
            .and_then(|media| media.schema.as_ref())
            .map(|schema| reference_name(&place, schema))
            .transpose()?,
        Some(ReferenceOr::Reference { .. }) => {
            return Err(format!("{place}: the request body is a $ref; inline it"));
        }
    };
    let ok = operation
        .responses
        .responses
        .iter()
        .find(|(status, _)| status.to_string() == "200")
        .map(|(_, response)| response)
        .ok_or_else(|| format!("{place}: no 200 answer"))?;
    let ReferenceOr::Item(ok) = ok else {
        return Err(format!("{place}: the 200 answer is a $ref; inline it"));
    };
    let success = json_schema_name(&place, ok)?;
    let data = data_schema(spec, &success)?;
    let paged_item = match &data {
        Some(data) if query.iter().any(|p| p.wire == "page") => paged_item(spec, data)?,
        _ => None,
    };
    let cli = cli_names(&place, &id, operation)?;
    let errors = error_answers(operation);
    let example = example_values(ok).next().map(|value| value.to_string());
    Ok(Op {
        id,
        method: method.to_string(),
        path: path.to_owned(),
        path_params,
        query,
        body,
        success,
        data,
        paged_item,
        cli,
        summary: operation.summary.clone().unwrap_or_default(),
        description: operation.description.clone().unwrap_or_default(),
        errors,
        example,
    })
}

/// The path parameters (in path order) and query parameters of an operation.
fn parameters(
    place: &str,
    path: &str,
    common: &[ReferenceOr<Parameter>],
    operation: &openapiv3::Operation,
) -> Result<(Vec<Param>, Vec<Param>), String> {
    let mut path_params = Vec::new();
    let mut query = Vec::new();
    for parameter in common.iter().chain(&operation.parameters) {
        let ReferenceOr::Item(parameter) = parameter else {
            return Err(format!("{place}: a parameter is a $ref; inline it"));
        };
        match parameter {
            Parameter::Path { parameter_data, .. } => {
                path_params.push(param(place, parameter_data)?);
            }
            Parameter::Query { parameter_data, .. } => {
                query.push(param(place, parameter_data)?);
            }
            // Headers and cookies: none documented; refuse rather than drop silently.
            _ => {
                return Err(format!(
                    "{place}: only path and query parameters are supported"
                ));
            }
        }
    }
    path_params.sort_by_key(|p| path.find(&format!("{{{}}}", p.wire)).unwrap_or(usize::MAX));
    for p in &path_params {
        if !path.contains(&format!("{{{}}}", p.wire)) {
            return Err(format!(
                "{place}: path parameter {} is not in the path",
                p.wire
            ));
        }
        if p.kind != "Text" {
            return Err(format!(
                "{place}: path parameter {} must be a string",
                p.wire
            ));
        }
    }
    Ok((path_params, query))
}

/// The CLI's group and command: `x-cli`, else the first tag and the operationId in kebab case.
fn cli_names(
    place: &str,
    id: &str,
    operation: &openapiv3::Operation,
) -> Result<(String, String), String> {
    let cli = match operation.extensions.get("x-cli") {
        Some(serde_json::Value::String(cli)) => {
            let mut words = cli.split_whitespace();
            match (words.next(), words.next(), words.next()) {
                (Some(group), Some(command), None) => (group.into(), command.into()),
                _ => return Err(format!("{place}: x-cli must be \"group command\"")),
            }
        }
        Some(_) => return Err(format!("{place}: x-cli must be a string")),
        None => {
            let tag = operation.tags.first().map_or("api", String::as_str);
            let words: Vec<String> = tag.split_whitespace().map(str::to_lowercase).collect();
            (words.join("-"), kebab_case(id))
        }
    };
    Ok(cli)
}

/// The documented error answers: status and the codes of their examples.
fn error_answers(operation: &openapiv3::Operation) -> Vec<(u16, Vec<i64>)> {
    let mut errors = Vec::new();
    for (status, response) in &operation.responses.responses {
        let Ok(status) = status.to_string().parse::<u16>() else {
            continue;
        };
        if status < 300 {
            continue;
        }
        let codes = match response {
            ReferenceOr::Item(response) => example_values(response)
                .filter_map(|value| value.pointer("/error/code").and_then(|c| c.as_i64()))
                .collect(),
            ReferenceOr::Reference { .. } => Vec::new(),
        };
        errors.push((status, codes));
    }
    errors
}

fn param(place: &str, data: &openapiv3::ParameterData) -> Result<Param, String> {
    let wire = data.name.clone();
    let place = format!("{place}, parameter {wire}");
    let ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) = &data.format else {
        return Err(format!("{place}: its schema must be inline"));
    };
    let (kind, constrained) = match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => (
            "Text",
            string.pattern.is_some()
                || string.min_length.is_some()
                || string.max_length.is_some()
                || !string.enumeration.is_empty(),
        ),
        SchemaKind::Type(Type::Integer(_)) => ("Integer", false),
        SchemaKind::Type(Type::Boolean(_)) => ("Bool", false),
        SchemaKind::Type(Type::Array(array)) => match &array.items {
            Some(ReferenceOr::Item(items))
                if matches!(items.schema_kind, SchemaKind::Type(Type::String(_))) =>
            {
                ("TextList", false)
            }
            _ => return Err(format!("{place}: only arrays of strings are supported")),
        },
        _ => {
            return Err(format!(
                "{place}: only strings, integers, booleans and arrays of strings are supported"
            ));
        }
    };
    let text = |key: &str| match data.extensions.get(key) {
        Some(serde_json::Value::String(value)) => Ok(Some(value.clone())),
        Some(_) => Err(format!("{place}: {key} must be a string")),
        None => Ok(None),
    };
    let name = text("x-name")?.unwrap_or_else(|| wire.clone());
    let item = text("x-item-name")?;
    if item.is_some() && kind != "TextList" {
        return Err(format!("{place}: x-item-name is for arrays"));
    }
    let setter = snake_case(item.as_deref().unwrap_or(&name));
    if RESERVED.contains(&setter.as_str()) && wire != "page" {
        return Err(format!(
            "{place}: `{setter}` is a method of every call; give it an x-name"
        ));
    }
    Ok(Param {
        check: constrained.then(|| format!("crate::validation::{}_problems", snake_case(&wire))),
        wire,
        name,
        item,
        kind,
        required: data.required,
        description: data.description.clone().unwrap_or_default(),
    })
}

fn reference_name(place: &str, schema: &ReferenceOr<openapiv3::Schema>) -> Result<String, String> {
    match schema {
        ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/schemas/")
            .map(str::to_owned)
            .ok_or_else(|| format!("{place}: unsupported $ref {reference}")),
        ReferenceOr::Item(_) => Err(format!(
            "{place}: bodies and answers must be a $ref to components/schemas (name the schema)"
        )),
    }
}

fn json_schema_name(place: &str, response: &Response) -> Result<String, String> {
    let schema = response
        .content
        .get("application/json")
        .and_then(|media| media.schema.as_ref())
        .ok_or_else(|| format!("{place}: the 200 answer has no application/json schema"))?;
    reference_name(place, schema)
}

/// The schema of the envelope's `data` property, if it is a `$ref`.
fn data_schema(spec: &OpenAPI, envelope: &str) -> Result<Option<String>, String> {
    let SchemaKind::Type(Type::Object(object)) = &component(spec, envelope)?.schema_kind else {
        return Ok(None);
    };
    match object.properties.get("data") {
        Some(ReferenceOr::Reference { reference }) => Ok(reference
            .strip_prefix("#/components/schemas/")
            .map(str::to_owned)),
        _ => Ok(None),
    }
}

/// The item schema of the documented paged envelope (`items`, `hasNextPage`), if `data` is one.
fn paged_item(spec: &OpenAPI, data: &str) -> Result<Option<String>, String> {
    let SchemaKind::Type(Type::Object(object)) = &component(spec, data)?.schema_kind else {
        return Ok(None);
    };
    if !object.properties.contains_key("hasNextPage") {
        return Ok(None);
    }
    let Some(ReferenceOr::Item(items)) = object.properties.get("items") else {
        return Ok(None);
    };
    let SchemaKind::Type(Type::Array(array)) = &items.schema_kind else {
        return Ok(None);
    };
    match &array.items {
        Some(ReferenceOr::Reference { reference }) => Ok(reference
            .strip_prefix("#/components/schemas/")
            .map(str::to_owned)),
        _ => Ok(None),
    }
}

/// The values of a response's JSON examples, `example` first.
fn example_values(response: &Response) -> impl Iterator<Item = serde_json::Value> + '_ {
    response
        .content
        .get("application/json")
        .into_iter()
        .flat_map(|media| {
            let single = media.example.clone();
            let named = media.examples.values().filter_map(|example| match example {
                ReferenceOr::Item(example) => example.value.clone(),
                ReferenceOr::Reference { .. } => None,
            });
            single.into_iter().chain(named)
        })
}

fn upper_snake(id: &str) -> String {
    snake_case(id).to_uppercase()
}

fn pascal(id: &str) -> String {
    let mut chars = id.chars();
    chars
        .next()
        .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

fn table(ops: &[Op]) -> String {
    let mut out = String::from(
        "//! The spec's operations as data: see `crate::operation`.\n\
         use crate::operation::{ErrorAnswer, Method, Operation, OperationDocs, Param, ParamKind};\n",
    );
    for op in ops {
        out.push_str(&operation_static(op));
    }
    out.push_str(&docs_static(ops));
    out.push_str(&data_schemas_fn(ops));
    let all: Vec<String> = ops
        .iter()
        .map(|op| format!("&{}", upper_snake(&op.id)))
        .collect();
    let _ = writeln!(
        out,
        "/// Every operation of the spec, in the spec's order.\n\
         pub static OPERATIONS: &[&Operation] = &[{}];",
        all.join(", ")
    );
    out
}

/// `&[Param { .. }, ..]` for a table row.
fn params_literal(params: &[Param]) -> String {
    let mut out = String::from("&[");
    for p in params {
        let _ = write!(
            out,
            "Param {{ wire: {:?}, name: {:?}, item: {:?}, kind: ParamKind::{}, required: {}, \
             check: {} }},",
            p.wire,
            p.name,
            p.item,
            p.kind,
            p.required,
            p.check
                .as_ref()
                .map_or("None".into(), |check| format!("Some({check})")),
        );
    }
    out + "]"
}

/// The `static` of one operation's row.
fn operation_static(op: &Op) -> String {
    let method = pascal(&op.method.to_lowercase());
    let errors: String = op
        .errors
        .iter()
        .map(|(status, codes)| format!("ErrorAnswer {{ status: {status}, codes: &{codes:?} }},"))
        .collect();
    format!(
        "/// `{} {}`: {}\npub static {}: Operation = Operation {{ id: {:?}, method: Method::{method}, \
         path: {:?}, path_params: {}, query: {}, body: {:?}, success: {:?}, paged: {}, \
         cli: ({:?}, {:?}), errors: &[{errors}] }};\n",
        op.method.to_uppercase(),
        op.path,
        op.summary,
        upper_snake(&op.id),
        op.id,
        op.path,
        params_literal(&op.path_params),
        params_literal(&op.query),
        op.body,
        op.success,
        op.paged_item.is_some(),
        op.cli.0,
        op.cli.1,
    )
}

/// `DOCS`: each operation's texts, apart from the rows (the wasm does not carry them).
fn docs_static(ops: &[Op]) -> String {
    let docs: String = ops
        .iter()
        .map(|op| {
            let params: String = op
                .path_params
                .iter()
                .chain(&op.query)
                .map(|p| format!("({:?}, {:?}),", p.wire, p.description))
                .collect();
            format!(
                "({:?}, OperationDocs {{ summary: {:?}, params: &[{params}], example: {:?} }}),",
                op.id, op.summary, op.example
            )
        })
        .collect();
    format!(
        "/// Each operation's texts, by operationId (see `crate::operation::docs`).\n\
         pub static DOCS: &[(&str, OperationDocs)] = &[{docs}];\n"
    )
}

/// `add_data_schemas`: the answers without a hand-written counterpart, for the npm typings.
fn data_schemas_fn(ops: &[Op]) -> String {
    let mut schemas: Vec<&String> = ops
        .iter()
        .flat_map(|op| op.data.iter().chain(op.paged_item.iter()))
        .filter(|name| !FACADE_TYPES.iter().any(|(wire, _)| wire == name))
        .collect();
    schemas.sort();
    schemas.dedup();
    let adds: String = schemas
        .iter()
        .map(|name| format!("generator.subschema_for::<crate::types::{name}>();"))
        .collect();
    format!(
        "/// Adds the JSON Schema of every answer's data (and a page's item) that has no hand-written\n\
         /// counterpart to `generator`: the npm package's typings are made from them.\n\
         pub fn add_data_schemas(generator: &mut schemars::r#gen::SchemaGenerator) {{ {adds} }}\n"
    )
}

fn facade_type(schema: &str) -> String {
    FACADE_TYPES
        .iter()
        .find(|(wire, _)| *wire == schema)
        .map(|(_, facade)| (*facade).to_owned())
        .unwrap_or_else(|| format!("applivery_api::types::{schema}"))
}

fn facade(ops: &[Op], types: &syn::File) -> Result<String, String> {
    let mut out = String::from(
        "//! The facade's methods for every operation of the spec: see `crate::call`.\n\
         use crate::call::{Call, QueryValue};\n",
    );
    for op in ops {
        facade_operation(&mut out, op, types)?;
    }
    // A body schema without a facade type of its own is sent as its generated wire type.
    let mut bodies: Vec<&String> = ops.iter().filter_map(|op| op.body.as_ref()).collect();
    bodies.dedup();
    for body in bodies
        .into_iter()
        .filter(|b| !FACADE_TYPES.iter().any(|(wire, _)| wire == b))
    {
        let _ = writeln!(
            out,
            "impl crate::call::RequestBody for applivery_api::types::{body} {{\n\
             fn problems(&self) -> Vec<applivery_api::rules::Problem> {{ self.problems() }}\n\
             fn to_json(&self) -> Result<Vec<u8>, serde_json::Error> {{ serde_json::to_vec(self) }}\n}}"
        );
    }
    let markers: String = ops
        .iter()
        .map(|op| {
            format!(
                "/// The `{}` operation.\n#[derive(Clone, Copy, Debug)]\npub struct {};\n",
                op.id,
                pascal(&op.id)
            )
        })
        .collect();
    let _ = writeln!(
        out,
        "/// One type per operation of the spec: what [`Call`] is generic over.\npub mod op {{\n{markers}}}"
    );
    Ok(out)
}

/// One operation's part of the facade: its call type, `Operation` impl, query setters and the
/// methods of `Client` and `Organization`.
fn facade_operation(out: &mut String, op: &Op, types: &syn::File) -> Result<(), String> {
    let name = pascal(&op.id);
    let method = snake_case(&op.id);
    let upper = upper_snake(&op.id);
    let envelope = format!("applivery_api::types::{}", op.success);
    let (output, convert) = facade_output(op, types)?;
    let doc = doc_lines(&format!(
        "`{} {}`: {}.\n\n{}",
        op.method.to_uppercase(),
        op.path,
        op.summary,
        op.description
    ));
    let _ = writeln!(
        out,
        "{doc}///\n/// Built by [`crate::Client::{method}`]; awaited, it gives the answer's data.\n\
         pub type {name} = Call<op::{name}>;"
    );
    let _ = writeln!(
        out,
        "impl crate::call::Operation for op::{name} {{\n\
         const OPERATION: &'static applivery_api::operation::Operation = &applivery_api::operations::{upper};\n\
         type Envelope = {envelope};\n\
         type Output = {output};\n\
         fn output(envelope: Self::Envelope) -> Self::Output {{ {convert} }}\n\
         fn span() -> tracing::Span {{ crate::client::call_span!(\"applivery.{method}\") }}\n}}"
    );
    if let Some(item) = &op.paged_item {
        let _ = writeln!(
            out,
            "impl crate::call::PagedOperation for op::{name} {{ type Item = {}; }}",
            facade_type(item)
        );
    }
    let setters = query_setters(op);
    if !setters.is_empty() {
        let _ = writeln!(out, "impl {name} {{\n{setters}}}");
    }
    out.push_str(&client_methods(op, &doc, &name, &method));
    Ok(())
}

/// The facade's output type of `op` and the expression converting its envelope into it.
fn facade_output(op: &Op, types: &syn::File) -> Result<(String, String), String> {
    let envelope = format!("applivery_api::types::{}", op.success);
    let outputs = match (&op.paged_item, &op.data) {
        (Some(item), Some(data)) => {
            let fields = struct_fields(types, data)?;
            let field = |wire: &str| match fields.get(wire) {
                Some((rust, _)) => format!("data.{rust}"),
                None => "None".into(),
            };
            (
                format!("crate::Page<{}>", facade_type(item)),
                format!(
                    "let data = envelope.data; crate::Page {{ items: data.items.into_iter().map(From::from).collect(), \
                     total_docs: {}, limit: {}, page: {}, total_pages: {}, has_next_page: {}, next_page: {} }}",
                    field("totalDocs"),
                    field("limit"),
                    field("page"),
                    field("totalPages"),
                    field("hasNextPage"),
                    field("nextPage"),
                ),
            )
        }
        (None, Some(data)) => (facade_type(data), "From::from(envelope.data)".into()),
        _ => (envelope, "envelope".into()),
    };
    Ok(outputs)
}

/// The query setters of `op`'s call (a paged operation's `page` belongs to `.page(n)`).
fn query_setters(op: &Op) -> String {
    let mut setters = String::new();
    for p in op
        .query
        .iter()
        .filter(|p| !(op.paged_item.is_some() && p.wire == "page"))
    {
        let doc = doc_lines(&p.description);
        let wire = &p.wire;
        let _ = match (p.kind, &p.item) {
            ("Text", _) => writeln!(
                setters,
                "{doc}pub fn {}(self, value: impl Into<String>) -> Self {{ self.set({wire:?}, QueryValue::Text(value.into())) }}",
                snake_case(&p.name)
            ),
            ("Integer", _) => writeln!(
                setters,
                "{doc}pub fn {}(self, value: impl Into<i64>) -> Self {{ self.set({wire:?}, QueryValue::Integer(value.into())) }}",
                snake_case(&p.name)
            ),
            ("Bool", _) => writeln!(
                setters,
                "{doc}pub fn {}(self, value: bool) -> Self {{ self.set({wire:?}, QueryValue::Bool(value)) }}",
                snake_case(&p.name)
            ),
            (_, Some(item)) => writeln!(
                setters,
                "{doc}///\n/// Adds one; call again for more.\npub fn {}(self, value: impl Into<String>) -> Self {{ self.push({wire:?}, value.into()) }}",
                snake_case(item)
            ),
            (_, None) => writeln!(
                setters,
                "{doc}pub fn {}(self, values: impl IntoIterator<Item = impl Into<String>>) -> Self {{ \
                 self.set({wire:?}, QueryValue::TextList(values.into_iter().map(Into::into).collect())) }}",
                snake_case(&p.name)
            ),
        };
    }
    setters
}

/// `op`'s method on `Client`, and on `Organization` when the organization is its first path
/// parameter.
fn client_methods(op: &Op, doc: &str, name: &str, method: &str) -> String {
    let mut out = String::new();
    // The client's method: path arguments in path order, then the body.
    let mut args = String::new();
    let mut values = Vec::new();
    for p in &op.path_params {
        let arg = snake_case(&p.name);
        let _ = write!(args, ", {arg}: impl Into<String>");
        values.push(format!("{arg}.into()"));
    }
    let (body_arg, body_value) = match &op.body {
        Some(body) => (
            format!(", {}: {}", snake_case(body), facade_type(body)),
            format!(
                "Some(std::sync::Arc::new({}) as std::sync::Arc<dyn crate::call::RequestBody>)",
                snake_case(body)
            ),
        ),
        None => (String::new(), "None".into()),
    };
    let see = if op.paged_item.is_some() {
        "\n///\n/// Paged: await it for page 1, `.page(n)` for page `n`, `.stream()` for every item."
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "impl crate::Client {{\n{doc}///\n/// Returns a [`{name}`] call: set its query parameters and per-call options \
         (`.timeout`, `.deadline`, `.retry_policy`), then await it.{see}\n\
         pub fn {method}(&self{args}{body_arg}) -> {name} {{\n\
         Call::new(self.clone(), vec![{}], {body_value})\n}}\n}}",
        values.join(", ")
    );
    if op
        .path_params
        .first()
        .is_some_and(|p| p.wire == "organizationId")
    {
        let rest_args: String = op.path_params[1..]
            .iter()
            .map(|p| format!(", {}: impl Into<String>", snake_case(&p.name)))
            .collect();
        let rest_values: String = op.path_params[1..]
            .iter()
            .map(|p| format!(", {}", snake_case(&p.name)))
            .collect();
        let body_pass = op
            .body
            .as_ref()
            .map(|b| format!(", {}", snake_case(b)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "impl crate::Organization {{\n/// [`crate::Client::{method}`] in this organization.\n\
             pub fn {method}(&self{rest_args}{body_arg}) -> {name} {{\n\
             self.client().{method}(self.id(){rest_values}{body_pass})\n}}\n}}"
        );
    }
    out
}

/// The names the npm package gives a wire schema: its own type where it shapes one.
fn ts_type(schema: &str) -> String {
    match schema {
        "CreateOemUserData" => "Collaborator".into(),
        other => other.into(),
    }
}

fn js(ops: &[Op]) -> String {
    let mut out = String::from(
        "// Every operation of the spec, for the wrapper (index.js) to make a method of each:\n\
         // [operationId, path parameters, takes a body, paged].\n\
         export const OPERATIONS = [\n",
    );
    for op in ops {
        let path: Vec<String> = op
            .path_params
            .iter()
            .map(|p| format!("{:?}", p.name))
            .collect();
        let _ = writeln!(
            out,
            "  [{:?}, [{}], {}, {}],",
            op.id,
            path.join(", "),
            op.body.is_some(),
            op.paged_item.is_some()
        );
    }
    out + "];\n"
}

fn dts(ops: &[Op]) -> String {
    let mut methods = String::new();
    let mut options = String::new();
    for op in ops {
        let options_type = dts_options(op, &mut options);
        methods.push_str(&dts_methods(op, &options_type));
    }
    format!(
        "/**\n * One method per operation of the spec (generated: `cargo xtask codegen`). Each rejects\n \
         * with an {{@link AppliveryError}}; when `options.signal` aborts, with the signal's `reason`.\n */\n\
         export interface AppliveryClient {{\n{methods}}}\n{options}"
    )
}

/// The name of `op`'s options type; an interface of its query parameters is added to `out`
/// when it has any (a paged operation's `page` is an argument of its `...Page` method).
fn dts_options(op: &Op, out: &mut String) -> String {
    let paged = op.paged_item.is_some();
    let query: Vec<&Param> = op
        .query
        .iter()
        .filter(|p| !(paged && p.wire == "page"))
        .collect();
    if query.is_empty() {
        return "RequestOptions".to_owned();
    }
    let name = format!("{}Options", pascal(&op.id));
    let _ = writeln!(
        out,
        "\n/** The query parameters of {{@link AppliveryClient.{}}}. */\nexport interface {name} extends RequestOptions {{",
        op.id
    );
    for p in &query {
        let ts = match p.kind {
            "Integer" => "number",
            "Bool" => "boolean",
            "TextList" => "string[]",
            _ => "string",
        };
        let optional = if p.required { "" } else { "?" };
        let _ = writeln!(
            out,
            "  /** {} */\n  {}{optional}: {ts};",
            js_doc(&p.description),
            p.name
        );
    }
    out.push_str("}\n");
    name
}

/// The declarations of `op`'s method (and `...Page` method, paged).
fn dts_methods(op: &Op, options_type: &str) -> String {
    let mut args: String = op
        .path_params
        .iter()
        .map(|p| format!("{}: string, ", p.name))
        .collect();
    if let Some(body) = &op.body {
        let _ = write!(args, "{}: {body}, ", camel(body));
    }
    let doc = format!(
        "  /**\n   * `{} {}`: {}.\n   *\n   * {}\n   */\n",
        op.method.to_uppercase(),
        op.path,
        op.summary,
        js_doc(&op.description)
    );
    let id = &op.id;
    match (&op.paged_item, &op.data) {
        (Some(item), Some(data)) => format!(
            "{doc}  {id}({args}options?: {options_type}): AsyncGenerator<{}, void, undefined>;\n\
             \x20 /** Page `page` (from 1) of {{@link AppliveryClient.{id}}}, with its paging fields. */\n\
             \x20 {id}Page({args}page: number, options?: {options_type}): Promise<{data}>;\n",
            ts_type(item)
        ),
        _ => {
            let output = op
                .data
                .as_deref()
                .map_or_else(|| op.success.clone(), ts_type);
            format!("{doc}  {id}({args}options?: {options_type}): Promise<{output}>;\n")
        }
    }
}

/// `NewOemUser` -> `newOemUser`: a schema's name as a JS argument.
fn camel(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

fn markdown(ops: &[Op]) -> String {
    let mut out = String::from(
        "| Operation | Rust (`Client`; `Organization` without the organization) | npm (`AppliveryClient`) | CLI | Query parameters (Rust setter, npm option, CLI flag) |\n\
         |---|---|---|---|---|\n",
    );
    for op in ops {
        out.push_str(&markdown_row(op));
    }
    out
}

/// One operation's row of README's table.
fn markdown_row(op: &Op) -> String {
    let paged = op.paged_item.is_some();
    let mut rust_args: Vec<String> = op.path_params.iter().map(|p| snake_case(&p.name)).collect();
    let mut js_args: Vec<String> = op.path_params.iter().map(|p| p.name.clone()).collect();
    if let Some(body) = &op.body {
        rust_args.push(snake_case(body));
        let mut chars = body.chars();
        js_args.push(
            chars
                .next()
                .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
                .unwrap_or_default(),
        );
    }
    let method = snake_case(&op.id);
    let rust = if paged {
        format!(
            "`{method}({})`: await for page 1, `.page(n)`, `.stream()`",
            rust_args.join(", ")
        )
    } else {
        format!("`{method}({})`", rust_args.join(", "))
    };
    let js_list = js_args.join(", ");
    let js = if paged {
        format!(
            "`{}({js_list}, options?)`: async iterator; `{}Page({js_list}, page, options?)`",
            op.id, op.id
        )
    } else {
        format!("`{}({js_list}, options?)`", op.id)
    };
    let positional: String = op
        .path_params
        .iter()
        .filter(|p| p.wire != "organizationId")
        .map(|p| format!(" {}", snake_case(&p.name).to_uppercase()))
        .collect();
    let query: Vec<String> = op
        .query
        .iter()
        .filter(|p| !(paged && p.wire == "page"))
        .map(|p| {
            let one = p.item.as_deref().unwrap_or(&p.name);
            format!(
                "`{}` (`.{}()`, `{}`, `--{}`)",
                p.wire,
                snake_case(one),
                p.name,
                kebab_case(one)
            )
        })
        .collect();
    format!(
        "| `{} {}`: {} | {rust} | {js} | `applivery {} {}{positional}` | {} |\n",
        op.method.to_uppercase(),
        op.path,
        op.summary,
        op.cli.0,
        op.cli.1,
        if query.is_empty() {
            "none".into()
        } else {
            query.join(", ")
        }
    )
}

/// `text` safe inside a `/** */` comment, on one line.
fn js_doc(text: &str) -> String {
    text.replace("*/", "* /").replace('\n', " ")
}

fn doc_lines(text: &str) -> String {
    text.lines().map(|line| format!("/// {line}\n")).collect()
}
