//! A model test of `oem-users import`: random CSV and JSON Lines files (valid, invalid and
//! duplicate rows), random faults from the mock (queued and periodic), random SIGKILLs (one to
//! three in a row, each at a random point of the run), then reruns to the end. Whatever happened, the end state
//! must match the model: every distinct valid email created exactly once, every line in the
//! results in file order with the outcome its row deserves, the ids in the results (taken from
//! the journal on the last run) the mock's, and a journal with every valid row finished.
//!
//! Seeded: `APPLIVERY_MODEL_SEED` replays a run, `APPLIVERY_MODEL_CASES` sets how many cases
//! (default 60, under a minute here). A failure names its case's seed.

#![cfg(unix)]

mod common;

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Mock, journal_progress, write};

/// SplitMix64: small, seedable, good enough to pick test inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// What a line of the file should end as.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Expect {
    /// Created or already registered, with this (lowercase) email.
    User(String),
    Invalid,
}

/// Faults a request may meet: answers that created nothing, answers lost after creating the
/// user (ambiguous), broken bodies, slow answers and no answer at all.
const FAULTS: &[&str] = &[
    "status=500",
    "status=502",
    "status=503,retry-after=0",
    "status=429,retry-after=0",
    "drop",
    "after-create,drop",
    "after-create,status=500",
    "after-create,truncated-json",
    "malformed-json",
    "html",
    "latency=40",
    "after-create,hang",
];

/// A random file, CSV or JSON Lines, and what each of its rows should end as.
fn random_file(rng: &mut Rng, case: u64) -> (String, bool, Vec<Expect>) {
    let jsonl = rng.chance(30);
    let rows = 5 + rng.below(60);
    let mut text = String::new();
    if !jsonl {
        text.push_str("email,firstName,lastName,tags\n");
    }
    let mut expected = Vec::new();
    let mut emails: Vec<String> = Vec::new();
    let push = |text: &mut String, email: &str, first: &str, last: &str| {
        if jsonl {
            text.push_str(&format!(
                "{{\"email\":{email:?},\"firstName\":{first:?},\"lastName\":{last:?},\"tags\":[\"model\"]}}\n"
            ));
        } else {
            text.push_str(&format!("{email},{first},{last},model\n"));
        }
    };
    for i in 0..rows {
        let roll = rng.below(100);
        if roll < 12 {
            let bad = rng.pick(&["not-an-email", "", "two@@example.com", "a b@example.com"]);
            push(&mut text, bad, "Bad", &format!("Row{i}"));
            expected.push(Expect::Invalid);
        } else if roll < 15 && jsonl {
            text.push_str("[\"not an object\"]\n");
            expected.push(Expect::Invalid);
        } else if roll < 26 && !emails.is_empty() {
            // The same user again (other names: another row, same email).
            let email = emails[rng.below(emails.len() as u64) as usize].clone();
            push(&mut text, &email, &format!("Again{i}"), "Dup");
            expected.push(Expect::User(email));
        } else {
            let email = format!("case{case}.row{i}@example.com");
            push(&mut text, &email, &format!("First{i}"), &format!("Last{i}"));
            emails.push(email.clone());
            expected.push(Expect::User(email));
        }
    }
    (text, jsonl, expected)
}

#[derive(Debug)]
struct ResultRow {
    line: u64,
    email: String,
    outcome: String,
    collaborator_id: String,
}

fn read_results(path: &Path) -> Vec<ResultRow> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            ResultRow {
                line: r[0].parse().unwrap(),
                email: r[1].to_lowercase(),
                outcome: r[2].to_owned(),
                collaborator_id: r[5].to_owned(),
            }
        })
        .collect()
}

/// Checks a final results file and the mock against the model.
fn check(
    case: &str,
    first_line: u64,
    expected: &[Expect],
    results: &[ResultRow],
    mock_ids: &HashMap<String, String>,
) {
    assert_eq!(results.len(), expected.len(), "{case}: one result per line");
    let mut created_rows: HashMap<&str, usize> = HashMap::new();
    for (i, (row, expect)) in results.iter().zip(expected).enumerate() {
        assert_eq!(
            row.line,
            i as u64 + first_line,
            "{case}: results in file order"
        );
        match expect {
            Expect::Invalid => assert_eq!(row.outcome, "invalid", "{case}: line {}", row.line),
            Expect::User(email) => {
                assert_eq!(&row.email, email, "{case}: line {}", row.line);
                assert!(
                    row.outcome == "created" || row.outcome == "already_registered",
                    "{case}: line {} {email}: {}",
                    row.line,
                    row.outcome
                );
                if row.outcome == "created" {
                    *created_rows.entry(email).or_default() += 1;
                    assert_eq!(
                        Some(&row.collaborator_id),
                        mock_ids.get(email),
                        "{case}: line {}: the id the mock gave",
                        row.line
                    );
                }
            }
        }
    }
    assert!(
        created_rows.values().all(|n| *n == 1),
        "{case}: an email reported created twice: {created_rows:?}"
    );
}

