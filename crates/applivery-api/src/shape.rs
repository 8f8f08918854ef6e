//! What a schema's properties look like, as data: the tables `cargo xtask codegen` writes into
//! `fields.rs` (`NewOemUser::FIELDS`, `Collaborator::FIELDS`, ...).
//!
//! Generic code walks these tables instead of naming properties, so a property added to the
//! spec reaches every surface after codegen alone: the CLI's flags and import columns, the npm
//! package's input reader and response decoder, the mock's checks and answers, the admin
//! page's form.

/// The JSON values a property holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A string.
    Text,
    /// An array of strings.
    TextList,
    /// A boolean.
    Bool,
    /// An integer.
    Integer,
    /// A free-form JSON object.
    Object,
    /// Any JSON value (the spec gives no type).
    Any,
    /// An object of another schema of the spec, with that schema's fields.
    Record(&'static [Field]),
    /// An array of objects of another schema of the spec, with that schema's fields.
    RecordList(&'static [Field]),
}

/// One property of a schema, as the spec describes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    /// The wire (JSON) name: `firstName`.
    pub name: &'static str,
    /// The name in kebab case, for command-line flags: `first-name`. Request bodies only
    /// (empty elsewhere: nothing reads it, and the npm package would carry it).
    pub flag: &'static str,
    /// For a [`Shape::TextList`] of a request body, the name of one item in kebab case (`tag`
    /// for `tags`): the flag that adds one. `None` otherwise.
    pub item_flag: Option<&'static str>,
    /// What the property holds.
    pub shape: Shape,
    /// The spec lists it in `required`.
    pub required: bool,
    /// The spec marks it `nullable`.
    pub nullable: bool,
    /// The spec's `description`, for request bodies (empty elsewhere, as `flag`).
    pub description: &'static str,
    /// The spec's `example`, as JSON text (what the mock answers for a property it has no
    /// value of its own for).
    pub example: Option<&'static str>,
}

impl Field {
    /// The first sentence of the description: a label for a form field or a flag's help line.
    pub fn summary(&self) -> &'static str {
        let text = self.description;
        match text.find(". ") {
            Some(end) => &text[..=end],
            None => text,
        }
    }
}

/// The field named `name` (wire name) in `fields`.
pub fn find(fields: &'static [Field], name: &str) -> Option<&'static Field> {
    fields.iter().find(|field| field.name == name)
}
