//! `cargo xtask bench import`: throughput and peak memory of `applivery oem-users import`.
//!
//! Runs the real release binary against an in-process `applivery-mock`:
//! - with 50 ms injected latency at concurrency 1, 16 and 64, reporting users per second
//!   against the ideal `concurrency / latency` (10,000 rows at 16 and 64; 200 at concurrency 1,
//!   where 10,000 rows would take over eight minutes and the ideal is just as clear; 64 is run
//!   three times and every run printed);
//! - peak resident memory (VmHWM, polled from /proc) of a 100,000-row import with no latency
//!   at concurrency 64, next to that of the 10,000-row runs, to show it stays flat; and of the
//!   same import run again, resumed entirely from its journal;
//! - peak resident memory of resuming 1,000,000 and 10,000,000 finished rows (every row in the
//!   journal as created, written by the journal's own writer, so nothing needs sending; the
//!   resume still reads both the file and the journal twice and writes every row's result).
//!
//! - the library engine alone, as a Rust service uses it (`Client::create_oem_users` in a
//!   child process of this bench): 10,000 users at concurrency 64 with 50 ms latency, three
//!   times, against the ideal; and its peak memory for 100,000 and 1,000,000 inputs (generated
//!   lazily; one email, so the mock answers 4009 to all but the first and stays small).
//!
//! Targets: at least 90% of ideal at concurrency 64; peak memory under 50 MB; resuming
//! 10,000,000 finished rows under 64 MB; the engine at least 95% of ideal, its peak memory
//! flat. `APPLIVERY_BENCH_ONLY=engine` runs the engine part alone.
//! The journal is on (the default), so its fsyncs are part of the figures, and so is a results
//! file.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use applivery_cli::input::{Record, RowReader};
use applivery_cli::journal;
use applivery_cli::outcome::RowOutcome;
use applivery_mock::{DEFAULT_API_KEY, MockConfig, MockServer};

const LATENCY: Duration = Duration::from_millis(50);

