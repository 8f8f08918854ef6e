//! `oem-users refresh-secret` with a selection: from the list's filters, from a file (ids, or
//! emails matched exactly), `--kind`, `--dry-run`, refusals reported and the run going on.

mod common;

use std::collections::HashMap;

use common::{Mock, assert_exit, run, stdout, users_csv, write};

/// The secrets file as collaborator id -> last secret, and its line count.
fn secrets(path: &std::path::Path) -> (HashMap<String, String>, usize) {
    let mut last = HashMap::new();
    let mut lines = 0;
    for row in csv::Reader::from_path(path).unwrap().records() {
        let row = row.unwrap();
        last.insert(row[1].to_owned(), row[2].to_owned());
        lines += 1;
    }
    (last, lines)
}

fn setup(users: usize) -> (Mock, tempfile::TempDir) {
    let mock = Mock::start(|_| {});
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "users.csv", users_csv(users, &[]));
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
        .arg(&file));
    assert_exit(&created, 0);
    (mock, dir)
}

#[test]
fn a_dry_run_lists_who_would_be_rotated_and_sends_nothing() {
    let (mock, dir) = setup(5);
    let before = mock.request_count();
    let secrets = dir.path().join("s.csv");
    let output = run(mock
        .applivery()
        .args([
            "oem-users",
            "refresh-secret",
            "--all",
            "--org",
            "demo-org",
            "--dry-run",
        ])
        .arg("--secrets")
        .arg(&secrets));
    assert_exit(&output, 0);
    assert_eq!(stdout(&output).lines().count(), 5);
    assert_eq!(
        mock.request_count() - before,
        1,
        "one list page, no refresh"
    );
    assert!(!secrets.exists(), "a dry run writes nothing");
}

#[test]
fn a_file_of_emails_matches_exactly_ignoring_case_and_kind_picks_rows() {
    let (mock, dir) = setup(12);
    // user1 (in upper case), user2 twice, a substring of user10 that must not match it, and a
    // row of another kind that --kind leaves out.
    let from = write(
        dir.path(),
        "from.csv",
        "email,kind\nUSER1@example.com,already_registered_after_retry\n\
         user2@example.com,already_registered_after_retry\n\
         user2@example.com,already_registered_after_retry\n\
         ser10@example.com,already_registered_after_retry\n\
         user3@example.com,created\n",
    );
    let secrets_path = dir.path().join("s.csv");
    let output = run(mock
        .applivery()
        .args(["oem-users", "refresh-secret", "--org", "demo-org", "--from"])
        .arg(&from)
        .args(["--kind", "already_registered_after_retry", "--secrets"])
        .arg(&secrets_path));
    // The substring row names nobody: reported, not rotated, so the run is not complete.
    assert_exit(&output, 1);
    let (last, lines) = secrets(&secrets_path);
    assert_eq!(lines, 2, "user1 and user2, once each");
    for (id, secret) in &last {
        let email = mock
            .server()
            .users()
            .into_iter()
            .find(|c| &c.id == id)
            .and_then(|c| c.user.and_then(|u| u.email))
            .unwrap();
        assert!(email == "user1@example.com" || email == "user2@example.com");
        assert_eq!(
            mock.server().oem_secret("demo-org", &email).as_ref(),
            Some(secret)
        );
    }
}

#[test]
fn a_refused_user_is_reported_failed_and_the_run_goes_on() {
    let (mock, dir) = setup(3);
    let ids: Vec<String> = mock.server().users().into_iter().map(|c| c.id).collect();
    let from = write(
        dir.path(),
        "ids.jsonl",
        format!(
            "{{\"collaboratorId\":\"{}\"}}\n{{\"collaboratorId\":\"5f3a9c0e1b2c3d4e5f6a7b8c\"}}\n{{\"id\":\"{}\"}}\n",
            ids[0], ids[1]
        ),
    );
    let secrets_path = dir.path().join("s.csv");
    let results = dir.path().join("r.csv");
    let output = run(mock
        .applivery()
        .args(["oem-users", "refresh-secret", "--org", "demo-org", "--from"])
        .arg(&from)
        .arg("--secrets")
        .arg(&secrets_path)
        .arg("--results")
        .arg(&results));
    assert_exit(&output, 1);
    assert_eq!(secrets(&secrets_path).1, 2);
    let text = std::fs::read_to_string(&results).unwrap();
    assert!(
        text.contains("5f3a9c0e1b2c3d4e5f6a7b8c,,failed,not_found"),
        "{text}"
    );
    assert_eq!(text.matches(",refreshed,").count(), 2, "{text}");
    // Run again: the two done are not rotated again; the refused one is tried again.
    let again = run(mock
        .applivery()
        .args(["oem-users", "refresh-secret", "--org", "demo-org", "--from"])
        .arg(&from)
        .arg("--secrets")
        .arg(&secrets_path));
    assert_exit(&again, 1);
    assert_eq!(secrets(&secrets_path).1, 2, "nothing rotated twice");
}

#[test]
fn a_selection_needs_a_secrets_file_and_not_an_id_too() {
    let (mock, _dir) = setup(1);
    let no_secrets =
        run(mock
            .applivery()
            .args(["oem-users", "refresh-secret", "--all", "--org", "demo-org"]));
    assert_exit(&no_secrets, 2);
    let both = run(mock.applivery().args([
        "oem-users",
        "refresh-secret",
        "5f3a9c0e1b2c3d4e5f6a7b8c",
        "--all",
        "--org",
        "demo-org",
    ]));
    assert_exit(&both, 2);
    let neither = run(mock
        .applivery()
        .args(["oem-users", "refresh-secret", "--org", "demo-org"]));
    assert_exit(&neither, 2);
}
