//! The one error type of the crate, with a stable kind for every outcome.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// What went wrong, as a stable name shared by Rust, the npm package and the CLI.
///
/// [`ErrorKind::as_str`] gives the name used identically everywhere (`"already_registered"`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input failed validation before anything was sent; see [`Error::field_errors`].
    InvalidInput,
    /// The API key is missing or invalid (codes 4002, 4004).
    Unauthorized,
    /// The feature is blocked by the platform configuration (code 5187).
    FeatureBlocked,
    /// A user with this email is already registered in the organization (code 4009).
    AlreadyRegistered,
    /// Code 4009 answered a retry that followed an attempt which may have reached the server:
    /// the user exists, possibly created by this very call.
    AlreadyRegisteredAfterRetry,
    /// The organization does not exist or is not visible to this key (code 3001).
    NotFound,
    /// Too many requests (HTTP 429); see [`Error::retry_after`].
    RateLimited,
    /// The server failed (HTTP 5xx).
    ServerError,
    /// No complete answer arrived in time.
    Timeout,
    /// The connection failed or broke.
    Network,
    /// The response could not be decoded (or was too large); the error keeps the status and,
    /// for a non-2xx answer, a short snippet of the body (a 2xx body is described by its shape,
    /// never quoted: it may hold an OEM secret).
    InvalidResponse,
    /// Any other status or API code, kept whole in [`Error::status`], [`Error::code`] and
    /// [`Error::message`].
    Api,
    /// A bad builder or environment setting (missing key, non-HTTPS base URL, ...).
    Config,
}

impl ErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: &'static [ErrorKind] = &[
        ErrorKind::InvalidInput,
        ErrorKind::Unauthorized,
        ErrorKind::FeatureBlocked,
        ErrorKind::AlreadyRegistered,
        ErrorKind::AlreadyRegisteredAfterRetry,
        ErrorKind::NotFound,
        ErrorKind::RateLimited,
        ErrorKind::ServerError,
        ErrorKind::Timeout,
        ErrorKind::Network,
        ErrorKind::InvalidResponse,
        ErrorKind::Api,
        ErrorKind::Config,
    ];

    /// The stable name of the kind, identical in Rust, JavaScript and the CLI.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::Unauthorized => "unauthorized",
            ErrorKind::FeatureBlocked => "feature_blocked",
            ErrorKind::AlreadyRegistered => "already_registered",
            ErrorKind::AlreadyRegisteredAfterRetry => "already_registered_after_retry",
            ErrorKind::NotFound => "not_found",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::ServerError => "server_error",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Network => "network",
            ErrorKind::InvalidResponse => "invalid_response",
            ErrorKind::Api => "api_error",
            ErrorKind::Config => "config",
        }
    }
}

/// See [`Error::is_ambiguous`]; shared with the bulk scheduler's other failure types.
pub(crate) fn is_ambiguous(kind: ErrorKind, status: Option<u16>, class: RetryClass) -> bool {
    class == RetryClass::Ambiguous
        || kind == ErrorKind::AlreadyRegisteredAfterRetry
        || (kind == ErrorKind::InvalidResponse && status.is_some_and(|s| (200..300).contains(&s)))
}

/// The message of [`ErrorKind::AlreadyRegisteredAfterRetry`], around the server's.
pub fn after_retry_message(server: &str) -> String {
    format!(
        "the user exists; an earlier attempt of this call may have created it (server: {server})"
    )
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a failed attempt could have created the user, which decides if it is retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RetryClass {
    /// The server cannot have created the user (connection refused, 429, 503): safe to retry.
    Safe,
    /// The request may have reached the server and created the user (timeout or reset after
    /// sending, 500, 502, 504): a retry may answer 4009 for a user this call created.
    Ambiguous,
    /// A definitive answer or a local error: retrying cannot help.
    Never,
}

/// One invalid input field, named as on the wire (`email`, `firstName`, `lastName`, `tags`,
/// `organizationId`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct FieldError {
    /// The field's wire name.
    pub field: &'static str,
    /// What is wrong with it. Never contains the rejected value.
    pub message: String,
}

