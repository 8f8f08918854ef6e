//! What differs between the targets the mock's logic runs on: the clock, sleeping and
//! randomness. Native uses std and tokio; `wasm32-unknown-unknown` (the npm package's
//! `applivery-oem/mock`), where `SystemTime::now` and `Instant::now` panic and there is no
//! tokio timer, asks JavaScript.

#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(not(target_arch = "wasm32"))]
pub(crate) use native::*;

#[cfg(target_arch = "wasm32")]
mod wasm;
#[cfg(target_arch = "wasm32")]
pub(crate) use wasm::*;
