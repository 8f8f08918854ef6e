//! `applivery collaborators list` and `applivery oem-users refresh-secret` against the mock.

mod common;

use common::{Mock, assert_exit, assert_no_key, run, stdout};

fn applivery(mock: &Mock, args: &[&str]) -> std::process::Output {
    let output = run(mock.applivery().args(args));
    assert_no_key(&output);
    output
}

fn create(mock: &Mock, email: &str, tag: &str) -> serde_json::Value {
    let output = applivery(
        mock,
        &[
            "--output",
            "json",
            "oem-users",
            "create",
            "--org",
            "demo-org",
            "--email",
            email,
            "--tag",
            tag,
            "--show-secret",
        ],
    );
    assert_exit(&output, 0);
    serde_json::from_str(&stdout(&output)).unwrap()
}

#[test]
fn list_streams_every_collaborator_in_each_format_and_never_a_secret() {
    let mock = Mock::start(|_| {});
    let mut secrets = Vec::new();
    for i in 0..25 {
        let created = create(
            &mock,
            &format!("l{i:02}@example.com"),
            if i < 10 { "a" } else { "b" },
        );
        secrets.push(created["oemSecret"].as_str().unwrap().to_owned());
    }
    let list = |extra: &[&str]| {
        let mut args = vec![
            "collaborators",
            "list",
            "--org",
            "demo-org",
            "--page-size",
            "7",
        ];
        args.extend_from_slice(extra);
        let output = applivery(&mock, &args);
        assert_exit(&output, 0);
        let text = stdout(&output);
        for secret in &secrets {
            assert!(
                !text.contains(secret.as_str()),
                "a secret in the list output"
            );
        }
        text
    };

    let jsonl = list(&["--output", "jsonl"]);
    let emails: Vec<String> = jsonl
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            assert!(value.get("oemSecret").is_none());
            value["user"]["email"].as_str().unwrap().to_owned()
        })
        .collect();
    let expected: Vec<String> = (0..25).map(|i| format!("l{i:02}@example.com")).collect();
    assert_eq!(
        emails, expected,
        "every one once, in order, across 4 pages of 7"
    );

    let json: Vec<serde_json::Value> = serde_json::from_str(&list(&["--output", "json"])).unwrap();
    assert_eq!(json.len(), 25);
    let csv = list(&["--output", "csv", "--tag", "a"]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("id,email,firstName,lastName,role,tags,createdAt")
    );
    assert_eq!(lines.count(), 10);
    let text = list(&["--email", "L03@", "--sort", "user.email:desc"]);
    assert!(
        text.contains("l03@example.com") && text.ends_with("1 collaborator\n"),
        "{text}"
    );
    let empty = list(&["--output", "json", "--role", "owner"]);
    assert_eq!(empty.trim(), "[]");

    let sent = mock.request_count();
    let output = applivery(
        &mock,
        &[
            "collaborators",
            "list",
            "--org",
            "demo-org",
            "--sort",
            "a:b",
            "--role",
            "boss",
        ],
    );
    assert_exit(&output, 2);
    assert_eq!(mock.request_count(), sent, "refused before sending");
}

#[test]
fn refresh_secret_prints_the_new_secret_and_the_old_one_is_gone() {
    let mock = Mock::start(|_| {});
    let created = create(&mock, "r@example.com", "t");
    let id = created["id"].as_str().unwrap();
    let old = created["oemSecret"].as_str().unwrap();

    let output = applivery(
        &mock,
        &[
            "--output",
            "json",
            "oem-users",
            "refresh-secret",
            id,
            "--org",
            "demo-org",
        ],
    );
    assert_exit(&output, 0);
    let refreshed: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let new = refreshed["oemSecret"].as_str().unwrap();
    assert_ne!(new, old);
    assert_eq!(
        mock.server()
            .oem_secret("demo-org", "r@example.com")
            .as_deref(),
        Some(new)
    );

    let output = applivery(
        &mock,
        &["oem-users", "refresh-secret", id, "--org", "demo-org"],
    );
    assert_exit(&output, 0);
    let text = stdout(&output);
    let newest = mock
        .server()
        .oem_secret("demo-org", "r@example.com")
        .unwrap();
    assert!(text.contains(&newest) && !text.contains(new), "{text}");

    let output = applivery(
        &mock,
        &[
            "oem-users",
            "refresh-secret",
            "000000000000000000000000",
            "--org",
            "demo-org",
        ],
    );
    assert!(!output.status.success());
    assert!(
        common::stderr(&output).contains("not_found")
            || common::stderr(&output).contains("not found")
    );
}

#[test]
fn import_skip_existing_sends_exactly_the_emails_the_organization_lacks() {
    let mock = Mock::start(|_| {});
    // Half of the file's emails exist already, created with other letter case.
    for i in (0..40).step_by(2) {
        create(&mock, &format!("Skip{i:02}@Example.com"), "old");
    }
    let rows: String = (0..40)
        .map(|i| format!("skip{i:02}@example.com,new\n"))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let file = common::write(dir.path(), "users.csv", format!("email,tags\n{rows}"));
    let results = dir.path().join("results.csv");
    let before = mock.server().users().len();
    let output = applivery(
        &mock,
        &[
            "--output",
            "json",
            "oem-users",
            "import",
            file.to_str().unwrap(),
            "--org",
            "demo-org",
            "--skip-existing",
            "--results",
            results.to_str().unwrap(),
            "--quiet",
        ],
    );
    assert_exit(&output, 0);
    let summary: serde_json::Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    assert_eq!(summary["created"], 20);
    assert_eq!(summary["skippedExisting"], 20);
    assert_eq!(summary["alreadyRegistered"], 0, "nothing existing was sent");
    let users = mock.server().users();
    assert_eq!(users.len() - before, 20);
    let sent: Vec<String> = mock.server().requests()[before..]
        .iter()
        .map(|request| request.email.clone())
        .collect();
    let odd: Vec<String> = (1..40)
        .step_by(2)
        .map(|i| format!("skip{i:02}@example.com"))
        .collect();
    assert_eq!(sent.len(), 20);
    assert!(sent.iter().all(|email| odd.contains(email)), "{sent:?}");
    let skipped = common::read_results_csv(&results)
        .into_iter()
        .filter(|(_, _, outcome, _)| outcome == "skipped_existing")
        .count();
    assert_eq!(skipped, 20);
}
