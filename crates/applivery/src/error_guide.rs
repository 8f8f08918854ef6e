//! What each [`ErrorKind`] means and what to do about it, written once for every surface: the
//! CLI's hints, the npm package's `errorGuide()` (the admin page's messages) and the README's
//! table are all produced from these two functions.
//!
//! The wording names no CLI flag, environment variable or page field; a surface adds its own
//! pointer where one is needed (the CLI names its flags after the remedy).

use crate::ErrorKind;

impl ErrorKind {
    /// What happened, in a short sentence for a person (a heading): "The API key was missing
    /// or not accepted".
    pub const fn meaning(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "Some fields are not valid",
            ErrorKind::Unauthorized => "The API key was missing or not accepted",
            ErrorKind::FeatureBlocked => "OEM users are blocked by the platform configuration",
            ErrorKind::AlreadyRegistered => "This email is already registered in the organization",
            ErrorKind::AlreadyRegisteredAfterRetry => {
                "The user exists (probably created by this request)"
            }
            ErrorKind::NotFound => "The organization was not found",
            ErrorKind::RateLimited => "Too many requests",
            ErrorKind::ServerError => "Applivery had a server error",
            ErrorKind::Timeout => "The request timed out",
            ErrorKind::Network => "The API could not be reached",
            ErrorKind::InvalidResponse => "The server answered with something unexpected",
            ErrorKind::Api => "The API refused the request",
            ErrorKind::Config => "The client settings are not valid",
        }
    }

    /// What the person can do about it.
    pub const fn remedy(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "Correct the fields named in the message; nothing was sent.",
            ErrorKind::Unauthorized => {
                "Check the API key: an organization API token from the Applivery dashboard \
                 (Organization settings, API keys)."
            }
            ErrorKind::FeatureBlocked => {
                "Ask Applivery support to enable OEM users for this organization."
            }
            ErrorKind::AlreadyRegistered => {
                "Nothing to do: the user exists. Use another email to create a different user."
            }
            ErrorKind::AlreadyRegisteredAfterRetry => {
                "An earlier attempt failed in transit and the retry found the email registered. \
                 Check the user in the dashboard; do not create it again."
            }
            ErrorKind::NotFound => {
                "Check the organization ID, and that the API key belongs to that organization."
            }
            ErrorKind::RateLimited => "Wait a moment and try again.",
            ErrorKind::ServerError => {
                "Try again in a few minutes. If it persists, check Applivery's status."
            }
            ErrorKind::Timeout => {
                "Check the network and the base URL, then try again. The user may have been \
                 created: a retry will tell (already registered)."
            }
            ErrorKind::Network => "Check the base URL and the network connection.",
            ErrorKind::InvalidResponse => {
                "Check that the base URL points at the Applivery API, then try again."
            }
            ErrorKind::Api => {
                "See the message and code; contact Applivery support if it is unclear."
            }
            ErrorKind::Config => {
                "Check the API key and the base URL (https, or http to a loopback host)."
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_distinct_meaning_and_a_sentence_for_remedy() {
        let mut meanings: Vec<_> = ErrorKind::ALL.iter().map(|k| k.meaning()).collect();
        meanings.sort_unstable();
        meanings.dedup();
        assert_eq!(meanings.len(), ErrorKind::ALL.len());
        for kind in ErrorKind::ALL {
            assert!(
                !kind.meaning().ends_with('.'),
                "{kind}: a heading, no full stop"
            );
            assert!(kind.remedy().ends_with('.'), "{kind}: a sentence");
            // Surface-neutral: no CLI flag or environment variable.
            for text in [kind.meaning(), kind.remedy()] {
                assert!(
                    !text.contains("--") && !text.contains("APPLIVERY_"),
                    "{kind}: {text}"
                );
            }
        }
    }
}
