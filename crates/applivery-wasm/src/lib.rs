//! The `applivery` facade compiled to WebAssembly: the engine of the `applivery-oem` npm package.
//!
//! JS users never import this module's exports directly; `web/applivery-oem/index.js` wraps
//! them as `AppliveryClient` and `AppliveryError` (see ARCHITECTURE.md and `cargo xtask wasm`).
//! Validation, error kinds, retry decisions and response classification are the facade's
//! ([`applivery`] with `default-features = false`). This crate is sans-I/O: the wrapper does
//! `fetch`, timers and `AbortSignal`, and asks a `Call` what each answer means.
//!
//! On native targets only [`shapes`] is compiled: the Rust description of the JS API that the
//! package's `.d.ts` is generated from.

pub mod shapes;

#[cfg(target_arch = "wasm32")]
mod call;
#[cfg(target_arch = "wasm32")]
mod client;
#[cfg(target_arch = "wasm32")]
mod decode;
#[cfg(target_arch = "wasm32")]
mod guide;
#[cfg(target_arch = "wasm32")]
mod js;
#[cfg(target_arch = "wasm32")]
mod oem_secret;

#[cfg(target_arch = "wasm32")]
pub use call::Call;
#[cfg(target_arch = "wasm32")]
pub use client::{Client, validate_oem_user};
#[cfg(target_arch = "wasm32")]
pub use guide::{error_guide, read_csv_header};
#[cfg(target_arch = "wasm32")]
pub use oem_secret::OemSecret;

/// See Cargo.toml: the smallest allocator that frees and coalesces; the package's allocations
/// are few and short-lived.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());
