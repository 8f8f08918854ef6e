//! Shared helpers of the integration tests: a mock per test and clients pointed at it.

#![allow(dead_code, unused_imports)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use applivery::{Client, ClientBuilder, RetryPolicy};
pub use applivery_mock::{
    DEFAULT_API_KEY, DEFAULT_BLOCKED_ORG, DEFAULT_ORG, MockConfig, MockServer,
};

/// A mock with the default configuration (key `mock-api-key`, org `demo-org`).
pub async fn mock() -> MockServer {
    MockServer::start(MockConfig::default())
        .await
        .expect("the mock starts")
}

/// Fast retries so that tests spend no time waiting on backoff (Retry-After still applies).
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(5))
}

/// A builder pointed at the mock with its key, fast retries and a short timeout.
pub fn builder(mock: &MockServer) -> ClientBuilder {
    Client::builder()
        .api_key(DEFAULT_API_KEY)
        .base_url(mock.base_url())
        .retry_policy(fast_retries())
        .timeout(Duration::from_millis(1500))
}

pub fn client(mock: &MockServer) -> Client {
    builder(mock).build().expect("the client builds")
}

/// A fresh email per call, so tests never collide on 4009 by accident.
pub fn email() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "user{}-{}@example.com",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// How many users the mock holds with this email.
pub fn users_with_email(mock: &MockServer, email: &str) -> usize {
    mock.users()
        .iter()
        .filter(|c| {
            c.user
                .as_ref()
                .and_then(|u| u.email.as_deref())
                .is_some_and(|e| e.eq_ignore_ascii_case(email))
        })
        .count()
}

/// An address on loopback where nothing listens: connections are refused.
pub fn refused_base_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    format!("http://{addr}")
}

/// Everything `tracing` writes while the guard lives, as text (current thread only: use it with
/// the default single-threaded `#[tokio::test]` runtime).
#[derive(Clone, Default)]
pub struct TraceCapture(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl TraceCapture {
    pub fn start() -> (TraceCapture, tracing::subscriber::DefaultGuard) {
        let capture = TraceCapture::default();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(capture.clone())
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .with_ansi(false)
            .finish();
        let guard = tracing::subscriber::set_default(subscriber);
        (capture, guard)
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl std::io::Write for TraceCapture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for TraceCapture {
    type Writer = TraceCapture;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}
