//! `applivery oem-users import` against the mock: big files with invalid rows, bad files,
//! push-back from the server, fatal errors, resume and reconciliation.

mod common;

use common::{
    Mock, SECRET_KEY, assert_exit, assert_no_key, read_results_csv, run, stderr, stdout, users_csv,
    write,
};

fn import(mock: &Mock, file: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let output = run(mock
        .applivery()
        .args(["oem-users", "import"])
        .arg(file)
        .args(["--org", "demo-org"])
        .args(extra));
    assert_no_key(&output);
    output
}

/// Every line of the file has exactly one result, in file order, and every valid email was
/// created once.
fn assert_complete(
    mock: &Mock,
    results: &std::path::Path,
    rows: usize,
    invalid: &[usize],
) -> Vec<(u64, String, String, String)> {
    let entries = read_results_csv(results);
    assert_eq!(entries.len(), rows, "one result per row");
    let lines: Vec<u64> = entries.iter().map(|e| e.0).collect();
    assert_eq!(
        lines,
        (2..=rows as u64 + 1).collect::<Vec<_>>(),
        "every line accounted for, in file order"
    );
    for (line, email, outcome, _) in &entries {
        let index = (*line - 1) as usize;
        if invalid.contains(&index) {
            assert_eq!(outcome, "invalid", "line {line}");
        } else {
            assert!(
                outcome == "created" || outcome == "already_registered",
                "line {line} {email}: {outcome}"
            );
        }
    }
    let created = mock.created_emails();
    assert_eq!(
        created.len(),
        rows - invalid.len(),
        "every valid row created"
    );
    assert!(created.values().all(|n| *n == 1), "no user created twice");
    for i in (1..=rows).filter(|i| !invalid.contains(i)) {
        assert!(
            created.contains_key(&format!("user{i}@example.com")),
            "user{i}"
        );
    }
    entries
}

#[test]
fn a_thousand_rows_with_invalid_ones() {
    let mock = Mock::start(|_| {});
    let dir = tempfile::tempdir().unwrap();
    let invalid = [3, 250, 251, 999];
    let file = write(dir.path(), "users.csv", users_csv(1000, &invalid));
    let results = dir.path().join("results.csv");

    let output = import(&mock, &file, &["--concurrency", "16", "--results"]);
    assert_exit(&output, 2); // --results needs a value
    let output = import(
        &mock,
        &file,
        &[
            "--concurrency",
            "16",
            "--results",
            results.to_str().unwrap(),
        ],
    );
    assert_exit(&output, 12); // done, some rows invalid
    let errors = stderr(&output);
    for line in [4, 251, 252, 1000] {
        assert!(
            errors.contains(&format!("line {line}: invalid: email")),
            "{errors}"
        );
    }
    let summary = stdout(&output);
    assert!(
        summary.contains("created                  996"),
        "{summary}"
    );
    assert!(
        summary.contains("invalid                    4"),
        "{summary}"
    );
    let entries = assert_complete(&mock, &results, 1000, &invalid);
    assert!(entries.iter().filter(|e| e.2 == "created").count() == 996);
    assert_eq!(mock.request_count(), 996);

    // The journal is next to the input, and holds no key.
    let journal = std::fs::read(dir.path().join("users.csv.journal")).unwrap();
    assert!(!common::bytes_contain(&journal, SECRET_KEY.as_bytes()));
    let contents = applivery_cli::journal::read_journal_bytes(&journal).unwrap();
    assert_eq!(contents.finished, 996);
    assert_eq!(contents.started + contents.unfinished + contents.torn, 0);
    // One fixed slot per row, after a header: the stated size per row.
    assert_eq!(
        journal.len() as u64,
        applivery_cli::journal::format::HEADER_BYTES
            + 1000 * applivery_cli::journal::format::SLOT_BYTES as u64
    );
    assert!(
        !std::fs::read_to_string(&results)
            .unwrap()
            .contains(SECRET_KEY)
    );

    // Rerun: everything is done; nothing is sent, and the results still cover every line.
    let output = import(
        &mock,
        &file,
        &["--output", "json", "--results", results.to_str().unwrap()],
    );
    assert_exit(&output, 12);
    let summary: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(summary["fromJournal"], 996);
    assert_eq!(summary["created"], 996);
    assert_eq!(summary["sent"], 0);
    assert_eq!(mock.request_count(), 996);
    assert_complete(&mock, &results, 1000, &invalid);
}

