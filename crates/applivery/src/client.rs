//! The async client: builder, configuration, and the retrying call loop every operation runs
//! through (the operations' methods are generated: `generated/operations.rs`).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tracing::Instrument;
use tracing::field::Empty;

use crate::base_url::{DEFAULT_BASE_URL, validate_base_url};
use crate::call::CallOptions;
use crate::classify::WireDecoder;
use crate::error::{Error, ErrorKind};
use crate::organization::Organization;
use crate::platform::{Stopwatch, random_unit, sleep};
use crate::retry::{RetryPolicy, RetryState, Step};
use crate::secret::Secret;
use crate::transport::{Request, Transport};

/// A call's span, with the fields [`Client::call`] records at the end declared empty (and any
/// the operation adds after its name, e.g. `page`): declared once, so that every operation's
/// span has what `call` writes into it.
macro_rules! call_span {
    ($name:literal $(, $($field:tt)+)?) => {
        tracing::info_span!(
            $name,
            organization = tracing::field::Empty,
            $($($field)+,)?
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
            kind = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        )
    };
}
pub(crate) use call_span;

/// Default time allowed to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time allowed for one attempt, from sending to the end of the body.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default `User-Agent`.
pub const DEFAULT_USER_AGENT: &str = concat!("applivery-rust/", env!("CARGO_PKG_VERSION"));

/// A client of Applivery's OEM user provisioning API: one method per operation of the spec
/// (`create_oem_user`, `refresh_oem_user_secret`, `list_collaborators`, ...), each returning a
/// [`crate::Call`].
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
    timeout: Duration,
    connect_timeout: Option<Duration>,
    user_agent: Option<String>,
    custom_http_client: bool,
}

/// A variable lookup: the process environment, or a table in tests.
pub(crate) type EnvVars<'a> = dyn Fn(&str) -> Option<String> + 'a;

impl Client {
    /// A builder; only the API key is required.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment: `APPLIVERY_API_KEY` (required) and
    /// `APPLIVERY_BASE_URL` (default `https://api.applivery.io`). For a handle that also reads
    /// `APPLIVERY_ORGANIZATION_ID`, see [`Organization::from_env`].
    pub fn from_env() -> Result<Client, Error> {
        Client::from_vars(&|name| std::env::var(name).ok())
    }

    /// [`Client::from_env`] over any variable lookup (testable without touching the process
    /// environment).
    pub(crate) fn from_vars(var: &EnvVars<'_>) -> Result<Client, Error> {
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

    /// This client bound to one organization, whose id is validated now; see [`Organization`].
    pub fn organization(&self, organization_id: impl Into<String>) -> Result<Organization, Error> {
        Organization::new(self.clone(), organization_id)
    }

    /// The base URL requests go to (no trailing `/`).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.policy
    }

    /// The time allowed for each attempt ([`ClientBuilder::timeout`]).
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// Runs one call of any operation in `span`: `request` (or why it may not be sent, in which
    /// case nothing is), its attempts and retries, each answer through `decoder`.
    pub(crate) async fn call<D: WireDecoder>(
        &self,
        span: tracing::Span,
        organization_id: &str,
        request: Result<Request, Error>,
        decoder: &D,
        options: CallOptions,
    ) -> Result<D::Output, Error> {
        let mut record = CallRecord {
            span: span.clone(),
            call: Stopwatch::start(),
            attempts: 0,
            last_status: None,
            finished: false,
        };
        let result = self
            .attempts(organization_id, request, decoder, options, &mut record)
            .instrument(span)
            .await;
        record.finish(&result);
        result
    }

