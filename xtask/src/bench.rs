//! `cargo xtask bench NAME`: the release-mode benchmarks whose figures the closing notes report.

use crate::{project_root, run_step, setup, wasm};

/// (name, package, bench target): each bench is a `harness = false` program that prints figures.
const BENCHES: &[(&str, &str, &str)] = &[
    ("mock", "applivery-mock", "throughput"),
    ("facade", "applivery", "overhead"),
    ("import", "applivery-cli", "import"),
    ("list", "applivery-cli", "list"),
];

/// (name, script under web/): benches of the built npm package, run with Node after `cargo xtask
/// wasm` and a release build of the mock.
const PACKAGE_BENCHES: &[(&str, &str)] = &[
    ("npm", "bench/npm-overhead.mjs"),
    ("wasm-load", "bench/wasm-load.mjs"),
];

pub fn run(name: Option<&str>) -> Result<(), String> {
    let selected: Vec<_> = BENCHES
        .iter()
        .filter(|(bench, ..)| name.is_none_or(|n| n == *bench))
        .collect();
    let package: Vec<_> = PACKAGE_BENCHES
        .iter()
        .filter(|(bench, _)| name.is_none_or(|n| n == *bench))
        .collect();
    if selected.is_empty() && package.is_empty() {
        let names: Vec<_> = BENCHES
            .iter()
            .map(|(n, ..)| *n)
            .chain(PACKAGE_BENCHES.iter().map(|(n, _)| *n))
            .collect();
        return Err(format!("no bench named {name:?}; choose one of {names:?}"));
    }
    if !package.is_empty() {
        wasm::run(true)?;
        setup::chromium()?;
        run_step(
            "cargo",
            &["build", "--release", "-p", "applivery-mock"],
            &project_root(),
        )?;
    }
    for (_, script) in package {
        run_step("node", &[script], &project_root().join("web"))?;
    }
    for (_, package, target) in selected {
        run_step(
            "cargo",
            &["bench", "-p", package, "--bench", target],
            &project_root(),
        )?;
    }
    Ok(())
}
