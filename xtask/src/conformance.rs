//! Schemathesis against the mock: requests generated from the spec (valid and invalid) must get
//! the answers the spec documents, and a body that breaks a rule must be refused.
//!
//! Schemathesis comes from PyPI (installed with `pip install --user` when missing). It runs in
//! a temporary directory, with a fixed seed, so it leaves nothing in the tree and a failure can
//! be replayed. The mock is the binary `cargo test` built.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use crate::{project_root, run_step};

/// Cases per phase: enough to reach every rule, a minute or so on these machines.
const MAX_EXAMPLES: &str = "300";
const SEED: &str = "42";

pub fn run() -> Result<(), String> {
    let schemathesis = install()?;
    let root = project_root();
    let mock_bin = root.join("target/debug/applivery-mock");
    let (mut mock, base_url) = start_mock(&mock_bin)?;
    let work = tempfile::tempdir().map_err(|e| format!("cannot make a temp dir: {e}"))?;
    // The mock's default key and organization, so requests reach the endpoint's logic.
    std::fs::write(
        work.path().join("schemathesis.toml"),
        "headers = { Authorization = \"Bearer mock-api-key\" }\n\
         [parameters]\n\"path.organizationId\" = \"demo-org\"\n",
    )
    .map_err(|e| format!("cannot write schemathesis.toml: {e}"))?;
    let spec = root.join(crate::codegen::SPEC_PATH);
    let spec = spec.to_str().ok_or("non-UTF-8 path")?;
    let result = run_step(
        &schemathesis,
        &[
            "run",
            spec,
            "--url",
            &base_url,
            "--max-examples",
            MAX_EXAMPLES,
            "--seed",
            SEED,
        ],
        work.path(),
    );
    let _ = mock.kill();
    let _ = mock.wait();
    result
}

/// The `schemathesis` command, installed with pip when it is not on the PATH.
fn install() -> Result<String, String> {
    let works = |command: &str| {
        Command::new(command)
            .arg("--version")
            .output()
            .is_ok_and(|out| out.status.success())
    };
    if works("schemathesis") {
        return Ok("schemathesis".into());
    }
    run_step(
        "python3",
        &["-m", "pip", "install", "--user", "--quiet", "schemathesis"],
        &project_root(),
    )?;
    // pip --user puts scripts in ~/.local/bin, which may not be on the PATH.
    let local = std::env::var("HOME").map(|home| format!("{home}/.local/bin/schemathesis"));
    match local {
        Ok(path) if works(&path) => Ok(path),
        _ if works("schemathesis") => Ok("schemathesis".into()),
        _ => Err("schemathesis was installed but cannot be run".into()),
    }
}

/// Starts the mock on a free port; its base URL from the line that says where it listens.
fn start_mock(bin: &std::path::Path) -> Result<(Child, String), String> {
    let mut child = Command::new(bin)
        .args(["--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
    let stdout = child.stdout.take().expect("piped");
    let mut lines = BufReader::new(stdout).lines();
    let url = lines.by_ref().map_while(Result::ok).find_map(|line| {
        line.split_once("listening on ")
            .map(|(_, url)| url.trim().to_string())
    });
    match url {
        Some(url) => {
            std::thread::spawn(move || lines.for_each(drop));
            Ok((child, url))
        }
        None => {
            let _ = child.kill();
            Err("the mock exited without listening".into())
        }
    }
}
