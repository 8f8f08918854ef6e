//! `cargo xtask bench NAME`: the release-mode benchmarks whose figures the closing notes report.

use crate::{project_root, run_step};

/// (name, package, bench target): each bench is a `harness = false` program that prints figures.
const BENCHES: &[(&str, &str, &str)] = &[
    ("mock", "applivery-mock", "throughput"),
    ("facade", "applivery", "overhead"),
    ("import", "applivery-cli", "import"),
];

pub fn run(name: Option<&str>) -> Result<(), String> {
    let selected: Vec<_> = BENCHES
        .iter()
        .filter(|(bench, ..)| name.is_none_or(|n| n == *bench))
        .collect();
    if selected.is_empty() {
        let names: Vec<_> = BENCHES.iter().map(|(n, ..)| *n).collect();
        return Err(format!("no bench named {name:?}; choose one of {names:?}"));
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
