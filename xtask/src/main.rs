//! `cargo xtask`: project automation that needs more than a shell one-liner.

mod bench;
mod clean_tree;
mod codegen;
mod conformance;
mod demo;
mod deny;
mod evolution;
mod fuzz;
mod mock_process;
mod publish_checks;
mod setup;
mod static_server;
mod test;
mod wasm;
mod wasm_tests;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Project automation for the Applivery OEM SDK"
)]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Regenerate what follows from the OpenAPI spec (applivery-api's sources, the facade's
    /// builder and collaborator).
    Codegen {
        /// Do not write anything; fail with a diff if the checked-in code is stale.
        #[arg(long)]
        check: bool,
        /// Spec to read (default: openapi/applivery-oem-users.json).
        #[arg(long)]
        spec: Option<PathBuf>,
        /// Workspace root to write the generated files under (default: this workspace).
        #[arg(long)]
        out_root: Option<PathBuf>,
    },
    /// Run every check CI runs: format, lints, generated code, all tests, docs.
    Test,
    /// Schemathesis against the mock (part of `test`; needs `cargo build -p applivery-mock`).
    Conformance,
    /// Build the `applivery-oem` npm package into web/pkg/ and report its size (fails over budget).
    Wasm {
        /// Report the size without enforcing the budget (the evolution test's changed copy).
        #[arg(long)]
        no_budget: bool,
    },
    /// The main job: start the local mock, create an OEM user through the Rust SDK, serve the
    /// admin page pointed at the mock until Ctrl-C.
    Demo {
        /// Where the mock listens (port 0 picks a free one).
        #[arg(long, default_value = "127.0.0.1:4010")]
        mock_addr: String,
        /// Where the admin page is served (port 0 picks a free one).
        #[arg(long, default_value = "127.0.0.1:8080")]
        page_addr: String,
        /// Serve web/pkg as built by `cargo xtask wasm` instead of rebuilding it.
        #[arg(long)]
        prebuilt_package: bool,
    },
    /// Run the release-mode benchmarks (all, or the one named: mock, facade, import, npm, wasm-load).
    Bench { name: Option<String> },
    /// On a copy of the workspace, add properties to the spec, run codegen and check that they
    /// reach every surface with no hand edit (part of `test`).
    Evolution,
    /// Run the cargo-fuzz targets in fuzz/ (all, or the one named) from their seed corpus and
    /// print the executions per target (needs the nightly toolchain).
    Fuzz {
        target: Option<String>,
        /// Seconds per target.
        #[arg(long, default_value_t = 60)]
        seconds: u64,
    },
}

fn main() -> ExitCode {
    let result = match Cli::parse().task {
        Task::Codegen {
            check,
            spec,
            out_root,
        } => {
            let root = project_root();
            codegen::run(&codegen::Options {
                spec: spec.unwrap_or_else(|| root.join(codegen::SPEC_PATH)),
                root: out_root.unwrap_or(root),
                check,
            })
        }
        Task::Test => test::run(),
        Task::Conformance => conformance::run(),
        Task::Wasm { no_budget } => wasm::run(!no_budget),
        Task::Demo {
            mock_addr,
            page_addr,
            prebuilt_package,
        } => demo::run(&demo::Options {
            mock_addr,
            page_addr,
            prebuilt_package,
        }),
        Task::Bench { name } => bench::run(name.as_deref()),
        Task::Fuzz { target, seconds } => fuzz::run(target.as_deref(), seconds),
        Task::Evolution => evolution::run(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: the parent of this crate's directory, or `APPLIVERY_XTASK_ROOT` (how the
/// evolution test builds the package of its changed copy of the workspace).
fn project_root() -> PathBuf {
    if let Some(root) = std::env::var_os("APPLIVERY_XTASK_ROOT") {
        return PathBuf::from(root);
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// Runs `program args` in `dir`, echoing it, and fails unless it succeeds.
fn run_step(program: &str, args: &[&str], dir: &Path) -> Result<(), String> {
    run_with_env(program, args, dir, &[])
}

/// Like [`run_step`], with extra environment variables (echoed too).
fn run_with_env(
    program: &str,
    args: &[&str],
    dir: &Path,
    env: &[(&str, &str)],
) -> Result<(), String> {
    let shown: String = env.iter().map(|(k, v)| format!("{k}={v} ")).collect();
    println!("$ {shown}{program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(dir)
        .status()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}
