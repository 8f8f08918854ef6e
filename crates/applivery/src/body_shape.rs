//! Why a 2xx body is not the documented envelope, said by its shape only.
//!
//! A success body can hold an OEM secret (`data.oemSecret`); an error built from it is printed
//! by the CLI, written to an import's results file and logged by services. So no part of a 2xx
//! body is quoted: serde_json's messages quote the offending value (`invalid type: string
//! "SECRET", expected ...`, `unknown variant `...``), and this keeps only what the wire types
//! say (field names, expected types) and where it was (line, column).

/// serde_json's reason, without any value from the body.
pub(crate) fn describe(error: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let position = match error.line() {
        0 => String::new(),
        line => format!(" (line {line}, column {})", error.column()),
    };
    let what = match error.classify() {
        Category::Io => "the body could not be read".to_owned(),
        Category::Syntax => "the body is not JSON".to_owned(),
        Category::Eof => "the body is not JSON (it ends early)".to_owned(),
        Category::Data => data_reason(&error.to_string(), error.line()),
    };
    format!("{what}{position}")
}

/// A data error's message (`... at line L column C`) with the value it quotes left out.
fn data_reason(message: &str, line: usize) -> String {
    let message = match message.rsplit_once(" at line ") {
        Some((message, _)) if line > 0 => message,
        _ => message,
    };
    // Named by our own types: the field names of the wire types.
    if message.starts_with("missing field `") || message.starts_with("duplicate field `") {
        return message.to_owned();
    }
    for (prefix, said) in [
        ("invalid type: ", "a field has the wrong type"),
        ("invalid value: ", "a field has a wrong value"),
    ] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some((unexpected, expected)) = rest.rsplit_once(", expected ")
        {
            // `string "..."`, `integer `42``, `map`: the kind, not the value.
            let kind = unexpected
                .split(['`', '"'])
                .next()
                .unwrap_or_default()
                .trim();
            return format!("{said}: {kind}, expected {expected}");
        }
    }
    for (prefix, said) in [
        ("unknown variant `", "unknown variant"),
        ("unknown field `", "unknown field"),
    ] {
        if message.starts_with(prefix)
            && let Some((_, expected)) = message.rsplit_once("`, expected ")
        {
            return format!("{said}, expected {expected}");
        }
    }
    if message.starts_with("invalid length ") || message == "number out of range" {
        return message.to_owned();
    }
    // A message of another form may quote the value: say only that the shape is wrong.
    "a field has the wrong type or form".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason<T: serde::de::DeserializeOwned + std::fmt::Debug>(body: &str) -> String {
        describe(&serde_json::from_str::<T>(body).unwrap_err())
    }

    #[test]
    fn reasons_name_the_shape_and_never_a_value() {
        use applivery_api::types::CreateOemUserResponse as Envelope;
        let cases = [
            (
                r#"{"status":true,"data":{"oemSecret":"SECRET-1","collaborator":"SECRET-2"}}"#,
                "a field has the wrong type: string, expected struct Collaborator (line 1, column",
            ),
            (
                r#"{"status":true,"data":{"oemSecret":"SECRET-1","collaborator":42}}"#,
                "a field has the wrong type: integer, expected struct Collaborator",
            ),
            (
                r#"{"status":true,"data":{"oemSecret":"SECRET-1"}}"#,
                "missing field `collaborator`",
            ),
            (
                "oemSecret=SECRET-1",
                "the body is not JSON (line 1, column 1)",
            ),
            (
                r#"{"data":{"oemSecret":"SECRET-1""#,
                "the body is not JSON (it ends early)",
            ),
            (
                r#"{"status":"SECRET-1"}"#,
                "a field has the wrong type: string, expected a boolean",
            ),
        ];
        for (body, expected) in cases {
            let reason = reason::<Envelope>(body);
            assert!(reason.starts_with(expected), "{body}: {reason}");
            assert!(!reason.contains("SECRET"), "{body}: {reason}");
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        enum Role {
            Admin,
        }
        let reason = reason::<Role>(r#""SECRET-1""#);
        assert!(
            reason.starts_with("unknown variant, expected `Admin`"),
            "{reason}"
        );
    }
}
