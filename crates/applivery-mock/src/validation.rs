//! Request body checks, with messages that name the offending field.

use applivery_api::types::NewOemUser;
use serde_json::Value;

/// Parses a request body into the wire type, or says which field is wrong.
pub(crate) fn parse_new_user(body: &[u8]) -> Result<NewOemUser, String> {
    // Fast path: a well-formed body is decoded once; only a bad one pays for the diagnosis.
    match serde_json::from_slice::<NewOemUser>(body) {
        Ok(user) if is_valid_email(&user.email) => Ok(user),
        Ok(_) => Err("email is not a valid email address".into()),
        Err(_) => Err(diagnose(body)),
    }
}

/// Why `body` is not a valid `NewOemUser`, naming the field where there is one.
fn diagnose(body: &[u8]) -> String {
    match check_fields(body) {
        Err(message) => message,
        Ok(()) => match serde_json::from_slice::<NewOemUser>(body) {
            Err(e) => format!("body does not match NewOemUser: {e}"),
            Ok(_) => "body does not match NewOemUser".into(),
        },
    }
}

fn check_fields(body: &[u8]) -> Result<(), String> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| format!("body is not valid JSON: {e}"))?;
    let Value::Object(fields) = &value else {
        return Err("body must be a JSON object".into());
    };
    match fields.get("email") {
        None | Some(Value::Null) => return Err("email is required".into()),
        Some(Value::String(email)) if !is_valid_email(email) => {
            return Err("email is not a valid email address".into());
        }
        Some(Value::String(_)) => {}
        Some(_) => return Err("email must be a string".into()),
    }
    for name in ["firstName", "lastName"] {
        if !matches!(
            fields.get(name),
            None | Some(Value::Null | Value::String(_))
        ) {
            return Err(format!("{name} must be a string"));
        }
    }
    match fields.get("tags") {
        None => {}
        Some(Value::Array(tags)) if tags.iter().all(Value::is_string) => {}
        Some(_) => return Err("tags must be an array of strings".into()),
    }
    Ok(())
}

/// A deliberately plain check: one `@`, a non-empty local part, a dotted domain, no spaces.
pub(crate) fn is_valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    email.len() <= 254
        && !local.is_empty()
        && local.len() <= 64
        && !domain.contains('@')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && domain.split('.').count() >= 2
        && domain.split('.').all(|label| !label.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for good in ["a@b.co", "first.last+tag@sub.example.com", "Ünï@exämple.de"] {
            assert!(is_valid_email(good), "{good}");
        }
        for bad in [
            "", "plain", "@b.co", "a@", "a@b", "a@@b.co", "a b@c.de", "a@b..co", "a@.b.co",
        ] {
            assert!(!is_valid_email(bad), "{bad}");
        }
    }

    #[test]
    fn body_errors_name_the_field() {
        let error = |body: &str| parse_new_user(body.as_bytes()).unwrap_err();
        assert!(error("nope").starts_with("body is not valid JSON"));
        assert_eq!(error("[1]"), "body must be a JSON object");
        assert_eq!(error("{}"), "email is required");
        assert_eq!(error(r#"{"email":1}"#), "email must be a string");
        assert_eq!(
            error(r#"{"email":"x"}"#),
            "email is not a valid email address"
        );
        assert_eq!(
            error(r#"{"email":"a@b.co","firstName":2}"#),
            "firstName must be a string"
        );
        assert_eq!(
            error(r#"{"email":"a@b.co","tags":"t"}"#),
            "tags must be an array of strings"
        );
        let user = parse_new_user(br#"{"email":"a@b.co","tags":["x"],"lastName":null}"#).unwrap();
        assert_eq!(user.email, "a@b.co");
        assert_eq!(user.tags, ["x"]);
    }
}
