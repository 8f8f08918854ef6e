//! One request as a connection serves it, without the connection: the access screen, CORS, the
//! request count, then the routes. The same for the TCP server (server.rs), the in-process mock
//! (in_process.rs) and the wasm build behind `applivery-oem/mock`.

use std::fmt;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use axum::response::Response;
use axum::routing::{get, post};
use tower::ServiceExt;

use crate::endpoint::RequestNumber;
use crate::responses::DropConnection;
use crate::state::Shared;
use crate::{access, admin, cors, router};

/// Prefix of the test-only routes, which neither count as API requests nor take faults.
const MOCK_PREFIX: &str = "/__mock/";

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    // The API's operations come from the spec's table (router.rs), as the fallback of the
    // test routes.
    Router::new()
        .route("/__mock/users", get(admin::users))
        .route("/__mock/requests", get(admin::requests))
        .route("/__mock/oem-secrets", get(admin::oem_secrets))
        .route("/__mock/reset", post(admin::reset))
        .route("/__mock/faults", post(admin::push_faults))
        .route("/__mock/health", get(admin::health))
        .fallback(router::api)
        .method_not_allowed_fallback(admin::method_not_allowed)
        .with_state(shared)
}

/// The request's connection must close without a response (`drop`, or `hang` once it ends):
/// returning it makes hyper close the connection; `fetch` in the wasm build rejects.
#[derive(Debug)]
pub(crate) struct ConnectionDroppedByFault;

impl fmt::Display for ConnectionDroppedByFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped by the `drop` fault")
    }
}

impl std::error::Error for ConnectionDroppedByFault {}

/// One request as a connection serves it (generic over the body so that
/// [`crate::in_process`] can call it without a socket).
pub(crate) async fn handle<B>(
    request: Request<B>,
    app: Router,
    shared: Arc<Shared>,
) -> Result<Response, ConnectionDroppedByFault>
where
    B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    let allowed = match access::screen(&request, &shared.access) {
        Ok(allowed) => allowed,
        Err(refused) => return Ok(refused.response()),
    };
    if let Some(preflight) = cors::preflight(&request, allowed.origin.as_ref()) {
        return Ok(preflight);
    }
    let mut request = request.map(Body::new);
    if !request.uri().path().starts_with(MOCK_PREFIX) {
        let number = shared.count_request();
        request.extensions_mut().insert(RequestNumber(number));
    }
    let mut response = match app.oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    if response.extensions().get::<DropConnection>().is_some() {
        return Err(ConnectionDroppedByFault);
    }
    cors::allow(response.headers_mut(), allowed.origin.as_ref());
    Ok(response)
}
