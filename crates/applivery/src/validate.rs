//! Input validation, run before any I/O. Every problem is reported at once, per field.

use crate::error::{Error, FieldError};

/// Longest email accepted, in characters (Applivery documents 256).
pub const MAX_EMAIL_CHARS: usize = 256;
/// Longest local part (before `@`) of an email, in characters (RFC 5321).
pub const MAX_EMAIL_LOCAL_CHARS: usize = 64;
/// Longest first or last name, in characters (Applivery documents 128).
pub const MAX_NAME_CHARS: usize = 128;
/// Longest tag, in characters. Applivery documents no limit; 64 keeps tags label-sized.
pub const MAX_TAG_CHARS: usize = 64;
/// Most tags on one user. Applivery documents no limit; 50 is far above real use.
pub const MAX_TAGS: usize = 50;
/// Longest organization id, in characters. Applivery ids are 24 hex characters; slugs such as
/// `demo-org` are accepted too.
pub const MAX_ORGANIZATION_ID_CHARS: usize = 64;

/// Checks an organization id: 1 to 64 characters of `A-Z a-z 0-9 _ -`.
///
/// That is the shape of Applivery ids (24-hex ObjectIds) and of slugs. It also guarantees the id
/// can never change the request path: `../x`, `a/b`, `a?b`, `a#b` and ids with spaces are refused.
///
/// ```
/// assert!(applivery::validate_organization_id("5f3a9c0e1b2c3d4e5f6a7b8c").is_ok());
/// assert!(applivery::validate_organization_id("../admin").is_err());
/// ```
pub fn validate_organization_id(organization_id: &str) -> Result<(), Error> {
    match organization_id_problem(organization_id) {
        None => Ok(()),
        Some(message) => Err(Error::invalid_input(vec![FieldError::new(
            "organizationId",
            message,
        )])),
    }
}

pub(crate) fn organization_id_problem(id: &str) -> Option<String> {
    if id.is_empty() {
        return Some("is required".into());
    }
    let chars = id.chars().count();
    if chars > MAX_ORGANIZATION_ID_CHARS {
        return Some(format!(
            "must be at most {MAX_ORGANIZATION_ID_CHARS} characters (got {chars})"
        ));
    }
    if !id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Some("may only contain letters, digits, '-' and '_'".into());
    }
    None
}

/// Checks an email address: at most 256 characters, exactly one `@`, a local part of at most 64
/// characters without spaces, control characters or unquoted specials, and a domain of at least
/// two dot-separated labels of letters, digits and `-`.
///
/// Deliberately pragmatic: quoted local parts and IP-literal domains are refused.
pub(crate) fn email_problem(email: &str) -> Option<String> {
    if email.is_empty() {
        return Some("is required".into());
    }
    let chars = email.chars().count();
    if chars > MAX_EMAIL_CHARS {
        return Some(format!(
            "must be at most {MAX_EMAIL_CHARS} characters (got {chars})"
        ));
    }
    if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("must not contain spaces or control characters".into());
    }
    let mut parts = email.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return Some("must contain exactly one '@'".into());
    };
    if local.is_empty() {
        return Some("needs a part before '@'".into());
    }
    let local_chars = local.chars().count();
    if local_chars > MAX_EMAIL_LOCAL_CHARS {
        return Some(format!(
            "the part before '@' must be at most {MAX_EMAIL_LOCAL_CHARS} characters (got {local_chars})"
        ));
    }
    let local_ok = local
        .chars()
        .all(|c| c.is_alphanumeric() || is_local_part_special(c));
    if !local_ok {
        return Some("the part before '@' contains a character that is not allowed".into());
    }
    // An empty piece between dots is a leading, trailing or doubled '.'.
    if local.split('.').any(str::is_empty) {
        return Some("the part before '@' must not start or end with '.' or contain '..'".into());
    }
    if domain.is_empty() {
        return Some("needs a domain after '@'".into());
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return Some("the domain needs a dot, as in example.com".into());
    }
    for label in &labels {
        if label.is_empty() {
            return Some("the domain must not start or end with '.' or contain '..'".into());
        }
        if label.chars().count() > 63 {
            return Some("a domain label must be at most 63 characters".into());
        }
        if !label.chars().all(|c| c.is_alphanumeric() || c == '-') {
            return Some("the domain may only contain letters, digits, '-' and '.'".into());
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Some("a domain label must not start or end with '-'".into());
        }
    }
    if labels
        .last()
        .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_digit()))
    {
        return Some("the domain must end with a name, not a number".into());
    }
    None
}

