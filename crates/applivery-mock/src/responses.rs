//! Every response body the mock writes: the documented envelopes and the faulty answers.

use std::io;
use std::pin::Pin;
use std::sync::LazyLock;
use std::task::{Context, Poll};
use std::time::Duration;

use applivery_api::types::{
    Collaborator, CreateOemUserData, CreateOemUserResponse, ErrorDetail, ErrorResponse, OemUser,
};
use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;
use http_body::{Frame, SizeHint};
use serde::Serialize;

use crate::fault::{Fault, FaultKind};

/// Marks a response the connection layer must not send: it closes the connection instead.
#[derive(Clone, Copy, Debug)]
pub(crate) struct DropConnection;

/// `body` as JSON with `status`.
pub(crate) fn json(status: StatusCode, body: &impl Serialize) -> Response {
    let bytes = serde_json::to_vec(body).expect("wire types always serialize");
    with_body(status, "application/json", Body::from(bytes))
}

/// The documented error envelope: `{"status":false,"error":{"code":..,"message":..}}`.
pub(crate) fn error(status: StatusCode, code: i64, message: impl Into<String>) -> Response {
    json(
        status,
        &ErrorResponse {
            status: Some(false),
            error: Some(ErrorDetail {
                code: Some(code),
                message: Some(message.into()),
            }),
        },
    )
}

/// One of the documented `(code, message)` errors.
pub(crate) fn documented(status: StatusCode, (code, message): (i64, &str)) -> Response {
    error(status, code, message)
}

/// 200 with the created collaborator and its OEM secret in the success envelope.
pub(crate) fn created(collaborator: Collaborator, oem_secret: String) -> Response {
    let mut envelope = success_envelope(collaborator);
    envelope.data.oem_secret = Some(oem_secret);
    json(StatusCode::OK, &envelope)
}

/// The header in which the mock says why it refused a request as invalid.
pub const DETAIL_HEADER: &str = "x-mock-detail";

/// 400 6001 "Database Validation Error" (see [`errors::DATABASE_VALIDATION`]), with `detail` (which
/// field, what is wrong) in the [`DETAIL_HEADER`] header, as visible ASCII.
///
/// [`errors::DATABASE_VALIDATION`]: crate::errors::DATABASE_VALIDATION
pub(crate) fn validation_failed(detail: &str) -> Response {
    let mut response = documented(StatusCode::BAD_REQUEST, crate::errors::DATABASE_VALIDATION);
    let visible: String = detail
        .chars()
        .take(1000)
        .map(|c| {
            if c == ' ' || c.is_ascii_graphic() {
                c
            } else {
                '?'
            }
        })
        .collect();
    if let Ok(value) = HeaderValue::from_str(&visible) {
        response.headers_mut().insert(DETAIL_HEADER, value);
    }
    response
}

/// 429 from the rate limit.
pub(crate) fn rate_limited(retry_after: u64) -> Response {
    let mut response = error(
        StatusCode::TOO_MANY_REQUESTS,
        429,
        "Too many requests (applivery-mock rate limit)",
    );
    set_retry_after(&mut response, retry_after);
    response
}

/// The answer a fault gives instead of the normal one (`hang` is handled by the caller).
pub(crate) fn faulty(fault: &Fault) -> Response {
    let status = |default: StatusCode| {
        fault
            .status
            .and_then(|s| StatusCode::from_u16(s).ok())
            .unwrap_or(default)
    };
    let mut response = match fault.kind {
        Some(FaultKind::Html) => with_body(
            status(StatusCode::BAD_GATEWAY),
            "text/html; charset=utf-8",
            Body::from(HTML_ERROR_PAGE),
        ),
        Some(FaultKind::MalformedJson) => with_body(
            status(StatusCode::OK),
            "application/json",
            Body::from(MALFORMED_JSON),
        ),
        Some(FaultKind::TruncatedJson) => {
            let full = serde_json::to_vec(&success_envelope(sample_collaborator()))
                .expect("wire types always serialize");
            let body = CutShort {
                first_half: Some(Bytes::copy_from_slice(&full[..full.len() / 2])),
                full_len: full.len() as u64,
                pause: None,
            };
            with_body(status(StatusCode::OK), "application/json", Body::new(body))
        }
        Some(FaultKind::Oversized) => with_body(
            status(StatusCode::OK),
            "application/json",
            Body::from(OVERSIZED_BODY.clone()),
        ),
        Some(FaultKind::OversizedChunked) => with_body(
            status(StatusCode::OK),
            "application/json",
            Body::new(Chunked(OVERSIZED_BODY.clone())),
        ),
        Some(FaultKind::Drop | FaultKind::Hang) => {
            let mut response = Response::new(Body::empty());
            response.extensions_mut().insert(DropConnection);
            response
        }
        None => {
            let status = status(StatusCode::INTERNAL_SERVER_ERROR);
            let code = fault.code.unwrap_or(i64::from(status.as_u16()));
            let reason = status.canonical_reason().unwrap_or("Error");
            error(status, code, format!("{reason} (applivery-mock fault)"))
        }
    };
    let status = response.status();
    let default_retry_after = (status == StatusCode::TOO_MANY_REQUESTS
        || status == StatusCode::SERVICE_UNAVAILABLE)
        .then_some(1);
    if let Some(seconds) = fault.retry_after.or(default_retry_after) {
        set_retry_after(&mut response, seconds);
    }
    response
}

