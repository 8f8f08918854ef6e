//! The property tests (crates/applivery/tests/properties) with a stated number of generated
//! cases per property; `cargo test --workspace` runs them too, at proptest's default of 256.

use crate::{project_root, run_with_env};

/// Generated cases per property in `cargo xtask test`.
pub const CASES: &str = "512";

pub fn run() -> Result<(), String> {
    run_with_env(
        "cargo",
        &["test", "-p", "applivery", "--test", "properties"],
        &project_root(),
        &[("PROPTEST_CASES", CASES)],
    )?;
    println!("property tests: every property passed {CASES} generated cases");
    Ok(())
}
