#![doc = include_str!("../README.md")]
//!
//! # Operations
//!
//! One method per operation of the spec, generated (`generated/operations.rs`), each returning a
//! [`Call`] of its operation type (`op::CreateOemUser`, ...; aliases [`CreateOemUser`],
//! [`ListCollaborators`], ...): query parameters are its setters (`.role(..)`, `.tag(..)`,
//! `.page_size(..)`), per-call options are [`Call::timeout`], [`Call::deadline`] and
//! [`Call::retry_policy`], and awaiting it gives the answer's `data`, typed (the facade's own
//! [`Collaborator`] where one exists, else the generated wire type). A paged operation also has
//! [`Call::page`] and [`Call::stream`]. [`Client::raw_call`] calls any row of the generated table
//! by value, answering JSON (for tools that walk the table). [`Client::from_env`] reads
//! `APPLIVERY_API_KEY` and `APPLIVERY_BASE_URL`; [`Organization::from_env`] also reads
//! `APPLIVERY_ORGANIZATION_ID`.
//!
//! # Validation
//!
//! Every call validates everything before any I/O and reports every problem at
//! once ([`ErrorKind::InvalidInput`], [`Error::field_errors`], fields named as on the wire),
//! against exactly the rules Applivery documents and nothing more: the organization id is a
//! 24-hex id or a slug of 3 or more of `A-Z a-z 0-9 -` (so it can never alter the request
//! path); the email is at most 256 characters and matches the documented ASCII pattern
//! (`^(?!\.)(?!.*\.\.)([A-Za-z0-9_'+\-\.]*)[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$`);
//! first and last names are at most 128 characters. Tags have no documented limits, so any
//! are sent. The checks are generated from the spec (`applivery_api::validation`) and the
//! mock runs the same ones. Nothing is sent for invalid input.
//!
//! # Errors
//!
//! One [`Error`] type; [`Error::kind`] is stable and named identically in Rust, the npm
//! package and the CLI ([`ErrorKind::as_str`]). Documented codes map to their kinds (5187
//! feature blocked, 4002/4004 unauthorized, 4009 already registered, 3001 not found); other
//! codes and statuses are kept whole as [`ErrorKind::Api`]. [`ErrorKind::meaning`] and
//! [`ErrorKind::remedy`] say what a kind means and what to do, for messages to a person.
//!
//! # Retry policy
//!
//! A `GET`, `PUT` or `DELETE` is always safe to repeat: every retryable failure of one is
//! retried. Creating a user is a non-idempotent POST without an idempotency key, so its failures
//! are sorted by whether the server could have created the user ([`RetryClass`]):
//!
//! - **Cannot have created it** ([`RetryClass::Safe`]): the connection could not be made
//!   (refused, DNS, connect timeout), HTTP 429, HTTP 503. Always retried.
//! - **May have created it** ([`RetryClass::Ambiguous`]): a timeout or a broken connection after
//!   the request was sent, HTTP 500, 502, 504. Retried by default
//!   ([`RetryPolicy::retry_ambiguous`]): Applivery refuses a second registration of the same
//!   email, so the retry cannot create a duplicate. If it answers 4009, the call reports
//!   [`ErrorKind::AlreadyRegisteredAfterRetry`]: the user exists, possibly created by this very
//!   call. Any other outcome of the retry (success included) is reported as is.
//! - **Everything else** (documented API errors, 4xx, undecodable answers, invalid input, a
//!   server certificate the TLS library refuses) is final. An undecodable 2xx answer is not retried: the user was most likely created, and
//!   [`Error::is_ambiguous`] says so.
//!
//! Waits use exponential backoff with full jitter (uniform in
//! `[0, min(max_backoff, initial_backoff * 2^(n-1))]`), replaced by the server's `Retry-After`
//! when it sends one. Retries stop after [`RetryPolicy::max_attempts`] attempts (default 3) or
//! when the next wait would end after [`RetryPolicy::max_elapsed`] (default 30 s); each attempt
//! is itself bounded by the client's timeout, and a call's [`Call::deadline`] bounds the
//! whole. The final error reports [`Error::attempts`].
//!
//! # Secrets
//!
//! The API key is held as a [`Secret`], whose `Debug` and `Display` print `[redacted]`; the
//! `Authorization` header is marked sensitive; errors are scrubbed of the key even if a server
//! echoes it. The new user's OEM secret (`data.oemSecret` of the answer, or an `oemSecret` inside
//! the collaborator) is kept as a [`Secret`] too ([`Collaborator::oem_secret`]): call
//! [`Secret::expose`] to read it.
//!
//! # Credentials
//!
//! The key is a **Service Account token** of the workspace (`Authorization: Bearer`). Per-app
//! "App API tokens" belong to Applivery's separate Integrations API and are refused here (401).
//!
//! # Tracing
//!
//! Each call runs in a `tracing` span named after its operation (`applivery.create_oem_user`,
//! `applivery.list_collaborators`, ...; fields `organization`,
//! `attempts`, `status`, `kind`, `duration_ms`), each attempt in a span `applivery.attempt`
//! (`attempt`, `status`, `duration_ms`); a retry logs an event with `backoff_ms`. The key is
//! never recorded, and the organization id only once validated. A call whose future is dropped
//! before it ends records `kind = "cancelled"` and logs a `cancelled` event.
//!
//! # Features
//!
//! - `client` (default): the async [`Client`] on reqwest. Without it the crate is the
//!   transport-agnostic core (validation, response classification, retry decisions) and
//!   builds for `wasm32-unknown-unknown` without reqwest, tokio or the `url` crate (it uses
//!   only the wire types of `applivery-api`). With it, it also builds for wasm32 (reqwest over
//!   `fetch`, JS timers for backoff; no timeouts there).
//! - `rustls` (default): TLS through rustls (reqwest's `rustls` feature, aws-lc-rs provider).
//! - `native-tls`: TLS through the platform library (use `default-features = false, features =
//!   ["native-tls"]`).
//!
//! [`reqwest`] is re-exported, for [`ClientBuilder::http_client`].