impl FieldError {
    /// A field error.
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        FieldError {
            field,
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// The error of every fallible operation in this crate.
///
/// Inspect it with [`Error::kind`], [`Error::status`], [`Error::code`],
/// [`Error::is_retryable`]; it never contains the API key.
#[derive(Clone)]
#[non_exhaustive]
pub struct Error {
    inner: Box<Inner>,
}

#[derive(Clone)]
struct Inner {
    kind: ErrorKind,
    message: String,
    status: Option<u16>,
    code: Option<i64>,
    retry_after: Option<Duration>,
    field_errors: Vec<FieldError>,
    retry_class: RetryClass,
    snippet: Option<String>,
    attempts: u32,
    source: Option<Arc<dyn StdError + Send + Sync>>,
}

impl Error {
    /// An error of `kind` with a message; its retry class follows from the kind (timeouts and
    /// network errors are ambiguous, everything else is final). Refine with the `with_*`
    /// methods.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        let retry_class = match kind {
            ErrorKind::Timeout | ErrorKind::Network => RetryClass::Ambiguous,
            ErrorKind::RateLimited => RetryClass::Safe,
            _ => RetryClass::Never,
        };
        Error {
            inner: Box::new(Inner {
                kind,
                message: message.into(),
                status: None,
                code: None,
                retry_after: None,
                field_errors: Vec::new(),
                retry_class,
                snippet: None,
                attempts: 0,
                source: None,
            }),
        }
    }

    /// Input that failed validation; nothing was sent.
    pub fn invalid_input(field_errors: Vec<FieldError>) -> Self {
        // A loop, not `join`, whose generic copies cost the npm package's wasm.
        let mut message = String::new();
        for (i, field_error) in field_errors.iter().enumerate() {
            if i > 0 {
                message.push_str("; ");
            }
            message.push_str(&field_error.to_string());
        }
        let mut error = Error::new(ErrorKind::InvalidInput, message);
        error.inner.field_errors = field_errors;
        error
    }

