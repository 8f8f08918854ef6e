//! The base URL check: any text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match applivery::validate_base_url(text) {
        Ok(url) => {
            let lower = url.to_ascii_lowercase();
            assert!(
                lower.starts_with("https://") || lower.starts_with("http://"),
                "{text:?} -> {url:?}"
            );
            assert!(!url.ends_with('/'), "{url:?} keeps a trailing slash");
            // What it accepts, it accepts again unchanged.
            assert_eq!(
                applivery::validate_base_url(&url).ok().as_deref(),
                Some(url.as_str())
            );
        }
        Err(error) => assert_eq!(error.kind(), applivery::ErrorKind::Config),
    }
});