    async fn attempts<D: WireDecoder>(
        &self,
        organization_id: &str,
        request: Result<Request, Error>,
        decoder: &D,
        options: CallOptions,
        record: &mut CallRecord,
    ) -> Result<D::Output, Error> {
        let request = request?;
        record.span.record("organization", organization_id);

        let policy = options.retry_policy.unwrap_or(self.inner.policy);
        let mut state = if request.idempotent {
            RetryState::idempotent(policy)
        } else {
            RetryState::new(policy)
        };
        let per_attempt = options.timeout.unwrap_or(self.inner.timeout);
        loop {
            let attempt = state.begin_attempt();
            record.attempts = attempt;
            let result = self
                .attempt(&request, decoder, &options, per_attempt, attempt, record)
                .await;
            match state.after_attempt(result, record.call.elapsed(), random_unit) {
                Step::Done(result) => return result,
                Step::Retry { delay, error } => {
                    if let Some(deadline) = options.deadline
                        && record.call.elapsed() + delay >= deadline
                    {
                        let message = format!(
                            "{} (not retried: the call's deadline of {} ms would pass first)",
                            error.message(),
                            millis(deadline)
                        );
                        return Err(error.replace_message(message));
                    }
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
        }
    }

    /// One attempt, cut short by the call's deadline when less time is left than its timeout;
    /// its error scrubbed of the key.
    async fn attempt<D: WireDecoder>(
        &self,
        request: &Request,
        decoder: &D,
        options: &CallOptions,
        per_attempt: Duration,
        attempt: u32,
        record: &mut CallRecord,
    ) -> Result<D::Output, Error> {
        let left = options
            .deadline
            .map(|deadline| deadline.saturating_sub(record.call.elapsed()));
        let timeout = left.map_or(per_attempt, |left| left.min(per_attempt));
        let cut_by_deadline = left.is_some_and(|left| left < per_attempt);
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
            .send(request, timeout, decoder)
            .instrument(attempt_span.clone())
            .await;
        if let Some(status) = outcome.status {
            attempt_span.record("status", status);
        }
        attempt_span.record("duration_ms", millis(started.elapsed()));
        record.last_status = outcome.status.or(record.last_status);
        outcome.result.map_err(|e| {
            let e = e.scrub(self.inner.api_key.expose());
            match options.deadline {
                Some(deadline) if cut_by_deadline && e.kind() == ErrorKind::Timeout => {
                    let message = format!(
                        "the call's deadline of {} ms passed during attempt {attempt}: {}",
                        millis(deadline),
                        e.message()
                    );
                    e.replace_message(message)
                }
                _ => e,
            }
        })
    }
}

/// What a call's span records at its end, whether it finished or its future was dropped.
struct CallRecord {
    span: tracing::Span,
    call: Stopwatch,
    attempts: u32,
    last_status: Option<u16>,
    finished: bool,
}

impl CallRecord {
    fn finish<T>(&mut self, result: &Result<T, Error>) {
        self.finished = true;
        self.record(match result {
            Ok(_) => "ok",
            Err(error) => error.kind().as_str(),
        });
    }

    fn record(&self, kind: &str) {
        let span = &self.span;
        span.record("attempts", self.attempts);
        if let Some(status) = self.last_status {
            span.record("status", status);
        }
        span.record("duration_ms", millis(self.call.elapsed()));
        span.record("kind", kind);
    }
}

impl Drop for CallRecord {
    fn drop(&mut self) {
        if !self.finished {
            // The caller dropped the future (a timeout around it, a select, a shutdown).
            self.record("cancelled");
            tracing::info!(parent: &self.span, attempts = self.attempts, "cancelled");
        }
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

    /// Time allowed to establish a connection; default 10 s. Applies to the HTTP client this
    /// builder makes, not to one given with [`Self::http_client`] (reqwest sets it per client,
    /// not per request). Not supported on wasm32.
    pub fn connect_timeout(mut self, connect_timeout: Duration) -> Self {
        self.connect_timeout = connect_timeout;
        self
    }

    /// Time allowed for one attempt, from sending to the end of the body; default 30 s.
    /// Applied to each request, so it holds for a client given with [`Self::http_client`]
    /// too; a call can change it with [`crate::CreateOemUser::timeout`]. On wasm32 reqwest
    /// aborts the `fetch` when it passes.
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
    /// other code); `applivery::reqwest` is the reqwest this crate was built with. The
    /// builder's [`Self::timeout`] still bounds each attempt; the client's own connect timeout
    /// and redirect policy apply instead of [`Self::connect_timeout`] (disable redirects on
    /// it: a redirected POST may be replayed).
    ///
    /// A client handed in is yours, with its proxy settings: the rule that a loopback base URL
    /// never goes through a proxy (`http_proxy` and the like are ignored for it, so a local
    /// mock's requests and their key cannot reach a proxy) applies only to the client this
    /// builder makes. Call `reqwest::Client::builder().no_proxy()` on yours for the same.
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
        let (http, connect_timeout) = match self.http_client {
            Some(http) => (http, None),
            None => (
                build_http_client(self.connect_timeout, self.timeout, &base_url)?,
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
                timeout: self.timeout,
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
    base_url: &str,
) -> Result<reqwest::Client, Error> {
    let mut builder = reqwest::Client::builder();
    if crate::base_url::bypasses_proxies(base_url) {
        builder = builder.no_proxy();
    }
    builder
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
    _base_url: &str,
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
        let client = Client::from_vars(&vars(&[("APPLIVERY_API_KEY", "k")])).unwrap();
        assert_eq!(client.base_url(), DEFAULT_BASE_URL);
        let client = Client::from_vars(&vars(&[
            ("APPLIVERY_API_KEY", "k"),
            ("APPLIVERY_BASE_URL", "http://127.0.0.1:4010/"),
        ]))
        .unwrap();
        assert_eq!(client.base_url(), "http://127.0.0.1:4010");
        let missing = Client::from_vars(&vars(&[])).unwrap_err();
        assert_eq!(missing.kind(), crate::ErrorKind::Config);
        let blank = Client::from_vars(&vars(&[("APPLIVERY_API_KEY", " ")])).unwrap_err();
        assert_eq!(blank.kind(), crate::ErrorKind::Config);
        let insecure = Client::from_vars(&vars(&[
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
            .create_oem_user("a/b", crate::NewOemUser::new("x"))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::InvalidInput);
        assert_eq!(error.attempts(), 0);
        assert_eq!(error.field_errors().len(), 2);
    }
}