    /// A bad builder or environment setting.
    pub fn config(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Config, message)
    }

    /// The connection could not be established (refused, DNS failure, connect timeout):
    /// nothing reached the server, so a retry is safe.
    pub fn connect(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Network, message).with_retry_class(RetryClass::Safe)
    }

    /// The connection broke after the request may have been sent (reset, closed early).
    pub fn network(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Network, message)
    }

    /// No complete answer in time, after the request may have been sent.
    pub fn timeout(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Timeout, message)
    }

    /// A response that could not be decoded: keeps the status and, unless the status is 2xx, a
    /// short, cleaned snippet of the body. A 2xx body may hold an OEM secret: no part of it is
    /// kept (`message` should describe its shape instead).
    pub fn invalid_response(status: Option<u16>, message: impl Into<String>, body: &[u8]) -> Self {
        let mut error = Error::new(ErrorKind::InvalidResponse, message);
        error.inner.status = status;
        let success = status.is_some_and(|s| (200..300).contains(&s));
        if !body.is_empty() && !success {
            error.inner.snippet = Some(snippet(body));
        }
        error
    }

    /// Sets the HTTP status.
    pub fn with_status(mut self, status: u16) -> Self {
        self.inner.status = Some(status);
        self
    }

    /// Sets the Applivery error code.
    pub fn with_code(mut self, code: i64) -> Self {
        self.inner.code = Some(code);
        self
    }

    /// Sets how long the server asked to wait (`Retry-After`).
    pub fn with_retry_after(mut self, retry_after: Duration) -> Self {
        self.inner.retry_after = Some(retry_after);
        self
    }

    /// Overrides whether and how the failure may be retried.
    pub fn with_retry_class(mut self, class: RetryClass) -> Self {
        self.inner.retry_class = class;
        self
    }

    /// Attaches the underlying cause, reachable through [`std::error::Error::source`].
    pub fn with_source(mut self, source: impl StdError + Send + Sync + 'static) -> Self {
        self.inner.source = Some(Arc::new(source));
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<u16> {
        self.inner.status
    }

    /// The Applivery error code (`error.code` of the response), when there was one.
    pub fn code(&self) -> Option<i64> {
        self.inner.code
    }

    /// A human-readable explanation: the server's message for API errors.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// The start of an undecodable non-2xx response body, cleaned of control characters (never
    /// set for a 2xx answer, whose body may hold an OEM secret).
    pub fn body_snippet(&self) -> Option<&str> {
        self.inner.snippet.as_deref()
    }

    /// How long the server asked to wait before trying again (`Retry-After`, in seconds).
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.retry_after
    }

    /// The invalid fields, for [`ErrorKind::InvalidInput`]; empty otherwise.
    pub fn field_errors(&self) -> &[FieldError] {
        &self.inner.field_errors
    }

    /// Whether trying again later may succeed: HTTP 429, 500, 502, 503 and 504, timeouts,
    /// connection and network failures. Other server errors (501 Not Implemented, 505, ...)
    /// are permanent and not retryable, nor are API errors, invalid input or an undecodable
    /// answer. Because Applivery refuses a second registration of the same email with 4009,
    /// retrying cannot create a duplicate user.
    pub fn is_retryable(&self) -> bool {
        self.inner.retry_class != RetryClass::Never
    }

    /// Whether a failed attempt could have created the user; see [`RetryClass`].
    pub fn retry_class(&self) -> RetryClass {
        self.inner.retry_class
    }

    /// Whether the user may exist although the call failed: the request may have reached the
    /// server (timeout or broken connection after sending, 500/502/504, an undecodable success
    /// answer), or [`ErrorKind::AlreadyRegisteredAfterRetry`].
    pub fn is_ambiguous(&self) -> bool {
        is_ambiguous(self.inner.kind, self.inner.status, self.inner.retry_class)
    }

    /// How many HTTP attempts the call made before failing (0 when nothing was sent).
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }

    pub(crate) fn replace_message(mut self, message: String) -> Self {
        self.inner.message = message;
        self
    }

    pub(crate) fn set_attempts(&mut self, attempts: u32) {
        self.inner.attempts = attempts;
    }

    /// Turns a 4009 into [`ErrorKind::AlreadyRegisteredAfterRetry`].
    pub(crate) fn into_after_retry(mut self) -> Self {
        if self.inner.kind == ErrorKind::AlreadyRegistered {
            self.inner.kind = ErrorKind::AlreadyRegisteredAfterRetry;
            self.inner.message = after_retry_message(&self.inner.message);
        }
        self
    }

    /// Replaces every occurrence of `secret` in the texts this error carries. A server that
    /// echoes the request must not leak the key through an error. The client does this for its
    /// own key; a transport of its own should do it too.
    pub fn scrub(mut self, secret: &str) -> Self {
        if secret.is_empty() {
            return self;
        }
        redact(&mut self.inner.message, secret);
        if let Some(snippet) = self.inner.snippet.as_mut() {
            redact(snippet, secret);
        }
        if let Some(source) = &self.inner.source
            && contains(&format!("{source} {source:?}"), secret)
        {
            self.inner.source = None;
        }
        self
    }
}

/// Whether `text` contains the non-empty `secret`.
///
/// This and [`redact`] compare bytes rather than calling `str::contains`/`str::replace`, whose
/// substring searcher and its panic messages add 5 KB to the wasm package.
fn contains(text: &str, secret: &str) -> bool {
    text.as_bytes()
        .windows(secret.len())
        .any(|window| window == secret.as_bytes())
}

/// Replaces every occurrence of the non-empty `secret` in `text` with `[redacted]`, and the start
/// of one cut off by a snippet's closing `…` (see [`redact_cut_start`]).
///
/// A match of valid UTF-8 in valid UTF-8 starts and ends on character boundaries, so the result
/// is valid UTF-8 again.
fn redact(text: &mut String, secret: &str) {
    redact_whole(text, secret);
    redact_cut_start(text, secret);
}

/// Shortest start of a secret, cut by a snippet's end, that is redacted: shorter pieces say
/// next to nothing about the key and would blank ordinary words.
const MIN_CUT_SECRET_BYTES: usize = 4;