/// The ASCII punctuation RFC 5322 allows unquoted before the `@`.
///
/// A byte lookup: `str::contains(char)` falls back to a substring search for non-ASCII
/// characters, which costs the wasm package 5 KB.
fn is_local_part_special(c: char) -> bool {
    c.is_ascii() && b"!#$%&'*+/=?^_`{|}~.-".contains(&(c as u8))
}

/// Checks an optional first or last name: not blank, at most 128 characters, no control
/// characters.
pub(crate) fn name_problem(name: &str) -> Option<String> {
    if name.trim().is_empty() {
        return Some("must not be blank when given".into());
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Some(format!(
            "must be at most {MAX_NAME_CHARS} characters (got {chars})"
        ));
    }
    if name.chars().any(char::is_control) {
        return Some("must not contain control characters".into());
    }
    None
}

/// Checks the tags: at most 50, each non-blank, at most 64 characters, no control characters,
/// no duplicates.
pub(crate) fn tags_problems(tags: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    if tags.len() > MAX_TAGS {
        problems.push(format!(
            "at most {MAX_TAGS} tags are allowed (got {})",
            tags.len()
        ));
    }
    for (index, tag) in tags.iter().enumerate() {
        let chars = tag.chars().count();
        if tag.trim().is_empty() {
            problems.push(format!("tag {} must not be blank", index + 1));
        } else if chars > MAX_TAG_CHARS {
            problems.push(format!(
                "tag {} must be at most {MAX_TAG_CHARS} characters (got {chars})",
                index + 1
            ));
        } else if tag.chars().any(char::is_control) {
            problems.push(format!(
                "tag {} must not contain control characters",
                index + 1
            ));
        } else if tags[..index].contains(tag) {
            problems.push(format!("tag {} is a duplicate", index + 1));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_emails() {
        for email in [
            "user@example.com",
            "first.last+tag@sub.example.co.uk",
            "o'neil@example.org",
            "x@a-b.io",
            "josé@bücher.de",
            &format!("{}@example.com", "a".repeat(64)),
        ] {
            assert_eq!(email_problem(email), None, "{email}");
        }
    }

    #[test]
    fn refuses_broken_emails() {
        for email in [
            "",
            "plain",
            "@example.com",
            "user@",
            "user@localhost",
            "a@b@example.com",
            "us er@example.com",
            "user@exa mple.com",
            "user\n@example.com",
            ".user@example.com",
            "us..er@example.com",
            "user@-example.com",
            "user@example..com",
            "user@example.com.",
            "user@1.2.3.4",
            "us\"er@example.com",
            "user@exa_mple.com",
            &format!("{}@example.com", "a".repeat(65)),
            &format!("a@{}.com", "b".repeat(64)),
            &format!("a@{}.example.com", vec!["b".repeat(60); 5].join(".")),
        ] {
            assert!(email_problem(email).is_some(), "{email:?}");
        }
    }

    #[test]
    fn organization_ids() {
        for ok in ["demo-org", "5f3a9c0e1b2c3d4e5f6a7b8c", "A_b-9"] {
            assert!(validate_organization_id(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "../x",
            "a/b",
            "a?b",
            "a#b",
            "a b",
            "%2e%2e",
            "é",
            &"a".repeat(65),
        ] {
            let error = validate_organization_id(bad).unwrap_err();
            assert_eq!(error.field_errors()[0].field, "organizationId", "{bad}");
        }
    }

    #[test]
    fn tags() {
        assert!(tags_problems(&["a".into(), "b".into()]).is_empty());
        assert_eq!(tags_problems(&["a".into(), "a".into()]).len(), 1);
        assert_eq!(tags_problems(&[" ".into()]).len(), 1);
        assert_eq!(tags_problems(&vec!["x".to_string(); 51]).len(), 51);
    }
}
