//! `createOemUser`, and what every operation goes through: faults and limits ([`faulted`]),
//! the token and the organization ([`authorize`]).

use applivery_api::types::{Collaborator, NewOemUser, OemUser};
use axum::Extension;
use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt;

use crate::errors;
use crate::fault::{Fault, FaultKind};
use crate::responses;
use crate::router::ApiRequest;
use crate::state::Shared;
use crate::validation::parse_new_user;

/// The request header that injects a fault into one request.
pub const FAULT_HEADER: &str = "x-mock-fault";

/// Largest request body read; a real one is a few hundred bytes.
const MAX_REQUEST_BYTES: usize = 1024 * 1024;

/// The role of a created collaborator: one of the documented collaborator roles (owner, admin,
/// editor, viewer, unassigned). Which one Applivery gives an OEM user is not documented; the
/// mock assumes `unassigned`.
pub const COLLABORATOR_ROLE: &str = "unassigned";

/// The platform role of a created OEM user: `user`, one of the documented user roles.
pub const USER_ROLE: &str = "user";

/// The 1-based number of an API request since start or reset, set by the connection layer.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RequestNumber(pub(crate) u64);

/// What every API endpoint of the mock goes through around its own `answer`: the body size
/// limit, the rate limit, the latency, and the faults (of the header, the queue, the email, the
/// period), before or after the answer is made.
pub(crate) async fn faulted(
    shared: &Shared,
    request_number: Option<Extension<RequestNumber>>,
    headers: &HeaderMap,
    body: Body,
    answer: impl FnOnce(&[u8]) -> Response,
) -> Response {
    let Some(body) = read_body(body).await else {
        let mut response = responses::validation_failed("body is larger than 1 MiB");
        *response.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
        return response;
    };
    let header_fault = match headers.get(FAULT_HEADER).map(|v| v.to_str()) {
        None => Fault::default(),
        Some(Ok(spec)) => match Fault::parse(spec) {
            Ok(fault) => fault,
            Err(e) => return invalid_fault_header(e.to_string()),
        },
        Some(Err(_)) => return invalid_fault_header("not visible ASCII".into()),
    };
    // The rate limit counts arrivals, so it is checked before any delay.
    let rate_limited = shared.rate_limiter.as_ref().map(|l| l.check());
    if let Some(latency) = shared.latency {
        crate::platform::sleep(latency).await;
    }
    if let Some(Err(retry_after)) = rate_limited {
        return responses::rate_limited(retry_after);
    }
    let n = request_number.map_or(0, |Extension(RequestNumber(n))| n);
    let fault = shared.fault_for(header_fault, n, &body);
    if !fault.happens_after_create()
        && let Some(response) = apply(&fault).await
    {
        return response;
    }
    let response = answer(&body);
    if fault.happens_after_create()
        && let Some(faulty) = apply(&fault).await
    {
        return faulty;
    }
    response
}

/// The whole body, or `None` past [`MAX_REQUEST_BYTES`] (or when the client stops mid-body,
/// in which case nobody reads the answer). An oversized body is still drained (up
/// to a cap) so the 413 reaches the client: closing a socket with unread input sends a TCP reset,
/// which can destroy the response before the client reads it.
async fn read_body(mut body: Body) -> Option<Bytes> {
    const DRAIN_CAP: usize = 64 * 1024 * 1024;
    let mut kept = BytesMut::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else { return None };
        if let Ok(data) = frame.into_data() {
            seen += data.len();
            if seen <= MAX_REQUEST_BYTES {
                kept.extend_from_slice(&data);
            } else if seen > DRAIN_CAP {
                break;
            }
        }
    }
    (seen <= MAX_REQUEST_BYTES).then(|| kept.freeze())
}

/// Waits the fault's latency, then gives its replacement answer, if it has one.
async fn apply(fault: &Fault) -> Option<Response> {
    if let Some(latency) = fault.latency {
        crate::platform::sleep(latency).await;
    }
    if fault.kind == Some(FaultKind::Hang) {
        std::future::pending::<()>().await;
    }
    fault.replaces_response().then(|| responses::faulty(fault))
}

fn invalid_fault_header(why: String) -> Response {
    responses::error(
        StatusCode::BAD_REQUEST,
        errors::MOCK_REQUEST_CODE,
        format!("invalid {FAULT_HEADER} header: {why}"),
    )
}

