//! `applivery oem-users refresh-secret USER_ID`: a new OEM secret, printed (it was asked for).
//! The command and its arguments are generated from the operation table (`operations.rs`);
//! this is its hand-written runner.

use crate::args::{GlobalArgs, Target};
use crate::failure::Failure;

/// Rotates the secret and prints the collaborator with the new secret.
pub async fn run(global: &GlobalArgs, target: &Target, user_id: &str) -> Result<(), Failure> {
    crate::client::refuse_csv(global)?;
    let client = crate::client::for_command(global, target)?;
    let collaborator = client
        .refresh_oem_user_secret(&target.org, user_id)
        .await
        .map_err(Failure::api)?;
    let secret = collaborator.oem_secret.as_ref().map(|s| s.expose());
    if global.output.is_json() {
        let mut value =
            serde_json::to_value(&collaborator).expect("a collaborator always serializes");
        if let Some(object) = value.as_object_mut() {
            object.insert("oemSecret".to_owned(), secret.into());
        }
        let text = serde_json::to_string_pretty(&value).expect("JSON always serializes");
        println!("{}", crate::terminal::json(&text));
    } else {
        let email = collaborator
            .user
            .as_ref()
            .and_then(|u| u.email.as_deref())
            .unwrap_or("?");
        let line = format!(
            "New OEM secret for {email} (collaborator {})",
            collaborator.id
        );
        println!("{}", crate::terminal::clean(&line));
        match secret {
            Some(secret) => println!("  oem secret       {}", crate::terminal::clean(secret)),
            None => println!("  oem secret       (none returned)"),
        }
        println!("The previous secret no longer works; store this one now.");
    }
    Ok(())
}
