//! A client bound to one organization: `Organization::from_env` reads the three variables the
//! CLI and the example use.

use crate::client::{Client, EnvVars};
use crate::error::Error;
use crate::validate::validate_organization_id;

/// A [`Client`] and a validated organization id: `org.create_oem_user(user).await`.
///
/// ```no_run
/// # async fn run() -> Result<(), applivery::Error> {
/// // APPLIVERY_API_KEY, APPLIVERY_ORGANIZATION_ID, APPLIVERY_BASE_URL (optional)
/// let org = applivery::Organization::from_env()?;
/// let created = org.create_oem_user(applivery::NewOemUser::new("ada@example.com")).await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct Organization {
    client: Client,
    id: String,
}

impl Organization {
    /// `client` bound to `organization_id`, which is validated now
    /// ([`crate::ErrorKind::InvalidInput`] naming `organizationId` when it is not an id).
    pub fn new(client: Client, organization_id: impl Into<String>) -> Result<Self, Error> {
        let id = organization_id.into();
        validate_organization_id(&id)?;
        Ok(Organization { client, id })
    }

    /// The client of [`Client::from_env`] bound to `APPLIVERY_ORGANIZATION_ID` (required).
    pub fn from_env() -> Result<Self, Error> {
        Organization::from_vars(&|name| std::env::var(name).ok())
    }

    pub(crate) fn from_vars(var: &EnvVars<'_>) -> Result<Self, Error> {
        let client = Client::from_vars(var)?;
        match var("APPLIVERY_ORGANIZATION_ID") {
            Some(id) if !id.trim().is_empty() => Organization::new(client, id),
            _ => Err(Error::config("APPLIVERY_ORGANIZATION_ID is not set")),
        }
    }

    /// The organization id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The client underneath.
    pub fn client(&self) -> &Client {
        &self.client
    }

    // One method per operation of the spec: generated/operations.rs.
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn from(pairs: &[(&str, &str)]) -> Result<Organization, Error> {
        Organization::from_vars(&|name| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn from_env_reads_the_organization_id() {
        let org = from(&[
            ("APPLIVERY_API_KEY", "k"),
            ("APPLIVERY_ORGANIZATION_ID", "my-org"),
            ("APPLIVERY_BASE_URL", "http://127.0.0.1:4010"),
        ])
        .unwrap();
        assert_eq!(org.id(), "my-org");
        assert_eq!(org.client().base_url(), "http://127.0.0.1:4010");

        let missing = from(&[("APPLIVERY_API_KEY", "k")]).unwrap_err();
        assert_eq!(missing.kind(), ErrorKind::Config);
        assert!(missing.message().contains("APPLIVERY_ORGANIZATION_ID"));
        let invalid = from(&[
            ("APPLIVERY_API_KEY", "k"),
            ("APPLIVERY_ORGANIZATION_ID", "a/b"),
        ])
        .unwrap_err();
        assert_eq!(invalid.kind(), ErrorKind::InvalidInput);
        let no_key = from(&[("APPLIVERY_ORGANIZATION_ID", "my-org")]).unwrap_err();
        assert_eq!(no_key.kind(), ErrorKind::Config);
    }
}
