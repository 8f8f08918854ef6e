//! The mock without sockets: one request through the same router and per-connection handling a
//! TCP connection gets. For the fuzz target `mock_request` (fuzz/), not a stable API.

use std::io;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use axum::response::Response;

use crate::config::MockConfig;
use crate::server::{handle, router};
use crate::state::Shared;

/// A mock server's state and routes, served in-process.
pub struct InProcessMock {
    app: Router,
    shared: Arc<Shared>,
}

impl InProcessMock {
    /// Checks `config` as [`crate::MockServer`] does (a bad periodic fault is an error).
    pub fn new(config: &MockConfig) -> io::Result<InProcessMock> {
        let shared = Arc::new(Shared::new(config)?);
        Ok(InProcessMock {
            app: router(shared.clone()),
            shared,
        })
    }

    /// The response a connection would write, or `None` when a fault closes the connection
    /// without one. A `hang` fault never completes: callers bound it with a timeout.
    pub async fn handle(&self, request: Request<Body>) -> Option<Response> {
        handle(request, self.app.clone(), self.shared.clone())
            .await
            .ok()
    }
}