fn import(mock: &Mock, file: &Path, results: &Path, concurrency: u64, attempts: u64) -> Command {
    let mut command = mock.applivery();
    command
        .args(["oem-users", "import"])
        .arg(file)
        .args(["--org", "demo-org", "--quiet", "--timeout", "1"])
        .args(["--concurrency", &concurrency.to_string()])
        .args(["--max-attempts", &attempts.to_string()])
        .arg("--results")
        .arg(results)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

fn run_case(seed: u64, case: u64) -> (u64, u64) {
    let label = format!("case {case} (APPLIVERY_MODEL_SEED={seed} selects its run)");
    let mut rng = Rng(seed ^ case.wrapping_mul(0x2545_f491_4f6c_dd1d));
    let periodic: Vec<(u32, String)> = if rng.chance(40) {
        let spec = rng.pick(&FAULTS[..FAULTS.len() - 1]).to_owned();
        vec![(3 + rng.below(8) as u32, spec)]
    } else {
        Vec::new()
    };
    let latency = rng.below(6);
    let mock = Mock::start(|config| {
        config.periodic_faults = periodic;
        config.latency = Some(Duration::from_millis(latency));
    });
    let faults: Vec<&str> = (0..rng.below(12)).map(|_| rng.pick(FAULTS)).collect();
    mock.server().push_faults(faults);

    let dir = tempfile::tempdir().unwrap();
    let (text, jsonl, expected) = random_file(&mut rng, case);
    let file = write(
        dir.path(),
        if jsonl { "users.jsonl" } else { "users.csv" },
        text,
    );
    let first_line = if jsonl { 1 } else { 2 };
    let journal = applivery_cli::journal::default_path(&file);
    let results = dir.path().join("results.csv");
    let concurrency = 1 + rng.below(8);
    let attempts = 2 + rng.below(4);

    let mut kills = 0;
    for _ in 0..1 + rng.below(3) {
        let before = journal_progress(&journal);
        let target = before + rng.below(expected.len() as u64 + 2) as usize;
        let mut child = import(&mock, &file, &results, concurrency, attempts)
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if child.try_wait().unwrap().is_some() {
                break; // finished before its kill point
            }
            if journal_progress(&journal) >= target || Instant::now() > deadline {
                child.kill().unwrap(); // SIGKILL
                child.wait().unwrap();
                kills += 1;
                break;
            }
            std::thread::sleep(Duration::from_micros(300));
        }
    }

    // Rerun until the import says it is complete (faults can leave rows failed for a run).
    let invalid = expected.iter().filter(|e| **e == Expect::Invalid).count();
    let complete = if invalid > 0 { 12 } else { 0 };
    let mut reruns = 0;
    loop {
        let status = import(&mock, &file, &results, concurrency, attempts)
            .status()
            .unwrap();
        reruns += 1;
        if status.code() == Some(complete) {
            break;
        }
        assert_eq!(status.code(), Some(1), "{label}: rerun {reruns}");
        assert!(reruns < 15, "{label}: the import never completed");
    }

    let users = mock.server().users();
    let mut mock_ids: HashMap<String, String> = HashMap::new();
    for user in &users {
        let email = user
            .user
            .as_ref()
            .and_then(|u| u.email.clone())
            .unwrap_or_default()
            .to_lowercase();
        assert!(
            mock_ids.insert(email.clone(), user.id.clone()).is_none(),
            "{label}: {email} created twice"
        );
    }
    let wanted: std::collections::HashSet<&String> = expected
        .iter()
        .filter_map(|e| match e {
            Expect::User(email) => Some(email),
            Expect::Invalid => None,
        })
        .collect();
    assert_eq!(
        mock_ids.len(),
        wanted.len(),
        "{label}: every distinct valid email created, nothing else"
    );
    assert!(wanted.iter().all(|e| mock_ids.contains_key(*e)), "{label}");
    check(
        &label,
        first_line,
        &expected,
        &read_results(&results),
        &mock_ids,
    );

    // The journal holds every valid row as finished, and a run now sends nothing: its results
    // come from the journal alone and must still agree with the mock.
    let contents =
        applivery_cli::journal::read_journal_bytes(&std::fs::read(&journal).unwrap()).unwrap();
    assert_eq!(
        contents.finished as usize,
        expected.len() - invalid,
        "{label}: {contents:?}"
    );
    assert_eq!(
        contents.started + contents.unfinished + contents.torn,
        0,
        "{label}"
    );
    let requests = mock.request_count();
    let status = import(&mock, &file, &results, concurrency, attempts)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(complete), "{label}");
    assert_eq!(mock.request_count(), requests, "{label}: nothing re-sent");
    check(
        &label,
        first_line,
        &expected,
        &read_results(&results),
        &mock_ids,
    );
    (kills, reruns)
}

#[test]
fn import_survives_random_files_faults_and_kills() {
    let seed = std::env::var("APPLIVERY_MODEL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_f1a5);
    let cases: u64 = std::env::var("APPLIVERY_MODEL_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let started = Instant::now();
    let (mut kills, mut reruns) = (0, 0);
    for case in 0..cases {
        let (k, r) = run_case(seed, case);
        kills += k;
        reruns += r;
    }
    // Straight to stderr, past the test harness's capture: CI logs show how much was run.
    let _ = writeln!(
        std::io::stderr(),
        "model test of import: {cases} cases (seed {seed}), {kills} SIGKILLs, {reruns} reruns to \
         completion, {:.0} s; APPLIVERY_MODEL_CASES=N for more",
        started.elapsed().as_secs_f64()
    );
}
