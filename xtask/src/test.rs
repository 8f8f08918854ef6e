//! `cargo xtask test`: every check CI runs, in the order that fails fastest.
//!
//! First it installs, only when missing, what a fresh machine (Rust, Node 20, npm) lacks: the
//! wasm32 target, wasm-bindgen-cli, the web/ dev packages, Chromium and OpenSSL's headers. Then
//! it builds what the tests use (the npm package in web/pkg), and only then checks: from there
//! on nothing may write into the source tree or the package, which the last step verifies.
//! Every cargo command runs `--locked`: CI uses the checked-in Cargo.lock or fails.

use crate::clean_tree::TreeState;
use crate::{project_root, run_step, run_with_env, setup, wasm};

const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Feature sets a user can pick, each compiled on its own (features unify in a workspace build,
/// so `cargo test --workspace` alone would hide a combination that does not build).
const FEATURE_MATRIX: &[&[&str]] = &[
    // The facade with the platform TLS library instead of rustls, its tests included.
    &[
        "-p",
        "applivery",
        "--all-targets",
        "--no-default-features",
        "--features",
        "native-tls",
    ],
    // The client without any TLS (http to a loopback mock only).
    &[
        "-p",
        "applivery",
        "--no-default-features",
        "--features",
        "client",
    ],
    // The transport-agnostic core the wasm crate uses.
    &["-p", "applivery", "--no-default-features"],
    // The wire types alone.
    &["-p", "applivery-api", "--no-default-features"],
    // The raw progenitor client, opt-in (its test runs in `run`).
    &[
        "-p",
        "applivery-api",
        "--all-targets",
        "--features",
        "client",
    ],
    // The mock as a test dependency: the library without the binary's clap flags.
    &[
        "-p",
        "applivery-mock",
        "--all-targets",
        "--no-default-features",
    ],
];

pub fn run() -> Result<(), String> {
    let root = project_root();
    // `--locked` right after the subcommand: anything after a `--` goes to another program.
    let cargo = |args: &[&str]| {
        let (command, rest) = args.split_first().expect("a cargo subcommand");
        run_step("cargo", &[&[*command, "--locked"], rest].concat(), &root)
    };
    setup::wasm_target()?;
    setup::wasm_bindgen_cli()?;
    setup::web_node_modules()?;
    setup::chromium()?;
    setup::openssl_dev()?;

    run_step("cargo", &["fmt", "--all", "--check"], &root)?;
    // `cargo xtask` is an alias ending in `--`: spelled out, `--locked` reaches cargo.
    cargo(&[
        "run",
        "--quiet",
        "--package",
        "xtask",
        "--",
        "codegen",
        "--check",
    ])?;
    cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ])?;

    // Build: the package the demo test serves and the node tests install.
    let package_gzip = wasm::build()?;
    let before = TreeState::capture(&root)?;

    // Check: from here on, nothing writes into the tree or web/pkg.
    cargo(&["test", "--workspace"])?;
    // crates/applivery/tests/properties: proptest's default is 256 cases per property.
    let cases = std::env::var("PROPTEST_CASES").unwrap_or_else(|_| "256".into());
    println!("property tests: {cases} generated cases per property (a quarter of that over HTTP)");
    crate::conformance::run()?;
    for features in FEATURE_MATRIX {
        cargo(&[&["check"], *features].concat())?;
    }
    // The raw progenitor client (opt-in): it still sends what the spec says.
    cargo(&[
        "test",
        "-p",
        "applivery-api",
        "--features",
        "client",
        "--test",
        "wire_headers",
    ])?;
    // HTTPS through the platform library too, and through both together (reqwest then picks
    // native-tls): a refused certificate must stay final whichever TLS library reports it.
    for features in ["native-tls", "rustls,native-tls"] {
        cargo(&[
            "test",
            "-p",
            "applivery",
            "--no-default-features",
            "--features",
            features,
            "--test",
            "tls",
        ])?;
    }
    // The generated client, and the facade both as the core the wasm crate uses and with its
    // client, compile for wasm32.
    cargo(&[
        "build",
        "-p",
        "applivery-api",
        "--features",
        "client",
        "--target",
        WASM_TARGET,
    ])?;
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
        &["doc", "--workspace", "--no-deps", "--locked"],
        &root,
        &[("RUSTDOCFLAGS", "-D warnings")],
    )?;
    crate::publish_checks::run()?;
    crate::wasm_tests::run(package_gzip)?;
    crate::evolution::run()?;
    crate::fuzz::smoke()?;
    before.check_unchanged(&TreeState::capture(&root)?)?;
    println!("all checks passed");
    Ok(())
}
