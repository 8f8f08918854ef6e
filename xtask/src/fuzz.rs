//! `cargo xtask fuzz [TARGET] [--seconds N]`: builds the cargo-fuzz targets in fuzz/ and runs
//! each (or the one named) for N seconds from its checked-in seeds (fuzz/seeds/TARGET, read
//! only) plus its working corpus (fuzz/corpus/TARGET, gitignored), then prints the executions
//! per target. A crash fails the task and leaves its input in fuzz/artifacts/TARGET/.
//!
//! Needs the nightly toolchain (libFuzzer's instrumentation); cargo-fuzz is installed when
//! missing. `cargo xtask test` runs every target for a few seconds when nightly is present.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::{project_root, run_step};

/// Seconds per target in `cargo xtask test`.
pub const SMOKE_SECONDS: u64 = 5;

/// libFuzzer limits: no input may take more than `-timeout` seconds, nor the process more than
/// `-rss_limit_mb` (a single allocation above it is a crash too).
const LIMITS: [&str; 3] = ["-rss_limit_mb=1024", "-timeout=10", "-print_final_stats=1"];

/// What one target's run did.
struct Run {
    target: String,
    executions: u64,
    seconds: u64,
    corpus: usize,
    crashed: bool,
}

/// `cargo xtask fuzz`: fails without nightly.
pub fn run(target: Option<&str>, seconds: u64) -> Result<(), String> {
    if !nightly_present() {
        return Err("fuzzing needs the nightly toolchain: rustup toolchain install nightly".into());
    }
    fuzz(target, seconds)
}

/// The smoke run of `cargo xtask test`: every target for [`SMOKE_SECONDS`], or a plain notice
/// when this machine has no nightly toolchain.
pub fn smoke() -> Result<(), String> {
    if !nightly_present() {
        println!(
            "fuzz smoke run SKIPPED: no nightly toolchain on this machine \
             (rustup toolchain install nightly, then cargo xtask fuzz)"
        );
        return Ok(());
    }
    fuzz(None, SMOKE_SECONDS)
}

fn fuzz(only: Option<&str>, seconds: u64) -> Result<(), String> {
    let root = project_root();
    let fuzz_dir = root.join("fuzz");
    let targets = targets(&fuzz_dir)?;
    if let Some(only) = only
        && !targets.iter().any(|t| t == only)
    {
        return Err(format!(
            "no fuzz target `{only}`; targets: {}",
            targets.join(", ")
        ));
    }
    install_cargo_fuzz()?;
    // The fuzz crate is its own workspace: start its lock from the workspace's, so the fuzzed
    // code builds with the versions everything else uses.
    std::fs::copy(root.join("Cargo.lock"), fuzz_dir.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock into fuzz/: {e}"))?;
    let started = Instant::now();
    // No sanitizer: the workspace forbids unsafe code, and without ASan a run executes about
    // twice as many inputs. Debug assertions on: an arithmetic overflow is a crash.
    let mut build = vec![
        "+nightly",
        "fuzz",
        "build",
        "--sanitizer",
        "none",
        "--debug-assertions",
    ];
    build.extend(only);
    run_step("cargo", &build, &root)?;
    println!("fuzz build: {} s", started.elapsed().as_secs());

    let binaries = fuzz_dir.join("target").join(host_triple()?).join("release");
    let mut runs = Vec::new();
    for target in targets
        .iter()
        .filter(|t| only.is_none_or(|only| only == *t))
    {
        runs.push(run_target(
            &fuzz_dir,
            &binaries.join(target),
            target,
            seconds,
        )?);
    }
    println!("\nfuzz: {seconds} s per target (cargo xtask fuzz --seconds {seconds})");
    println!(
        "{:<14} {:>12} {:>8} {:>8} {:>7}  result",
        "target", "executions", "exec/s", "seconds", "corpus"
    );
    for run in &runs {
        println!(
            "{:<14} {:>12} {:>8} {:>8} {:>7}  {}",
            run.target,
            run.executions,
            run.executions / run.seconds.max(1),
            run.seconds,
            run.corpus,
            if run.crashed {
                "CRASH (see fuzz/artifacts/)"
            } else {
                "ok"
            }
        );
    }
    let crashed: Vec<&str> = runs
        .iter()
        .filter(|r| r.crashed)
        .map(|r| r.target.as_str())
        .collect();
    if crashed.is_empty() {
        Ok(())
    } else {
        Err(format!("fuzz targets crashed: {}", crashed.join(", ")))
    }
}

/// The targets: one file per target in fuzz/fuzz_targets/.
fn targets(fuzz_dir: &Path) -> Result<Vec<String>, String> {
    let dir = fuzz_dir.join("fuzz_targets");
    let entries =
        std::fs::read_dir(&dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    let mut targets: Vec<String> = entries
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            (path.extension()? == "rs").then(|| path.file_stem()?.to_str().map(str::to_owned))?
        })
        .collect();
    targets.sort();
    Ok(targets)
}

fn run_target(fuzz_dir: &Path, binary: &Path, target: &str, seconds: u64) -> Result<Run, String> {
    let corpus = fuzz_dir.join("corpus").join(target);
    let seeds = fuzz_dir.join("seeds").join(target);
    let artifacts = fuzz_dir.join("artifacts").join(target);
    for dir in [&corpus, &artifacts] {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let mut args: Vec<String> = vec![
        path_arg(&corpus),
        path_arg(&seeds),
        format!("-max_total_time={seconds}"),
        format!("-artifact_prefix={}/", path_arg(&artifacts)),
    ];
    args.extend(LIMITS.iter().map(|s| s.to_string()));
    println!("$ {} {}", binary.display(), args.join(" "));
    let started = Instant::now();
    let output = Command::new(binary)
        .args(&args)
        .current_dir(fuzz_dir)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    let log = String::from_utf8_lossy(&output.stderr);
    let stat = |name: &str| -> Option<u64> {
        log.lines()
            .find_map(|line| line.strip_prefix(name)?.trim().parse().ok())
    };
    let crashed = !output.status.success();
    if crashed {
        // The panic message, the input and the libFuzzer summary: the tail of its log.
        let lines: Vec<&str> = log.lines().collect();
        eprintln!("{}", lines[lines.len().saturating_sub(40)..].join("\n"));
    }
    Ok(Run {
        target: target.to_owned(),
        executions: stat("stat::number_of_executed_units:").unwrap_or(0),
        seconds: started.elapsed().as_secs(),
        corpus: std::fs::read_dir(&corpus).map_or(0, |d| d.count()),
        crashed,
    })
}

fn path_arg(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn nightly_present() -> bool {
    Command::new("cargo")
        .args(["+nightly", "--version"])
        .output()
        .is_ok_and(|out| out.status.success())
}

/// `cargo install cargo-fuzz --locked` unless `cargo fuzz` runs.
fn install_cargo_fuzz() -> Result<(), String> {
    let present = Command::new("cargo")
        .args(["fuzz", "--version"])
        .output()
        .is_ok_and(|out| out.status.success());
    if present {
        return Ok(());
    }
    run_step(
        "cargo",
        &["install", "cargo-fuzz", "--locked"],
        &project_root(),
    )
}

/// The nightly compiler's host target, the directory cargo-fuzz builds into.
fn host_triple() -> Result<PathBuf, String> {
    let out = Command::new("rustc")
        .args(["+nightly", "-vV"])
        .output()
        .map_err(|e| format!("cannot run rustc: {e}"))?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .map(PathBuf::from)
        .ok_or_else(|| "rustc -vV printed no host".into())
}
