//! Installs, only when missing, what the tests and the demo need beyond Rust, Node and npm.

use crate::{project_root, run_step};
use std::process::Command;

const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// `rustup target add wasm32-unknown-unknown` unless it is installed.
pub fn wasm_target() -> Result<(), String> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|e| format!("cannot run rustup: {e}"))?;
    if String::from_utf8_lossy(&installed.stdout)
        .lines()
        .any(|t| t == WASM_TARGET)
    {
        return Ok(());
    }
    run_step("rustup", &["target", "add", WASM_TARGET], &project_root())
}
