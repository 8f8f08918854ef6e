//! Building the facade client from the command line and environment.

use std::time::Duration;

use applivery::{Client, RetryPolicy};

use crate::args::{GlobalArgs, Target};
use crate::failure::Failure;

/// The `User-Agent` of the command.
const USER_AGENT: &str = concat!("applivery-cli/", env!("CARGO_PKG_VERSION"));

/// A client for `target`, with the key from `--api-key` or `APPLIVERY_API_KEY`.
pub fn build(
    global: &GlobalArgs,
    target: &Target,
    retry_policy: RetryPolicy,
    timeout: Duration,
) -> Result<Client, Failure> {
    applivery::validate_organization_id(&target.org).map_err(Failure::api)?;
    let api_key =
        crate::api_key::resolve(global.api_key_file.as_deref(), target.api_key.as_deref())?;
    let Some(api_key) = api_key.filter(|k| !k.trim().is_empty()) else {
        return Err(Failure::api(applivery::Error::config(
            "no API key: set APPLIVERY_API_KEY or pass --api-key-file",
        )));
    };
    Client::builder()
        .api_key(api_key.as_str())
        .base_url(global.base_url.as_str())
        .retry_policy(retry_policy)
        .timeout(timeout)
        .user_agent(USER_AGENT)
        .build()
        .map_err(Failure::api)
}

/// The client of a one-off command (create, refresh, list): the SDK's default retries and the
/// `--timeout` of `target`.
pub fn for_command(global: &GlobalArgs, target: &Target) -> Result<Client, Failure> {
    build(
        global,
        target,
        RetryPolicy::default(),
        Duration::from_secs(target.timeout),
    )
}

/// `--output csv` is for lists: a command printing one object refuses it before sending.
pub fn refuse_csv(global: &GlobalArgs) -> Result<(), Failure> {
    if global.output == crate::args::OutputFormat::Csv {
        return Err(Failure::usage(
            "--output csv is for commands that print lists; use text, json or jsonl",
        ));
    }
    Ok(())
}
