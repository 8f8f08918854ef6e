//! Schemathesis against the mock: requests generated from the spec (valid and invalid) must get
//! the answers the spec documents, and a body that breaks a rule must be refused.
//!
//! Schemathesis comes from PyPI (installed with `pip install --user` when missing). It runs in
//! a temporary directory, with a fixed seed, so it leaves nothing in the tree and a failure can
//! be replayed. The mock is the binary `cargo test` built.

use std::process::Command;

use crate::{project_root, run_step};

/// Cases per phase: enough to reach every rule, a minute or so on these machines.
const MAX_EXAMPLES: &str = "300";
const SEED: &str = "42";

pub fn run() -> Result<(), String> {
    let schemathesis = install()?;
    let root = project_root();
    let mock_bin = root.join("target/debug/applivery-mock");
    let mut command = Command::new(&mock_bin);
    command.args(["--addr", "127.0.0.1:0"]);
    let (mut mock, base_url) = crate::mock_process::start(command)?;
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
