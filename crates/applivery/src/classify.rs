//! Turns an HTTP answer (status, `Retry-After`, body) into a collaborator or a typed error.
//!
//! Transport-agnostic: the native client calls it after reqwest, the wasm package after `fetch`,
//! so both report exactly the same kinds for the same answers.

use std::time::Duration;

use crate::Collaborator;
use crate::error::{Error, ErrorKind, RetryClass};

/// Largest response body accepted, in bytes; larger answers are [`ErrorKind::InvalidResponse`].
pub const MAX_RESPONSE_BYTES: u64 = applivery_api::MAX_RESPONSE_BYTES;

/// Documented Applivery error codes.
pub mod codes {
    /// Feature blocked by platform configuration (HTTP 400).
    pub const FEATURE_BLOCKED: i64 = 5187;
    /// No auth token (HTTP 401).
    pub const NO_AUTH_TOKEN: i64 = 4002;
    /// Invalid token (HTTP 401).
    pub const INVALID_TOKEN: i64 = 4004;
    /// Already registered (HTTP 403).
    pub const ALREADY_REGISTERED: i64 = 4009;
    /// Entity not found (HTTP 404).
    pub const ENTITY_NOT_FOUND: i64 = 3001;
    /// Database validation error (HTTP 400). Documented on another endpoint of the same API;
    /// assumed for a body that breaks a rule. Reported as [`ErrorKind::Api`](crate::ErrorKind::Api).
    pub const DATABASE_VALIDATION: i64 = 6001;
}

/// Classifies one complete HTTP answer of a create (or refresh) call; [`classify_with`] for any
/// operation's answer.
///
/// - 2xx: the body must decode as the success envelope, else [`ErrorKind::InvalidResponse`]
///   (the status and the body's shape: which field is missing or of which type, or "not
///   JSON"; never a part of the body, which may hold an OEM secret).
/// - 429: [`ErrorKind::RateLimited`] with `Retry-After`; 5xx: [`ErrorKind::ServerError`]
///   (503 is safe to retry, 500/502/504 may have created the user).
/// - Otherwise the error envelope's code decides: 5187, 4002/4004, 4009, 3001 map to their
///   kinds, any other code or status is [`ErrorKind::Api`], kept whole. A body that is not an
///   error envelope is [`ErrorKind::InvalidResponse`].
///
/// `retry_after` is the raw `Retry-After` header value, if any.
///
/// ```
/// let err = applivery::sans_io::classify(403, None, br#"{"status":false,"error":{"code":4009,"message":"dup"}}"#)
///     .unwrap_err();
/// assert_eq!(err.kind(), applivery::ErrorKind::AlreadyRegistered);
/// assert_eq!((err.status(), err.code()), (Some(403), Some(4009)));
/// ```
pub fn classify(
    status: u16,
    retry_after: Option<&str>,
    body: &[u8],
) -> Result<Collaborator, Error> {
    classify_with(&SerdeJson, status, retry_after, body)
}

/// Decodes a response body for [`classify_with`].
///
/// [`classify`] uses [`SerdeJson`] and the generated wire types. The wasm package decodes with
/// the host's `JSON.parse` and hands the success body back to JavaScript as the parsed object,
/// which keeps serde_json's parser, its `Map`/`Value` and their formatting out of the download.
pub trait WireDecoder {
    /// What a success body decodes to.
    type Output;
    /// The collaborator of a success envelope, or why the body is not one (a short text, never
    /// the body).
    fn success(&self, body: &[u8]) -> Result<Self::Output, String>;
    /// The error envelope, when the body is one.
    fn error(&self, body: &[u8]) -> Option<applivery_api::types::ErrorResponse>;
}

/// The [`WireDecoder`] of [`classify`]: serde_json into the generated wire types.
#[derive(Clone, Copy, Debug, Default)]
pub struct SerdeJson;

impl WireDecoder for SerdeJson {
    type Output = Collaborator;

    fn success(&self, body: &[u8]) -> Result<Collaborator, String> {
        serde_json::from_slice::<applivery_api::types::CreateOemUserResponse>(body)
            .map(|envelope| Collaborator::from_data(envelope.data))
            .map_err(|e| crate::body_shape::describe(&e))
    }

    fn error(&self, body: &[u8]) -> Option<applivery_api::types::ErrorResponse> {
        serde_json::from_slice(body).ok()
    }
}

