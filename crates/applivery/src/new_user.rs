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
pub struct NewOemUser(pub(crate) applivery_api::types::NewOemUser);

// Every field is a string or a list of strings.
impl Eq for NewOemUser {}

// `new`, the setters and the getters are generated from the spec: `generated/new_oem_user.rs`.
impl NewOemUser {
    /// The email.
    #[deprecated(since = "0.2.0", note = "renamed `get_email`, like the other getters")]
    pub fn email(&self) -> &str {
        self.get_email()
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

/// `create_oem_user`'s body: the spec's rules, then the wire type as JSON.
#[cfg(feature = "client")]
impl crate::call::RequestBody for NewOemUser {
    fn problems(&self) -> Vec<applivery_api::rules::Problem> {
        self.0.problems()
    }

    fn to_json(&self) -> Result<Vec<u8>, serde_json::Error> {
        serde_json::to_vec(&self.0)
    }
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