fn main() {
    if let Ok(spec) = std::env::var(ENGINE_CHILD) {
        return engine_child(&spec);
    }
    let only_engine = std::env::var("APPLIVERY_BENCH_ONLY").is_ok_and(|only| only == "engine");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    if only_engine {
        return engine_bench(&runtime);
    }
    let dir = tempfile::tempdir().expect("a temp dir");

    let slow = runtime
        .block_on(MockServer::start(MockConfig {
            latency: Some(LATENCY),
            ..MockConfig::default()
        }))
        .expect("the mock starts");
    println!("import benchmark: release binary against applivery-mock, 50 ms latency per request");
    println!(
        "{:>11} {:>7} {:>10} {:>10} {:>9} {:>9} {:>10}",
        "concurrency", "rows", "users/s", "ideal/s", "of ideal", "wall s", "peak MB"
    );
    let mut at_64: f64 = 0.0;
    // Concurrency 64 runs three times (its best counts for the target): on a shared 2-core
    // machine another process's build can steal the CPU the mock and the import need.
    for (run, (concurrency, rows)) in [
        (1u32, 200usize),
        (16, 10_000),
        (64, 10_000),
        (64, 10_000),
        (64, 10_000),
    ]
    .into_iter()
    .enumerate()
    {
        slow.reset();
        // A fresh file (and so a fresh journal) per run: a rerun would resume, sending nothing.
        let file = write_csv(dir.path(), &format!("run{run}-c{concurrency}.csv"), rows);
        let run = import(&file, &slow.base_url(), concurrency);
        assert_eq!(slow.users().len(), rows, "every row created");
        let rate = rows as f64 / run.send_seconds;
        let ideal = f64::from(concurrency) / LATENCY.as_secs_f64();
        if concurrency == 64 {
            at_64 = at_64.max(rate / ideal);
        }
        println!(
            "{concurrency:>11} {rows:>7} {rate:>10.1} {ideal:>10.1} {:>8.1}% {:>9.2} {:>10.1}",
            100.0 * rate / ideal,
            run.wall_seconds,
            run.peak_mb
        );
    }
    runtime.block_on(slow.shutdown());

    let fast = runtime
        .block_on(MockServer::start(MockConfig::default()))
        .expect("the mock starts");
    let rows = 100_000;
    let file = write_csv(dir.path(), "big.csv", rows);
    let size_mb = std::fs::metadata(&file).map_or(0.0, |m| m.len() as f64 / 1e6);
    let run = import(&file, &fast.base_url(), 64);
    assert_eq!(fast.users().len(), rows, "every row created");
    println!(
        "100,000 rows ({size_mb:.1} MB file), no latency, concurrency 64: {:.1} s wall, {:.0} users/s, peak memory {:.1} MB",
        run.wall_seconds,
        rows as f64 / run.send_seconds,
        run.peak_mb
    );
    // The same command again: every row is finished in the journal, so this measures the
    // resume path (the journal's index is the one thing held per row).
    let resumed = import(&file, &fast.base_url(), 64);
    assert_eq!(fast.users().len(), rows, "nothing sent twice");
    println!(
        "the same 100,000 rows resumed from the journal (all done, nothing sent): {:.1} s wall, peak memory {:.1} MB",
        resumed.wall_seconds, resumed.peak_mb
    );
    let journal_bytes = std::fs::metadata(journal::default_path(&file)).map_or(0, |m| m.len());
    println!(
        "journal: {journal_bytes} bytes for {rows} rows ({:.1} bytes per row, header included)",
        journal_bytes as f64 / rows as f64
    );

    let mut resume_peak_mb = 0.0;
    for rows in [1_000_000, 10_000_000] {
        let file = write_csv(dir.path(), &format!("resume{rows}.csv"), rows);
        let size_mb = std::fs::metadata(&file).map_or(0.0, |m| m.len() as f64 / 1e6);
        let started = Instant::now();
        runtime.block_on(journal_every_row_created(&file, &fast.base_url()));
        let journal_path = journal::default_path(&file);
        let journal_bytes = std::fs::metadata(&journal_path).map_or(0, |m| m.len());
        let built = started.elapsed().as_secs_f64();
        let before = fast.request_count();
        let resumed = import(&file, &fast.base_url(), 64);
        assert_eq!(fast.request_count(), before, "nothing sent on resume");
        let results = std::fs::metadata(file.with_extension("results.csv")).map_or(0, |m| m.len());
        println!(
            "resume of {rows} finished rows ({size_mb:.0} MB file, journal {:.0} MB = {:.1} bytes/row, built in {built:.0} s): {:.1} s wall, peak memory {:.1} MB, results {:.0} MB",
            journal_bytes as f64 / 1e6,
            journal_bytes as f64 / rows as f64,
            resumed.wall_seconds,
            resumed.peak_mb,
            results as f64 / 1e6,
        );
        resume_peak_mb = resumed.peak_mb;
        // Tens of GB otherwise, over the two sizes.
        for path in [
            file.clone(),
            journal_path,
            file.with_extension("results.csv"),
        ] {
            let _ = std::fs::remove_file(path);
        }
    }
    runtime.block_on(fast.shutdown());

    println!(
        "targets: >= 90% of ideal at concurrency 64 (best run): {:.1}% ({}); peak memory < 50 MB: {:.1} MB ({}); resume of 10,000,000 rows < 64 MB: {:.1} MB ({})",
        100.0 * at_64,
        verdict(at_64 >= 0.9),
        run.peak_mb,
        verdict(run.peak_mb < 50.0),
        resume_peak_mb,
        verdict(resume_peak_mb < 64.0)
    );
    engine_bench(&runtime);
}

/// Set in the engine's child process: `base_url,inputs,concurrency`.
const ENGINE_CHILD: &str = "APPLIVERY_BENCH_ENGINE_CHILD";

