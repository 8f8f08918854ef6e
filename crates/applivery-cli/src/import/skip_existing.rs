//! `--skip-existing`: the emails the organization already has, listed before anything is sent.

use std::collections::HashSet;

use crate::args::{GlobalArgs, ImportArgs};
use crate::failure::Failure;

/// The emails of the organization's collaborators, lower-cased, listed page after page (none
/// without `--skip-existing`).
pub(super) async fn existing_emails(
    global: &GlobalArgs,
    args: &ImportArgs,
) -> Result<HashSet<String>, Failure> {
    if !args.skip_existing {
        return Ok(HashSet::new());
    }
    // Listing is a one-off call: the SDK's usual retries.
    let client = crate::client::for_command(global, &args.target)?;
    let mut stream = client.list_collaborators(&args.target.org).stream();
    let mut emails = HashSet::new();
    while let Some(collaborator) = crate::stream::next(&mut stream).await {
        let collaborator = collaborator.map_err(Failure::api)?;
        if let Some(email) = collaborator.user.and_then(|user| user.email) {
            emails.insert(email.to_lowercase());
        }
    }
    if !args.quiet {
        eprintln!(
            "applivery: --skip-existing: {} collaborators already in {}",
            emails.len(),
            args.target.org
        );
    }
    Ok(emails)
}
