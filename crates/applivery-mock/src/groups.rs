//! `listCollaboratorGroups` (`GET .../collaborators/groups`): the tags in use among the
//! organization's collaborators, each once, in order of first use.
//!
//! Applivery documents each value as at most 128 characters while a collaborator's tags have no
//! documented limit: the mock lists a longer tag as it is stored (the spec's `x-assumption`).

use applivery_api::types::{
    CollaboratorGroup, CollaboratorGroupList, CollaboratorGroupListResponse,
};
use axum::http::StatusCode;
use axum::response::Response;

use crate::responses;
use crate::router::ApiRequest;
use crate::state::Shared;

/// Once the token and the organization passed (router.rs).
pub(crate) fn list(shared: &Shared, call: &ApiRequest<'_>) -> Response {
    let mut values: Vec<String> = Vec::new();
    for collaborator in shared.store().collaborators(call.organization) {
        for tag in &collaborator.tags {
            if !values.contains(tag) {
                values.push(tag.clone());
            }
        }
    }
    let envelope = CollaboratorGroupListResponse {
        status: true,
        data: CollaboratorGroupList {
            items: values
                .into_iter()
                .map(|value| CollaboratorGroup { value })
                .collect(),
        },
    };
    responses::json(StatusCode::OK, &envelope)
}
