//! `GET /v1/organizations/{organizationId}/collaborators/`: the collaborators the mock created
//! in the organization, filtered, sorted and paged as documented.
//!
//! Assumed where the documentation is silent (the spec's `x-assumption`s say the same): `limit`
//! defaults to 10 and is clamped to 1..=[`MAX_LIMIT`] (a `page` below 1 is page 1); `email` matches a substring ignoring case;
//! `tags` requires every tag given; without `sort` the order is creation order; a sort field
//! is a dotted path into the collaborator (`createdAt`, `user.email`), compared as text.

use applivery_api::request::{self, Query, Value};
use applivery_api::types::{Collaborator, CollaboratorListResponse, CollaboratorPage};
use axum::http::StatusCode;
use axum::response::Response;

use crate::responses;
use crate::router::ApiRequest;
use crate::state::Shared;

/// Collaborators per page when `limit` is not given.
pub const DEFAULT_LIMIT: u64 = 10;
/// The largest page: a larger `limit` is clamped to it.
pub const MAX_LIMIT: u64 = 100;

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

/// Once the token, the organization and the query passed the spec's rules (router.rs).
pub(crate) fn list(shared: &Shared, call: &ApiRequest<'_>) -> Response {
    let organization = call.organization;
    let query = ListQuery::from(call.query);
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

impl From<&Query> for ListQuery {
    /// The query's filters and paging, already checked by the spec's rules. Any integer the spec
    /// allows is taken: below 1 counts as 1 (and `limit` is clamped later).
    fn from(query: &Query) -> Self {
        let text = |wire: &str| match request::get(query, wire) {
            Some(Value::Text(text)) => Some(text.clone()),
            _ => None,
        };
        let number = |wire: &str| match request::get(query, wire) {
            Some(Value::Integer(n)) => Some((*n).max(1) as u64),
            _ => None,
        };
        ListQuery {
            page: number("page"),
            limit: number("limit"),
            sort: text("sort"),
            role: text("role"),
            email: text("email"),
            // Every collaborator the mock makes is a user: `onlyUsers` changes nothing.
            tags: match request::get(query, "tags") {
                Some(Value::TextList(tags)) => tags.clone(),
                _ => Vec::new(),
            },
        }
    }
}
