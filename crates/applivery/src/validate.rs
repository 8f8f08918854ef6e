//! Input validation, run before any I/O: exactly the spec's rules, every problem at once.
//!
//! The rules are generated from the spec by `cargo xtask codegen` (`applivery_api::validation`:
//! patterns compiled into tables, the email one a hand-written matcher of
//! `applivery_api::patterns`); the mock enforces the same code, so client and server can't
//! disagree. Applivery documents:
//!
//! - `organizationId`: a 24-hex id or a slug of 3 or more of `A-Z a-z 0-9 -`. Nothing else can
//!   pass, so an id can never alter the request path (`/`, `.`, `%`, `?`, `#` are refused).
//! - `email`: required, at most 256 characters, of the documented (ASCII) pattern.
//! - `firstName`, `lastName`: at most 128 characters each.
//! - `tags`: no limits.

use crate::error::{Error, FieldError};

/// Checks an organization id against the spec's pattern.
///
/// ```
/// assert!(applivery::validate_organization_id("5f3a9c0e1b2c3d4e5f6a7b8c").is_ok());
/// assert!(applivery::validate_organization_id("demo-org").is_ok());
/// assert!(applivery::validate_organization_id("../admin").is_err());
/// ```
pub fn validate_organization_id(organization_id: &str) -> Result<(), Error> {
    into_result(field_errors(
        applivery_api::validation::organization_id_problems(organization_id),
    ))
}

/// The generated checks' problems as field errors.
pub(crate) fn field_errors(problems: Vec<applivery_api::rules::Problem>) -> Vec<FieldError> {
    problems
        .into_iter()
        .map(|problem| FieldError::new(problem.field, problem.message))
        .collect()
}

/// `Ok` without field errors, else one [`Error::invalid_input`] with all of them.
pub(crate) fn into_result(errors: Vec<FieldError>) -> Result<(), Error> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::invalid_input(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organization_ids() {
        for ok in [
            "demo-org",
            "5f3a9c0e1b2c3d4e5f6a7b8c",
            "A-b9",
            &"a".repeat(1000),
        ] {
            assert!(validate_organization_id(ok).is_ok(), "{ok}");
        }
        for bad in [
            "", "ab", "A_b", "../x", "a/b", "a?b", "a#b", "a b", "%2e%2e", "é12",
        ] {
            let error = validate_organization_id(bad).unwrap_err();
            assert_eq!(error.field_errors()[0].field, "organizationId", "{bad}");
        }
    }
}
