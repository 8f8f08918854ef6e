//! Generates what follows from a schema's list of properties, so that a property added to the
//! spec needs no hand edit anywhere:
//!
//! - `applivery-api/src/fields.rs`: `FIELDS` (an `applivery_api::shape::Field` table) and
//!   `blank()` for every object schema, and for request bodies the setters and getters by wire
//!   name that generic readers use (`set_text`, `push_item`, `text`, `items`);
//! - `applivery/src/generated/new_oem_user.rs`: the facade's builder methods, one setter and
//!   one getter per property (`first_name`/`get_first_name`, `tags`/`tag`/`get_tags`);
//! - `applivery/src/generated/collaborator.rs`: the facade's `Collaborator`, field for field the
//!   wire type plus its OEM secret, and the conversion from the wire type.
//!
//! A property the generator cannot carry fails codegen with the schema and property named.

use std::fmt::Write as _;

use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaKind, Type};
use quote::ToTokens;

use super::validation::{component, request_body_schemas, snake_case, struct_fields};

/// The request body the facade's `NewOemUser` wraps, and the schema its `Collaborator` mirrors.
const FACADE_REQUEST: &str = "NewOemUser";
/// The arguments of the facade's `NewOemUser::new`: a public signature, so a property the spec
/// newly requires is refused rather than silently breaking every caller.
const FACADE_REQUEST_REQUIRED: &[&str] = &["email"];
const FACADE_RECORD: &str = "Collaborator";

/// The generated sources: (applivery-api's `fields.rs`, the facade's builder, the facade's
/// collaborator), unformatted.
pub struct Generated {
    pub tables: String,
    pub builder: String,
    pub collaborator: String,
}

pub fn generate(spec: &OpenAPI, types: &syn::File) -> Result<Generated, String> {
    let requests = request_body_schemas(spec)?;
    let mut tables = String::from(
        "//! Each schema's properties as data, and the accessors generic code uses.\n\
         use crate::shape::{Field, Shape};\n",
    );
    let schemas = spec
        .components
        .as_ref()
        .map(|c| c.schemas.keys().cloned().collect::<Vec<_>>())
        .unwrap_or_default();
    for name in &schemas {
        let schema = component(spec, name)?;
        let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
            continue;
        };
        if object.properties.is_empty() {
            continue;
        }
        let rust_fields = struct_fields(types, name)?;
        let is_request = requests.contains(name);
        let mut entries = String::new();
        let mut blank = String::new();
        let mut accessors = Accessors::default();
        for (property, property_schema) in &object.properties {
            let place = format!("{name}.{property}");
            let (shape, data) = shape_of(spec, &place, property_schema)?;
            let required = object.required.contains(property);
            let (rust, optional) = rust_fields.get(property.as_str()).ok_or_else(|| {
                format!("{place}: no field of the generated struct {name} is named after it")
            })?;
            // Flags and descriptions serve request bodies (the CLI's flags, the page's form);
            // elsewhere nothing reads them, and the npm package would carry them.
            let flag = if is_request {
                kebab_case(property)
            } else {
                String::new()
            };
            let item_flag = match shape {
                ShapeCode::TextList if is_request => format!("Some({:?})", singular(&flag)),
                _ => "None".into(),
            };
            let example = match &data.example {
                Some(example) => format!("Some({:?})", example.to_string()),
                None => "None".into(),
            };
            let description = match &data.description {
                Some(description) if is_request => description.as_str(),
                _ => "",
            };
            let _ = writeln!(
                entries,
                "Field {{ name: {property:?}, flag: {flag:?}, item_flag: {item_flag}, \
                 shape: {shape}, required: {required}, nullable: {nullable}, \
                 description: {description:?}, example: {example} }},",
                shape = shape.code(),
                nullable = data.nullable,
            );
            let _ = match shape {
                ShapeCode::Record(record) if !optional => {
                    writeln!(blank, "{rust}: crate::types::{record}::blank(),")
                }
                _ => writeln!(blank, "{rust}: Default::default(),"),
            };
            if is_request {
                accessors.add(&place, property, rust, *optional, shape, required)?;
            }
        }
        let extra = if struct_has_field(types, name, "extra") {
            "extra: Default::default(),"
        } else {
            ""
        };
        let _ = writeln!(
            tables,
            "impl crate::types::{name} {{\n\
             /// The properties of the spec's `{name}` schema, in the spec's order.\n\
             pub const FIELDS: &'static [Field] = &[\n{entries}];\n\
             /// A value with every field empty (`None`, `\"\"`, `[]`): the start of generic\n\
             /// readers, which then set fields by name.\n\
             pub fn blank() -> Self {{ Self {{ {blank}{extra} }} }}\n\
             {accessors}}}",
            accessors = accessors.finish(name),
        );
    }
    Ok(Generated {
        tables,
        builder: builder(spec, types)?,
        collaborator: collaborator(spec, types, &schemas)?,
    })
}

