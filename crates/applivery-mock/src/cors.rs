//! CORS for browser pages on any other origin (the admin page, users' dev servers).
//!
//! Hand-written rather than a tower-http layer: it is a few headers, and it has to sit in the
//! connection layer anyway, before request counting and faults.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use axum::response::Response;

/// Headers a browser may send; `Authorization` must be listed by name (a `*` does not cover it).
const ALLOWED_HEADERS: &str = "authorization, content-type, accept, x-mock-fault";

/// The answer to a CORS preflight, or `None` when `request` is not one.
pub(crate) fn preflight<B>(request: &Request<B>) -> Option<Response> {
    let headers = request.headers();
    if request.method() != Method::OPTIONS
        || !headers.contains_key(header::ACCESS_CONTROL_REQUEST_METHOD)
    {
        return None;
    }
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NO_CONTENT;
    let out = response.headers_mut();
    allow(out);
    out.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST, PUT, OPTIONS"),
    );
    out.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static(ALLOWED_HEADERS),
    );
    out.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
    // Chrome's Private Network Access asks before a public page may call loopback.
    if headers.contains_key("access-control-request-private-network") {
        out.insert(
            "access-control-allow-private-network",
            HeaderValue::from_static("true"),
        );
    }
    Some(response)
}

/// The headers every response carries so any origin can read it, including `Retry-After`.
pub(crate) fn allow(headers: &mut HeaderMap) {
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("Retry-After, x-mock-detail"),
    );
}