/// `createOemUser` once the token and the organization passed (router.rs): the body by the
/// same generated rules as the SDK's, then the email's uniqueness.
pub(crate) fn create(shared: &Shared, call: &ApiRequest<'_>) -> Response {
    let (organization, token) = (call.organization, call.token);
    let user = match parse_new_user(call.body) {
        Ok(user) => user,
        Err(detail) => return responses::validation_failed(&detail),
    };
    let collaborator = new_collaborator(organization, token, &user);
    let oem_secret = crate::ids::secret();
    match shared
        .store()
        .insert(organization, user, &collaborator, &oem_secret)
    {
        Ok(()) => responses::created(collaborator, oem_secret),
        Err(_) => responses::documented(StatusCode::FORBIDDEN, errors::ALREADY_REGISTERED),
    }
}

/// Whether an endpoint is one of the OEM platform feature's (refused for a blocked organization).
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum OemFeature {
    Needed,
    NotNeeded,
}

/// The checks every endpoint starts with, in Applivery's order: the token (401 4002 or 4004),
/// the organization id's pattern, a blocked organization (400 5187, for OEM endpoints) and an
/// unknown one (404 3001). The accepted token, or the answer that refuses the request.
pub(crate) fn authorize<'h>(
    shared: &Shared,
    headers: &'h HeaderMap,
    organization: Option<&str>,
    feature: OemFeature,
) -> Result<&'h str, Box<Response>> {
    let Some(token) = bearer_token(headers) else {
        return Err(Box::new(responses::documented(
            StatusCode::UNAUTHORIZED,
            errors::NO_AUTH_TOKEN,
        )));
    };
    if !shared.api_keys.contains(token) {
        return Err(Box::new(responses::documented(
            StatusCode::UNAUTHORIZED,
            errors::INVALID_TOKEN,
        )));
    }
    let Some(organization) = organization else {
        return Ok(token);
    };
    if let Some(problem) = applivery_api::validation::organization_id_problems(organization).first()
    {
        return Err(Box::new(responses::validation_failed(&format!(
            "{} {}",
            problem.field, problem.message
        ))));
    }
    if feature == OemFeature::Needed && shared.blocked_orgs.contains(organization) {
        return Err(Box::new(responses::documented(
            StatusCode::BAD_REQUEST,
            errors::FEATURE_BLOCKED,
        )));
    }
    if !shared.orgs.contains(organization) {
        return Err(Box::new(responses::documented(
            StatusCode::NOT_FOUND,
            errors::ENTITY_NOT_FOUND,
        )));
    }
    Ok(token)
}

/// The token of `Authorization: Bearer <token>`; `None` when missing or malformed.
fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() && !token.contains(' '))
        .then_some(token)
}

/// A complete collaborator as Applivery documents it, echoing the input: 24-hex ids for itself,
/// its user, its organization and its creator (the service account behind `token`). A property
/// the mock has no value of its own for gets the spec's `example`, if the spec gives one.
fn new_collaborator(organization: &str, token: &str, user: &NewOemUser) -> Collaborator {
    let now = crate::timestamp::now_iso8601();
    let mut collaborator = Collaborator::blank();
    collaborator.id = crate::ids::object_id();
    collaborator.organization = crate::ids::organization_object_id(organization);
    collaborator.role = COLLABORATOR_ROLE.into();
    collaborator.tags = user.tags.clone();
    let mut account = OemUser::blank();
    account.id = Some(crate::ids::object_id());
    account.email = Some(user.email.clone());
    account.first_name = user.first_name.clone();
    account.last_name = user.last_name.clone();
    account.role = Some(USER_ROLE.into());
    account.sso_user = Some(false.into());
    collaborator.user = Some(with_examples(account));
    collaborator.created_by = Some(crate::ids::stable_object_id("service-account", token));
    collaborator.created_at = Some(now.clone());
    collaborator.updated_at = Some(now);
    with_examples(collaborator)
}

/// `value` with each property it leaves empty set to the spec's `example`, where there is one.
fn with_examples<T: serde::Serialize + serde::de::DeserializeOwned + HasFields>(value: T) -> T {
    let examples = T::FIELDS.iter().filter_map(|f| Some((f.name, f.example?)));
    let mut json = match serde_json::to_value(&value) {
        Ok(serde_json::Value::Object(json)) => json,
        _ => return value,
    };
    let mut changed = false;
    for (name, example) in examples {
        if json.get(name).is_none_or(serde_json::Value::is_null)
            && let Ok(example) = serde_json::from_str(example)
        {
            json.insert(name.to_owned(), example);
            changed = true;
        }
    }
    if !changed {
        return value;
    }
    serde_json::from_value(json.into()).unwrap_or(value)
}

/// The generated types whose answers the mock fills.
trait HasFields {
    const FIELDS: &'static [applivery_api::shape::Field];
}

impl HasFields for Collaborator {
    const FIELDS: &'static [applivery_api::shape::Field] = Collaborator::FIELDS;
}

impl HasFields for OemUser {
    const FIELDS: &'static [applivery_api::shape::Field] = OemUser::FIELDS;
}
