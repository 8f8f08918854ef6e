//! Every operation of the spec, routed through the generated operation table
//! (`applivery_api::operations`): no API path is typed by hand here.
//!
//! Each request goes through the same steps in Applivery's order: the faults and limits
//! ([`faulted`]), the token and the organization ([`authorize`]), the other path parameters and
//! the query by the spec's generated rules, then the operation's own answer. Operations the mock
//! models keep state ([`MODELED`]); any other has its body checked by the spec's rules and
//! answers its documented success example, as Prism does, so a new operation works against the
//! mock the moment it is in the spec.

use std::sync::Arc;

use applivery_api::operation::Operation;
use applivery_api::operations::OPERATIONS;
use applivery_api::request::{self, Query};
use applivery_api::rules::Problem;
use applivery_api::validation::body_problems;
use axum::Extension;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::Response;

use crate::endpoint::{OemFeature, RequestNumber, authorize, faulted};
use crate::state::Shared;
use crate::{admin, endpoint, groups, list_collaborators, refresh_secret, responses};

/// One routed API request, checked up to the operation's own rules.
pub(crate) struct ApiRequest<'a> {
    /// The organization id (checked: known, not blocked for an OEM operation).
    pub(crate) organization: &'a str,
    /// The accepted API key.
    pub(crate) token: &'a str,
    /// The path arguments after the organization id, in path order (checked).
    pub(crate) path_args: &'a [String],
    /// The query, read and checked by the spec's rules.
    pub(crate) query: &'a Query,
    /// The raw body.
    pub(crate) body: &'a [u8],
}

type Handler = fn(&Shared, &ApiRequest<'_>) -> Response;

/// The operations with state of their own, by operationId.
const MODELED: &[(&str, Handler)] = &[
    ("createOemUser", endpoint::create),
    ("refreshOemUserSecret", refresh_secret::refresh),
    ("listCollaborators", list_collaborators::list),
    ("listCollaboratorGroups", groups::list),
];

/// The router's fallback: an operation of the table, a known path with another method (405),
/// or nothing (404).
pub(crate) async fn api(
    State(shared): State<Arc<Shared>>,
    request_number: Option<Extension<RequestNumber>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let path = uri.path();
    let Some((operation, args)) = request::route(OPERATIONS, method.as_str(), path) else {
        let allowed = request::allowed_methods(OPERATIONS, path);
        if allowed.is_empty() {
            return admin::not_found().await;
        }
        // RFC 9110: a 405 says which methods the resource takes.
        let mut response = admin::method_not_allowed().await;
        let names: Vec<&str> = allowed.iter().map(|method| method.as_str()).collect();
        if let Ok(value) = HeaderValue::from_str(&names.join(", ")) {
            response.headers_mut().insert(header::ALLOW, value);
        }
        return response;
    };
    let raw_query = uri.query().unwrap_or("").to_owned();
    faulted(&shared, request_number, &headers, body, |body| {
        answer(&shared, operation, &args, &raw_query, &headers, body)
    })
    .await
}

fn answer(
    shared: &Shared,
    operation: &'static Operation,
    args: &[String],
    raw_query: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    let has_organization = operation
        .path_params
        .first()
        .is_some_and(|param| param.wire == "organizationId");
    let organization = if has_organization { &args[0] } else { "" };
    // The OEM endpoints are the ones a platform configuration can block (5187).
    let feature = if operation.path.contains("/oem/") {
        OemFeature::Needed
    } else {
        OemFeature::NotNeeded
    };
    let token = match authorize(
        shared,
        headers,
        has_organization.then_some(organization),
        feature,
    ) {
        Ok(token) => token,
        Err(refused) => return *refused,
    };
    let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let problems = request::path_problems(operation, &arg_refs);
    if let Some(problem) = problems.first() {
        return refused(problem);
    }
    let query = match request::read_query(operation, raw_query) {
        Ok(query) => query,
        Err(problems) => return refused(&problems[0]),
    };
    let call = ApiRequest {
        organization,
        token,
        path_args: &args[usize::from(has_organization)..],
        query: &query,
        body,
    };
    match MODELED.iter().find(|(id, _)| *id == operation.id) {
        Some((_, handler)) => handler(shared, &call),
        None => match operation.body.map(|schema| body_problems(schema, body)) {
            Some(Some(Err(detail))) => responses::validation_failed(&detail),
            Some(Some(Ok(problems))) if !problems.is_empty() => refused(&problems[0]),
            _ => example(operation),
        },
    }
}

/// A request that breaks a rule of the spec: 400 6001 (assumed; see the spec), naming it.
fn refused(problem: &Problem) -> Response {
    responses::validation_failed(&format!("{} {}", problem.field, problem.message))
}

/// The operation's documented success example, or an empty success envelope without one.
fn example(operation: &Operation) -> Response {
    let docs = applivery_api::operation::docs(operation.id);
    let body = docs.example.unwrap_or(r#"{"status":true}"#);
    let value: serde_json::Value = serde_json::from_str(body).unwrap_or(serde_json::Value::Null);
    responses::json(StatusCode::OK, &value)
}
