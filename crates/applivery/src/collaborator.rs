//! The created collaborator, as returned to callers, with any `oemSecret` kept secret. The
//! struct itself is generated from the spec (`generated/collaborator.rs`).

use crate::Collaborator;
use crate::secret::Secret;

pub use applivery_api::types::OemUser;

/// The answer of a create or a refresh: the collaborator with its OEM secret.
impl From<applivery_api::types::CreateOemUserData> for Collaborator {
    fn from(data: applivery_api::types::CreateOemUserData) -> Self {
        Collaborator::from_data(data)
    }
}

impl Collaborator {
    /// The collaborator of a success answer's `data`, with its OEM secret: `data.oemSecret`,
    /// else an `oemSecret` inside the collaborator.
    pub fn from_data(data: applivery_api::types::CreateOemUserData) -> Self {
        let mut collaborator = Collaborator::from(data.collaborator);
        if let Some(secret) = data.oem_secret {
            collaborator.oem_secret = Some(Secret::new(secret));
        }
        collaborator
    }

    /// A collaborator with this id in this organization, role `unassigned` and nothing else set: for
    /// tests and fakes of code that receives one (the fields are public; set the others).
    ///
    /// ```
    /// use applivery::{Collaborator, OemUser};
    /// let mut created = Collaborator::new("c1", "my-org");
    /// created.user = Some(OemUser { email: Some("ada@example.com".into()), ..OemUser::default() });
    /// assert_eq!(created.role, "unassigned");
    /// ```
    pub fn new(id: impl Into<String>, organization: impl Into<String>) -> Self {
        let mut wire = applivery_api::types::Collaborator::blank();
        wire.id = id.into();
        wire.organization = organization.into();
        wire.role = "unassigned".to_owned();
        Collaborator::from(wire)
    }
}

/// Takes an `oemSecret` out of a collaborator's unknown fields: a string as it is, any other
/// JSON value (but `null`) in its JSON text, since it is still a secret.
pub(crate) fn take_oem_secret(
    extra: &mut serde_json::Map<String, serde_json::Value>,
) -> Option<Secret> {
    match extra.remove("oemSecret") {
        Some(serde_json::Value::String(secret)) => Some(Secret::new(secret)),
        Some(serde_json::Value::Null) | None => None,
        Some(other) => Some(Secret::new(other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oem_secret_is_extracted_and_redacted() {
        let wire: applivery_api::types::Collaborator = serde_json::from_value(serde_json::json!({
            "id": "c1", "organization": "o", "role": "user", "tags": [], "detected": {},
            "createdBy": null, "createdAt": null, "updatedAt": null,
            "oemSecret": "s3cr3t-value", "futureField": 1
        }))
        .unwrap();
        let collaborator = Collaborator::from(wire);
        assert_eq!(
            collaborator.oem_secret.as_ref().unwrap().expose(),
            "s3cr3t-value"
        );
        assert_eq!(collaborator.extra.get("futureField"), Some(&1.into()));
        let shown = format!(
            "{collaborator:?} {}",
            serde_json::to_string(&collaborator).unwrap()
        );
        assert!(!shown.contains("s3cr3t-value"), "{shown}");
        assert!(shown.contains("\"oemSecret\":\"[redacted]\""), "{shown}");
    }

    #[test]
    fn oem_secret_beside_the_collaborator_wins() {
        let data: applivery_api::types::CreateOemUserData =
            serde_json::from_value(serde_json::json!({
                "collaborator": {"id": "c1", "organization": "o", "role": "viewer", "tags": [],
                    "detected": {}, "oemSecret": "inner"},
                "oemSecret": "outer"
            }))
            .unwrap();
        let collaborator = Collaborator::from_data(data);
        assert_eq!(collaborator.oem_secret.unwrap().expose(), "outer");
        assert!(collaborator.extra.is_empty());
        assert_eq!(collaborator.created_at, None);
    }
}
