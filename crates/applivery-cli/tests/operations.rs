//! The commands generated from the operation table: `collaborators groups` and `collaborators
//! apps` against the mock, in every output format, with the spec's checks before sending.

mod common;

use common::{Mock, assert_exit, assert_no_key, run, stdout};

fn applivery(mock: &Mock, args: &[&str]) -> std::process::Output {
    let output = run(mock.applivery().args(args));
    assert_no_key(&output);
    output
}

#[test]
fn groups_lists_each_tag_once_in_every_format() {
    let mock = Mock::start(|_| {});
    for (email, tag) in [
        ("a@example.com", "beta"),
        ("b@example.com", "=cmd"),
        ("c@example.com", "beta"),
    ] {
        let args = [
            "oem-users",
            "create",
            "--org",
            "demo-org",
            "--email",
            email,
            "--tag",
            tag,
        ];
        assert_exit(&applivery(&mock, &args), 0);
    }
    let groups = |format: &str| {
        let output = applivery(
            &mock,
            &[
                "--output",
                format,
                "collaborators",
                "groups",
                "--org",
                "demo-org",
            ],
        );
        assert_exit(&output, 0);
        stdout(&output)
    };
    assert_eq!(groups("text"), "beta\n=cmd\n2 items\n");
    assert_eq!(groups("csv"), "value\nbeta\n'=cmd\n");
    assert_eq!(
        groups("jsonl"),
        "{\"value\":\"beta\"}\n{\"value\":\"=cmd\"}\n"
    );
    let json: serde_json::Value = serde_json::from_str(&groups("json")).unwrap();
    assert_eq!(
        json,
        serde_json::json!([{"value": "beta"}, {"value": "=cmd"}])
    );
}

#[test]
fn apps_pages_through_the_documented_example() {
    let mock = Mock::start(|_| {});
    let output = applivery(
        &mock,
        &[
            "--output",
            "jsonl",
            "collaborators",
            "apps",
            "--org",
            "demo-org",
            "--page-size",
            "5",
        ],
    );
    assert_exit(&output, 0);
    let lines: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["application"]["_id"], "string");
    let output = applivery(
        &mock,
        &[
            "--output",
            "csv",
            "collaborators",
            "apps",
            "--org",
            "demo-org",
            "--page",
            "1",
        ],
    );
    assert_exit(&output, 0);
    assert!(
        stdout(&output).starts_with("application._id,"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_bad_organization_is_refused_before_sending_with_the_usual_exit_code() {
    let mock = Mock::start(|_| {});
    let output = applivery(&mock, &["collaborators", "groups", "--org", "a/b"]);
    assert_exit(&output, 2);
    assert_eq!(mock.request_count(), 0);
    let output = applivery(
        &mock,
        &[
            "--output",
            "json",
            "collaborators",
            "groups",
            "--org",
            "unknown-org",
        ],
    );
    let error: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(error["error"]["kind"], "not_found", "{error}");
}

#[test]
fn list_and_refresh_are_generated_commands_with_hand_written_output() {
    let mock = Mock::start(|_| {});
    for email in ["p1@example.com", "p2@example.com", "p3@example.com"] {
        let args = ["oem-users", "create", "--org", "demo-org", "--email", email];
        assert_exit(&applivery(&mock, &args), 0);
    }
    // `--page` comes from the spec's `page` parameter: one page instead of all of them.
    let args = [
        "--output",
        "jsonl",
        "collaborators",
        "list",
        "--org",
        "demo-org",
    ];
    let one = applivery(
        &mock,
        &[&args[..], &["--page", "2", "--page-size", "2"]].concat(),
    );
    assert_exit(&one, 0);
    let emails: Vec<String> = stdout(&one)
        .lines()
        .map(|line| {
            serde_json::from_str::<serde_json::Value>(line).unwrap()["user"]["email"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(emails, ["p3@example.com"]);
    // The list's own text columns and the refresh's printed secret are the hand-written runners'.
    let text = applivery(
        &mock,
        &["collaborators", "list", "--org", "demo-org", "--only-users"],
    );
    assert!(stdout(&text).starts_with("id "), "{}", stdout(&text));
    let help = applivery(&mock, &["oem-users", "refresh-secret", "--help"]);
    assert!(stdout(&help).contains("USER_ID"), "{}", stdout(&help));
}
