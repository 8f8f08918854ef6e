//! Installs, only when missing, what the tests and the demo need beyond Rust, Node and npm.

use crate::{project_root, run_step};
use std::process::Command;

const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// `rustup target add wasm32-unknown-unknown` unless it is installed.
pub fn wasm_target() -> Result<(), String> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|e| format!("cannot run rustup: {e}"))?;
    if String::from_utf8_lossy(&installed.stdout)
        .lines()
        .any(|t| t == WASM_TARGET)
    {
        return Ok(());
    }
    run_step("rustup", &["target", "add", WASM_TARGET], &project_root())
}

/// The wasm-bindgen version the workspace locks; the CLI must match it exactly.
fn locked_wasm_bindgen_version() -> Result<String, String> {
    let lock = std::fs::read_to_string(project_root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\""
            && let Some(version) = lines
                .next()
                .and_then(|l| l.strip_prefix("version = \""))
                .and_then(|l| l.strip_suffix('"'))
        {
            return Ok(version.to_string());
        }
    }
    Err("Cargo.lock has no wasm-bindgen package".into())
}

/// `cargo install wasm-bindgen-cli --version <locked>` unless `wasm-bindgen --version` matches.
///
/// Provides `wasm-bindgen` (the JS glue generator) and `wasm-bindgen-test-runner`. Without
/// `--locked`: the CLI's own lock file names a crate release that is gone (about 4 minutes).
pub fn wasm_bindgen_cli() -> Result<(), String> {
    let wanted = locked_wasm_bindgen_version()?;
    let installed = Command::new("wasm-bindgen").arg("--version").output();
    if let Ok(out) = installed {
        let text = String::from_utf8_lossy(&out.stdout);
        if text.split_whitespace().nth(1) == Some(wanted.as_str()) {
            return Ok(());
        }
    }
    run_step(
        "cargo",
        &["install", "wasm-bindgen-cli", "--version", &wanted],
        &project_root(),
    )
}

/// `npm ci` in web/ unless its node_modules is there and no older than package-lock.json: the
/// dev tools of the npm package (json-schema-to-typescript, typescript, playwright-core,
/// esbuild).
pub fn web_node_modules() -> Result<(), String> {
    let web = project_root().join("web");
    // A link is the evolution test's copy borrowing this workspace's packages: `npm ci` there
    // would empty them through the link.
    if std::fs::symlink_metadata(web.join("node_modules")).is_ok_and(|m| m.file_type().is_symlink())
    {
        return Ok(());
    }
    let modified = |path: &std::path::Path| std::fs::metadata(path).and_then(|m| m.modified());
    // npm writes node_modules/.package-lock.json at every install.
    let installed = modified(&web.join("node_modules/.package-lock.json"));
    let wanted = modified(&web.join("package-lock.json"));
    if let (Ok(installed), Ok(wanted)) = (installed, wanted)
        && installed >= wanted
    {
        return Ok(());
    }
    run_step("npm", &["ci", "--no-audit", "--no-fund"], &web)
}

/// The Chromium the browser tests drive (Debian's, through apt) unless /usr/bin/chromium and
/// /usr/bin/chromedriver exist. Playwright's own browser download is not reachable here.
pub fn chromium() -> Result<(), String> {
    if std::path::Path::new(CHROMIUM).exists() && std::path::Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    apt_install(&["chromium", "chromium-driver"])
}

/// OpenSSL's headers and pkg-config, which the facade's `native-tls` feature builds against,
/// unless pkg-config already finds OpenSSL.
pub fn openssl_dev() -> Result<(), String> {
    let found = Command::new("pkg-config")
        .args(["--exists", "openssl"])
        .status()
        .is_ok_and(|status| status.success());
    if found {
        return Ok(());
    }
    apt_install(&["libssl-dev", "pkg-config"])
}

fn apt_install(packages: &[&str]) -> Result<(), String> {
    let install = [&["install", "-y"][..], packages].concat();
    for args in [&["update"][..], &install[..]] {
        println!("$ apt-get {}", args.join(" "));
        let status = Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .map_err(|e| format!("cannot run apt-get: {e}"))?;
        if !status.success() {
            return Err(format!("`apt-get {}` failed ({status})", args.join(" ")));
        }
    }
    Ok(())
}

/// Where apt installs the browser the tests drive.
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// Where apt installs the WebDriver that `wasm-bindgen-test-runner` uses for Chromium.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