/// The shapes the generator maps, as the `Shape` expression they become.
#[derive(Clone, Copy, PartialEq)]
enum ShapeCode<'a> {
    Text,
    TextList,
    Bool,
    Integer,
    Object,
    Any,
    Record(&'a str),
    RecordList(&'a str),
}

impl ShapeCode<'_> {
    fn code(self) -> String {
        match self {
            ShapeCode::Text => "Shape::Text".into(),
            ShapeCode::TextList => "Shape::TextList".into(),
            ShapeCode::Bool => "Shape::Bool".into(),
            ShapeCode::Integer => "Shape::Integer".into(),
            ShapeCode::Object => "Shape::Object".into(),
            ShapeCode::Any => "Shape::Any".into(),
            ShapeCode::Record(name) => format!("Shape::Record(crate::types::{name}::FIELDS)"),
            ShapeCode::RecordList(name) => {
                format!("Shape::RecordList(crate::types::{name}::FIELDS)")
            }
        }
    }
}

/// What the spec says of one property besides its type.
struct Data {
    nullable: bool,
    description: Option<String>,
    example: Option<serde_json::Value>,
}

fn shape_of<'a>(
    spec: &OpenAPI,
    place: &str,
    schema: &'a ReferenceOr<Box<Schema>>,
) -> Result<(ShapeCode<'a>, Data), String> {
    let schema = match schema {
        ReferenceOr::Reference { reference } => {
            let name = reference
                .strip_prefix("#/components/schemas/")
                .ok_or_else(|| format!("{place}: unsupported $ref {reference}"))?;
            let target = component(spec, name)?;
            let is_record = matches!(&target.schema_kind,
                SchemaKind::Type(Type::Object(object)) if !object.properties.is_empty());
            if !is_record {
                return Err(format!(
                    "{place}: a $ref to {name}, which is not an object with properties, is not \
                     mapped by the generator"
                ));
            }
            let data = Data {
                nullable: false,
                description: target.schema_data.description.clone(),
                example: None,
            };
            return Ok((ShapeCode::Record(name), data));
        }
        ReferenceOr::Item(schema) => schema,
    };
    let shape = match &schema.schema_kind {
        SchemaKind::Type(Type::String(_)) => ShapeCode::Text,
        SchemaKind::Type(Type::Boolean(_)) => ShapeCode::Bool,
        SchemaKind::Type(Type::Integer(_)) => ShapeCode::Integer,
        SchemaKind::Type(Type::Object(object)) if object.properties.is_empty() => ShapeCode::Object,
        SchemaKind::Type(Type::Array(array)) => match &array.items {
            Some(ReferenceOr::Item(items))
                if matches!(items.schema_kind, SchemaKind::Type(Type::String(_))) =>
            {
                ShapeCode::TextList
            }
            Some(items @ ReferenceOr::Reference { .. }) => match shape_of(spec, place, items)? {
                (ShapeCode::Record(name), _) => ShapeCode::RecordList(name),
                _ => unreachable!("a $ref maps to a record or fails"),
            },
            _ => {
                return Err(format!(
                    "{place}: only arrays of strings or of $ref objects are mapped by the generator"
                ));
            }
        },
        SchemaKind::Any(any) if any.typ.is_none() && any.properties.is_empty() => ShapeCode::Any,
        _ => {
            return Err(format!(
                "{place}: this type (inline object, number, oneOf/anyOf/allOf) is not mapped by \
                 the generator; describe it with a string, boolean, integer, array of strings, \
                 free-form object or a $ref"
            ));
        }
    };
    let data = Data {
        nullable: schema.schema_data.nullable,
        description: schema.schema_data.description.clone(),
        example: schema.schema_data.example.clone(),
    };
    Ok((shape, data))
}

