//! The mock's request handling through its router, with no sockets: any method, path, headers
//! (the `x-mock-fault` header included) and body, sent twice to one fresh mock (the second
//! time meets the first one's state: duplicates, queued faults).
//!
//! Input, like an HTTP/1 request head: `METHOD PATH\nName: value\n...\n\nBODY`.
#![no_main]

use std::sync::OnceLock;
use std::time::Duration;

use applivery_mock::in_process::InProcessMock;
use axum::body::Body;
use axum::http::{Method, Request};
use http_body_util::{BodyExt, Limited};
use libfuzzer_sys::fuzz_target;
use tokio::runtime::Runtime;

/// Longest answer body read; the `oversized` faults send more, which ends the read early.
const MAX_BODY: usize = 1024 * 1024;

fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        // Paused time advances by itself when every task waits: latencies and `hang` end at once.
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .expect("a runtime")
    })
}

fn request(data: &[u8]) -> Option<Request<Body>> {
    let (head, body) = match data.windows(2).position(|w| w == b"\n\n") {
        Some(at) => (&data[..at], &data[at + 2..]),
        None => (data, &[][..]),
    };
    let head = std::str::from_utf8(head).ok()?;
    let mut lines = head.split('\n');
    let (method, path) = lines.next()?.split_once(' ')?;
    let mut builder = Request::builder().method(method).uri(path);
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            builder = builder.header(name.trim(), value.trim());
        }
    }
    builder.body(Body::from(body.to_vec())).ok()
}

fuzz_target!(|data: &[u8]| {
    // Building fails for a bad method, URI or header: nothing a connection would accept either.
    let (Some(first), Some(second)) = (request(data), request(data)) else {
        return;
    };
    let checks_answer = !first.uri().path().starts_with("/__mock/")
        && !first.headers().contains_key(applivery_mock::FAULT_HEADER)
        && ![Method::OPTIONS, Method::HEAD].contains(first.method());
    let mock = InProcessMock::new(&applivery_mock::MockConfig::default()).expect("default config");
    runtime().block_on(async {
        for request in [first, second] {
            let answer =
                tokio::time::timeout(Duration::from_secs(3600), mock.handle(request)).await;
            let Ok(Some(response)) = answer else {
                assert!(!checks_answer, "no answer to a request without a fault");
                continue;
            };
            let status = response.status().as_u16();
            let retry_after = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let body = Limited::new(response.into_body(), MAX_BODY).collect().await;
            if !checks_answer {
                continue;
            }
            // Without a fault, every API answer is one the facade understands.
            let body = body.expect("a complete body").to_bytes();
            if let Err(error) = applivery::sans_io::classify(status, retry_after.as_deref(), &body) {
                assert_ne!(
                    error.kind(),
                    applivery::ErrorKind::InvalidResponse,
                    "the facade cannot read the mock's {status}: {error}"
                );
            }
        }
    });
});
