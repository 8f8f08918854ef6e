//! `cargo xtask bench list`: peak memory of `applivery collaborators list` streaming every
//! collaborator of an organization, page after page, against applivery-mock (release), for
//! 10,000 and 100,000 collaborators: flat memory means the two peaks are about equal.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use applivery_mock::{DEFAULT_API_KEY, MockConfig, MockServer};

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let dir = tempfile::tempdir().expect("a temp dir");
    let mock = runtime
        .block_on(MockServer::start(MockConfig::default()))
        .expect("the mock starts");
    println!("list benchmark: release binary against applivery-mock, pages of 100");
    let mut created = 0;
    for total in [10_000usize, 100_000] {
        // Create the missing users with the import itself.
        let file = dir.path().join(format!("users-{total}.csv"));
        let mut out = std::io::BufWriter::new(std::fs::File::create(&file).expect("create"));
        writeln!(out, "email,tags").expect("write");
        for i in created..total {
            writeln!(out, "list.user{i}@example.com,bench").expect("write");
        }
        out.flush().expect("flush");
        drop(out);
        run_import(&file, &mock.base_url());
        created = total;
        let (seen, seconds, peak_mb) = list(&mock.base_url());
        assert_eq!(seen, total, "every collaborator listed once");
        println!(
            "{total} collaborators listed (jsonl) in {seconds:.1} s: peak memory {peak_mb:.1} MB"
        );
    }
}

fn run_import(file: &Path, base_url: &str) {
    let status = Command::new(env!("CARGO_BIN_EXE_applivery"))
        .args(["oem-users", "import"])
        .arg(file)
        .args([
            "--org",
            "demo-org",
            "--quiet",
            "--no-journal",
            "--concurrency",
            "64",
        ])
        .env("APPLIVERY_API_KEY", DEFAULT_API_KEY)
        .env("APPLIVERY_BASE_URL", base_url)
        .stdout(Stdio::null())
        .status()
        .expect("the applivery binary runs");
    assert!(status.success(), "import failed: {status:?}");
}

/// Lines printed, wall seconds, peak resident memory of the list process (MB).
fn list(base_url: &str) -> (usize, f64, f64) {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_applivery"))
        .args([
            "--output",
            "jsonl",
            "collaborators",
            "list",
            "--org",
            "demo-org",
        ])
        .args(["--page-size", "100"])
        .env("APPLIVERY_API_KEY", DEFAULT_API_KEY)
        .env("APPLIVERY_BASE_URL", base_url)
        .stdout(Stdio::piped())
        .spawn()
        .expect("the applivery binary runs");
    let status_path = format!("/proc/{}/status", child.id());
    let stdout = child.stdout.take().expect("piped");
    let counter = std::thread::spawn(move || BufReader::new(stdout).lines().count());
    let mut peak_kb = 0u64;
    while child.try_wait().expect("wait").is_none() {
        if let Some(kb) = vm_hwm_kb(&status_path) {
            peak_kb = peak_kb.max(kb);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let lines = counter.join().expect("counted");
    assert!(child.wait().expect("exit").success());
    (
        lines,
        started.elapsed().as_secs_f64(),
        peak_kb as f64 * 1024.0 / 1e6,
    )
}

/// The process's peak resident set size so far, from /proc (Linux).
fn vm_hwm_kb(status_path: &str) -> Option<u64> {
    let status = std::fs::read_to_string(status_path).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
