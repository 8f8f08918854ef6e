//! Crash safety: an import killed with SIGKILL at several points, then resumed, ends with every
//! valid row created exactly once and a results file that accounts for every line; and one
//! import at a time per journal, with no stale lock after a crash.

#![cfg(unix)]

mod common;

use std::process::Stdio;
use std::time::Duration;

use common::{
    Mock, SECRET_KEY, assert_exit, bytes_contain, journal_progress, read_results_csv, run,
    users_csv, write,
};

#[test]
fn imports_killed_at_several_points_resume_without_losing_or_repeating_rows() {
    // Slow enough that a run is always still going when it is killed (it is killed after at
    // most 100 new row slots).
    let mock = Mock::start(|config| config.latency = Some(Duration::from_millis(20)));
    let dir = tempfile::tempdir().unwrap();
    let rows = 400;
    let invalid = [17, 230];
    let valid = rows - invalid.len();
    let file = write(dir.path(), "users.csv", users_csv(rows, &invalid));
    let journal = dir.path().join("users.csv.journal");
    let results = dir.path().join("results.csv");
    let concurrency = 8;
    // The first request creates its user and never answers: when the process dies that row is
    // in flight, its outcome unknown. The resume must find it already registered, not fail.
    mock.server().push_faults(["after-create,hang"]);

    let import = || {
        let mut command = mock.applivery();
        command
            .args(["oem-users", "import"])
            .arg(&file)
            .args([
                "--org",
                "demo-org",
                "--concurrency",
                &concurrency.to_string(),
            ])
            .arg("--results")
            .arg(&results);
        command
    };

    // Kill points, in journal progress since the run started: at once (maybe still in pass
    // 1), right after the journal's header (or its first new slot), and twice mid-import.
    let mut kills = 0;
    for new_writes in [0, 1, 30, 100] {
        let before = journal_progress(&journal);
        let mut child = import()
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                panic!("the import finished before it could be killed: {status}");
            }
            if journal_progress(&journal) >= before + new_writes {
                child.kill().unwrap(); // SIGKILL: no cleanup, no flush
                child.wait().unwrap();
                kills += 1;
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }
    assert_eq!(kills, 4);
    let sent_before_resume = mock.request_count();
    assert!(sent_before_resume > 0 && sent_before_resume < valid as u64);

    let output = run(&mut import());
    assert_exit(&output, 12); // everything done; two rows invalid

    // Every line accounted for, in file order (from the journal or sent now), every valid row
    // created exactly once.
    let entries = read_results_csv(&results);
    assert_eq!(entries.len(), rows);
    let lines: Vec<u64> = entries.iter().map(|e| e.0).collect();
    assert_eq!(lines, (2..=rows as u64 + 1).collect::<Vec<_>>());
    for (line, email, outcome, _) in &entries {
        if invalid.contains(&((*line - 1) as usize)) {
            assert_eq!(outcome, "invalid");
        } else {
            assert!(
                outcome == "created" || outcome == "already_registered",
                "line {line} {email}: {outcome}"
            );
        }
    }
    let created = mock.created_emails();
    assert_eq!(created.len(), valid);
    let twice: Vec<_> = created.iter().filter(|(_, n)| **n != 1).collect();
    assert!(twice.is_empty(), "created more than once: {twice:?}");

    // The hung row (whichever reached the mock first) was reconciled: not failed, not
    // created twice.
    assert!(
        entries
            .iter()
            .any(|e| e.2 == "already_registered" && e.3 == "already_registered_after_retry"),
        "no reconciled row"
    );
    // Finished rows were never re-sent: only rows in flight or journaled ahead (at most
    // `concurrency` each) at a kill could be sent again.
    assert!(
        mock.request_count() <= (valid + kills * 2 * concurrency) as u64,
        "{} requests for {valid} rows",
        mock.request_count()
    );
    let journal_bytes = std::fs::read(&journal).unwrap();
    assert!(!bytes_contain(&journal_bytes, SECRET_KEY.as_bytes()));

    // One more run: nothing left to send.
    let before = mock.request_count();
    assert_exit(&run(&mut import()), 12);
    assert_eq!(mock.request_count(), before);
}

#[test]
fn ctrl_c_lets_requests_in_flight_finish_and_the_rerun_sends_each_row_once() {
    let mock = Mock::start(|config| config.latency = Some(Duration::from_millis(20)));
    let dir = tempfile::tempdir().unwrap();
    let rows = 300;
    let file = write(dir.path(), "users.csv", users_csv(rows, &[]));
    let journal = dir.path().join("users.csv.journal");
    let results = dir.path().join("results.csv");
    let import = || {
        let mut command = mock.applivery();
        command
            .args(["oem-users", "import"])
            .arg(&file)
            .args(["--org", "demo-org", "--concurrency", "4", "--results"])
            .arg(&results);
        command
    };
    let mut child = import()
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    while journal_progress(&journal) < 20 {
        assert!(child.try_wait().unwrap().is_none(), "finished too early");
        std::thread::sleep(Duration::from_millis(1));
    }
    let signal = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("the `kill` command (procps) is needed to send SIGINT");
    assert!(signal.success());
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(130),
        "exit code of an interrupted import"
    );
    let entries = read_results_csv(&results);
    assert_eq!(entries.len(), rows, "every line accounted for, sent or not");
    assert!(entries.iter().any(|e| e.2 == "not_sent"));
    assert!(
        entries
            .iter()
            .all(|e| e.2 == "created" || e.2 == "not_sent")
    );

    let output = run(&mut import());
    assert_exit(&output, 0);
    let entries = read_results_csv(&results);
    assert!(
        entries.iter().all(|e| e.2 == "created"),
        "nothing was ambiguous"
    );
    assert_eq!(mock.created_emails().len(), rows);
    // A graceful stop leaves nothing ambiguous: no row was sent twice.
    assert_eq!(mock.request_count(), rows as u64);
}

#[test]
fn a_second_import_on_a_journal_in_use_is_refused_and_a_killed_one_leaves_no_lock() {
    let mock = Mock::start(|_| {});
    let dir = tempfile::tempdir().unwrap();
    let rows = 20;
    let file = write(dir.path(), "users.csv", users_csv(rows, &[]));
    let journal = dir.path().join("users.csv.journal");
    let import = || {
        let mut command = mock.applivery();
        command.args(["oem-users", "import"]).arg(&file).args([
            "--org",
            "demo-org",
            "--concurrency",
            "1",
        ]);
        command
    };
    // The first run's first request never gets an answer: the run stays in the middle.
    mock.server().push_faults(["hang"]);
    let mut first = import()
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    while journal_progress(&journal) < 2 {
        assert!(first.try_wait().unwrap().is_none(), "finished too early");
        std::thread::sleep(Duration::from_millis(1));
    }

    let second = run(&mut import());
    assert_exit(&second, 13);
    assert!(
        common::stderr(&second).contains("in use by another import"),
        "{}",
        common::stderr(&second)
    );
    assert_eq!(mock.request_count(), 1, "the refused run sent nothing");

    first.kill().unwrap(); // SIGKILL: the lock goes with the process
    first.wait().unwrap();
    assert_exit(&run(&mut import()), 0);
    assert_eq!(mock.created_emails().len(), rows);
}