#[test]
fn dry_run_validates_and_sends_nothing() {
    let mock = Mock::start(|_| {});
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "users.csv", users_csv(20, &[5]));
    let output = import(&mock, &file, &["--dry-run"]);
    assert_exit(&output, 12);
    assert!(
        stderr(&output).contains("line 6: invalid"),
        "{}",
        stderr(&output)
    );
    assert!(
        stdout(&output).contains("nothing was sent"),
        "{}",
        stdout(&output)
    );
    let file = write(dir.path(), "ok.csv", users_csv(20, &[]));
    assert_exit(&import(&mock, &file, &["--dry-run"]), 0);
    assert_eq!(mock.request_count(), 0);
    assert!(!dir.path().join("users.csv.journal").exists());
}

#[test]
fn bad_files_are_refused_with_clear_messages_and_nothing_is_sent() {
    let mock = Mock::start(|_| {});
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, &[u8], &str)> = vec![
        ("empty.csv", b"", "is empty"),
        ("blank.jsonl", b"\n \r\n", "is empty"),
        ("header-only.csv", b"email,firstName\n", "no data rows"),
        ("no-email.csv", b"mail,firstName\na@example.com,Ann\n", "no `email` column"),
        (
            "latin1.csv",
            b"email,firstName\na@example.com,Ann\nb@example.com,Ren\xe9e\n",
            "line 3: bytes that are not UTF-8",
        ),
        (
            "latin1.jsonl",
            b"{\"email\":\"a@example.com\"}\n\n{\"email\":\"b@example.com\",\"firstName\":\"Ren\xe9e\"}\n",
            "line 3: bytes that are not UTF-8",
        ),
    ];
    for (name, bytes, message) in cases {
        let file = write(dir.path(), name, bytes);
        let output = import(&mock, &file, &[]);
        assert_exit(&output, 2);
        assert!(
            stderr(&output).contains(message),
            "{name}: {}",
            stderr(&output)
        );
    }
    let output = import(&mock, &dir.path().join("missing.csv"), &[]);
    assert_exit(&output, 2);
    assert!(
        stderr(&output).contains("cannot open"),
        "{}",
        stderr(&output)
    );
    let output = import(
        &mock,
        &dir.path().join("missing.csv"),
        &["--results", "out.txt"],
    );
    assert_exit(&output, 2);
    assert!(stderr(&output).contains(".csv"), "{}", stderr(&output));
    assert_eq!(mock.request_count(), 0);
}

#[test]
fn bom_crlf_unknown_columns_and_json_lines_are_accepted() {
    let mock = Mock::start(|_| {});
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "excel.csv",
        "\u{feff}Email,First Name,Department\r\nann@example.com,Ann,Sales\r\n\r\nbob@example.com,Bob,\r\n",
    );
    let results = dir.path().join("r.jsonl");
    let output = import(&mock, &file, &["--results", results.to_str().unwrap()]);
    assert_exit(&output, 0);
    assert!(
        stderr(&output).contains("unknown columns: Department"),
        "{}",
        stderr(&output)
    );
    let lines: Vec<u64> = std::fs::read_to_string(&results)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["line"]
                .as_u64()
                .unwrap()
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(
        lines,
        vec![2, 4],
        "CRLF and blank lines keep line numbers right"
    );

    let file = write(
        dir.path(),
        "users.jsonl",
        "{\"email\":\"cy@example.com\",\"firstName\":\"Cy\",\"tags\":[\"a\",\"b\"],\"extra\":1}\n\
         {\"email\":\"dee@example.com\"}\n\
         [\"not an object\"]\n",
    );
    let results = dir.path().join("r.json");
    let output = import(&mock, &file, &["--results", results.to_str().unwrap()]);
    assert_exit(&output, 12);
    assert!(
        stderr(&output).contains("unknown keys: extra"),
        "{}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("line 3: invalid: not a JSON object"));
    let entries: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&results).unwrap()).unwrap();
    assert_eq!(entries.len(), 3);
    let created = mock.created_emails();
    assert_eq!(created.len(), 4);
    let cy = mock
        .server()
        .users()
        .into_iter()
        .find(|u| u.user.as_ref().and_then(|u| u.email.as_deref()) == Some("cy@example.com"))
        .unwrap();
    assert_eq!(cy.tags, vec!["a", "b"]);
}