fn set_retry_after(response: &mut Response, seconds: u64) {
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
}

fn with_body(status: StatusCode, content_type: &'static str, body: Body) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

fn success_envelope(collaborator: Collaborator) -> CreateOemUserResponse {
    CreateOemUserResponse {
        status: true,
        data: CreateOemUserData {
            collaborator,
            oem_secret: None,
        },
    }
}

/// A plausible collaborator for faulty bodies that must look like a success.
fn sample_collaborator() -> Collaborator {
    let mut collaborator = Collaborator::blank();
    collaborator.id = "000000000000000000000000".into();
    collaborator.organization = crate::ids::organization_object_id(crate::DEFAULT_ORG);
    collaborator.role = crate::endpoint::COLLABORATOR_ROLE.into();
    collaborator.user = Some(OemUser {
        email: Some("user@example.com".into()),
        ..OemUser::default()
    });
    collaborator.created_by = Some("000000000000000000000000".into());
    collaborator.created_at = Some("2026-01-01T00:00:00.000Z".into());
    collaborator.updated_at = Some("2026-01-01T00:00:00.000Z".into());
    collaborator
}

const HTML_ERROR_PAGE: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

const MALFORMED_JSON: &str = r#"{"status":true,"data":{"collaborator":{id: 'not json', }}"#;

/// Size of the `oversized` body: far above any client's sane limit (the SDK refuses > 1 MiB).
pub(crate) const OVERSIZED_BYTES: usize = 8 * 1024 * 1024;

/// Built once: a valid success envelope padded to 8 MiB with an extra field.
static OVERSIZED_BODY: LazyLock<Bytes> = LazyLock::new(|| {
    let mut collaborator = sample_collaborator();
    collaborator.extra.insert(
        "padding".into(),
        serde_json::Value::String("x".repeat(OVERSIZED_BYTES)),
    );
    Bytes::from(serde_json::to_vec(&success_envelope(collaborator)).expect("serializes"))
});

/// A body sent in 64 KiB chunks with no announced length, so hyper uses chunked encoding.
struct Chunked(Bytes);

impl http_body::Body for Chunked {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let rest = &mut self.0;
        if rest.is_empty() {
            return Poll::Ready(None);
        }
        let chunk = rest.split_to(rest.len().min(64 * 1024));
        Poll::Ready(Some(Ok(Frame::data(chunk))))
    }
}

/// A body that announces `full_len` bytes, sends half, pauses so the half is flushed, then fails:
/// hyper then closes the connection mid-body, which is what a truncated response looks like.
struct CutShort {
    first_half: Option<Bytes>,
    full_len: u64,
    pause: Option<Pin<Box<dyn Future<Output = ()> + Send>>>,
}

impl http_body::Body for CutShort {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        if let Some(half) = self.first_half.take() {
            return Poll::Ready(Some(Ok(Frame::data(half))));
        }
        let pause = self
            .pause
            .get_or_insert_with(|| Box::pin(crate::platform::sleep(Duration::from_millis(20))));
        std::task::ready!(pause.as_mut().poll(cx));
        Poll::Ready(Some(Err(io::Error::new(
            io::ErrorKind::ConnectionAborted,
            "truncated-json fault",
        ))))
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.full_len)
    }
}
