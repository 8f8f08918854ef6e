//! The command line of `applivery-mock`, reusable by the `applivery mock` subcommand.

use std::io::{self, Write};
use std::net::SocketAddr;
use std::time::Duration;

use crate::config::{DEFAULT_API_KEY, DEFAULT_BLOCKED_ORG, DEFAULT_ORG, MockConfig};
use crate::mock_server::MockServer;

/// Where the binary listens unless told otherwise.
pub const DEFAULT_ADDR: &str = "127.0.0.1:4010";

/// The mock's flags. Every one has a default, so a demo needs none.
#[derive(clap::Args, Clone)]
pub struct MockArgs {
    /// Address to listen on (port 0: any free port; the listening line shows the real one).
    #[arg(long, value_name = "ADDR", default_value = DEFAULT_ADDR)]
    pub addr: SocketAddr,
    /// Bearer token to accept (repeatable).
    #[arg(long = "api-key", value_name = "KEY", default_value = DEFAULT_API_KEY)]
    pub api_keys: Vec<String>,
    /// Organization that exists (repeatable).
    #[arg(long = "org", value_name = "ORG", default_value = DEFAULT_ORG)]
    pub orgs: Vec<String>,
    /// Organization that answers 400 code 5187, feature blocked (repeatable).
    #[arg(long = "blocked-org", value_name = "ORG", default_value = DEFAULT_BLOCKED_ORG)]
    pub blocked_orgs: Vec<String>,
    /// Delay every API request by this many milliseconds.
    #[arg(long, value_name = "MS")]
    pub latency_ms: Option<u64>,
    /// API requests per second; beyond: 429 with Retry-After.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub rate_limit: Option<u32>,
    /// Every N-th API request gets fault SPEC, e.g. `3:status=503` (repeatable).
    #[arg(long = "fault-every", value_name = "N:SPEC", value_parser = parse_periodic_fault)]
    pub fault_every: Vec<(u32, String)>,
    /// Also allow browser pages on ORIGIN, e.g. `https://admin.example.com` or `null`
    /// (repeatable). Loopback origins (localhost, 127.0.0.0/8, `[::1]`, any port) always are.
    #[arg(long = "allow-origin", value_name = "ORIGIN")]
    pub allow_origins: Vec<String>,
    /// Also accept requests naming HOST (without port) in their Host header (repeatable).
    /// Loopback names and addresses and the bound address always are.
    #[arg(long = "allow-host", value_name = "HOST")]
    pub allow_hosts: Vec<String>,
}

impl MockArgs {
    /// The server configuration these flags describe.
    pub fn config(&self) -> MockConfig {
        MockConfig {
            api_keys: self.api_keys.clone(),
            orgs: self.orgs.clone(),
            blocked_orgs: self.blocked_orgs.clone(),
            latency: self.latency_ms.map(Duration::from_millis),
            rate_limit: self.rate_limit,
            periodic_faults: self.fault_every.clone(),
            allowed_origins: self.allow_origins.clone(),
            allowed_hosts: self.allow_hosts.clone(),
        }
    }
}

fn parse_periodic_fault(value: &str) -> Result<(u32, String), String> {
    let (every, spec) = value
        .split_once(':')
        .ok_or("expected N:SPEC, e.g. 3:status=503")?;
    let every: u32 = every
        .trim()
        .parse()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or("N must be a whole number of at least 1")?;
    crate::validate_fault_spec(spec)?;
    Ok((every, spec.to_string()))
}

/// Starts the mock, prints `applivery-mock listening on http://ADDR` on stdout, and serves until
/// Ctrl-C or SIGTERM.
pub async fn run(args: MockArgs) -> io::Result<()> {
    let server = MockServer::bind(args.addr, args.config()).await?;
    let mut stdout = io::stdout().lock();
    writeln!(stdout, "applivery-mock listening on {}", server.base_url())?;
    stdout.flush()?;
    drop(stdout);
    // Configured API keys are secrets: say how many, never which. The default one is public.
    let keys = if args.api_keys == [DEFAULT_API_KEY] {
        format!("API key: {DEFAULT_API_KEY} (the default)")
    } else {
        format!("accepted API keys: {} (not shown)", args.api_keys.len())
    };
    eprintln!(
        "organizations: {}; blocked: {}; {keys}",
        args.orgs.join(", "),
        args.blocked_orgs.join(", "),
    );
    if let Some(warning) = exposure_warning(server.addr()) {
        eprintln!("{warning}");
    }
    stop_signal().await?;
    server.shutdown().await;
    Ok(())
}

/// What to say when the mock listens beyond this machine: its test routes need no key.
fn exposure_warning(addr: SocketAddr) -> Option<String> {
    (!addr.ip().is_loopback()).then(|| {
        format!(
            "warning: listening on {addr}, not a loopback address: other machines can reach \
             the mock, and /__mock/* (every OEM secret) needs no key. Browsers are still held to \
             loopback origins (--allow-origin) and hosts (--allow-host)."
        )
    })
}

#[cfg(unix)]
async fn stop_signal() -> io::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut terminate = signal(SignalKind::terminate())?;
    tokio::select! {
        result = tokio::signal::ctrl_c() => result,
        _ = terminate.recv() => Ok(()),
    }
}

#[cfg(not(unix))]
async fn stop_signal() -> io::Result<()> {
    tokio::signal::ctrl_c().await
}
