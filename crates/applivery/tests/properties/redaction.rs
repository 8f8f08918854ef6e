//! Redaction never lets the API key through, whatever the server echoes: the key anywhere in
//! an error message, an HTML page or a body cut into a snippet, after `classify` and
//! `Error::scrub` (what the client does with every failed attempt).

use applivery::Error;
use proptest::prelude::*;

/// API keys: long tokens of letters, digits, `-` and `_`.
pub fn api_key() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_-]{16,64}"
}

/// Filler the server wraps the echo in: text without the key's characters, so that any piece
/// of the key found in the output can only come from the echo.
pub fn filler() -> impl Strategy<Value = String> {
    "[ .,:;!?<>/=\"{}()\\[\\]éü\\t\\n]{0,300}"
}

/// Every way an error is shown: Display, Debug, the JSON of the CLI and the npm package, the
/// body snippet, its sources.
pub fn shown(error: &Error) -> String {
    let mut shown = format!(
        "{error} {error:?} {error:#?} {} {}",
        serde_json::to_string(error).unwrap(),
        error.body_snippet().unwrap_or_default()
    );
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        shown.push_str(&format!(" {cause} {cause:?}"));
        source = cause.source();
    }
    shown
}

/// The longest piece of `key` (at least 8 characters long) that `text` contains, if any.
pub fn leaked_piece<'k>(text: &str, key: &'k str) -> Option<&'k str> {
    (8..=key.len())
        .rev()
        .flat_map(|len| (0..=key.len() - len).map(move |start| &key[start..start + len]))
        .find(|piece| text.contains(piece))
}

proptest! {
    #[test]
    fn the_key_never_survives_scrubbing(
        key in api_key(),
        parts in prop::collection::vec(filler(), 1..4),
        status in prop_oneof![Just(200u16), 400..=599u16],
        shape in 0..3usize,
    ) {
        // The key echoed between the filler pieces: in the JSON error message, or raw.
        let echoed = parts.join(&key);
        let body = match shape {
            0 => serde_json::to_vec(&serde_json::json!({
                "status": false, "error": {"code": 4004, "message": echoed}
            })).unwrap(),
            1 => format!("<html><body>{echoed}</body></html>").into_bytes(),
            _ => echoed.into_bytes(),
        };
        let error = match applivery::sans_io::classify(status, None, &body) {
            Ok(_) => return Ok(()),
            Err(error) => error.scrub(&key),
        };
        let shown = shown(&error);
        prop_assert_eq!(leaked_piece(&shown, &key), None, "{}", shown);
    }

    #[test]
    fn scrubbing_removes_the_key_from_any_error(
        key in api_key(),
        message in filler(),
        at in any::<prop::sample::Index>(),
    ) {
        let mut message = message;
        let at = message.char_indices().nth(at.index(message.chars().count() + 1)).map_or(message.len(), |(i, _)| i);
        message.insert_str(at, &key);
        for error in [
            Error::network(message.clone()),
            Error::invalid_response(Some(200), message.clone(), message.as_bytes()),
            Error::config(message.clone()).with_source(std::io::Error::other(message.clone())),
        ] {
            let shown = shown(&error.scrub(&key));
            prop_assert_eq!(leaked_piece(&shown, &key), None, "{}", shown);
        }
    }
}
