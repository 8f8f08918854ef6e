//! What an operation of the spec looks like, as data: the table `cargo xtask codegen` writes
//! into `operations.rs` (`OPERATIONS`, one `static` per operation).
//!
//! Every surface walks this table instead of naming paths: the facade and the npm package build
//! their requests from it ([`crate::request`]), the mock routes and checks with it, the CLI makes
//! one command per entry. An operation added to the spec reaches them after codegen alone.

use crate::rules::Problem;

/// The HTTP method of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `PATCH`.
    Patch,
    /// `DELETE`.
    Delete,
}

impl Method {
    /// The method's name on the wire: `GET`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Whether sending it twice does what sending it once does (RFC 9110): `GET`, `PUT` and
    /// `DELETE`. A retry of one of these never needs the ambiguous-outcome rules of a create.
    pub const fn is_idempotent(self) -> bool {
        matches!(self, Method::Get | Method::Put | Method::Delete)
    }
}

/// The values a parameter takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamKind {
    /// A string.
    Text,
    /// An integer (`int64`).
    Integer,
    /// `true` or `false`.
    Bool,
    /// An array of strings, sent as the parameter repeated (`tags=a&tags=b`: the spec's default
    /// `form` style, exploded).
    TextList,
}

/// One path or query parameter.
#[derive(Clone, Copy, Debug)]
pub struct Param {
    /// The name on the wire: `limit`.
    pub wire: &'static str,
    /// The name on every surface, camelCase: the spec's `x-name` if it has one (`pageSize`),
    /// else the wire name. Rust setters and CLI flags are this in snake and kebab case.
    pub name: &'static str,
    /// For a [`ParamKind::TextList`], the name of one item (the spec's `x-item-name`, `tag`):
    /// the repeatable Rust setter and CLI flag. `None`: they take the list's own name.
    pub item: Option<&'static str>,
    /// What it holds.
    pub kind: ParamKind,
    /// The spec requires it (every path parameter is required).
    pub required: bool,
    /// The spec's rules on one value (`pattern`, `maxLength`, `enum`...), generated in
    /// `validation.rs`; `None` when it has none.
    pub check: Option<fn(&str) -> Vec<Problem>>,
}

/// A documented error answer: its status and the Applivery codes its examples show.
#[derive(Clone, Copy, Debug)]
pub struct ErrorAnswer {
    /// The HTTP status.
    pub status: u16,
    /// The codes of the documented examples (`4002`, `4004`).
    pub codes: &'static [i64],
}

/// One operation of the spec.
#[derive(Clone, Copy, Debug)]
pub struct Operation {
    /// The spec's `operationId`: `listCollaborators`.
    pub id: &'static str,
    /// Its method.
    pub method: Method,
    /// The path template: `/v1/organizations/{organizationId}/collaborators/`.
    pub path: &'static str,
    /// The path parameters, in the order they appear in the path.
    pub path_params: &'static [Param],
    /// The query parameters, in the spec's order.
    pub query: &'static [Param],
    /// The request body's schema (`NewOemUser`), if the operation takes one.
    pub body: Option<&'static str>,
    /// The schema of the 200 answer (`CollaboratorListResponse`).
    pub success: &'static str,
    /// The answer is the documented paged envelope (`data.items` with `page`, `hasNextPage`...)
    /// and a `page` query parameter picks the page.
    pub paged: bool,
    /// The CLI's group and command (the spec's `x-cli`, else the first tag and the
    /// operationId in kebab case): `("collaborators", "list")`.
    pub cli: (&'static str, &'static str),
    /// The documented error answers.
    pub errors: &'static [ErrorAnswer],
}

/// The texts of an operation (its summary, its parameters' descriptions, its success example),
/// kept apart from [`Operation`] so that a build that only sends requests (the npm package's
/// wasm) does not carry them.
#[derive(Clone, Copy, Debug)]
pub struct OperationDocs {
    /// The spec's `summary`.
    pub summary: &'static str,
    /// Each parameter's `description`, by wire name.
    pub params: &'static [(&'static str, &'static str)],
    /// The 200 answer's first example, as JSON text: what the mock answers for an operation it
    /// does not model.
    pub example: Option<&'static str>,
}

impl OperationDocs {
    /// The description of the parameter `wire` (empty without one).
    pub fn param(&self, wire: &str) -> &'static str {
        self.params
            .iter()
            .find(|(name, _)| *name == wire)
            .map_or("", |(_, text)| text)
    }
}

/// The texts of the operation `id` (empty for an unknown one).
pub fn docs(id: &str) -> OperationDocs {
    crate::operations::DOCS
        .iter()
        .find(|(operation, _)| *operation == id)
        .map_or(
            OperationDocs {
                summary: "",
                params: &[],
                example: None,
            },
            |(_, docs)| *docs,
        )
}

impl Operation {
    /// The query parameter named `name` (its wire name).
    pub fn query_param(&self, wire: &str) -> Option<&'static Param> {
        self.query.iter().find(|param| param.wire == wire)
    }

    /// For a paged operation, the query parameter that sets the page size: the one named
    /// `pageSize` (by `x-name`) or, without one, `limit`.
    pub fn page_size_param(&self) -> Option<&'static Param> {
        if !self.paged {
            return None;
        }
        let by_name = self.query.iter().find(|param| param.name == "pageSize");
        by_name.or_else(|| self.query_param("limit"))
    }
}

/// The operation whose `operationId` is `id`.
pub fn find(id: &str) -> Option<&'static Operation> {
    crate::operations::OPERATIONS
        .iter()
        .copied()
        .find(|operation| operation.id == id)
}
