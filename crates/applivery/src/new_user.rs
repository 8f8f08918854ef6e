//! The user to create, built fluently and validated before anything is sent.

use crate::error::{Error, FieldError};
use crate::validate::{field_errors, into_result};

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
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct NewOemUser(applivery_api::types::NewOemUser);

// Every field is a string or a list of strings.
impl Eq for NewOemUser {}

impl NewOemUser {
    /// A user with this email and nothing else.
    pub fn new(email: impl Into<String>) -> Self {
        NewOemUser(applivery_api::types::NewOemUser {
            email: email.into(),
            first_name: None,
            last_name: None,
            tags: Vec::new(),
        })
    }

    /// Sets the first (given) name.
    pub fn first_name(mut self, first_name: impl Into<String>) -> Self {
        self.0.first_name = Some(first_name.into());
        self
    }

    /// Sets the last (family) name.
    pub fn last_name(mut self, last_name: impl Into<String>) -> Self {
        self.0.last_name = Some(last_name.into());
        self
    }

    /// Replaces the tags.
    pub fn tags<I, S>(mut self, tags: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.0.tags = tags.into_iter().map(Into::into).collect();
        self
    }

    /// Adds one tag.
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.0.tags.push(tag.into());
        self
    }

    /// The email. Getters of builder types are named `get_*`, since the plain names set.
    pub fn get_email(&self) -> &str {
        &self.0.email
    }

    /// The email.
    #[deprecated(since = "0.2.0", note = "renamed `get_email`, like the other getters")]
    pub fn email(&self) -> &str {
        self.get_email()
    }

    /// The first name, if set.
    pub fn get_first_name(&self) -> Option<&str> {
        self.0.first_name.as_deref()
    }

    /// The last name, if set.
    pub fn get_last_name(&self) -> Option<&str> {
        self.0.last_name.as_deref()
    }

    /// The tags.
    pub fn get_tags(&self) -> &[String] {
        &self.0.tags
    }

    /// Checks every field against the spec's rules and reports all problems at once as
    /// [`ErrorKind::InvalidInput`] with one [`FieldError`] per problem.
    ///
    /// [`ErrorKind::InvalidInput`]: crate::ErrorKind::InvalidInput
    pub fn validate(&self) -> Result<(), Error> {
        into_result(self.field_errors())
    }

    fn field_errors(&self) -> Vec<FieldError> {
        field_errors(self.0.problems())
    }

    /// The wire body sent to the endpoint.
    pub fn to_wire(&self) -> applivery_api::types::NewOemUser {
        self.0.clone()
    }

    /// The wire body, borrowed.
    pub fn as_wire(&self) -> &applivery_api::types::NewOemUser {
        &self.0
    }
}

/// Validates an organization id and a user together, reporting every problem of both.
///
/// This is what `Client::create_oem_user` runs before any I/O; the wasm package calls it too.
pub fn validate_request(organization_id: &str, user: &NewOemUser) -> Result<(), Error> {
    let mut errors = field_errors(applivery_api::validation::organization_id_problems(
        organization_id,
    ));
    errors.extend(user.field_errors());
    into_result(errors)
}

impl From<applivery_api::types::NewOemUser> for NewOemUser {
    fn from(wire: applivery_api::types::NewOemUser) -> Self {
        NewOemUser(wire)
    }
}

impl From<NewOemUser> for applivery_api::types::NewOemUser {
    fn from(user: NewOemUser) -> Self {
        user.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_every_field_at_once() {
        let user = NewOemUser::new("bad")
            .first_name("x".repeat(129))
            .last_name("x".repeat(129))
            .tags(["", "ok", "ok", " "]);
        let error = validate_request("a/b", &user).unwrap_err();
        let fields: Vec<_> = error.field_errors().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["organizationId", "email", "firstName", "lastName"]);
    }

    #[test]
    fn accepts_what_the_spec_does_not_forbid() {
        // Blank or control-character names, blank, duplicate, long and many tags: no rule of
        // Applivery's forbids them, so neither does the SDK.
        let user = NewOemUser::new("a-@b-.co")
            .first_name(" ")
            .last_name("\u{7}")
            .tags(vec!["a".to_string(); 60])
            .tag("")
            .tag("t".repeat(500));
        assert!(validate_request("a-b", &user).is_ok());
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
