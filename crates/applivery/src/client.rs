//! The async client: builder, configuration, and the retrying `create_oem_user`.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tracing::Instrument;
use tracing::field::Empty;

use crate::base_url::{DEFAULT_BASE_URL, validate_base_url};
use crate::collaborator::Collaborator;
use crate::error::Error;
use crate::new_user::{NewOemUser, validate_request};
use crate::platform::{Stopwatch, random_unit, sleep};
use crate::retry::{RetryPolicy, RetryState, Step};
use crate::secret::Secret;
use crate::transport::Transport;

/// Default time allowed to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time allowed for one attempt, from sending to the end of the body.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default `User-Agent`.
pub const DEFAULT_USER_AGENT: &str = concat!("applivery-rust/", env!("CARGO_PKG_VERSION"));

/// A client of the Applivery Create OEM user endpoint.
///
/// Cheap to clone (an `Arc` inside), `Send + Sync`: build one and share it.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Transport,
    api_key: Secret,
    base_url: String,
    policy: RetryPolicy,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: Option<String>,
    custom_http_client: bool,
}

impl Client {
    /// A builder; only the API key is required.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment: `APPLIVERY_API_KEY` (required) and
    /// `APPLIVERY_BASE_URL` (default `https://api.applivery.io`).
    pub fn from_env() -> Result<Client, Error> {
        Client::from_vars(|name| std::env::var(name).ok())
    }

    /// [`Client::from_env`] over any variable lookup (testable without touching the process
    /// environment).
    fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Client, Error> {
        let mut builder = Client::builder();
        match var("APPLIVERY_API_KEY") {
            Some(key) if !key.trim().is_empty() => builder = builder.api_key(key),
            _ => return Err(Error::config("APPLIVERY_API_KEY is not set")),
        }
        if let Some(base_url) = var("APPLIVERY_BASE_URL").filter(|url| !url.trim().is_empty()) {
            builder = builder.base_url(base_url);
        }
        builder.build()
    }

    /// The base URL requests go to (no trailing `/`).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.policy
    }

    /// Creates an OEM user in the organization and returns the created collaborator.
    ///
    /// Validates everything first and sends nothing for invalid input
    /// ([`crate::ErrorKind::InvalidInput`]). Failed attempts are retried according to the
    /// [`RetryPolicy`]; see the crate docs for which failures are retried and how a 4009 after
    /// an ambiguous failure is reported.
    pub async fn create_oem_user(
        &self,
        organization_id: &str,
        user: NewOemUser,
    ) -> Result<Collaborator, Error> {
        let span = tracing::info_span!(
            "applivery.create_oem_user",
            organization = organization_id,
            attempts = Empty,
            status = Empty,
            kind = Empty,
            duration_ms = Empty,
        );
        self.create_in_span(organization_id, &user)
            .instrument(span)
            .await
    }

    async fn create_in_span(
        &self,
        organization_id: &str,
        user: &NewOemUser,
    ) -> Result<Collaborator, Error> {
        let span = tracing::Span::current();
        let call = Stopwatch::start();
        if let Err(error) = validate_request(organization_id, user) {
            span.record("attempts", 0u32);
            span.record("kind", error.kind().as_str());
            return Err(error);
        }
        let body = match serde_json::to_vec(&user.to_wire()) {
            Ok(body) => bytes::Bytes::from(body),
            Err(e) => return Err(Error::config(format!("could not encode the request: {e}"))),
        };

        let mut state = RetryState::new(self.inner.policy);
        let mut last_status = None;
        let result = loop {
            let attempt = state.begin_attempt();
            let attempt_span = tracing::debug_span!(
                "applivery.attempt",
                attempt,
                status = Empty,
                duration_ms = Empty,
            );
            let started = Stopwatch::start();
            let outcome = self
                .inner
                .transport
                .send(organization_id, body.clone())
                .instrument(attempt_span.clone())
                .await;
            if let Some(status) = outcome.status {
                attempt_span.record("status", status);
            }
            attempt_span.record("duration_ms", millis(started.elapsed()));
            last_status = outcome.status.or(last_status);
            let result = outcome
                .result
                .map_err(|e| e.scrub(self.inner.api_key.expose()));
            match state.after_attempt(result, call.elapsed(), random_unit) {
                Step::Done(result) => break result,
                Step::Retry { delay, error } => {
                    tracing::info!(
                        attempt,
                        kind = error.kind().as_str(),
                        status = error.status(),
                        backoff_ms = millis(delay),
                        "retrying"
                    );
                    sleep(delay).await;
                }
            }
        };

        span.record("attempts", state.attempts());
        if let Some(status) = last_status {
            span.record("status", status);
        }
        span.record("duration_ms", millis(call.elapsed()));
        match &result {
            Ok(_) => span.record("kind", "ok"),
            Err(error) => span.record("kind", error.kind().as_str()),
        };
        result
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &inner.base_url)
            .field("api_key", &inner.api_key)
            .field("retry_policy", &inner.policy)
            .field("timeout", &inner.timeout)
            .field("connect_timeout", &inner.connect_timeout)
            .field("user_agent", &inner.user_agent)
            .field("custom_http_client", &inner.custom_http_client)
            .finish()
    }
}

