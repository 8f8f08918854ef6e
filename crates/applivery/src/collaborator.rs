//! The created collaborator, as returned to callers, with any `oemSecret` kept secret.

use crate::secret::Secret;

pub use applivery_api::types::OemUser;

/// The membership of the new user in the organization, as the API returned it.
///
/// Serializes with the wire's camelCase names; an `oemSecret` serializes as `"[redacted]"`.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Collaborator {
    /// Identifier of the collaborator.
    pub id: String,
    /// Identifier of the organization.
    pub organization: String,
    /// Role in the organization (free text, such as `user` or `owner`).
    pub role: String,
    /// Tags attached to the collaborator.
    pub tags: Vec<String>,
    /// The user account behind the collaborator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<OemUser>,
    /// Device and platform details detected by Applivery; free-form.
    pub detected: serde_json::Map<String, serde_json::Value>,
    /// Who created the collaborator.
    pub created_by: Option<String>,
    /// Creation time, ISO-8601.
    pub created_at: Option<String>,
    /// Time of the last update, ISO-8601.
    pub updated_at: Option<String>,
    /// The new user's OEM secret: `data.oemSecret` of the answer (or, leniently, an `oemSecret`
    /// inside the collaborator). Printed and serialized as `[redacted]`; [`Secret::expose`]
    /// reads it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oem_secret: Option<Secret>,
    /// Other fields a newer server added, kept as they came (never `oemSecret`).
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
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
        Collaborator {
            id: id.into(),
            organization: organization.into(),
            role: "unassigned".to_owned(),
            tags: Vec::new(),
            user: None,
            detected: serde_json::Map::new(),
            created_by: None,
            created_at: None,
            updated_at: None,
            oem_secret: None,
            extra: serde_json::Map::new(),
        }
    }
}

impl From<applivery_api::types::Collaborator> for Collaborator {
    fn from(wire: applivery_api::types::Collaborator) -> Self {
        let mut extra = wire.extra;
        let oem_secret = match extra.remove("oemSecret") {
            Some(serde_json::Value::String(secret)) => Some(Secret::new(secret)),
            Some(serde_json::Value::Null) | None => None,
            // Not a string: still a secret, kept in its JSON text form.
            Some(other) => Some(Secret::new(other.to_string())),
        };
        Collaborator {
            id: wire.id,
            organization: wire.organization,
            role: wire.role,
            tags: wire.tags,
            user: wire.user,
            detected: wire.detected,
            created_by: wire.created_by,
            created_at: wire.created_at,
            updated_at: wire.updated_at,
            oem_secret,
            extra,
        }
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