#[test]
fn injected_429s_and_503s_still_create_every_row_exactly_once() {
    // `retry-after=0` keeps the test quick; the next test keeps the real one-second pauses.
    let mock = Mock::start(|config| {
        config.periodic_faults = vec![
            (7, "status=429,retry-after=0".into()),
            (11, "status=503,retry-after=0".into()),
        ];
    });
    let dir = tempfile::tempdir().unwrap();
    let rows = 1000;
    let file = write(dir.path(), "users.csv", users_csv(rows, &[]));
    let results = dir.path().join("results.csv");
    let output = import(
        &mock,
        &file,
        &[
            "--output",
            "json",
            "--concurrency",
            "16",
            "--results",
            results.to_str().unwrap(),
        ],
    );
    assert_exit(&output, 0);
    let entries = assert_complete(&mock, &results, rows, &[]);
    assert!(
        entries.iter().all(|e| e.2 == "created"),
        "no 4009: nothing was created twice"
    );
    let summary: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let push_backs = summary["pushBacks"].as_u64().unwrap();
    assert!(push_backs > 100, "{summary}");
    assert_eq!(mock.request_count(), rows as u64 + push_backs);
}

#[test]
fn retry_after_pauses_everyone_and_lowers_concurrency() {
    let mock = Mock::start(|config| {
        config.periodic_faults = vec![(9, "status=429".into()), (13, "status=503".into())];
    });
    let dir = tempfile::tempdir().unwrap();
    let rows = 40;
    let file = write(dir.path(), "users.csv", users_csv(rows, &[]));
    let results = dir.path().join("results.csv");
    let output = import(
        &mock,
        &file,
        &[
            "--output",
            "json",
            "--concurrency",
            "8",
            "--results",
            results.to_str().unwrap(),
        ],
    );
    assert_exit(&output, 0);
    assert_complete(&mock, &results, rows, &[]);
    let summary: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert!(summary["pushBacks"].as_u64().unwrap() > 0, "{summary}");
    assert!(
        summary["lowestConcurrency"].as_u64().unwrap() < 8,
        "{summary}"
    );
}

#[test]
fn ambiguous_failures_are_reconciled_by_the_next_run() {
    let mock = Mock::start(|_| {});
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "users.csv", users_csv(3, &[]));
    // The first request creates its user, then answers 500: the client cannot know.
    mock.server().push_faults(["status=500,after-create"]);
    let results = dir.path().join("results.csv");
    let output = import(
        &mock,
        &file,
        &[
            "--concurrency",
            "1",
            "--max-attempts",
            "1",
            "--results",
            results.to_str().unwrap(),
        ],
    );
    assert_exit(&output, 1);
    let entries = read_results_csv(&results);
    assert_eq!(entries.iter().filter(|e| e.2 == "failed").count(), 1);
    assert_eq!(mock.created_emails().len(), 3);

    // The rerun re-sends only the failed row; its 4009 means "created by us".
    let before = mock.request_count();
    let output = import(&mock, &file, &["--results", results.to_str().unwrap()]);
    assert_exit(&output, 0);
    assert_eq!(mock.request_count(), before + 1);
    let entries = assert_complete(&mock, &results, 3, &[]);
    let reconciled: Vec<_> = entries
        .iter()
        .filter(|e| e.2 == "already_registered")
        .collect();
    assert_eq!(reconciled.len(), 1);
    assert_eq!(reconciled[0].3, "already_registered_after_retry");
}

