//! `cargo xtask test`: every check CI runs, in the order that fails fastest.

use crate::{project_root, run_step};

pub fn run() -> Result<(), String> {
    let root = project_root();
    let cargo = |args: &[&str]| run_step("cargo", args, &root);
    cargo(&["fmt", "--all", "--check"])?;
    cargo(&["xtask", "codegen", "--check"])?;
    cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ])?;
    cargo(&["test", "--workspace"])?;
    crate::setup::wasm_target()?;
    cargo(&[
        "build",
        "-p",
        "applivery-api",
        "--target",
        "wasm32-unknown-unknown",
    ])?;
    // The facade compiles for wasm32 both as the core the wasm crate uses and with its client.
    cargo(&[
        "build",
        "-p",
        "applivery",
        "--target",
        "wasm32-unknown-unknown",
        "--no-default-features",
    ])?;
    cargo(&[
        "build",
        "-p",
        "applivery",
        "--target",
        "wasm32-unknown-unknown",
    ])?;
    cargo(&["doc", "--workspace", "--no-deps"])?;
    crate::wasm_tests::run()?;
    println!("all checks passed");
    Ok(())
}
