//! The facade's bulk scheduler compiled to WebAssembly, apart from the client's module: the
//! engine of the npm package's `createOemUsers` and `refreshOemUserSecrets`, which loads it
//! (`web/applivery-oem/bulk-engine.js`) only when a bulk run starts, so that the default entry
//! stays small.
//!
//! The client's module validates, sends and classifies each attempt as a single call does; this
//! one decides (pace, retries, outcomes, their order, stopping) from what that classification
//! says, carried across as the fields of its error (`failure.rs`). On native targets this
//! crate is empty.

#[cfg(target_arch = "wasm32")]
mod failure;
#[cfg(target_arch = "wasm32")]
mod options;
#[cfg(target_arch = "wasm32")]
mod run;

#[cfg(target_arch = "wasm32")]
pub use run::BulkRun;

/// The same allocator as the client's module (crates/applivery-wasm).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(target_feature = "atomics")]
compile_error!("the allocator is single-threaded: build without the `atomics` target feature");
