//! `cargo xtask demo`: the whole thing working with one command and no Applivery account.
//!
//! Builds what is missing or stale, starts the local mock, creates one OEM user through the Rust SDK (the
//! `applivery` command is built on it) and prints it, then serves the admin page pointed at the
//! mock until Ctrl-C.

use std::path::Path;
use std::process::{Child, Command};
use std::sync::mpsc;

use crate::static_server::StaticServer;
use crate::{project_root, run_step};

const API_KEY: &str = "mock-api-key";
const ORGANIZATION: &str = "demo-org";

pub struct Options {
    pub mock_addr: String,
    pub page_addr: String,
    /// Serve web/pkg as it is (built by `cargo xtask wasm`) instead of rebuilding it: tests
    /// must not write into the package a concurrent test may be reading.
    pub prebuilt_package: bool,
}

pub fn run(options: &Options) -> Result<(), String> {
    let root = project_root();
    run_step("cargo", &["build", "--quiet", "-p", "applivery-cli"], &root)?;
    if options.prebuilt_package {
        if !root.join(crate::wasm::PKG_DIR).join("index.js").is_file() {
            return Err(format!(
                "{} is not built: run `cargo xtask wasm` first",
                crate::wasm::PKG_DIR
            ));
        }
    } else {
        // Rebuilt every time (seconds when nothing changed) so the page never runs a stale package.
        crate::wasm::build()?;
    }
    let cli = root.join("target/debug/applivery");

    let (mut mock, mock_url) = start_mock(&cli, &options.mock_addr)?;
    let result = demo(&cli, &root, &mock_url, options);
    let _ = mock.kill();
    let _ = mock.wait();
    result
}

fn demo(cli: &Path, root: &Path, mock_url: &str, options: &Options) -> Result<(), String> {
    println!("mock Applivery API: {mock_url} (API key {API_KEY}, organization {ORGANIZATION})");

    let email = format!("ada.{}@example.com", std::process::id());
    println!("$ applivery oem-users create --org {ORGANIZATION} --email {email} ...");
    let status = Command::new(cli)
        .args([
            "oem-users",
            "create",
            "--org",
            ORGANIZATION,
            "--email",
            &email,
        ])
        .args([
            "--first-name",
            "Ada",
            "--last-name",
            "Lovelace",
            "--tag",
            "demo",
        ])
        .env("APPLIVERY_API_KEY", API_KEY)
        .env("APPLIVERY_BASE_URL", mock_url)
        .status()
        .map_err(|e| format!("cannot run {}: {e}", cli.display()))?;
    if !status.success() {
        return Err(format!("creating the demo user failed ({status})"));
    }

    let config = format!(
        r#"{{"baseUrl":"{mock_url}","organizationId":"{ORGANIZATION}","apiKey":"{API_KEY}"}}"#
    );
    let page = StaticServer::bind(
        &options.page_addr,
        root.join("web"),
        vec![("/demo-config.json".into(), config)],
    )
    .map_err(|e| format!("cannot serve the admin page on {}: {e}", options.page_addr))?;
    println!("admin page: {}/admin/ (Ctrl-C to stop)", page.url());
    page.spawn();

    let (stop, stopped) = mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = stop.send(());
    })
    .map_err(|e| format!("cannot handle Ctrl-C: {e}"))?;
    let _ = stopped.recv();
    println!("stopping");
    Ok(())
}

/// Starts `applivery mock` on `addr`.
fn start_mock(cli: &Path, addr: &str) -> Result<(Child, String), String> {
    let mut command = Command::new(cli);
    command.args(["mock", "--addr", addr]);
    crate::mock_process::start(command)
}
