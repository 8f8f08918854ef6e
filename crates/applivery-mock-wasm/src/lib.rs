//! `applivery-mock`'s request handling compiled to WebAssembly: the engine of the npm package's
//! `applivery-oem/mock` (`createMockFetch`) and `npx applivery-oem mock`.
//!
//! The same code as the Rust mock (`applivery_mock::in_process`), so the answers are the same;
//! JS only turns a `fetch` call or a Node HTTP request into `MockCore::handle`'s arguments and
//! its result back into a `Response` (web/applivery-oem/mock.js). On native targets this crate
//! is empty.

#[cfg(target_arch = "wasm32")]
mod core;
#[cfg(target_arch = "wasm32")]
mod options;

#[cfg(target_arch = "wasm32")]
pub use core::MockCore;
