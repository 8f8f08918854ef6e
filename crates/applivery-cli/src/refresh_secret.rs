//! `applivery oem-users refresh-secret USER_ID`: a new OEM secret, printed (it was asked for).

use std::time::Duration;

use applivery::RetryPolicy;

use crate::args::{GlobalArgs, OutputFormat, RefreshSecretArgs};
use crate::failure::Failure;

/// Rotates the secret and prints the collaborator with the new secret.
pub async fn run(global: &GlobalArgs, args: RefreshSecretArgs) -> Result<(), Failure> {
    if global.output == OutputFormat::Csv {
        return Err(Failure::usage(
            "--output csv is for `collaborators list`; use text, json or jsonl",
        ));
    }
    let client = crate::client::build(
        global,
        &args.target,
        RetryPolicy::default(),
        Duration::from_secs(args.target.timeout),
    )?;
    let collaborator = client
        .refresh_oem_user_secret(&args.target.org, &args.user_id)
        .await
        .map_err(Failure::api)?;
    let secret = collaborator.oem_secret.as_ref().map(|s| s.expose());
    if global.output.is_json() {
        let mut value =
            serde_json::to_value(&collaborator).expect("a collaborator always serializes");
        if let Some(object) = value.as_object_mut() {
            object.insert("oemSecret".to_owned(), secret.into());
        }
        println!(
            "{}",
            serde_json::to_string_pretty(&value).expect("JSON always serializes")
        );
    } else {
        let email = collaborator
            .user
            .as_ref()
            .and_then(|u| u.email.as_deref())
            .unwrap_or("?");
        println!(
            "New OEM secret for {email} (collaborator {})",
            collaborator.id
        );
        match secret {
            Some(secret) => println!("  oem secret       {secret}"),
            None => println!("  oem secret       (none returned)"),
        }
        println!("The previous secret no longer works; store this one now.");
    }
    Ok(())
}
