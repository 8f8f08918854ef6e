//! The npm package's checks, run by `cargo xtask test` after the workspace's: the package build
//! and its size budget, wasm-bindgen-test under Node and in headless Chromium, and the
//! `node --test` suites (packed tarball against applivery-mock, tsc and attw, Playwright in
//! Chromium, the runtime and bundler matrix).

use crate::{project_root, run_step, run_with_env, setup, wasm};

const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The node test files under web/, run in one `node --test` (each file in its own process).
const NODE_TESTS: &[&str] = &[
    "test/package.test.mjs",
    "test/types.test.mjs",
    "test/browser.test.mjs",
    "test/admin.test.mjs",
    "test/admin-security.test.mjs",
    "test/matrix.test.mjs",
    "test/csv-header.test.mjs",
    "test/lifecycle.test.mjs",
    "test/bulk.test.mjs",
    "test/admin-bulk.test.mjs",
    "test/mock-parity.test.mjs",
    "test/mock-parity-browser.test.mjs",
    "test/user-app.test.mjs",
];

/// `total_gzip` is the size of the package `cargo xtask test` built before the workspace tests;
/// the budget is checked last, so that a size regression still shows every test's result.
pub fn run(total_gzip: u64) -> Result<(), String> {
    let root = project_root();
    // The wasm-only code is invisible to the workspace's native clippy run.
    run_step(
        "cargo",
        &[
            "clippy",
            "-p",
            "applivery-wasm",
            "-p",
            "applivery-bulk-wasm",
            "--all-targets",
            "--target",
            WASM_TARGET,
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
        &root,
    )?;
    // The mock's logic as `applivery-oem/mock` builds it (its platform layer for wasm32), and
    // the bindings around it; the library only (its tests need sockets).
    run_step(
        "cargo",
        &[
            "clippy",
            "-p",
            "applivery-mock",
            "-p",
            "applivery-mock-wasm",
            "--no-default-features",
            "--target",
            WASM_TARGET,
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
        &root,
    )?;
    setup::chromium()?;
    let wasm_test = [
        "test",
        "-p",
        "applivery-wasm",
        "--target",
        WASM_TARGET,
        "--locked",
    ];
    let runner = [(
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
        "wasm-bindgen-test-runner",
    )];
    run_with_env("cargo", &wasm_test, &root, &runner)?;
    // The runner reads crates/applivery-wasm/webdriver.json (the crate directory is its cwd).
    run_with_env(
        "cargo",
        &wasm_test,
        &root,
        &[
            runner[0],
            ("WASM_BINDGEN_USE_BROWSER", "1"),
            ("CHROMEDRIVER", setup::CHROMEDRIVER),
        ],
    )?;
    run_step(
        "cargo",
        &["build", "-p", "applivery-mock", "--locked"],
        &root,
    )?;
    let mock = root.join("target/debug/applivery-mock");
    let mock = mock.to_str().ok_or("non-UTF-8 target path")?;
    let mut args = vec!["--test"];
    args.extend(NODE_TESTS);
    run_with_env(
        "node",
        &args,
        &root.join("web"),
        &[("APPLIVERY_MOCK_BIN", mock), ("CHROMIUM", setup::CHROMIUM)],
    )?;
    wasm::check_budget(total_gzip)
}
