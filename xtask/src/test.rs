//! `cargo xtask test`: every check CI runs, in the order that fails fastest.
//!
//! First it installs, only when missing, what a fresh machine (Rust, Node 20, npm) lacks: the
//! wasm32 target, wasm-bindgen-cli, the web/ dev packages and Chromium.

use crate::{project_root, run_step, run_with_env, setup, wasm};

const WASM_TARGET: &str = "wasm32-unknown-unknown";

pub fn run() -> Result<(), String> {
    let root = project_root();
    let cargo = |args: &[&str]| run_step("cargo", args, &root);
    setup::wasm_target()?;
    setup::wasm_bindgen_cli()?;
    setup::web_node_modules()?;
    setup::chromium()?;

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
    // The package is built before the workspace tests: the demo test serves it.
    let package_gzip = wasm::build()?;
    cargo(&["test", "--workspace"])?;
    // crates/applivery/tests/properties: proptest's default is 256 cases per property.
    let cases = std::env::var("PROPTEST_CASES").unwrap_or_else(|_| "256".into());
    println!("property tests: {cases} generated cases per property (a quarter of that over HTTP)");
    // The generated client, and the facade both as the core the wasm crate uses and with its
    // client, compile for wasm32.
    cargo(&["build", "-p", "applivery-api", "--target", WASM_TARGET])?;
    cargo(&[
        "build",
        "-p",
        "applivery",
        "--target",
        WASM_TARGET,
        "--no-default-features",
    ])?;
    cargo(&["build", "-p", "applivery", "--target", WASM_TARGET])?;
    // A broken intra-doc link fails the run, as clippy's warnings do.
    run_with_env(
        "cargo",
        &["doc", "--workspace", "--no-deps"],
        &root,
        &[("RUSTDOCFLAGS", "-D warnings")],
    )?;
    crate::wasm_tests::run(package_gzip)?;
    crate::fuzz::smoke()?;
    println!("all checks passed");
    Ok(())
}
