//! CORS for browser pages on the origins [`crate::access`] allows (the admin page, users' dev
//! servers on loopback, origins named with `--allow-origin`): the headers name that origin, never
//! `*`.
//!
//! Hand-written rather than a tower-http layer: it is a few headers, and it has to sit in the
//! connection layer anyway, before request counting and faults.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use axum::response::Response;

/// Headers a browser may send; `Authorization` must be listed by name (a `*` does not cover it).
const ALLOWED_HEADERS: &str = "authorization, content-type, accept, x-mock-fault";

/// The answer to a CORS preflight, or `None` when `request` is not one. `origin` is the request's
/// `Origin` once [`crate::access::screen`] allowed it (a foreign one never gets here).
pub(crate) fn preflight<B>(request: &Request<B>, origin: Option<&HeaderValue>) -> Option<Response> {
    let headers = request.headers();
    if request.method() != Method::OPTIONS
        || !headers.contains_key(header::ACCESS_CONTROL_REQUEST_METHOD)
    {
        return None;
    }
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NO_CONTENT;
    let out = response.headers_mut();
    allow(out, origin);
    let Some(_) = origin else {
        return Some(response);
    };
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
    // Chrome's Private Network Access asks before a public page may call loopback: yes, for an
    // origin the user allowed.
    if headers.contains_key("access-control-request-private-network") {
        out.insert(
            "access-control-allow-private-network",
            HeaderValue::from_static("true"),
        );
    }
    Some(response)
}

/// The headers that let the page on `origin` read a response, including `Retry-After`; none
/// without an origin. `Vary: Origin`: the answer depends on it.
pub(crate) fn allow(headers: &mut HeaderMap, origin: Option<&HeaderValue>) {
    headers.append(header::VARY, HeaderValue::from_static("origin"));
    let Some(origin) = origin else {
        return;
    };
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("Retry-After, x-mock-detail"),
    );
}
