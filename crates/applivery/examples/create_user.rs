//! Creates one OEM user.
//!
//! ```sh
//! # Against the real API (or any server), configured from the environment:
//! APPLIVERY_API_KEY=... APPLIVERY_ORGANIZATION_ID=... \
//!     cargo run -p applivery --example create_user -- ada@example.com Ada Lovelace
//!
//! # Without APPLIVERY_API_KEY it starts the local mock in-process and creates the user there:
//! cargo run -p applivery --example create_user
//! ```

use applivery::{Client, ErrorKind, NewOemUser, Organization};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let email = args.next().unwrap_or_else(|| "ada@example.com".into());
    let first_name = args.next().unwrap_or_else(|| "Ada".into());
    let last_name = args.next().unwrap_or_else(|| "Lovelace".into());
    let user = NewOemUser::new(email)
        .first_name(first_name)
        .last_name(last_name)
        .tag("example");

    // Keep the mock alive for the whole run when we use it.
    let (organization, _mock) = if std::env::var_os("APPLIVERY_API_KEY").is_some() {
        // APPLIVERY_API_KEY, APPLIVERY_ORGANIZATION_ID, APPLIVERY_BASE_URL (optional).
        (Organization::from_env()?, None)
    } else {
        let mock = applivery_mock::MockServer::start(Default::default()).await?;
        eprintln!(
            "APPLIVERY_API_KEY is not set: using the local mock at {}",
            mock.base_url()
        );
        let client = Client::builder()
            .api_key(applivery_mock::DEFAULT_API_KEY)
            .base_url(mock.base_url())
            .build()?;
        (
            client.organization(applivery_mock::DEFAULT_ORG)?,
            Some(mock),
        )
    };

    match organization.create_oem_user(user).await {
        Ok(collaborator) => {
            println!("{}", serde_json::to_string_pretty(&collaborator)?);
            Ok(())
        }
        Err(error) if error.kind() == ErrorKind::AlreadyRegisteredAfterRetry => {
            eprintln!("the user exists (possibly created by this run): {error}");
            Ok(())
        }
        Err(error) => {
            eprintln!("{error}");
            for field in error.field_errors() {
                eprintln!("  {field}");
            }
            Err(error.into())
        }
    }
}
