//! Request body checks: the spec's rules, through the same generated code the SDK runs
//! (`NewOemUser::problems`), with messages that name the offending field.

use applivery_api::shape::Shape;
use applivery_api::types::NewOemUser;
use serde_json::Value;

/// Parses a request body into the wire type, or says which field is wrong.
pub(crate) fn parse_new_user(body: &[u8]) -> Result<NewOemUser, String> {
    // Fast path: a well-formed body is decoded once; only a bad one pays for the diagnosis.
    match serde_json::from_slice::<NewOemUser>(body) {
        Ok(user) => {
            let problems = user.problems();
            if problems.is_empty() {
                return Ok(user);
            }
            let described: Vec<String> = problems
                .iter()
                .map(|problem| format!("{} {}", problem.field, problem.message))
                .collect();
            Err(described.join("; "))
        }
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
    for field in NewOemUser::FIELDS {
        let value = fields.get(field.name);
        let fits = match (field.shape, value) {
            (_, None) => !field.required,
            (_, Some(Value::Null)) => !field.required && field.shape == Shape::Text,
            (Shape::Text, Some(Value::String(_))) => true,
            (Shape::TextList, Some(Value::Array(items))) => items.iter().all(Value::is_string),
            _ => false,
        };
        if !fits {
            let missing = value.is_none_or(Value::is_null) && field.required;
            return Err(match field.shape {
                _ if missing => format!("{} is required", field.name),
                Shape::TextList => format!("{} must be an array of strings", field.name),
                _ => format!("{} must be a string", field.name),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_errors_name_the_field() {
        let error = |body: &str| parse_new_user(body.as_bytes()).unwrap_err();
        assert!(error("nope").starts_with("body is not valid JSON"));
        assert_eq!(error("[1]"), "body must be a JSON object");
        assert_eq!(error("{}"), "email is required");
        assert_eq!(error(r#"{"email":1}"#), "email must be a string");
        assert_eq!(error(r#"{"email":"x"}"#), "email must contain '@'");
        assert_eq!(
            error(&format!(
                r#"{{"email":"a@b.co","lastName":"{}"}}"#,
                "x".repeat(129)
            )),
            "lastName must be at most 128 characters (got 129)"
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
