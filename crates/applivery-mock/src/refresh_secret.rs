//! `refreshOemUserSecret` (`PUT .../oem/users/{userId}/secret`): a new OEM secret for a user
//! the mock created; the old one is forgotten.

use axum::http::StatusCode;
use axum::response::Response;

use crate::errors;
use crate::responses;
use crate::router::ApiRequest;
use crate::state::Shared;

/// Once the token and the organization passed (an OEM operation: a blocked one is refused),
/// the user: its collaborator `id` or its `user.id` (the documentation does not say which
/// `userId` is).
pub(crate) fn refresh(shared: &Shared, call: &ApiRequest<'_>) -> Response {
    let user_id = call.path_args.first().map_or("", String::as_str);
    let refreshed = shared
        .store()
        .refresh_secret(call.organization, user_id, crate::ids::secret());
    match refreshed {
        Some((collaborator, oem_secret)) => responses::created(collaborator, oem_secret),
        None => responses::documented(StatusCode::NOT_FOUND, errors::ENTITY_NOT_FOUND),
    }
}
