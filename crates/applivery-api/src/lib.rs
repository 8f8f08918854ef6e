#![doc = include_str!("../README.md")]

/// The request and response bodies of every operation, as the spec describes them.
#[allow(missing_docs, clippy::all, clippy::pedantic, rust_2018_idioms)]
#[rustfmt::skip]
pub mod types;

#[cfg(feature = "client")]
#[allow(missing_docs, clippy::all, clippy::pedantic, rust_2018_idioms)]
#[rustfmt::skip]
mod client;

#[cfg(feature = "client")]
pub use client::*;

/// The spec's constraints on requests: `problems()` on each request body type and a
/// `<parameter>_problems` function per constrained parameter, generated from the spec's
/// `maxLength`, `minLength`, `pattern`, `enum`, `minItems` and `maxItems`.
#[allow(missing_docs, clippy::all, clippy::pedantic, rust_2018_idioms)]
#[rustfmt::skip]
pub mod validation;

/// Each schema's properties as a [`shape::Field`] table (`NewOemUser::FIELDS`, ...), `blank()`
/// values, and the by-name accessors of request bodies (`set_text`, `push_item`, `text`,
/// `items`) that generic readers and writers use.
#[allow(missing_docs, clippy::all, clippy::pedantic, rust_2018_idioms)]
#[rustfmt::skip]
mod fields;

/// Every operation of the spec as an [`operation::Operation`] (`OPERATIONS`, and one `static`
/// per operation: `LIST_COLLABORATORS`...).
#[allow(missing_docs, clippy::all, clippy::pedantic, rust_2018_idioms)]
#[rustfmt::skip]
pub mod operations;

pub mod compiled_pattern;
pub mod csv_cell;
pub mod csv_header;
pub mod operation;
pub mod patterns;
pub mod request;
pub mod rules;
pub mod shape;
#[cfg(any(test, target_arch = "wasm32"))]
mod wasm_text;

/// The OpenAPI document this crate was generated from, for tools that validate against it
/// (`src/openapi.json`: `cargo xtask codegen` copies it from the workspace's `openapi/`).
pub const OPENAPI_SPEC: &str = include_str!("openapi.json");

/// Largest response body the client accepts, in bytes. A real answer is well under 4 KiB;
/// anything announcing more is refused before it is read, so a misbehaving server cannot make
/// the client buffer an unbounded body.
pub const MAX_RESPONSE_BYTES: u64 = 1024 * 1024;

/// The prefix of the `Error::Custom` message for a response over [`MAX_RESPONSE_BYTES`].
pub const RESPONSE_TOO_LARGE: &str = "response body too large";

/// Removes the `api-version` header progenitor adds to every request.
///
/// The endpoint does not use it, and in a browser it is a non-safelisted header that makes the
/// real API's CORS preflight fail. Wired in by `cargo xtask codegen` as a pre-request hook.
#[cfg(feature = "client")]
async fn strip_api_version(request: &mut reqwest::Request) -> Result<(), std::convert::Infallible> {
    request.headers_mut().remove("api-version");
    Ok(())
}

/// Refuses a response whose declared length exceeds [`MAX_RESPONSE_BYTES`].
///
/// Wired in by `cargo xtask codegen` as a post-response hook, before the body is read.
#[cfg(feature = "client")]
async fn refuse_oversized_response(
    result: &reqwest::Result<reqwest::Response>,
) -> Result<(), String> {
    match result {
        Ok(response) => match response.content_length() {
            Some(length) if length > MAX_RESPONSE_BYTES => {
                Err(format!("{RESPONSE_TOO_LARGE}: {length} bytes"))
            }
            _ => Ok(()),
        },
        Err(_) => Ok(()),
    }
}