/// Configures a [`Client`]; see [`Client::builder`].
#[derive(Clone, Debug)]
pub struct ClientBuilder {
    api_key: Option<Secret>,
    base_url: String,
    connect_timeout: Duration,
    timeout: Duration,
    retry_policy: RetryPolicy,
    user_agent: String,
    http_client: Option<reqwest::Client>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            api_key: None,
            base_url: DEFAULT_BASE_URL.to_owned(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            retry_policy: RetryPolicy::default(),
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            http_client: None,
        }
    }
}

impl ClientBuilder {
    /// The API key (required): a **Service Account token** of the workspace. Per-app "App API
    /// tokens" are for Applivery's Integrations API and are refused here. Kept as a [`Secret`].
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.api_key = Some(Secret::new(api_key));
        self
    }

    /// The API's base URL; default `https://api.applivery.io`. Must be HTTPS unless it points
    /// at a loopback address (a local mock).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Time allowed to establish a connection; default 10 s. Not supported on wasm32.
    pub fn connect_timeout(mut self, connect_timeout: Duration) -> Self {
        self.connect_timeout = connect_timeout;
        self
    }

    /// Time allowed for one attempt, from sending to the end of the body; default 30 s.
    /// Not supported on wasm32 (reqwest has no timeouts there).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The retry policy; default [`RetryPolicy::default`].
    pub fn retry_policy(mut self, retry_policy: RetryPolicy) -> Self {
        self.retry_policy = retry_policy;
        self
    }

    /// The `User-Agent` header; default `applivery-rust/VERSION`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Uses this reqwest client (for proxies, custom TLS roots, connection pools shared with
    /// other code). Its own timeouts and redirect policy apply instead of
    /// [`Self::connect_timeout`] and [`Self::timeout`]; disable redirects on it, since a
    /// redirected POST may be replayed.
    pub fn http_client(mut self, http_client: reqwest::Client) -> Self {
        self.http_client = Some(http_client);
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let api_key = match self.api_key {
            Some(key) if !key.expose().trim().is_empty() => key,
            _ => {
                return Err(Error::config(
                    "an API key is required (ClientBuilder::api_key or APPLIVERY_API_KEY)",
                ));
            }
        };
        let base_url = validate_base_url(&self.base_url)?;
        let custom_http_client = self.http_client.is_some();
        let (http, timeout, connect_timeout) = match self.http_client {
            Some(http) => (http, None, None),
            None => (
                build_http_client(self.connect_timeout, self.timeout)?,
                Some(self.timeout),
                Some(self.connect_timeout),
            ),
        };
        let user_agent = (!self.user_agent.is_empty()).then_some(self.user_agent);
        let transport = Transport::new(http, &base_url, &api_key, user_agent.as_deref())?;
        Ok(Client {
            inner: Arc::new(Inner {
                transport,
                api_key,
                base_url,
                policy: self.retry_policy,
                timeout,
                connect_timeout,
                user_agent,
                custom_http_client,
            }),
        })
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn build_http_client(
    connect_timeout: Duration,
    timeout: Duration,
) -> Result<reqwest::Client, Error> {
    reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .timeout(timeout)
        // A redirected POST may be replayed or turned into a GET: report 3xx instead.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| Error::config(format!("could not build the HTTP client: {e}")))
}

#[cfg(target_arch = "wasm32")]
fn build_http_client(
    _connect_timeout: Duration,
    _timeout: Duration,
) -> Result<reqwest::Client, Error> {
    reqwest::Client::builder()
        .build()
        .map_err(|e| Error::config(format!("could not build the HTTP client: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_is_send_sync_and_cheap_to_clone() {
        fn assert_send_sync<T: Send + Sync + Clone>() {}
        assert_send_sync::<Client>();
    }

    #[test]
    fn builder_refuses_bad_settings() {
        let kind = |b: ClientBuilder| b.build().unwrap_err().kind();
        assert_eq!(kind(Client::builder()), crate::ErrorKind::Config);
        assert_eq!(
            kind(Client::builder().api_key("  ")),
            crate::ErrorKind::Config
        );
        assert_eq!(
            kind(
                Client::builder()
                    .api_key("k")
                    .base_url("http://api.applivery.io")
            ),
            crate::ErrorKind::Config
        );
        assert_eq!(
            kind(Client::builder().api_key("k\n")),
            crate::ErrorKind::Config
        );
        assert!(
            Client::builder()
                .api_key("k")
                .base_url("http://127.0.0.1:1")
                .build()
                .is_ok()
        );
    }

    #[test]
    fn from_env_reads_key_and_base_url() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        let client = Client::from_vars(vars(&[("APPLIVERY_API_KEY", "k")])).unwrap();
        assert_eq!(client.base_url(), DEFAULT_BASE_URL);
        let client = Client::from_vars(vars(&[
            ("APPLIVERY_API_KEY", "k"),
            ("APPLIVERY_BASE_URL", "http://127.0.0.1:4010/"),
        ]))
        .unwrap();
        assert_eq!(client.base_url(), "http://127.0.0.1:4010");
        let missing = Client::from_vars(vars(&[])).unwrap_err();
        assert_eq!(missing.kind(), crate::ErrorKind::Config);
        let blank = Client::from_vars(vars(&[("APPLIVERY_API_KEY", " ")])).unwrap_err();
        assert_eq!(blank.kind(), crate::ErrorKind::Config);
        let insecure = Client::from_vars(vars(&[
            ("APPLIVERY_API_KEY", "k"),
            ("APPLIVERY_BASE_URL", "http://api.applivery.io"),
        ]))
        .unwrap_err();
        assert_eq!(insecure.kind(), crate::ErrorKind::Config);
    }

    #[test]
    fn debug_never_shows_the_key() {
        let builder = Client::builder().api_key("key-that-must-not-show");
        let client = builder.clone().build().unwrap();
        let shown = format!("{builder:?} {client:?} {client:#?}");
        assert!(!shown.contains("key-that-must-not-show"), "{shown}");
        assert!(shown.contains("[redacted]"));
    }

    #[tokio::test]
    async fn invalid_input_is_refused_before_any_io() {
        // Port 1 on loopback: any request would fail with a network error, not invalid input.
        let client = Client::builder()
            .api_key("k")
            .base_url("http://127.0.0.1:1")
            .build()
            .unwrap();
        let error = client
            .create_oem_user("a/b", NewOemUser::new("x"))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::InvalidInput);
        assert_eq!(error.attempts(), 0);
        assert_eq!(error.field_errors().len(), 2);
    }
}