/// [`classify`] with another way of decoding the body; the classification is the same.
pub fn classify_with<D: WireDecoder>(
    decoder: &D,
    status: u16,
    retry_after: Option<&str>,
    body: &[u8],
) -> Result<D::Output, Error> {
    if (200..300).contains(&status) {
        return match decoder.success(body) {
            Ok(collaborator) => Ok(collaborator),
            Err(reason) => Err(Error::invalid_response(
                Some(status),
                format!("the success response could not be decoded: {reason}"),
                body,
            )),
        };
    }
    let envelope = decoder.error(body).and_then(|envelope| envelope.error);
    let (code, message) = match envelope {
        Some(detail) => (detail.code, detail.message),
        None => (None, None),
    };
    let retry_after = retry_after.and_then(parse_retry_after);
    let decoded = code.is_some() || message.is_some();

    let mut error = match (status, code.and_then(kind_for_code)) {
        (429, _) => Error::new(ErrorKind::RateLimited, "too many requests")
            .with_retry_class(RetryClass::Safe),
        (500..=599, _) => Error::new(ErrorKind::ServerError, "the server failed")
            .with_retry_class(retry_class_for_server_error(status)),
        (_, Some(kind)) => Error::new(kind, ""),
        _ if decoded => Error::new(ErrorKind::Api, "unexpected API error"),
        _ => {
            return Err(Error::invalid_response(
                Some(status),
                format!("HTTP {status} without an Applivery error body"),
                body,
            ));
        }
    }
    .with_status(status);
    if let Some(code) = code {
        error = error.with_code(code);
    }
    if let Some(retry_after) = retry_after {
        error = error.with_retry_after(retry_after);
    }
    let message = match message {
        Some(message) if !message.is_empty() => message,
        _ if !decoded && !body.is_empty() => {
            format!("{}: {}", error.message(), crate::error::snippet(body))
        }
        _ if error.message().is_empty() => default_message(error.kind()).to_owned(),
        _ => return Err(error),
    };
    Err(error.replace_message(message))
}

/// The kind of a documented Applivery error code.
pub fn kind_for_code(code: i64) -> Option<ErrorKind> {
    match code {
        codes::FEATURE_BLOCKED => Some(ErrorKind::FeatureBlocked),
        codes::NO_AUTH_TOKEN | codes::INVALID_TOKEN => Some(ErrorKind::Unauthorized),
        codes::ALREADY_REGISTERED => Some(ErrorKind::AlreadyRegistered),
        codes::ENTITY_NOT_FOUND => Some(ErrorKind::NotFound),
        _ => None,
    }
}

/// 503 means the server refused the work; 500, 502 and 504 may come after the user was
/// created; other 5xx (501, 505, ...) are permanent.
fn retry_class_for_server_error(status: u16) -> RetryClass {
    match status {
        503 => RetryClass::Safe,
        500 | 502 | 504 => RetryClass::Ambiguous,
        _ => RetryClass::Never,
    }
}

fn default_message(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::FeatureBlocked => "feature blocked by platform configuration",
        ErrorKind::Unauthorized => "missing or invalid API key",
        ErrorKind::AlreadyRegistered => "a user with this email is already registered",
        ErrorKind::NotFound => "organization not found",
        _ => "request failed",
    }
}

/// Parses an HTTP date in the IMF-fixdate form `Sun, 06 Nov 1994 08:49:37 GMT` (the form
/// RFC 9110 requires senders to use) into seconds since the Unix epoch.
///
/// ```
/// assert_eq!(applivery::sans_io::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784111777));
/// assert_eq!(applivery::sans_io::parse_http_date("yesterday"), None);
/// ```
pub fn parse_http_date(value: &str) -> Option<u64> {
    let mut parts = value.trim().split_ascii_whitespace();
    let (_weekday, day, month, year, time, zone) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if parts.next().is_some() || zone != "GMT" {
        return None;
    }
    let day: u64 = day.parse().ok().filter(|d| (1..=31).contains(d))?;
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| *m == month)? as u64
        + 1;
    let year: u64 = year.parse().ok().filter(|y| (1970..=9999).contains(y))?;
    let mut hms = time.split(':').map(|p| p.parse::<u64>().ok());
    let (h, m, sec) = (hms.next()??, hms.next()??, hms.next()??);
    if hms.next().is_some() || h > 23 || m > 59 || sec > 60 {
        return None;
    }
    // Days from 1970-01-01 (Howard Hinnant's days_from_civil).
    let (y, mo) = if month <= 2 {
        (year - 1, month + 9)
    } else {
        (year, month - 3)
    };
    let era = y / 400;
    let yoe = y - era * 400;
    let doy = (153 * mo + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = (era * 146_097 + doe).checked_sub(719_468)?;
    Some(days * 86_400 + h * 3600 + m * 60 + sec)
}

