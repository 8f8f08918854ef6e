//! A command's failure: what to tell the operator, how to say it in JSON, and the exit code.

use serde::Serialize;

use crate::exit_code;

/// Why a command failed.
#[derive(Debug)]
pub struct Failure {
    /// Error kind name (`unauthorized`, `invalid_input`, `io`, ...).
    pub kind: &'static str,
    /// What went wrong, for a person.
    pub message: String,
    /// What to do about it, when there is something to say.
    pub hint: Option<String>,
    /// The API error, kept whole for `--output json`.
    pub api: Option<applivery::Error>,
    /// The process exit code.
    pub exit_code: u8,
}

impl Failure {
    /// A usage or input problem found by the command itself (exit code 2).
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            kind: "invalid_input",
            message: message.into(),
            hint: None,
            api: None,
            exit_code: exit_code::USAGE,
        }
    }

    /// A local file could not be written (exit code 13).
    pub fn local_io(message: impl Into<String>) -> Failure {
        Failure {
            kind: "io",
            message: message.into(),
            hint: None,
            api: None,
            exit_code: exit_code::LOCAL_IO,
        }
    }

    /// A failed API call (or a facade configuration error).
    pub fn api(error: applivery::Error) -> Failure {
        let kind = error.kind();
        Failure {
            kind: kind.as_str(),
            message: error.to_string(),
            hint: hint(kind),
            exit_code: exit_code::for_kind(kind),
            api: Some(error),
        }
    }

    /// Prints the failure: a line (and a hint) on stderr, or a JSON object on stdout.
    pub fn report(&self, json: bool) {
        if json {
            #[derive(Serialize)]
            struct Plain<'a> {
                kind: &'a str,
                message: &'a str,
            }
            let error = match &self.api {
                Some(api) => serde_json::to_value(api),
                None => serde_json::to_value(Plain {
                    kind: self.kind,
                    message: &self.message,
                }),
            }
            .unwrap_or_default();
            let json = serde_json::json!({ "error": error, "exitCode": self.exit_code });
            println!("{}", crate::terminal::json(&json.to_string()));
        } else {
            // The message of an `invalid_input` error already lists every field error.
            // Server and file text is escaped: it must not drive the terminal.
            eprintln!(
                "applivery: error: {}",
                crate::terminal::clean(&self.message)
            );
            if let Some(hint) = &self.hint {
                eprintln!("  hint: {}", crate::terminal::clean(hint));
            }
        }
    }
}

/// What the operator can do about an error of this kind: the SDK's surface-neutral
/// [`applivery::ErrorKind::remedy`], then where the CLI takes the setting it names.
pub fn hint(kind: applivery::ErrorKind) -> Option<String> {
    use applivery::ErrorKind as K;
    let setting = match kind {
        K::Unauthorized => Some("Key: APPLIVERY_API_KEY (or --api-key-file, --api-key)."),
        K::NotFound => Some("Organization: --org (or APPLIVERY_ORGANIZATION_ID)."),
        K::Network | K::Timeout | K::InvalidResponse => {
            Some("Base URL: --base-url (or APPLIVERY_BASE_URL).")
        }
        K::Config => Some(
            "Key: APPLIVERY_API_KEY (or --api-key-file); base URL: --base-url (or \
             APPLIVERY_BASE_URL).",
        ),
        // The message already lists every field error; nothing to add.
        K::InvalidInput => return None,
        _ => None,
    };
    let remedy = kind.remedy();
    Some(match setting {
        Some(setting) => format!("{remedy} {setting}"),
        None => remedy.to_owned(),
    })
}