/// The library engine alone: throughput at 50 ms latency and peak memory, each run in a child
/// process so that its memory is its own (the mock runs here).
fn engine_bench(runtime: &tokio::runtime::Runtime) {
    println!(
        "engine benchmark: Client::create_oem_users, in a child process, against applivery-mock"
    );
    let slow = runtime
        .block_on(MockServer::start(MockConfig {
            latency: Some(LATENCY),
            ..MockConfig::default()
        }))
        .expect("the mock starts");
    let ideal = 64.0 / LATENCY.as_secs_f64();
    let mut best: f64 = 0.0;
    for run in 1..=3 {
        slow.reset();
        let engine = engine_run(&slow.base_url(), 10_000, 64);
        let rate = 10_000.0 / engine.send_seconds;
        best = best.max(rate / ideal);
        println!(
            "  run {run}: 10,000 users at concurrency 64: {rate:.1} users/s of {ideal:.0} ideal = {:.1}%, peak {:.1} MB",
            100.0 * rate / ideal,
            engine.peak_mb
        );
    }
    runtime.block_on(slow.shutdown());
    let fast = runtime
        .block_on(MockServer::start(MockConfig::default()))
        .expect("the mock starts");
    let mut peaks = Vec::new();
    for inputs in [100_000, 1_000_000] {
        let engine = engine_run(&fast.base_url(), inputs, 64);
        println!(
            "  {inputs} inputs, no latency, concurrency 64: {:.1} s, {:.0} inputs/s, peak memory {:.1} MB",
            engine.send_seconds,
            inputs as f64 / engine.send_seconds,
            engine.peak_mb
        );
        peaks.push(engine.peak_mb);
    }
    runtime.block_on(fast.shutdown());
    let flat = peaks[1] < peaks[0] * 1.5 + 2.0;
    println!(
        "engine targets: >= 95% of ideal at concurrency 64 (best of 3): {:.1}% ({}); peak memory flat from 100,000 to 1,000,000 inputs: {:.1} -> {:.1} MB ({})",
        100.0 * best,
        verdict(best >= 0.95),
        peaks[0],
        peaks[1],
        verdict(flat)
    );
}

/// Runs the engine in a child process; its send time and peak memory.
fn engine_run(base_url: &str, inputs: u64, concurrency: usize) -> Run {
    let started = Instant::now();
    let child = Command::new(std::env::current_exe().expect("this bench's path"))
        .env(ENGINE_CHILD, format!("{base_url},{inputs},{concurrency}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the bench runs itself");
    let (output, peak_mb) = wait_measuring(child);
    let text = String::from_utf8_lossy(&output.stdout);
    let send_seconds = text.trim().parse().expect("the child prints its seconds");
    Run {
        send_seconds,
        wall_seconds: started.elapsed().as_secs_f64(),
        peak_mb,
    }
}

/// The child: every input through `create_oem_users`, generated lazily; prints the seconds
/// from the first poll to the last outcome.
fn engine_child(spec: &str) {
    let mut parts = spec.split(',');
    let base_url = parts.next().expect("a base URL").to_owned();
    let inputs: u64 = parts.next().and_then(|n| n.parse().ok()).expect("inputs");
    let concurrency: usize = parts
        .next()
        .and_then(|n| n.parse().ok())
        .expect("concurrency");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let seconds = runtime.block_on(async move {
        let client = applivery::Client::builder()
            .api_key(DEFAULT_API_KEY)
            .base_url(base_url)
            .build()
            .expect("a client");
        // Distinct users while the mock can hold them; past that one email, answered 4009.
        let distinct = inputs <= 10_000;
        let users = (0..inputs).map(move |n| {
            let n = if distinct { n } else { 0 };
            applivery::NewOemUser::new(format!("engine.user{n}@example.com"))
        });
        let started = Instant::now();
        let mut stream = client
            .create_oem_users("demo-org", users)
            .concurrency(concurrency)
            .stream();
        let mut done = 0u64;
        while let Some(outcome) = std::future::poll_fn(|cx| {
            futures_core::Stream::poll_next(std::pin::Pin::new(&mut stream), cx)
        })
        .await
        {
            assert!(outcome.outcome.is_done(), "{outcome:?}");
            done += 1;
        }
        assert_eq!(done, inputs, "every input has its outcome");
        started.elapsed().as_secs_f64()
    });
    println!("{seconds}");
}

/// Writes the journal a finished import of `file` would leave: every row created, through the
/// journal's own writer (creating ten million users in the mock first would take an hour).
async fn journal_every_row_created(file: &Path, base_url: &str) {
    let run = journal::RunInfo {
        input: file.display().to_string(),
        organization: "demo-org".to_owned(),
        // As the command records it: the facade's normalized form.
        base_url: applivery::Client::builder()
            .api_key(DEFAULT_API_KEY)
            .base_url(base_url)
            .build()
            .expect("a client")
            .base_url()
            .to_owned(),
    };
    let path = journal::default_path(file);
    let journal = journal::Journal::open(&path, &run).expect("the journal opens");
    let handle = journal.handle();
    let reader = RowReader::open(file, None).expect("the file opens");
    for (position, record) in reader.enumerate() {
        let Ok(Record::Row(row)) = record else {
            panic!("the bench file has only valid rows");
        };
        let id = format!("{:024x}", position as u64 + 0x5f3a_9c0e);
        handle.done(position as u64, row.fingerprint(), &RowOutcome::created(id));
    }
    journal.close().await.expect("the journal is written");
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "NOT met" }
}