/// Parses a `Retry-After` header given in seconds. An HTTP-date value gives `None` here
/// (this function has no clock); transports convert dates with [`retry_after_in_seconds`]
/// first.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let seconds: u64 = value.trim().parse().ok()?;
    // Anything beyond a day is nonsense; cap it rather than sleeping forever.
    Some(Duration::from_secs(seconds.min(86_400)))
}

/// A `Retry-After` value as delta-seconds: an HTTP date becomes the seconds left until it at
/// `now` (Unix seconds; 0 when past), anything else is returned as it is. Both transports run
/// this before [`classify`], each with its own clock.
///
/// ```
/// let now = applivery::sans_io::parse_http_date("Sun, 06 Nov 1994 08:49:30 GMT").unwrap();
/// assert_eq!(applivery::sans_io::retry_after_in_seconds("Sun, 06 Nov 1994 08:49:37 GMT", now), "7");
/// assert_eq!(applivery::sans_io::retry_after_in_seconds("120", now), "120");
/// ```
pub fn retry_after_in_seconds(value: &str, now_unix_seconds: u64) -> String {
    match parse_http_date(value) {
        Some(at) if value.trim().parse::<u64>().is_err() => {
            at.saturating_sub(now_unix_seconds).to_string()
        }
        _ => value.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envelope(code: i64, message: &str) -> Vec<u8> {
        serde_json::to_vec(
            &serde_json::json!({"status": false, "error": {"code": code, "message": message}}),
        )
        .unwrap()
    }

    #[test]
    fn documented_codes_map_to_their_kinds() {
        for (status, code, kind) in [
            (400, 5187, ErrorKind::FeatureBlocked),
            (401, 4002, ErrorKind::Unauthorized),
            (401, 4004, ErrorKind::Unauthorized),
            (403, 4009, ErrorKind::AlreadyRegistered),
            (404, 3001, ErrorKind::NotFound),
        ] {
            let error = classify(status, None, &envelope(code, "msg")).unwrap_err();
            assert_eq!(error.kind(), kind);
            assert_eq!(error.status(), Some(status));
            assert_eq!(error.code(), Some(code));
            assert_eq!(error.message(), "msg");
            assert!(!error.is_retryable());
        }
    }

    #[test]
    fn unknown_codes_are_kept_whole() {
        let error = classify(418, None, &envelope(7777, "teapot")).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Api);
        assert_eq!(
            (error.status(), error.code(), error.message()),
            (Some(418), Some(7777), "teapot")
        );
    }

    #[test]
    fn rate_limits_and_server_errors() {
        let error = classify(429, Some("7"), &envelope(0, "slow down")).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::RateLimited);
        assert_eq!(error.retry_after(), Some(Duration::from_secs(7)));
        assert_eq!(error.retry_class(), RetryClass::Safe);

        let error = classify(503, Some("1"), b"").unwrap_err();
        assert_eq!(
            (error.kind(), error.retry_class()),
            (ErrorKind::ServerError, RetryClass::Safe)
        );
        for status in [500, 502, 504] {
            let error = classify(status, None, b"<html>bad gateway</html>").unwrap_err();
            assert_eq!(error.kind(), ErrorKind::ServerError);
            assert_eq!(error.retry_class(), RetryClass::Ambiguous);
            assert!(error.message().contains("bad gateway"), "{error}");
        }
        let error = classify(501, None, b"").unwrap_err();
        assert!(!error.is_retryable());
    }

    #[test]
    fn undecodable_answers_keep_status_and_a_non_2xx_snippet() {
        // A 2xx body may hold an OEM secret: described, never quoted.
        let error = classify(200, None, b"{\"status\": tru").unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidResponse);
        assert_eq!(error.status(), Some(200));
        assert_eq!(error.body_snippet(), None);
        assert!(
            error
                .message()
                .ends_with("the body is not JSON (it ends early) (line 1, column 14)"),
            "{error}"
        );
        assert!(error.is_ambiguous());

        let error = classify(401, None, b"<html>denied</html>").unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidResponse);
        assert_eq!(error.status(), Some(401));
        assert_eq!(error.body_snippet(), Some("<html>denied</html>"));
    }

    #[test]
    fn retry_after_parsing() {
        assert_eq!(parse_retry_after(" 3 "), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(parse_retry_after("-1"), None);
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            parse_http_date("Tue, 29 Feb 2028 12:00:05 GMT"),
            Some(1_835_438_405)
        );
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 UTC"), None);
        assert_eq!(parse_http_date("Sun, 06 Foo 1994 08:49:37 GMT"), None);
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 25:49:37 GMT"), None);
    }
}
