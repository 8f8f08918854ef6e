//! cargo-deny's license, ban and source rules (deny.toml), offline. Advisories are skipped: they
//! need the RustSec database from the network.

use std::process::Command;

use crate::{project_root, run_step};

pub fn run() -> Result<(), String> {
    let root = project_root();
    let installed = Command::new("cargo")
        .args(["deny", "--version"])
        .output()
        .is_ok_and(|output| output.status.success());
    if !installed {
        run_step("cargo", &["install", "--locked", "cargo-deny"], &root)?;
    }
    // License checks read every crate of the lock file, other platforms' too: download them
    // from crates.io first (a no-op once fetched), then check without the network.
    run_step("cargo", &["fetch", "--locked"], &root)?;
    run_step(
        "cargo",
        &["deny", "--offline", "check", "licenses", "bans", "sources"],
        &root,
    )
}