/// The by-name accessors of a request body.
#[derive(Default)]
struct Accessors {
    set_text: String,
    push_item: String,
    text: String,
    items: String,
}

impl Accessors {
    fn add(
        &mut self,
        place: &str,
        property: &str,
        rust: &str,
        optional: bool,
        shape: ShapeCode<'_>,
        required: bool,
    ) -> Result<(), String> {
        match shape {
            ShapeCode::Text if optional => {
                let _ = writeln!(self.set_text, "{property:?} => self.{rust} = Some(value),");
                let _ = writeln!(self.text, "{property:?} => self.{rust}.as_deref(),");
            }
            ShapeCode::Text => {
                let _ = writeln!(self.set_text, "{property:?} => self.{rust} = value,");
                let _ = writeln!(self.text, "{property:?} => Some(&self.{rust}),");
            }
            ShapeCode::TextList if !required => {
                let _ = writeln!(self.push_item, "{property:?} => self.{rust}.push(item),");
                let _ = writeln!(self.items, "{property:?} => &self.{rust},");
            }
            _ => {
                return Err(format!(
                    "{place}: a request property must be a string or an optional array of \
                     strings for the generated builders, flags and readers"
                ));
            }
        }
        Ok(())
    }

    fn finish(self, name: &str) -> String {
        if self.set_text.is_empty() && self.push_item.is_empty() {
            return String::new();
        }
        format!(
            "/// Sets the string property `name` (wire name) of `{name}`; `false` when there is\n\
             /// no such string property.\n\
             pub fn set_text(&mut self, name: &str, value: String) -> bool {{\n\
             match name {{ {set_text} _ => return false }} true }}\n\
             /// Adds `item` to the array property `name`; `false` when there is no such array.\n\
             #[allow(unused_variables)]\n\
             pub fn push_item(&mut self, name: &str, item: String) -> bool {{\n\
             match name {{ {push_item} _ => return false }} true }}\n\
             /// The string property `name`, if set.\n\
             pub fn text(&self, name: &str) -> Option<&str> {{ match name {{ {text} _ => None }} }}\n\
             /// The items of the array property `name` (none for other names).\n\
             pub fn items(&self, name: &str) -> &[String] {{ match name {{ {items} _ => &[] }} }}\n",
            set_text = self.set_text,
            push_item = self.push_item,
            text = self.text,
            items = self.items,
        )
    }
}

