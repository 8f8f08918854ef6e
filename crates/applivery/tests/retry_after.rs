//! Retry-After is honoured. Alone in its test binary: it captures `tracing` output with a
//! thread-local subscriber, and `tracing` caches callsite interest process-wide, so a test on
//! another thread hitting the same callsites first could hide the events from it.

mod common;

use std::time::{Duration, Instant};

use applivery::NewOemUser;
use common::*;

#[tokio::test]
async fn retry_after_is_honoured() {
    let mock = mock().await;
    mock.push_faults(["status=429,retry-after=1"]);
    let (trace, _guard) = TraceCapture::start();
    let started = Instant::now();
    client(&mock)
        .create_oem_user(DEFAULT_ORG, NewOemUser::new(email()))
        .await
        .expect("the retry succeeds");
    // A lower bound only: the wait cannot have been shorter than what the server asked for.
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(mock.request_count(), 2);
    let text = trace.text();
    assert!(text.contains("backoff_ms=1000"), "{text}");
    assert!(text.contains("retrying"), "{text}");
    // The call span, closed with what happened.
    for field in [
        "applivery.create_oem_user",
        "organization=\"demo-org\"",
        "attempts=2",
        "status=200",
        "kind=\"ok\"",
        "duration_ms=",
        "applivery.attempt",
        "status=429",
    ] {
        assert!(text.contains(field), "{field} missing from: {text}");
    }
}
