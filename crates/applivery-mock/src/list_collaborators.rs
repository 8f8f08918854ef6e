//! `GET /v1/organizations/{organizationId}/collaborators/`: the collaborators the mock created
//! in the organization, filtered, sorted and paged as documented.
//!
//! Assumed where the documentation is silent (the spec's `x-assumption`s say the same): `limit`
//! defaults to 10 and is clamped to 1..=[`MAX_LIMIT`] (a `page` below 1 is page 1); `email` matches a substring ignoring case;
//! `tags` requires every tag given; without `sort` the order is creation order; a sort field
//! is a dotted path into the collaborator (`createdAt`, `user.email`), compared as text.

use std::sync::Arc;

use applivery_api::types::{Collaborator, CollaboratorListResponse, CollaboratorPage};
use axum::Extension;
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use crate::endpoint::{OemFeature, RequestNumber, authorize, faulted};
use crate::responses;
use crate::state::Shared;

/// Collaborators per page when `limit` is not given.
pub const DEFAULT_LIMIT: u64 = 10;
/// The largest page: a larger `limit` is clamped to it.
pub const MAX_LIMIT: u64 = 100;

pub(crate) async fn list_collaborators(
    State(shared): State<Arc<Shared>>,
    request_number: Option<Extension<RequestNumber>>,
    organization: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Response {
    faulted(
        &shared,
        request_number,
        &headers,
        body,
        |_| match organization {
            Ok(Path(organization)) => list(
                &shared,
                &organization,
                query.as_deref().unwrap_or(""),
                &headers,
            ),
            Err(e) => responses::validation_failed(&e.body_text()),
        },
    )
    .await
}

/// The query's filters and paging.
#[derive(Default)]
struct ListQuery {
    page: Option<u64>,
    limit: Option<u64>,
    sort: Option<String>,
    role: Option<String>,
    email: Option<String>,
    tags: Vec<String>,
}

fn list(shared: &Shared, organization: &str, query: &str, headers: &HeaderMap) -> Response {
    if let Err(refused) = authorize(shared, headers, organization, OemFeature::NotNeeded) {
        return *refused;
    }
    let query = match parse(query) {
        Ok(query) => query,
        Err(detail) => return responses::validation_failed(&detail),
    };
    // Filtered and sorted by reference; only the page's collaborators are cloned, so a page costs
    // one pass over the organization, not a copy of it.
    let store = shared.store();
    let mut found: Vec<&Collaborator> = store
        .collaborators(organization)
        .filter(|c| query.role.as_ref().is_none_or(|role| &c.role == role))
        .filter(|c| {
            query.email.as_ref().is_none_or(|email| {
                let have = crate::store::email_of(c).to_lowercase();
                have.contains(&email.to_lowercase())
            })
        })
        .filter(|c| query.tags.iter().all(|tag| c.tags.contains(tag)))
        .collect();
    if let Some(sort) = &query.sort {
        let (field, descending) = match sort.rsplit_once(':') {
            Some((field, "desc")) => (field, true),
            Some((field, _)) => (field, false),
            None => (sort.as_str(), false),
        };
        if !field.is_empty() {
            found.sort_by_cached_key(|c| sort_key(c, field));
            if descending {
                found.reverse();
            }
        }
    }
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let page = query.page.unwrap_or(1);
    let total = found.len() as u64;
    let total_pages = total.div_ceil(limit).max(1);
    let start = ((page - 1).saturating_mul(limit)).min(total) as usize;
    let end = (start as u64 + limit).min(total) as usize;
    let mut data = CollaboratorPage::blank();
    data.items = found[start..end].iter().map(|c| (*c).clone()).collect();
    drop(store);
    data.total_docs = Some(total as i64);
    data.limit = Some(limit as i64);
    data.page = Some(page as i64);
    data.total_pages = Some(total_pages as i64);
    data.has_prev_page = Some(page > 1);
    data.has_next_page = Some(page < total_pages);
    data.prev_page = (page > 1).then(|| page as i64 - 1);
    data.next_page = (page < total_pages).then(|| page as i64 + 1);
    let mut envelope = CollaboratorListResponse::blank();
    envelope.status = true;
    envelope.data = data;
    responses::json(StatusCode::OK, &envelope)
}

/// The text of the collaborator's field at a dotted path (empty when missing), for sorting.
fn sort_key(collaborator: &Collaborator, path: &str) -> String {
    let json = serde_json::to_value(collaborator).unwrap_or_default();
    let value = path
        .split('.')
        .try_fold(&json, |value, name| value.get(name));
    match value {
        Some(serde_json::Value::String(text)) => text.clone(),
        Some(serde_json::Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// Reads the query's parameters, checking them with the spec's generated rules; a parameter
/// that breaks one is refused as the create endpoint refuses a bad body (assumed: 400 6001).
fn parse(query: &str) -> Result<ListQuery, String> {
    let mut parsed = ListQuery::default();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let (name, value) = (decode(name)?, decode(value)?);
        // Any integer the spec allows is taken: below 1 counts as 1 (and `limit` is clamped).
        let number = |value: &str| match value.parse::<i64>() {
            Ok(n) => Ok(n.max(1) as u64),
            Err(_) => Err(format!("{name} must be an integer")),
        };
        let checked = |problems: Vec<applivery_api::rules::Problem>| match problems.first() {
            Some(problem) => Err(format!("{} {}", problem.field, problem.message)),
            None => Ok(value.clone()),
        };
        match name.as_str() {
            "page" => parsed.page = Some(number(&value)?),
            "limit" => parsed.limit = Some(number(&value)?),
            "sort" => {
                parsed.sort = Some(checked(applivery_api::validation::sort_problems(&value))?)
            }
            "role" => {
                parsed.role = Some(checked(applivery_api::validation::role_problems(&value))?)
            }
            "email" => {
                parsed.email = Some(checked(applivery_api::validation::email_problems(&value))?)
            }
            "tags" | "tags[]" => parsed.tags.push(value),
            // Every collaborator the mock makes is a user.
            "onlyUsers" if matches!(value.as_str(), "true" | "false") => {}
            "onlyUsers" => return Err("onlyUsers must be true or false".into()),
            _ => {}
        }
    }
    Ok(parsed)
}

/// `application/x-www-form-urlencoded` decoding: `+` is a space, `%XX` a byte; UTF-8 required.
fn decode(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = text
                    .get(i + 1..i + 3)
                    .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                    .ok_or_else(|| format!("bad percent-encoding in the query: {text}"))?;
                out.push(hex);
                i += 2;
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| "the query is not UTF-8".into())
}
