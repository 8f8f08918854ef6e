//! The exit codes of `applivery`: one per error kind, so scripts can react without parsing text.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success (import: every valid row is created or already registered) |
//! | 1 | import: some rows failed (rerun with the same journal to retry them) |
//! | 2 | usage error or invalid input: bad flags, invalid user, bad import file, missing API key (`invalid_input`, `config`) |
//! | 3 | `unauthorized`: the API key is missing or wrong (4002, 4004) |
//! | 4 | `not_found`: the organization does not exist for this key (3001) |
//! | 5 | `feature_blocked`: OEM users are blocked for the organization (5187) |
//! | 6 | `already_registered` / `already_registered_after_retry` (create only, 4009) |
//! | 7 | `rate_limited` (429), retries exhausted |
//! | 8 | `server_error` (5xx), retries exhausted |
//! | 9 | `network` or `timeout` |
//! | 10 | `invalid_response`: the answer could not be understood |
//! | 11 | `api_error`: any other API error |
//! | 12 | import: done, but some rows were invalid and not sent (also `--dry-run` with invalid rows) |
//! | 13 | the journal or the results file could not be written, or another import holds the journal |
//! | 130 | interrupted (Ctrl-C); the journal keeps the import resumable |

use applivery::ErrorKind;

/// Success.
pub const OK: u8 = 0;
/// Import: some rows failed.
pub const ROWS_FAILED: u8 = 1;
/// Usage error or invalid input.
pub const USAGE: u8 = 2;
/// Import: some rows were invalid.
pub const ROWS_INVALID: u8 = 12;
/// The journal or results file could not be written.
pub const LOCAL_IO: u8 = 13;
/// Interrupted by Ctrl-C.
pub const INTERRUPTED: u8 = 130;

/// The exit code of a failed API call.
pub fn for_kind(kind: ErrorKind) -> u8 {
    match kind {
        ErrorKind::InvalidInput | ErrorKind::Config => USAGE,
        ErrorKind::Unauthorized => 3,
        ErrorKind::NotFound => 4,
        ErrorKind::FeatureBlocked => 5,
        ErrorKind::AlreadyRegistered | ErrorKind::AlreadyRegisteredAfterRetry => 6,
        ErrorKind::RateLimited => 7,
        ErrorKind::ServerError => 8,
        ErrorKind::Network | ErrorKind::Timeout => 9,
        ErrorKind::InvalidResponse => 10,
        _ => 11,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_code_and_distinct_kinds_mostly_distinct_codes() {
        let mut codes: Vec<_> = ErrorKind::ALL.iter().map(|k| for_kind(*k)).collect();
        assert!(codes.iter().all(|c| (2..=11).contains(c)));
        codes.sort_unstable();
        codes.dedup();
        // invalid_input+config, the two 4009 kinds and network+timeout share a code.
        assert_eq!(codes.len(), ErrorKind::ALL.len() - 3);
    }
}
