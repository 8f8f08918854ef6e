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
    forget_extracted_packages()?;
    // Cargo takes a registry crate's build as final: the verify builds of an earlier run (same
    // names and versions, older sources) would be reused without this.
    let mut clean = vec!["clean"];
    for name in PUBLISHED_CRATES {
        clean.extend(["-p", name]);
    }
    run_step("cargo", &clean, &root)?;
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

/// Removes cargo's extracted copies of our own packages from earlier runs.
///
/// `cargo package` verifies each crate against the packages of the others through a local
/// registry overlay, which cargo extracts into `$CARGO_HOME/registry/src/-<hash>/NAME-VERSION`
/// and then reuses while the version is unchanged: a second run would build against the
/// first run's sources. Overlay directories are the ones whose name starts with `-`.
fn forget_extracted_packages() -> Result<(), String> {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| std::path::Path::new(&home).join(".cargo")))
        .ok_or("neither CARGO_HOME nor HOME is set")?;
    let Ok(overlays) = std::fs::read_dir(cargo_home.join("registry/src")) else {
        return Ok(());
    };
    for overlay in overlays.flatten() {
        if !overlay.file_name().to_string_lossy().starts_with('-') {
            continue;
        }
        for name in PUBLISHED_CRATES {
            let prefix = format!("{name}-");
            for extracted in std::fs::read_dir(overlay.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                let file_name = extracted.file_name();
                let file_name = file_name.to_string_lossy();
                let is_version = file_name
                    .strip_prefix(&prefix)
                    .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
                if is_version {
                    std::fs::remove_dir_all(extracted.path()).map_err(|e| {
                        format!("cannot remove {}: {e}", extracted.path().display())
                    })?;
                }
            }
        }
    }
    Ok(())
}
