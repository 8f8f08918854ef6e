//! The `applivery` facade compiled to WebAssembly: the engine of the `applivery-oem` npm package.
//!
//! JS users never import this module's exports directly; `web/applivery-oem/index.js` wraps
//! them as `AppliveryClient` and `AppliveryError` (see ARCHITECTURE.md and `cargo xtask wasm`).
//! Validation, error kinds, retry decisions and response classification are the facade's
//! ([`applivery`] with `default-features = false`). This crate is sans-I/O: the wrapper does
//! `fetch`, timers and `AbortSignal`, and asks a `Call` what each answer means.
//!
//! On native targets only [`shapes`] (the Rust description of the JS API that the package's
//! `.d.ts` is generated from) is compiled.

pub mod shapes;

#[cfg(target_arch = "wasm32")]
mod call;
#[cfg(target_arch = "wasm32")]
mod client;
#[cfg(target_arch = "wasm32")]
mod csv_cell;
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
pub use csv_cell::{neutralize_csv_cell, restore_csv_cell};
#[cfg(target_arch = "wasm32")]
pub use guide::{error_guide, read_csv_header};
#[cfg(target_arch = "wasm32")]
pub use oem_secret::OemSecret;

/// talc, a maintained allocator for single-threaded wasm: smaller than the default dlmalloc
/// (which measured 3.3 KB gzip more in this package) and fast. It replaced a hand-written
/// size-class allocator (figures in CHANGELOG.md).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(target_feature = "atomics")]
compile_error!("the allocator is single-threaded: build without the `atomics` target feature");