#![deny(missing_docs)]
// The crate docs link to `Client`, which only exists with the `client` feature.
#![cfg_attr(not(feature = "client"), allow(rustdoc::broken_intra_doc_links))]

mod base_url;
mod body_shape;
pub mod bulk;
mod classify;
mod collaborator;
mod error;
mod error_guide;
/// Generated by `cargo xtask codegen`: the builder methods and the `Collaborator` struct.
#[allow(clippy::all, clippy::pedantic)]
#[rustfmt::skip]
mod generated {
    pub(crate) mod collaborator;
    pub(crate) mod new_oem_user;
    #[cfg(feature = "client")]
    pub(crate) mod operations;
}
mod new_user;
mod paging;
mod retry;
mod secret;
mod validate;

#[cfg(feature = "client")]
mod bulk_call;
#[cfg(feature = "client")]
mod bulk_stream;
#[cfg(feature = "client")]
mod call;
#[cfg(feature = "client")]
mod client;
#[cfg(feature = "client")]
mod organization;
#[cfg(feature = "client")]
mod page;
#[cfg(feature = "client")]
mod platform;
#[cfg(feature = "client")]
mod raw_call;
#[cfg(feature = "client")]
mod transport;

pub use base_url::DEFAULT_BASE_URL;
#[cfg(feature = "client")]
pub use base_url::validate_base_url;
pub use classify::codes;
pub use collaborator::OemUser;
pub use error::{Error, ErrorKind, FieldError, RetryClass};
pub use generated::collaborator::Collaborator;
pub use new_user::{NewOemUser, validate_request};
pub use retry::RetryPolicy;
pub use secret::{REDACTED, Secret};
pub use validate::validate_organization_id;

/// The transport-agnostic pieces the `applivery-oem` npm package (crates/applivery-wasm) drives
/// over `fetch`: response classification, the retry state machine, the base URL rule on a
/// host-parsed URL. Not part of the supported API: it follows that package's needs.
#[doc(hidden)]
pub mod sans_io {
    pub use crate::base_url::{ParsedUrl, check_parsed_base_url};
    pub use crate::bulk::{Attempt, Next, Scheduler};
    pub use crate::classify::{
        MAX_RESPONSE_BYTES, SerdeJson, WireDecoder, classify, classify_with, kind_for_code,
        parse_http_date, parse_retry_after, retry_after_in_seconds,
    };
    pub use crate::error::after_retry_message;
    pub use crate::paging::next_page;
    pub use crate::retry::{RetryState, Step};
    pub use applivery_api::request::encode;
}

#[cfg(feature = "client")]
pub use bulk_call::{
    BulkCall, BulkOperation, CreateOemUsers, DEFAULT_CONCURRENCY, RefreshOemUserSecrets,
};
#[cfg(feature = "client")]
pub use bulk_stream::{BulkControl, BulkStream};
#[cfg(feature = "client")]
pub use call::{
    Call, CallFuture, DEFAULT_PAGE_SIZE, Operation, PagedOperation, QueryValue, RequestBody,
};
#[cfg(feature = "client")]
pub use client::{
    Client, ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT,
};
#[cfg(feature = "client")]
pub use generated::operations::*;
#[cfg(feature = "client")]
pub use organization::Organization;
#[cfg(feature = "client")]
pub use page::{CollaboratorPage, CollaboratorStream, ItemStream, Page};
#[cfg(feature = "client")]
pub use raw_call::RawCall;
/// The reqwest this crate sends with, for [`ClientBuilder::http_client`] without a reqwest
/// dependency of your own (or one of another version).
#[cfg(feature = "client")]
pub use reqwest;
