//! A model test of secret rotation after a leak: 2,000 OEM users, `refresh-secret --all` killed
//! with SIGKILL at random moments (most of them with requests in flight) and run again until
//! it finishes. For every user the last secret in the secrets file is the one the mock holds,
//! and the users rotated more than once are at most the requests in flight at the kills.

#![cfg(unix)]

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{Mock, assert_exit, run, users_csv, write};

const USERS: usize = 2_000;

/// `(collaboratorId, oemSecret, refreshCount)` of every user, from `/__mock/oem-secrets`.
fn mock_secrets(mock: &Mock) -> HashMap<String, (String, u64)> {
    let url = format!("{}/__mock/oem-secrets", mock.server().base_url());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let body: Vec<serde_json::Value> = runtime.block_on(async {
        let answer = applivery::reqwest::get(&url).await.unwrap();
        serde_json::from_slice(&answer.bytes().await.unwrap()).unwrap()
    });
    body.into_iter()
        .map(|entry| {
            let id = entry["collaboratorId"].as_str().unwrap().to_owned();
            let secret = entry["oemSecret"].as_str().unwrap().to_owned();
            (id, (secret, entry["refreshCount"].as_u64().unwrap()))
        })
        .collect()
}

/// `(sent, done)` lines of the journal from byte `from` on.
fn journal_lines(path: &Path, from: usize) -> (usize, usize) {
    let bytes = std::fs::read(path).unwrap_or_default();
    let text = String::from_utf8_lossy(bytes.get(from..).unwrap_or_default()).into_owned();
    let sent = text.lines().filter(|l| l.starts_with("sent ")).count();
    let done = text.lines().filter(|l| l.starts_with("done ")).count();
    (sent, done)
}

/// A small xorshift generator: random kill moments, reproducible from the printed seed.
struct Random(u64);

impl Random {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn rotation_killed_at_random_resumes_to_the_secret_in_force_for_every_user() {
    // Every request takes effect at once and is answered 40 ms later: a request in flight when
    // the run dies has rotated its user, and the answer with the new secret is lost.
    let mock = Mock::start(|config| {
        config.periodic_faults = vec![(1, "after-create,latency=40".to_owned())];
    });
    let dir = tempfile::tempdir().unwrap();
    let users = write(dir.path(), "users.csv", users_csv(USERS, &[]));
    let created = run(mock
        .applivery()
        .args([
            "oem-users",
            "import",
            "--org",
            "demo-org",
            "--no-journal",
            "-q",
        ])
        .args(["--concurrency", "64"])
        .arg(&users));
    assert_exit(&created, 0);

    let secrets = dir.path().join("secrets.csv");
    let journal = dir.path().join("secrets.csv.journal");
    let rotate = || {
        let mut command = mock.applivery();
        command
            .args([
                "oem-users",
                "refresh-secret",
                "--all",
                "--org",
                "demo-org",
                "-q",
            ])
            .args(["--concurrency", "8", "--secrets"])
            .arg(&secrets)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        command
    };
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    let mut random = Random(seed);
    // Per kill: the journal's sent-but-not-done (requests in flight or about to leave) and the
    // refreshes the mock made that the run did not record (answers lost in flight).
    let mut kills: Vec<(usize, u64)> = Vec::new();
    let started = Instant::now();
    while kills.len() < 10 || kills.iter().filter(|(_, lost)| *lost > 0).count() * 2 < kills.len() {
        assert!(
            kills.len() < 60,
            "too few kills hit requests in flight: {kills:?}"
        );
        let refreshed_before: u64 = mock_secrets(&mock).values().map(|(_, n)| n).sum();
        let journal_before = std::fs::metadata(&journal).map_or(0, |m| m.len() as usize);
        let mut child = rotate().spawn().unwrap();
        // The first kill may land while the selection is listed (nothing sent yet); the others
        // once the journal exists, at a random moment of the sending.
        while !kills.is_empty() && !journal.exists() && child.try_wait().unwrap().is_none() {
            std::thread::sleep(Duration::from_millis(5));
        }
        std::thread::sleep(Duration::from_millis(50 + random.below(350)));
        if child.try_wait().unwrap().is_some() {
            break;
        }
        child.kill().unwrap();
        child.wait().unwrap();
        // Requests the mock was still serving finish (or are dropped) before it is read.
        std::thread::sleep(Duration::from_millis(200));
        let refreshed_after: u64 = mock_secrets(&mock).values().map(|(_, n)| n).sum();
        let (sent, done) = journal_lines(&journal, journal_before);
        let lost = (refreshed_after - refreshed_before).saturating_sub(done as u64);
        kills.push((sent.saturating_sub(done), lost));
    }
    let last = run(rotate().stdout(Stdio::piped()).stderr(Stdio::piped()));
    assert_exit(&last, 0);

    let in_force = mock_secrets(&mock);
    assert_eq!(in_force.len(), USERS);
    let mut written: HashMap<String, String> = HashMap::new();
    let mut reader = csv::Reader::from_path(&secrets).unwrap();
    for row in reader.records() {
        let row = row.unwrap();
        written.insert(row[1].to_owned(), row[2].to_owned());
    }
    for (id, (secret, count)) in &in_force {
        assert!(*count >= 1, "{id} was never rotated");
        assert_eq!(
            written.get(id),
            Some(secret),
            "the last secret written for {id} is the one in force"
        );
    }
    let more_than_once = in_force.values().filter(|(_, n)| *n > 1).count() as u64;
    let in_flight: usize = kills.iter().map(|(in_flight, _)| in_flight).sum();
    let lost: u64 = kills.iter().map(|(_, lost)| lost).sum();
    eprintln!(
        "seed {seed}: {} kills in {:.1} s, {} with answers lost in flight; in flight at the \
         kills (sent, not done): {in_flight}; answers lost: {lost}; users rotated more than \
         once: {more_than_once}; per kill (in flight, lost): {kills:?}",
        kills.len(),
        started.elapsed().as_secs_f64(),
        kills.iter().filter(|(_, lost)| *lost > 0).count(),
    );
    assert!(kills.len() >= 10, "killed {} times", kills.len());
    assert!(
        more_than_once <= lost && lost <= in_flight as u64,
        "rotated more than once {more_than_once}, lost {lost}, in flight {in_flight}"
    );
}
