//! [`MockServer`]: a running mock, controlled from the test that started it.

use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use applivery_api::types::Collaborator;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::config::MockConfig;
use crate::fault::Fault;
use crate::state::Shared;
use crate::{server, service};

/// A mock server listening on a real TCP port. Dropping it stops it (like [`MockServer::shutdown`],
/// without waiting).
pub struct MockServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl MockServer {
    /// Starts a mock on `127.0.0.1` with an ephemeral port. Needs a tokio runtime.
    ///
    /// Fails with [`io::ErrorKind::InvalidInput`] on an invalid periodic fault spec or a rate
    /// limit of 0.
    pub async fn start(config: MockConfig) -> io::Result<MockServer> {
        MockServer::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), config).await
    }

    /// Starts a mock listening on `addr` (port 0 picks a free one).
    pub async fn bind(addr: SocketAddr, config: MockConfig) -> io::Result<MockServer> {
        let shared = Arc::new(Shared::new(&config)?);
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        shared.access.set_bound(addr.ip());
        let app = service::router(shared.clone());
        let task = tokio::spawn(server::accept_loop(listener, app, shared.clone()));
        Ok(MockServer { addr, shared, task })
    }

    /// The address it listens on, with the actual port.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash: the SDK's base URL.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The collaborators created since start or the last reset, in creation order. Their OEM
    /// secrets are not in them: see [`MockServer::oem_secret`].
    pub fn users(&self) -> Vec<Collaborator> {
        self.shared.store().users(None)
    }

    /// The request bodies of the users created since start or the last reset, in creation
    /// order: every property the client sent, including those the answer does not echo.
    pub fn requests(&self) -> Vec<applivery_api::types::NewOemUser> {
        self.shared.store().requests(None)
    }

    /// The OEM secret the mock gave the user with this email (compared case-insensitively) in
    /// this organization (as addressed in the request path), if it created one.
    pub fn oem_secret(&self, organization: &str, email: &str) -> Option<String> {
        self.shared
            .store()
            .secrets(Some(organization))
            .into_iter()
            .find(|stored| stored.email.eq_ignore_ascii_case(email))
            .map(|stored| stored.oem_secret)
    }

    /// API requests received since start or the last reset, whatever their outcome; requests
    /// to `/__mock/*` and CORS preflights are not counted.
    pub fn request_count(&self) -> u64 {
        self.shared.request_count()
    }

    /// Queues faults (see the crate docs for the spec), each consumed by the next API request.
    ///
    /// # Panics
    ///
    /// On an invalid spec, naming it: that is a mistake in the test. Check specs from elsewhere
    /// with [`crate::validate_fault_spec`].
    pub fn push_faults(&self, specs: impl IntoIterator<Item = impl Into<String>>) {
        let faults: Vec<Fault> = specs
            .into_iter()
            .map(|spec| {
                let spec = spec.into();
                Fault::parse(&spec).unwrap_or_else(|e| panic!("invalid fault spec `{spec}`: {e}"))
            })
            .collect();
        self.shared.push_faults(faults);
    }

    /// Queues faults for the requests creating `email` (case-insensitive), each consumed by the
    /// next such request: tests sharing one server target only their own calls. They apply
    /// before the shared queue's ([`Self::push_faults`]) and after the `x-mock-fault` header's.
    ///
    /// # Panics
    ///
    /// On an invalid spec, naming it.
    pub fn fault_for_email(&self, email: &str, specs: impl IntoIterator<Item = impl Into<String>>) {
        let faults: Vec<Fault> = specs
            .into_iter()
            .map(|spec| {
                let spec = spec.into();
                Fault::parse(&spec).unwrap_or_else(|e| panic!("invalid fault spec `{spec}`: {e}"))
            })
            .collect();
        self.shared.push_email_faults(email, faults);
    }

    /// Forgets users, queued faults, the request count and the rate-limit window.
    pub fn reset(&self) {
        self.shared.reset();
    }

    /// Stops accepting, ends every open connection, and waits until the port is released.
    pub async fn shutdown(mut self) {
        self.task.abort();
        let _ = (&mut self.task).await;
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}
