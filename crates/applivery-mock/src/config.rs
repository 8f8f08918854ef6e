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