#[test]
fn within_one_run_an_ambiguous_failure_is_retried_and_reconciled() {
    let mock = Mock::start(|_| {});
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "users.jsonl",
        "{\"email\":\"solo@example.com\"}\n",
    );
    mock.server().push_faults(["malformed-json,after-create"]);
    let results = dir.path().join("results.csv");
    let output = import(&mock, &file, &["--results", results.to_str().unwrap()]);
    assert_exit(&output, 0);
    let entries = read_results_csv(&results);
    assert_eq!(entries[0].2, "already_registered");
    assert_eq!(entries[0].3, "already_registered_after_retry");
    assert_eq!(mock.created_emails().get("solo@example.com"), Some(&1));
}

#[test]
fn an_unauthorized_key_stops_the_import_early() {
    let mock = Mock::start(|config| config.latency = Some(std::time::Duration::from_millis(5)));
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "users.csv", users_csv(200, &[]));
    let results = dir.path().join("results.csv");
    let output = run(mock
        .applivery()
        .env("APPLIVERY_API_KEY", "wrong-key")
        .args(["oem-users", "import"])
        .arg(&file)
        .args(["--org", "demo-org", "--concurrency", "2", "--results"])
        .arg(&results));
    assert_exit(&output, 3);
    assert!(
        stderr(&output).contains("unauthorized"),
        "{}",
        stderr(&output)
    );
    assert!(
        mock.request_count() < 200,
        "stopped early: {}",
        mock.request_count()
    );
    let entries = read_results_csv(&results);
    assert_eq!(entries.len(), 200, "rows not sent are listed too");
    assert!(entries.iter().any(|e| e.2 == "not_sent"));

    // With the right key the same command finishes the job.
    let output = import(&mock, &file, &["--results", results.to_str().unwrap()]);
    assert_exit(&output, 0);
    assert_complete(&mock, &results, 200, &[]);
}

#[test]
fn a_journal_for_another_organization_is_refused() {
    let mock = Mock::start(|config| config.orgs.push("other-org".into()));
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "users.csv", users_csv(2, &[]));
    assert_exit(&import(&mock, &file, &[]), 0);
    let output = run(mock
        .applivery()
        .args(["oem-users", "import"])
        .arg(&file)
        .args(["--org", "other-org"]));
    assert_exit(&output, 2);
    assert!(stderr(&output).contains("demo-org"), "{}", stderr(&output));
    let journal = dir.path().join("other.journal");
    let output = run(mock
        .applivery()
        .args(["oem-users", "import"])
        .arg(&file)
        .args(["--org", "other-org", "--journal"])
        .arg(&journal));
    assert_exit(&output, 0);
    assert_eq!(mock.server().users().len(), 4);
}

#[test]
fn rows_edited_between_runs_are_sent_again_not_skipped() {
    let mock = Mock::start(|_| {});
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "users.csv", users_csv(3, &[]));
    assert_exit(&import(&mock, &file, &[]), 0);
    let edited = users_csv(3, &[]).replace("user2@example.com", "user2b@example.com");
    std::fs::write(&file, edited).unwrap();
    let results = dir.path().join("results.csv");
    let output = import(&mock, &file, &["--results", results.to_str().unwrap()]);
    assert_exit(&output, 0);
    assert!(
        stderr(&output).contains("1 rows differ"),
        "{}",
        stderr(&output)
    );
    assert_eq!(mock.request_count(), 4);
    let entries = read_results_csv(&results);
    assert_eq!(entries.len(), 3);
    assert!(
        entries
            .iter()
            .any(|e| e.1 == "user2b@example.com" && e.2 == "created")
    );
    assert!(mock.created_emails().contains_key("user2b@example.com"));
}

