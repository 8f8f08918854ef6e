//! `PUT /v1/organizations/{organizationId}/oem/users/{userId}/secret`: a new OEM secret for a
//! user the mock created; the old one is forgotten.

use std::sync::Arc;

use axum::Extension;
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use crate::endpoint::{OemFeature, RequestNumber, authorize, faulted};
use crate::errors;
use crate::responses;
use crate::state::Shared;

pub(crate) async fn refresh_oem_user_secret(
    State(shared): State<Arc<Shared>>,
    request_number: Option<Extension<RequestNumber>>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    faulted(&shared, request_number, &headers, body, |_| match path {
        Ok(Path((organization, user_id))) => refresh(&shared, &organization, &user_id, &headers),
        Err(e) => responses::validation_failed(&e.body_text()),
    })
    .await
}

/// Token, organization (an OEM endpoint: a blocked one is refused), then the user: its
/// collaborator `id` or its `user.id` (the documentation does not say which `userId` is).
fn refresh(shared: &Shared, organization: &str, user_id: &str, headers: &HeaderMap) -> Response {
    if let Err(refused) = authorize(shared, headers, organization, OemFeature::Needed) {
        return *refused;
    }
    let refreshed = shared
        .store()
        .refresh_secret(organization, user_id, crate::ids::secret());
    match refreshed {
        Some((collaborator, oem_secret)) => responses::created(collaborator, oem_secret),
        None => responses::documented(StatusCode::NOT_FOUND, errors::ENTITY_NOT_FOUND),
    }
}
