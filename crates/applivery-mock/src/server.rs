//! The HTTP server: an accept loop serving each connection with hyper, routes with axum.
//!
//! Connections are served by hand (not `axum::serve`) so that a fault can close one without
//! any response, and so that shutdown can end every connection, hanging ones included.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use axum::response::Response;
use axum::routing::{get, post};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
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

/// Accepts until the task is aborted; aborting drops the [`JoinSet`], which ends every connection.
pub(crate) async fn accept_loop(listener: TcpListener, app: Router, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve_connection(stream, app.clone(), shared.clone()));
                }
                // Out of file descriptors and the like: pause instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn serve_connection(stream: TcpStream, app: Router, shared: Arc<Shared>) {
    // Responses are small and written whole: send them now, not after Nagle's delay.
    let _ = stream.set_nodelay(true);
    let service =
        service_fn(move |request: Request<Incoming>| handle(request, app.clone(), shared.clone()));
    // An error here is a client hanging up or a fault closing the connection: nothing to do.
    let _ = http1::Builder::new()
        .timer(TokioTimer::new())
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

/// Returning an error makes hyper close the connection without writing a response.
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
