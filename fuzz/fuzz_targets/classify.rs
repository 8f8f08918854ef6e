//! Response classification: any status, `Retry-After` and body, as both transports hand them over.
//!
//! Input: `STATUS\nRETRY-AFTER\nBODY` (an empty `RETRY-AFTER` line means no header).
#![no_main]

use std::time::Duration;

use applivery::{ErrorKind, RetryClass};
use libfuzzer_sys::fuzz_target;

/// A key a server might echo back; scrubbing must remove it from everything the error shows.
const KEY: &str = "fuzz-key-7f3a9c0e1b2c";
/// Some "now" for converting an HTTP-date `Retry-After`, as the transports do with their clock.
const NOW: u64 = 1_800_000_000;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |b| *b == b'\n');
    let status_line = parts.next().unwrap_or_default();
    let retry_after = parts.next().map(String::from_utf8_lossy);
    let body = parts.next().unwrap_or_default();
    let status = std::str::from_utf8(status_line)
        .ok()
        .and_then(|s| s.trim().parse::<u16>().ok())
        .unwrap_or_else(|| {
            status_line
                .iter()
                .fold(0u16, |s, b| s.wrapping_mul(31).wrapping_add(u16::from(*b)))
        });
    let retry_after = retry_after
        .filter(|value| !value.is_empty())
        .map(|value| applivery::sans_io::retry_after_in_seconds(&value, NOW));

    match applivery::sans_io::classify(status, retry_after.as_deref(), body) {
        Ok(collaborator) => {
            assert!(
                (200..300).contains(&status),
                "a {status} answer gave a collaborator"
            );
            let _ = format!("{collaborator:?}");
        }
        Err(error) => {
            assert_eq!(error.status(), Some(status));
            assert!(error.attempts() == 0 && error.field_errors().is_empty());
            if let Some(wait) = error.retry_after() {
                assert!(
                    wait <= Duration::from_secs(86_400),
                    "Retry-After not capped: {wait:?}"
                );
            }
            match status {
                200..=299 => assert_eq!(error.kind(), ErrorKind::InvalidResponse),
                429 => assert_eq!(
                    (error.kind(), error.retry_class()),
                    (ErrorKind::RateLimited, RetryClass::Safe)
                ),
                500..=599 => assert_eq!(error.kind(), ErrorKind::ServerError),
                _ => assert_ne!(error.retry_class(), RetryClass::Ambiguous),
            }
            if let Some(snippet) = error.body_snippet() {
                assert!(snippet.chars().count() <= 201, "snippet too long");
                assert!(
                    !snippet.chars().any(char::is_control),
                    "control character in snippet"
                );
            }
            let scrubbed = error.scrub(KEY);
            for shown in [
                scrubbed.to_string(),
                format!("{scrubbed:?}"),
                scrubbed.body_snippet().unwrap_or_default().to_owned(),
            ] {
                assert!(!shown.contains(KEY), "the key survived scrubbing: {shown}");
            }
        }
    }
});