/// The facade's `NewOemUser` builder methods: `new` with the required properties, then a setter
/// and a getter per property.
fn builder(spec: &OpenAPI, types: &syn::File) -> Result<String, String> {
    let schema = component(spec, FACADE_REQUEST)?;
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
        return Err(format!("{FACADE_REQUEST} is not an object"));
    };
    if object.required != FACADE_REQUEST_REQUIRED {
        let added: Vec<&String> = object
            .required
            .iter()
            .filter(|name| !FACADE_REQUEST_REQUIRED.contains(&name.as_str()))
            .collect();
        let place = match added.first() {
            Some(name) => format!("{FACADE_REQUEST}.{name}"),
            None => FACADE_REQUEST.to_owned(),
        };
        return Err(format!(
            "{place}: the required properties are now {:?}; `NewOemUser::new` takes {:?}. A \
             newly required property changes its signature (a breaking change for every caller): \
             update FACADE_REQUEST_REQUIRED in xtask/src/codegen/fields.rs and the callers",
            object.required, FACADE_REQUEST_REQUIRED
        ));
    }
    let rust_fields = struct_fields(types, FACADE_REQUEST)?;
    let mut params = Vec::new();
    let mut sets = String::new();
    let mut methods = String::new();
    for (property, property_schema) in &object.properties {
        let place = format!("{FACADE_REQUEST}.{property}");
        let (shape, data) = shape_of(spec, &place, property_schema)?;
        let (rust, optional) = &rust_fields[property.as_str()];
        let doc = doc_lines(data.description.as_deref().unwrap_or_default());
        let required = object.required.contains(property);
        match shape {
            ShapeCode::Text if required => {
                params.push(format!("{rust}: impl Into<String>"));
                let _ = writeln!(sets, "wire.{rust} = {rust}.into();");
                let _ = writeln!(
                    methods,
                    "/// `{property}`. Getters of builder types are named `get_*`, since the \
                     plain names set.\n\
                     pub fn get_{rust}(&self) -> &str {{ &self.0.{rust} }}"
                );
            }
            ShapeCode::Text if *optional => {
                let _ = writeln!(
                    methods,
                    "/// Sets `{property}`.\n///\n{doc}\
                     pub fn {rust}(mut self, {rust}: impl Into<String>) -> Self {{\n\
                     self.0.{rust} = Some({rust}.into()); self }}\n\
                     /// `{property}`, if set.\n\
                     pub fn get_{rust}(&self) -> Option<&str> {{ self.0.{rust}.as_deref() }}"
                );
            }
            ShapeCode::TextList if !required => {
                let item = snake_case(&singular(property));
                let _ = writeln!(
                    methods,
                    "/// Replaces `{property}`.\n///\n{doc}\
                     pub fn {rust}<I, S>(mut self, {rust}: I) -> Self\n\
                     where I: IntoIterator<Item = S>, S: Into<String> {{\n\
                     self.0.{rust} = {rust}.into_iter().map(Into::into).collect(); self }}\n\
                     /// Adds one item to `{property}`.\n\
                     pub fn {item}(mut self, {item}: impl Into<String>) -> Self {{\n\
                     self.0.{rust}.push({item}.into()); self }}\n\
                     /// `{property}`.\n\
                     pub fn get_{rust}(&self) -> &[String] {{ &self.0.{rust} }}"
                );
            }
            _ => {
                return Err(format!(
                    "{place}: a request property must be a string or an optional array of \
                     strings for the generated builder"
                ));
            }
        }
    }
    let required = object.required.join("`, `");
    Ok(format!(
        "//! The builder methods of [`NewOemUser`], one setter and one getter per property of\n\
         //! the spec's `{FACADE_REQUEST}`.\n\
         use crate::NewOemUser;\n\
         impl NewOemUser {{\n\
         /// A user with `{required}` and nothing else.\n\
         pub fn new({params}) -> Self {{\n\
         let mut wire = applivery_api::types::{FACADE_REQUEST}::blank();\n{sets}NewOemUser(wire) }}\n\
         {methods}}}",
        params = params.join(", "),
    ))
}

