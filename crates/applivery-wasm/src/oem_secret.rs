//! `OemSecret`: the new user's OEM secret as JS sees it, kept in wasm memory.
//!
//! The JS object holds only wasm-bindgen's pointer, so `console.log` (Node, Deno, browsers'
//! consoles) shows no secret, and `JSON.stringify` and string conversion give `[redacted]`, as
//! the Rust `applivery::Secret` prints. `expose()` returns the secret.

use wasm_bindgen::prelude::wasm_bindgen;

/// An OEM secret: `expose()` to read it; prints and serializes as `[redacted]`.
#[wasm_bindgen]
pub struct OemSecret {
    value: String,
}

#[wasm_bindgen]
impl OemSecret {
    /// The secret itself.
    pub fn expose(&self) -> String {
        self.value.clone()
    }

    /// What `JSON.stringify` writes: `"[redacted]"`.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> String {
        applivery::REDACTED.into()
    }

    /// What string conversion gives: `[redacted]`.
    #[wasm_bindgen(js_name = toString)]
    pub fn to_display_string(&self) -> String {
        applivery::REDACTED.into()
    }
}

impl OemSecret {
    pub(crate) fn new(value: String) -> OemSecret {
        OemSecret { value }
    }
}
