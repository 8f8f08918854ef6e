//! The user to create, built fluently and validated before anything is sent.

use crate::error::{Error, FieldError};
use crate::validate::{email_problem, name_problem, organization_id_problem, tags_problems};

/// The OEM user to create: an email plus optional names and tags.
///
/// ```
/// use applivery::NewOemUser;
/// let user = NewOemUser::new("ada@example.com")
///     .first_name("Ada")
///     .last_name("Lovelace")
///     .tags(["engineering", "beta"]);
/// assert!(user.validate().is_ok());
/// assert!(NewOemUser::new("not-an-email").validate().is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewOemUser {
    email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
}

impl NewOemUser {
    /// A user with this email and nothing else.
    pub fn new(email: impl Into<String>) -> Self {
        NewOemUser {
            email: email.into(),
            first_name: None,
            last_name: None,
            tags: Vec::new(),
        }
    }

    /// Sets the first (given) name.
    pub fn first_name(mut self, first_name: impl Into<String>) -> Self {
        self.first_name = Some(first_name.into());
        self
    }

    /// Sets the last (family) name.
    pub fn last_name(mut self, last_name: impl Into<String>) -> Self {
        self.last_name = Some(last_name.into());
        self
    }

    /// Replaces the tags.
    pub fn tags<I, S>(mut self, tags: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.tags = tags.into_iter().map(Into::into).collect();
        self
    }

    /// Adds one tag.
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tags.push(tag.into());
        self
    }

    /// The email. Getters of builder types are named `get_*`, since the plain names set.
    pub fn get_email(&self) -> &str {
        &self.email
    }

    /// The email.
    #[deprecated(since = "0.2.0", note = "renamed `get_email`, like the other getters")]
    pub fn email(&self) -> &str {
        self.get_email()
    }

    /// The first name, if set.
    pub fn get_first_name(&self) -> Option<&str> {
        self.first_name.as_deref()
    }

    /// The last name, if set.
    pub fn get_last_name(&self) -> Option<&str> {
        self.last_name.as_deref()
    }

    /// The tags.
    pub fn get_tags(&self) -> &[String] {
        &self.tags
    }

    /// Checks every field and reports all problems at once as [`ErrorKind::InvalidInput`]
    /// with one [`FieldError`] per problem.
    ///
    /// [`ErrorKind::InvalidInput`]: crate::ErrorKind::InvalidInput
    pub fn validate(&self) -> Result<(), Error> {
        let errors = self.field_errors();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::invalid_input(errors))
        }
    }

    fn field_errors(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if let Some(problem) = email_problem(&self.email) {
            errors.push(FieldError::new("email", problem));
        }
        if let Some(problem) = self.first_name.as_deref().and_then(name_problem) {
            errors.push(FieldError::new("firstName", problem));
        }
        if let Some(problem) = self.last_name.as_deref().and_then(name_problem) {
            errors.push(FieldError::new("lastName", problem));
        }
        errors.extend(
            tags_problems(&self.tags)
                .into_iter()
                .map(|problem| FieldError::new("tags", problem)),
        );
        errors
    }

    /// The wire body sent to the endpoint.
    pub fn to_wire(&self) -> applivery_api::types::NewOemUser {
        applivery_api::types::NewOemUser {
            email: self.email.clone(),
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            tags: self.tags.clone(),
        }
    }
}

/// Validates an organization id and a user together, reporting every problem of both.
///
/// This is what `Client::create_oem_user` runs before any I/O; the wasm package calls it too.
pub fn validate_request(organization_id: &str, user: &NewOemUser) -> Result<(), Error> {
    let mut errors = Vec::new();
    if let Some(problem) = organization_id_problem(organization_id) {
        errors.push(FieldError::new("organizationId", problem));
    }
    errors.extend(user.field_errors());
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::invalid_input(errors))
    }
}

impl From<applivery_api::types::NewOemUser> for NewOemUser {
    fn from(wire: applivery_api::types::NewOemUser) -> Self {
        NewOemUser {
            email: wire.email,
            first_name: wire.first_name,
            last_name: wire.last_name,
            tags: wire.tags,
        }
    }
}

impl From<NewOemUser> for applivery_api::types::NewOemUser {
    fn from(user: NewOemUser) -> Self {
        applivery_api::types::NewOemUser {
            email: user.email,
            first_name: user.first_name,
            last_name: user.last_name,
            tags: user.tags,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_every_field_at_once() {
        let user = NewOemUser::new("bad")
            .first_name(" ")
            .last_name("x".repeat(129))
            .tags(["", "ok"]);
        let error = validate_request("a/b", &user).unwrap_err();
        let fields: Vec<_> = error.field_errors().iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            ["organizationId", "email", "firstName", "lastName", "tags"]
        );
    }

    #[test]
    fn wire_body_uses_camel_case() {
        let user = NewOemUser::new("a@example.com").first_name("A").tag("t");
        let json = serde_json::to_value(user.to_wire()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"email": "a@example.com", "firstName": "A", "tags": ["t"]})
        );
    }
}
