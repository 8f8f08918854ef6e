//! `createMockFetch(options)` and the server's flags, as the mock's configuration.

use std::net::IpAddr;
use std::time::Duration;

use applivery_mock::MockConfig;
use serde::Deserialize;

/// The options JS passes (as JSON). Unknown names are refused, so a typo is not a silent default.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct MockOptions {
    api_keys: Option<Vec<String>>,
    organizations: Option<Vec<String>>,
    blocked_organizations: Option<Vec<String>>,
    latency_ms: Option<u64>,
    rate_limit: Option<u32>,
    #[serde(default)]
    fault_every: Vec<(u32, String)>,
    #[serde(default)]
    allow_origins: Vec<String>,
    #[serde(default)]
    allow_hosts: Vec<String>,
    /// For `npx applivery-oem mock`: the address it listens on, whose `Host` is accepted as
    /// the Rust server accepts its own (any, for an unspecified address).
    bound_address: Option<String>,
}

impl MockOptions {
    /// The listening address, when it is one (checked by the server before it listens).
    pub(crate) fn bound_address(&self) -> Option<IpAddr> {
        self.bound_address.as_deref()?.parse().ok()
    }

    /// The Rust mock's configuration: what is not given keeps the binary's default.
    pub(crate) fn config(self) -> MockConfig {
        let defaults = MockConfig::default();
        MockConfig {
            api_keys: self.api_keys.unwrap_or(defaults.api_keys),
            orgs: self.organizations.unwrap_or(defaults.orgs),
            blocked_orgs: self.blocked_organizations.unwrap_or(defaults.blocked_orgs),
            latency: self.latency_ms.map(Duration::from_millis),
            rate_limit: self.rate_limit,
            periodic_faults: self.fault_every,
            allowed_origins: self.allow_origins,
            allowed_hosts: self.allow_hosts,
        }
    }
}