#[test]
fn unwritable_journals_and_outputs_over_the_input_are_refused_before_sending() {
    let mock = Mock::start(|_| {});
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "users.csv", users_csv(3, &[]));
    let output = import(
        &mock,
        &file,
        &["--journal", "/nonexistent-dir/users.journal"],
    );
    assert_exit(&output, 13);
    assert!(
        stderr(&output).contains("/nonexistent-dir/users.journal"),
        "{}",
        stderr(&output)
    );
    let output = import(&mock, &file, &["--results", file.to_str().unwrap()]);
    assert_exit(&output, 2);
    assert!(
        stderr(&output).contains("is the input file"),
        "{}",
        stderr(&output)
    );
    // Secrets must never land in the journal (nor over the input).
    let journal = dir.path().join("users.csv.journal");
    let output = import(&mock, &file, &["--secrets", journal.to_str().unwrap()]);
    assert_exit(&output, 2);
    assert!(
        stderr(&output).contains("is the journal"),
        "{}",
        stderr(&output)
    );
    let output = import(&mock, &file, &["--secrets", file.to_str().unwrap()]);
    assert_exit(&output, 2);
    assert_eq!(mock.request_count(), 0);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), users_csv(3, &[]));
}

#[test]
fn a_journal_of_the_earlier_format_is_upgraded_and_resumes() {
    let mock = Mock::start(|_| {});
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "users.csv", users_csv(4, &[]));
    // What applivery before the slot format wrote: line 2 created, line 3 in flight when the
    // run died (and its user was created), line 4 failed, line 5 never reached.
    let fingerprints: Vec<u64> = applivery_cli::input::RowReader::open(&file, None)
        .unwrap()
        .map(|record| match record.unwrap() {
            applivery_cli::input::Record::Row(row) => row.fingerprint(),
            other => panic!("{other:?}"),
        })
        .collect();
    let base_url = mock.server().base_url();
    let old = format!(
        "{{\"event\":\"open\",\"version\":1,\"input\":\"users.csv\",\"organization\":\"demo-org\",\"base_url\":\"{base_url}\"}}\n\
         {{\"event\":\"started\",\"line\":2,\"row\":\"{:016x}\"}}\n\
         {{\"event\":\"started\",\"line\":3,\"row\":\"{:016x}\"}}\n\
         {{\"event\":\"started\",\"line\":4,\"row\":\"{:016x}\"}}\n\
         {{\"event\":\"done\",\"line\":2,\"row\":\"{:016x}\",\"outcome\":\"created\",\"id\":\"0123456789abcdef01234567\"}}\n\
         {{\"event\":\"done\",\"line\":4,\"row\":\"{:016x}\",\"outcome\":\"failed\",\"kind\":\"server_error\",\"message\":\"HTTP 500\"}}\n",
        fingerprints[0], fingerprints[1], fingerprints[2], fingerprints[0], fingerprints[2]
    );
    let journal = write(dir.path(), "users.csv.journal", &old);
    let created = run(mock
        .applivery()
        .args(["oem-users", "create", "--org", "demo-org"])
        .args(["--email", "user2@example.com"]));
    assert_exit(&created, 0);
    let before = mock.request_count();

    let results = dir.path().join("results.csv");
    let output = import(&mock, &file, &["--results", results.to_str().unwrap()]);
    assert_exit(&output, 0);
    assert!(stderr(&output).contains("upgraded"), "{}", stderr(&output));
    assert_eq!(
        mock.request_count() - before,
        3,
        "lines 3, 4 and 5; not line 2"
    );
    let entries = read_results_csv(&results);
    assert_eq!(entries[0].2, "created");
    assert_eq!(
        (entries[1].2.as_str(), entries[1].3.as_str()),
        ("already_registered", "already_registered_after_retry")
    );
    assert_eq!(entries[2].2, "created");
    assert_eq!(entries[3].2, "created");
    let text = std::fs::read_to_string(&results).unwrap();
    assert!(text.contains("0123456789abcdef01234567"), "{text}");
    // The old journal is kept beside the new one.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("users.csv.journal.v1")).unwrap(),
        old
    );
    let contents =
        applivery_cli::journal::read_journal_bytes(&std::fs::read(&journal).unwrap()).unwrap();
    assert_eq!(contents.finished, 4);
    assert_eq!(mock.request_count() - before, 3);
}
