//! `applivery oem-users create`: one user.

use applivery::{Collaborator, NewOemUser};

use crate::args::{CreateArgs, GlobalArgs, OutputFormat};
use crate::failure::Failure;

/// Creates the user and prints the collaborator; the failure carries the exit code.
pub async fn run(global: &GlobalArgs, args: CreateArgs) -> Result<(), Failure> {
    crate::client::refuse_csv(global)?;
    let client = crate::client::for_command(global, &args.target)?;
    let user = NewOemUser::from(args.user.0);
    let collaborator = client
        .create_oem_user(&args.target.org, user)
        .await
        .map_err(Failure::api)?;
    match global.output {
        OutputFormat::Csv => unreachable!("refused before sending"),
        OutputFormat::Json | OutputFormat::Jsonl => print_json(&collaborator, args.show_secret),
        OutputFormat::Text => print_text(&collaborator, args.show_secret),
    }
    Ok(())
}

/// The collaborator as JSON; its OEM secret only with `--show-secret`.
fn print_json(collaborator: &Collaborator, show_secret: bool) {
    let mut value = serde_json::to_value(collaborator).expect("a collaborator always serializes");
    if let Some(object) = value.as_object_mut() {
        // The facade serializes it redacted; only `--show-secret` puts it in the output.
        object.remove("oemSecret");
        if show_secret {
            let secret = collaborator.oem_secret.as_ref().map(|s| s.expose());
            object.insert("oemSecret".to_owned(), secret.into());
        }
    }
    let text = serde_json::to_string_pretty(&value).expect("JSON always serializes");
    println!("{}", crate::terminal::json(&text));
}

/// The collaborator as lines of text; its OEM secret only with `--show-secret`.
fn print_text(collaborator: &Collaborator, show_secret: bool) {
    let user = collaborator.user.clone().unwrap_or_default();
    say(format!(
        "Created OEM user {} in organization {}",
        user.email.as_deref().unwrap_or("?"),
        collaborator.organization
    ));
    say(format!("  collaborator id  {}", collaborator.id));
    if let Some(id) = &user.id {
        say(format!("  user id          {id}"));
    }
    let name = [user.first_name.as_deref(), user.last_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    if !name.is_empty() {
        say(format!("  name             {name}"));
    }
    say(format!("  role             {}", collaborator.role));
    if !collaborator.tags.is_empty() {
        say(format!(
            "  tags             {}",
            collaborator.tags.join(", ")
        ));
    }
    if let Some(created_at) = &collaborator.created_at {
        say(format!("  created at       {created_at}"));
    }
    match (&collaborator.oem_secret, show_secret) {
        (Some(secret), true) => say(format!("  oem secret       {}", secret.expose())),
        (Some(_), false) => println!("  oem secret       (returned; --show-secret prints it)"),
        (None, true) => println!("  oem secret       (none returned)"),
        (None, false) => {}
    }
}

/// One line of text output, with the server's control characters escaped.
fn say(line: String) {
    println!("{}", crate::terminal::clean(&line));
}