/// A body snippet (alone, or at the end of a message) stops after 200 characters with `…`: a
/// secret straddling that cut leaves its start, up to all but one character, before the `…`
/// (found by the redaction property test). Replaces that start too.
fn redact_cut_start(text: &mut String, secret: &str) {
    const ELLIPSIS: &[u8] = "…".as_bytes();
    let (bytes, secret) = (text.as_bytes(), secret.as_bytes());
    let Some(head) = bytes.strip_suffix(ELLIPSIS) else {
        return;
    };
    let cut = (MIN_CUT_SECRET_BYTES..secret.len())
        .rev()
        .find(|&length| head.ends_with(&secret[..length]));
    if let Some(length) = cut {
        // The piece starts where the secret does: on a character boundary.
        let mut out = head[..head.len() - length].to_vec();
        out.extend_from_slice(crate::secret::REDACTED.as_bytes());
        out.extend_from_slice(ELLIPSIS);
        *text = lossy(&out);
    }
}

fn redact_whole(text: &mut String, secret: &str) {
    let (bytes, secret) = (text.as_bytes(), secret.as_bytes());
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at..].starts_with(secret) {
            out.extend_from_slice(crate::secret::REDACTED.as_bytes());
            at += secret.len();
        } else {
            out.push(bytes[at]);
            at += 1;
        }
    }
    if out != bytes {
        *text = lossy(&out);
    }
}

/// `bytes` as text, each invalid UTF-8 sequence replaced by U+FFFD: what
/// `String::from_utf8_lossy` gives, written with `from_utf8` (already in the npm package's wasm)
/// instead of its chunk iterator (over 1 KB of it).
fn lossy(mut bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    loop {
        match core::str::from_utf8(bytes) {
            Ok(valid) => {
                out.push_str(valid);
                return out;
            }
            Err(error) => {
                let (valid, rest) = bytes.split_at(error.valid_up_to());
                out.push_str(core::str::from_utf8(valid).unwrap_or_default());
                out.push(char::REPLACEMENT_CHARACTER);
                bytes = &rest[error.error_len().map_or(rest.len(), usize::from)..];
            }
        }
    }
}

