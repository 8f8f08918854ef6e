//! `Retry-After` values and HTTP dates: any text, any clock.
//!
//! Input: 8 bytes of "now" (Unix seconds, little-endian), then the header value.
#![no_main]

use std::time::Duration;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (now, value) = if data.len() >= 8 {
        let (now, rest) = data.split_at(8);
        (u64::from_le_bytes(now.try_into().unwrap()), rest)
    } else {
        (0, data)
    };
    let Ok(value) = std::str::from_utf8(value) else {
        return;
    };
    if let Some(wait) = applivery::sans_io::parse_retry_after(value) {
        assert!(wait <= Duration::from_secs(86_400), "not capped: {wait:?}");
    }
    let date = applivery::sans_io::parse_http_date(value);
    if let Some(at) = date {
        // 9999-12-31T23:59:60 is the latest date accepted.
        assert!(at <= 253_402_300_800, "{value:?} -> {at}");
    }
    let seconds = applivery::sans_io::retry_after_in_seconds(value, now);
    if date.is_some() && value.trim().parse::<u64>().is_err() {
        let left: u64 = seconds.parse().expect("a date becomes delta-seconds");
        assert_eq!(left, date.unwrap().saturating_sub(now));
    } else {
        assert_eq!(seconds, value, "a non-date must pass through unchanged");
    }
});