/// The facade's `Collaborator`: the wire type's fields in the spec's order, then the OEM
/// secret and the unknown fields; serialized with the wire names (a `None` of a property the
/// spec does not mark nullable is left out, as the wire type does).
fn collaborator(spec: &OpenAPI, types: &syn::File, schemas: &[String]) -> Result<String, String> {
    let schema = component(spec, FACADE_RECORD)?;
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
        return Err(format!("{FACADE_RECORD} is not an object"));
    };
    let rust_fields = struct_fields(types, FACADE_RECORD)?;
    let wire_struct = find_struct(types, FACADE_RECORD)?;
    let mut fields = String::new();
    let mut moves = String::new();
    for (property, property_schema) in &object.properties {
        let place = format!("{FACADE_RECORD}.{property}");
        let (_, data) = shape_of(spec, &place, property_schema)?;
        let (rust, optional) = &rust_fields[property.as_str()];
        let ty = wire_struct
            .fields
            .iter()
            .find(|f| f.ident.as_ref().is_some_and(|i| i == rust))
            .map(|f| qualify(f.ty.to_token_stream(), schemas))
            .ok_or_else(|| format!("{place}: the generated struct has no field {rust}"))?;
        let skip = if *optional && !data.nullable {
            ", skip_serializing_if = \"Option::is_none\""
        } else {
            ""
        };
        let doc = doc_lines(data.description.as_deref().unwrap_or_default());
        let _ = writeln!(
            fields,
            "{doc}#[serde(rename = {property:?}{skip})]\npub {rust}: {ty},"
        );
        let _ = writeln!(moves, "{rust}: wire.{rust},");
    }
    let take_extra = if struct_has_field(types, FACADE_RECORD, "extra") {
        "wire.extra"
    } else {
        "serde_json::Map::new()"
    };
    Ok(format!(
        "//! The facade's [`Collaborator`]: the spec's `{FACADE_RECORD}`, field for field, with its\n\
         //! OEM secret kept as a [`Secret`].\n\
         use crate::secret::Secret;\n\
         /// The membership of a user in an organization, as the API returned it.\n\
         ///\n\
         /// Serializes with the wire's names; an `oemSecret` serializes as `\"[redacted]\"`.\n\
         #[derive(Clone, Debug, PartialEq, serde::Serialize)]\n\
         #[non_exhaustive]\n\
         pub struct Collaborator {{\n{fields}\
         /// The user's OEM secret: `data.oemSecret` of the answer (or, leniently, an\n\
         /// `oemSecret` inside the collaborator). Printed and serialized as `[redacted]`;\n\
         /// [`Secret::expose`] reads it.\n\
         #[serde(rename = \"oemSecret\", skip_serializing_if = \"Option::is_none\")]\n\
         pub oem_secret: Option<Secret>,\n\
         /// Other fields a newer server added, kept as they came (never `oemSecret`).\n\
         #[serde(flatten)]\n\
         pub extra: serde_json::Map<String, serde_json::Value>,\n\
         }}\n\
         impl From<applivery_api::types::{FACADE_RECORD}> for Collaborator {{\n\
         fn from(wire: applivery_api::types::{FACADE_RECORD}) -> Self {{\n\
         let mut extra = {take_extra};\n\
         let oem_secret = crate::collaborator::take_oem_secret(&mut extra);\n\
         Collaborator {{ {moves}oem_secret, extra }} }} }}"
    ))
}

fn find_struct<'a>(types: &'a syn::File, name: &str) -> Result<&'a syn::ItemStruct, String> {
    types
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Struct(s) if s.ident == name => Some(s),
            _ => None,
        })
        .ok_or_else(|| format!("the generated types have no struct {name}"))
}

fn struct_has_field(types: &syn::File, name: &str, field: &str) -> bool {
    find_struct(types, name).is_ok_and(|s| {
        s.fields
            .iter()
            .any(|f| f.ident.as_ref().is_some_and(|i| i == field))
    })
}

/// A wire type's tokens with the generated types it names (`OemUser`) made paths into
/// `applivery_api::types`.
fn qualify(tokens: proc_macro2::TokenStream, schemas: &[String]) -> String {
    let mut out = String::new();
    let mut after_colon = false;
    for token in tokens {
        match &token {
            proc_macro2::TokenTree::Ident(ident)
                if !after_colon && schemas.iter().any(|s| ident == s) =>
            {
                let _ = write!(out, "applivery_api::types::{ident}");
            }
            _ => {
                let _ = write!(out, "{token}");
            }
        }
        after_colon = matches!(&token, proc_macro2::TokenTree::Punct(p) if p.as_char() == ':');
    }
    out
}

/// `/// line` comments of a description (nothing for an empty one).
fn doc_lines(text: &str) -> String {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| format!("/// {line}\n"))
        .collect()
}

/// `firstName` -> `first-name`.
pub fn kebab_case(name: &str) -> String {
    snake_case(name).replace('_', "-")
}

/// One item of a list property: `tags` -> `tag`; a name not ending in `s` gets `-item`.
fn singular(name: &str) -> String {
    match name.strip_suffix('s') {
        Some(stem) if stem.len() > 1 && !stem.ends_with('s') => stem.to_owned(),
        _ => format!("{name}-item"),
    }
}
