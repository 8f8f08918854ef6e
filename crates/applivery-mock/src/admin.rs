//! `/__mock/*`: what tests and demos use to look inside and steer the mock.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use crate::errors;
use crate::fault::Fault;
use crate::responses;
use crate::state::Shared;

#[derive(Deserialize)]
pub(crate) struct UsersQuery {
    organization: Option<String>,
}

/// `GET /__mock/users[?organization=ID]`: the created collaborators, in creation order.
pub(crate) async fn users(
    State(shared): State<Arc<Shared>>,
    query: Result<Query<UsersQuery>, QueryRejection>,
) -> Response {
    let organization = match query {
        Ok(Query(query)) => query.organization,
        Err(e) => return bad_query(e),
    };
    let users = shared.store().users(organization.as_deref());
    responses::json(StatusCode::OK, &users)
}

/// `GET /__mock/requests[?organization=ID]`: the request bodies of the created users, in
/// creation order (every property sent, including those the answer does not echo).
pub(crate) async fn requests(
    State(shared): State<Arc<Shared>>,
    query: Result<Query<UsersQuery>, QueryRejection>,
) -> Response {
    match query {
        Ok(Query(query)) => {
            let requests = shared.store().requests(query.organization.as_deref());
            responses::json(StatusCode::OK, &requests)
        }
        Err(e) => bad_query(e),
    }
}

/// `GET /__mock/oem-secrets[?organization=ID]`: `{organization, email, collaboratorId,
/// oemSecret, refreshCount}` of every created user, for tests that check the secret a client
/// received and how many times it was refreshed. The only place the mock shows a secret.
pub(crate) async fn oem_secrets(
    State(shared): State<Arc<Shared>>,
    query: Result<Query<UsersQuery>, QueryRejection>,
) -> Response {
    match query {
        Ok(Query(query)) => {
            let secrets = shared.store().secrets(query.organization.as_deref());
            responses::json(StatusCode::OK, &secrets)
        }
        Err(e) => bad_query(e),
    }
}

fn bad_query(e: QueryRejection) -> Response {
    responses::error(
        StatusCode::BAD_REQUEST,
        errors::MOCK_REQUEST_CODE,
        e.body_text(),
    )
}

/// `POST /__mock/reset`: forget users, queued faults and the request count.
pub(crate) async fn reset(State(shared): State<Arc<Shared>>) -> Response {
    shared.reset();
    responses::json(StatusCode::OK, &json!({ "status": true }))
}

#[derive(Deserialize)]
pub(crate) struct FaultsQuery {
    email: Option<String>,
}

/// `POST /__mock/faults` with a JSON array of fault specs: queue them, each for one request
/// (with `?email=ADDR`, for one request creating that email). All or nothing: one invalid spec
/// queues none.
pub(crate) async fn push_faults(
    State(shared): State<Arc<Shared>>,
    query: Result<Query<FaultsQuery>, QueryRejection>,
    body: Bytes,
) -> Response {
    let bad_request = |message: String| {
        responses::error(StatusCode::BAD_REQUEST, errors::MOCK_REQUEST_CODE, message)
    };
    let specs: Vec<String> = match serde_json::from_slice(&body) {
        Ok(specs) => specs,
        Err(e) => return bad_request(format!("body must be a JSON array of fault specs: {e}")),
    };
    let email = match query {
        Ok(Query(query)) => query.email,
        Err(e) => return bad_request(e.body_text()),
    };
    let faults: Result<Vec<Fault>, _> = specs.iter().map(|s| Fault::parse(s)).collect();
    match faults {
        Ok(faults) => {
            let queued = faults.len();
            match email {
                Some(email) => shared.push_email_faults(&email, faults),
                None => shared.push_faults(faults),
            }
            responses::json(StatusCode::OK, &json!({ "status": true, "queued": queued }))
        }
        Err(e) => bad_request(e.to_string()),
    }
}

/// `GET /__mock/health`: for scripts waiting until the mock is up.
pub(crate) async fn health() -> Response {
    responses::json(StatusCode::OK, &json!({ "status": true }))
}

/// Any other route: 404 in the documented envelope.
pub(crate) async fn not_found() -> Response {
    responses::documented(StatusCode::NOT_FOUND, errors::ENTITY_NOT_FOUND)
}

/// A known route with the wrong method: 405 in the documented envelope.
pub(crate) async fn method_not_allowed() -> Response {
    responses::error(StatusCode::METHOD_NOT_ALLOWED, 405, "Method not allowed")
}