/// The first characters of a body, lossily decoded, control characters replaced by spaces.
pub(crate) fn snippet(body: &[u8]) -> String {
    const MAX_CHARS: usize = 200;
    let head = &body[..body.len().min(MAX_CHARS * 4)];
    let text = lossy(head);
    let mut out: String = text
        .chars()
        .take(MAX_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if applivery_api::rules::char_count(&text) > MAX_CHARS || body.len() > head.len() {
        out.push('…');
    }
    out.trim().to_owned()
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        write!(f, "{}: {}", inner.kind, inner.message)?;
        match (inner.status, inner.code) {
            (Some(status), Some(code)) => write!(f, " (HTTP {status}, code {code})")?,
            (Some(status), None) => write!(f, " (HTTP {status})")?,
            (None, Some(code)) => write!(f, " (code {code})")?,
            (None, None) => {}
        }
        if let Some(snippet) = &inner.snippet {
            write!(f, "; body starts: {snippet}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        let mut debug = f.debug_struct("Error");
        debug
            .field("kind", &inner.kind)
            .field("message", &inner.message);
        if let Some(status) = inner.status {
            debug.field("status", &status);
        }
        if let Some(code) = inner.code {
            debug.field("code", &code);
        }
        if let Some(retry_after) = inner.retry_after {
            debug.field("retry_after", &retry_after);
        }
        if !inner.field_errors.is_empty() {
            debug.field("field_errors", &inner.field_errors);
        }
        if let Some(snippet) = &inner.snippet {
            debug.field("snippet", snippet);
        }
        debug
            .field("retry_class", &inner.retry_class)
            .field("attempts", &inner.attempts);
        if let Some(source) = &inner.source {
            debug.field("source", source);
        }
        debug.finish()
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|source| source as &(dyn StdError + 'static))
    }
}

/// The JSON shape used by the CLI and mirrored by the npm package's `AppliveryError`.
impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let inner = &self.inner;
        let mut s = serializer.serialize_struct("Error", 8)?;
        s.serialize_field("kind", inner.kind.as_str())?;
        s.serialize_field("message", &inner.message)?;
        s.serialize_field("status", &inner.status)?;
        s.serialize_field("code", &inner.code)?;
        s.serialize_field("retryable", &self.is_retryable())?;
        s.serialize_field(
            "retryAfterSeconds",
            &inner.retry_after.map(|d| d.as_secs_f64()),
        )?;
        s.serialize_field("fieldErrors", &inner.field_errors)?;
        s.serialize_field("attempts", &inner.attempts)?;
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_are_unique_and_snake_case() {
        let mut names: Vec<_> = ErrorKind::ALL.iter().map(|k| k.as_str()).collect();
        assert!(
            names
                .iter()
                .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        );
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ErrorKind::ALL.len());
    }

    #[test]
    fn redaction_replaces_every_occurrence_and_keeps_other_text() {
        let mut text = String::from("key=sk-1 and ünïcode sk-1sk-1 end");
        redact(&mut text, "sk-1");
        assert_eq!(text, "key=[redacted] and ünïcode [redacted][redacted] end");
        let mut untouched = String::from("nothing to hide: sk-");
        redact(&mut untouched, "sk-1");
        assert_eq!(untouched, "nothing to hide: sk-");
        assert!(contains("abc sk-1", "sk-1") && !contains("sk-", "sk-1"));
    }

    #[test]
    fn lossy_decoding_equals_std() {
        for bytes in [
            &b"plain"[..],
            b"\xff",
            b"a\xffb\xc3",
            b"\xe2\x82",
            b"\xf0\x9f\x98\x80 ok \xed\xa0\x80",
            b"\xc3\xa9\x80\x80tail",
            b"",
        ] {
            assert_eq!(lossy(bytes), String::from_utf8_lossy(bytes), "{bytes:?}");
        }
    }

    #[test]
    fn snippet_is_short_and_clean() {
        let body = format!("<html>\n\t{}</html>", "x".repeat(1000));
        let s = snippet(body.as_bytes());
        assert!(s.chars().count() <= 201);
        assert!(!s.contains('\n') && !s.contains('\t'));
        assert!(s.ends_with('…'));
        assert_eq!(snippet(b"short"), "short");
    }

    #[test]
    fn scrub_removes_the_secret_from_messages_and_snippets() {
        let error =
            Error::invalid_response(Some(500), "echo key-123", b"Bearer key-123").scrub("key-123");
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains("key-123"), "{shown}");
    }

    /// Regression (redaction property test): a key cut by the 200-character snippet leaked all
    /// but its last character, in the snippet and in the message that quotes it.
    #[test]
    fn scrub_removes_a_key_cut_by_the_snippet() {
        let key = "A0aAaA_aaA_0___a0_A0A-a0aa-0aA0_AA_";
        let body = format!("{}{key} and more", ":".repeat(190));
        // 502: the snippet is in the message; 401: in the body snippet (a 2xx body has none).
        for status in [502, 401] {
            let error = crate::sans_io::classify(status, None, body.as_bytes())
                .unwrap_err()
                .scrub(key);
            let shown = format!("{error} {error:?}");
            assert!(!shown.contains(&key[..8]), "{shown}");
            assert!(shown.contains("[redacted]…"), "{shown}");
        }
        // Short pieces are ordinary text.
        let error = Error::invalid_response(
            None,
            "",
            format!("{}abc and more", ":".repeat(197)).as_bytes(),
        );
        assert!(
            error
                .scrub("abcdef")
                .body_snippet()
                .unwrap()
                .ends_with(":abc…")
        );
    }

    #[test]
    fn after_retry_only_changes_4009() {
        let e = Error::new(ErrorKind::AlreadyRegistered, "dup").with_code(4009);
        assert_eq!(
            e.into_after_retry().kind(),
            ErrorKind::AlreadyRegisteredAfterRetry
        );
        let e = Error::new(ErrorKind::NotFound, "nf");
        assert_eq!(e.into_after_retry().kind(), ErrorKind::NotFound);
    }
}