fn write_csv(dir: &Path, name: &str, rows: usize) -> std::path::PathBuf {
    let path = dir.join(name);
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    writeln!(out, "email,firstName,lastName,tags").expect("write");
    for i in 1..=rows {
        writeln!(
            out,
            "bench.user{i}@example.com,First{i},Last{i},bench;team-{}",
            i % 10
        )
        .expect("write");
    }
    out.flush().expect("flush");
    path
}

struct Run {
    /// Pass 2 (sending), as the import reports it.
    send_seconds: f64,
    /// The whole process, both passes included.
    wall_seconds: f64,
    /// Peak resident set size of the import process.
    peak_mb: f64,
}

fn import(file: &Path, base_url: &str, concurrency: u32) -> Run {
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_applivery"))
        .args(["--output", "json", "oem-users", "import"])
        .arg(file)
        .args(["--org", "demo-org", "--quiet", "--concurrency"])
        .arg(concurrency.to_string())
        // As operators run it: the results file (in file order) is part of the cost.
        .arg("--results")
        .arg(file.with_extension("results.csv"))
        .env("APPLIVERY_API_KEY", DEFAULT_API_KEY)
        .env("APPLIVERY_BASE_URL", base_url)
        .env_remove("APPLIVERY_ORGANIZATION_ID")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the applivery binary runs");
    let (output, peak_mb) = wait_measuring(child);
    let wall_seconds = started.elapsed().as_secs_f64();
    assert!(
        output.status.success(),
        "import failed: {:?}",
        output.status
    );
    let summary: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("a JSON summary");
    Run {
        send_seconds: summary["elapsedSeconds"].as_f64().expect("elapsedSeconds"),
        wall_seconds,
        peak_mb,
    }
}

/// Waits for `child`, polling its peak resident memory (MB).
fn wait_measuring(mut child: std::process::Child) -> (std::process::Output, f64) {
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0u64;
    while child.try_wait().expect("wait").is_none() {
        if let Some(kb) = vm_hwm_kb(&status_path) {
            peak_kb = peak_kb.max(kb);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let output = child.wait_with_output().expect("output");
    (output, peak_kb as f64 * 1024.0 / 1e6)
}

/// The process's peak resident set size so far, from /proc (Linux).
fn vm_hwm_kb(status_path: &str) -> Option<u64> {
    let status = std::fs::read_to_string(status_path).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
