//! What a mock server accepts and how it misbehaves, fixed when it starts.

use std::fmt;
use std::time::Duration;

/// The API key the mock accepts when none is configured.
pub const DEFAULT_API_KEY: &str = "mock-api-key";
/// The organization that exists when none is configured.
pub const DEFAULT_ORG: &str = "demo-org";
/// The organization that exists but answers 400 `5187` (feature blocked) when none is configured.
pub const DEFAULT_BLOCKED_ORG: &str = "blocked-org";

/// Configuration of a [`MockServer`](crate::MockServer).
///
/// [`Default`] accepts [`DEFAULT_API_KEY`], knows [`DEFAULT_ORG`] and blocks
/// [`DEFAULT_BLOCKED_ORG`], with no latency, no rate limit and no faults.
#[derive(Clone)]
pub struct MockConfig {
    /// Bearer tokens accepted; any other token answers 401 `4004`.
    pub api_keys: Vec<String>,
    /// Organizations that exist; any other answers 404 `3001`.
    pub orgs: Vec<String>,
    /// Organizations that exist but answer 400 `5187` (feature blocked by platform configuration).
    pub blocked_orgs: Vec<String>,
    /// Delay added before answering every API request.
    pub latency: Option<Duration>,
    /// API requests per second (a fixed one-second window); beyond it: 429 with `Retry-After`.
    pub rate_limit: Option<u32>,
    /// `(n, spec)`: every n-th API request gets the fault `spec` (see the crate docs).
    pub periodic_faults: Vec<(u32, String)>,
    /// Browser origins allowed besides the loopback ones (`http(s)://localhost`, `127.0.0.0/8`,
    /// `[::1]`, any port), e.g. `https://admin.example.com` or `null`; a request from any other
    /// origin is refused with 403 and gets no CORS headers. See [`MockConfig::allow_origin`].
    pub allowed_origins: Vec<String>,
    /// Host names (without port) allowed in the `Host` header besides `localhost`, loopback
    /// addresses and the address the mock is bound to; any other answers 421 (a defence against
    /// DNS rebinding). See [`MockConfig::allow_host`].
    pub allowed_hosts: Vec<String>,
}

impl MockConfig {
    /// Also allows browser pages on `origin` (`scheme://host[:port]`, as a browser sends it in
    /// `Origin`; a trailing `/` is ignored; `null` for `file://` pages and sandboxed frames, which
    /// any web site can make). Checked when the server starts: anything else is an error.
    #[must_use]
    pub fn allow_origin(mut self, origin: impl Into<String>) -> Self {
        self.allowed_origins.push(origin.into());
        self
    }

    /// Also accepts requests whose `Host` names `host` (a name or address, without port), e.g.
    /// the name of a machine in a container network.
    #[must_use]
    pub fn allow_host(mut self, host: impl Into<String>) -> Self {
        self.allowed_hosts.push(host.into());
        self
    }
}

impl Default for MockConfig {
    fn default() -> Self {
        MockConfig {
            api_keys: vec![DEFAULT_API_KEY.to_string()],
            orgs: vec![DEFAULT_ORG.to_string()],
            blocked_orgs: vec![DEFAULT_BLOCKED_ORG.to_string()],
            latency: None,
            rate_limit: None,
            periodic_faults: Vec::new(),
            allowed_origins: Vec::new(),
            allowed_hosts: Vec::new(),
        }
    }
}

/// API keys are secrets even in a mock: Debug shows how many there are, never their values.
impl fmt::Debug for MockConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockConfig")
            .field(
                "api_keys",
                &format_args!("[{} redacted]", self.api_keys.len()),
            )
            .field("orgs", &self.orgs)
            .field("blocked_orgs", &self.blocked_orgs)
            .field("latency", &self.latency)
            .field("rate_limit", &self.rate_limit)
            .field("periodic_faults", &self.periodic_faults)
            .field("allowed_origins", &self.allowed_origins)
            .field("allowed_hosts", &self.allowed_hosts)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_api_keys() {
        let config = MockConfig {
            api_keys: vec!["s3cr3t-key".into()],
            ..MockConfig::default()
        };
        let debug = format!("{config:?}");
        assert!(!debug.contains("s3cr3t-key"), "{debug}");
        assert!(
            debug.contains("1 redacted") && debug.contains("demo-org"),
            "{debug}"
        );
    }
}
