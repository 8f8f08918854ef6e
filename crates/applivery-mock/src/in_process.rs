//! The mock without sockets: one request through the same router and per-connection handling a
//! TCP connection gets, and the test controls [`crate::MockServer`] has. For the fuzz target
//! `mock_request` (fuzz/) and the wasm build behind the npm package's `applivery-oem/mock`
//! (crates/applivery-mock-wasm), not a stable API.

use std::io;
use std::net::IpAddr;
use std::sync::Arc;

use applivery_api::types::{Collaborator, NewOemUser};
use axum::Router;
use axum::body::Body;
use axum::http::Request;
use axum::response::Response;

use crate::config::MockConfig;
use crate::fault::Fault;
use crate::service::{handle, router};
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

    /// The address a server in front of this mock listens on: its `Host` is accepted, as
    /// [`crate::MockServer`] accepts its own (for a server written around it, like the npm
    /// package's `npx applivery-oem mock`).
    pub fn set_bound(&self, ip: IpAddr) {
        self.shared.access.set_bound(ip);
    }

    /// As `GET /__mock/users`: the created collaborators, without secrets.
    pub fn users(&self, organization: Option<&str>) -> Vec<Collaborator> {
        self.shared.store().users(organization)
    }

    /// As `GET /__mock/requests`: the created users' request bodies.
    pub fn requests(&self, organization: Option<&str>) -> Vec<NewOemUser> {
        self.shared.store().requests(organization)
    }

    /// As `GET /__mock/oem-secrets`, as JSON: `[{organization, email, collaboratorId,
    /// oemSecret, refreshCount}]`. The one place the mock shows secrets.
    pub fn oem_secrets_json(&self, organization: Option<&str>) -> String {
        let secrets = self.shared.store().secrets(organization);
        serde_json::to_string(&secrets).unwrap_or_else(|_| "[]".into())
    }

    /// API requests received since start or the last reset.
    pub fn request_count(&self) -> u64 {
        self.shared.request_count()
    }

    /// Queues faults for the requests creating `email` (as `POST /__mock/faults?email=`), or
    /// for the next requests without one; all or none: `Err` names the bad spec.
    pub fn push_faults(&self, email: Option<&str>, specs: &[String]) -> Result<(), String> {
        let faults = specs
            .iter()
            .map(|spec| Fault::parse(spec).map_err(|e| format!("invalid fault spec `{spec}`: {e}")))
            .collect::<Result<Vec<_>, _>>()?;
        match email {
            Some(email) => self.shared.push_email_faults(email, faults),
            None => self.shared.push_faults(faults),
        }
        Ok(())
    }

    /// Forgets users, queued faults, the request count and the rate-limit window.
    pub fn reset(&self) {
        self.shared.reset();
    }
}
