//! What a maintainer's `cargo publish` and `npm publish` would ship, checked without publishing:
//! each crate packaged and built from its package alone, the npm package's dry run, and
//! cargo-deny's license, ban and source rules when cargo-deny is installed.

use crate::{project_root, run_step, wasm::PKG_DIR};

/// The crates published to crates.io (the others are `publish = false`).
pub const PUBLISHED_CRATES: &[&str] = &[
    "applivery-api",
    "applivery",
    "applivery-mock",
    "applivery-cli",
];

pub fn run() -> Result<(), String> {
    let root = project_root();
    // Packages every published crate and builds each package in isolation (target/package/),
    // against the packages of the crates it depends on: a file read from outside a crate, or a
    // path dependency without a version, fails here as it would on crates.io.
    let mut args = vec!["package", "--locked"];
    for name in PUBLISHED_CRATES {
        args.extend(["-p", name]);
    }
    run_step("cargo", &args, &root)?;
    // Packs web/pkg as `npm publish` would and lists the files; publishes nothing.
    run_step(
        "npm",
        &["publish", "--dry-run", "--access", "public"],
        &root.join(PKG_DIR),
    )?;
    crate::deny::run()
}
