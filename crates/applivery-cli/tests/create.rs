//! `applivery oem-users create` against the mock: every outcome, its message and exit code.

mod common;

use common::{Mock, assert_exit, assert_no_key, run, stderr, stdout};

fn create(mock: &Mock, extra: &[&str]) -> std::process::Output {
    let output = run(mock
        .applivery()
        .args(["oem-users", "create", "--org", "demo-org"])
        .args(extra));
    assert_no_key(&output);
    output
}

#[test]
fn created_prints_the_collaborator_as_text_or_json() {
    let mock = Mock::start(|_| {});
    let output = create(
        &mock,
        &[
            "--email",
            "ada@example.com",
            "--first-name",
            "Ada",
            "--last-name",
            "Lovelace",
            "--tag",
            "eng",
            "--tag",
            "oem",
        ],
    );
    assert_exit(&output, 0);
    let text = stdout(&output);
    // The organization as the API names it: its 24-hex id.
    let organization = &mock.server().users()[0].organization;
    assert!(
        text.contains(&format!(
            "Created OEM user ada@example.com in organization {organization}"
        )),
        "{text}"
    );
    assert!(
        text.contains("Ada Lovelace") && text.contains("eng, oem"),
        "{text}"
    );
    let user = &mock.server().users()[0];
    assert!(text.contains(&user.id), "{text}");

    let output = run(mock
        .applivery()
        .args([
            "--output",
            "json",
            "oem-users",
            "create",
            "--org",
            "demo-org",
        ])
        .args(["--email", "grace@example.com"]));
    assert_exit(&output, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["user"]["email"], "grace@example.com");
    assert_eq!(json["organization"], *organization);
    // The mock sends an oemSecret; without --show-secret it is not in the output at all (a
    // "[redacted]" placeholder could be mistaken for the secret by a script).
    assert!(json.get("oemSecret").is_none(), "{json}");
    assert_eq!(mock.created_emails().len(), 2);
}

#[test]
fn api_errors_have_their_kind_message_and_exit_code() {
    let mock = Mock::start(|_| {});
    create(&mock, &["--email", "dup@example.com"]);
    let cases: &[(&[&str], &[&str], i32, &str)] = &[
        // (extra args, queued faults, exit code, kind)
        (
            &["--email", "dup@example.com"],
            &[],
            6,
            "already_registered",
        ),
        (
            &["--email", "x@example.com", "--org", "no-such-org"],
            &[],
            4,
            "not_found",
        ),
        (
            &["--email", "x@example.com", "--org", "blocked-org"],
            &[],
            5,
            "feature_blocked",
        ),
        (
            &["--email", "x@example.com"],
            &["status=429", "status=429", "status=429"],
            7,
            "rate_limited",
        ),
        (
            &["--email", "x@example.com"],
            &["status=503", "status=503", "status=503"],
            8,
            "server_error",
        ),
        (
            &["--email", "x@example.com"],
            &["drop", "drop", "drop"],
            9,
            "network",
        ),
        (
            &["--email", "x@example.com", "--timeout", "1"],
            &["hang", "hang", "hang"],
            9,
            "timeout",
        ),
        (
            &["--email", "x@example.com"],
            &["malformed-json"],
            10,
            "invalid_response",
        ),
        (
            &["--email", "x@example.com"],
            &["status=418,code=7777"],
            11,
            "api_error",
        ),
        // The first attempt creates the user but answers 500; the retry gets 4009.
        (
            &["--email", "amb@example.com"],
            &["status=500,after-create"],
            6,
            "already_registered_after_retry",
        ),
    ];
    for (args, faults, code, kind) in cases {
        mock.server().push_faults(faults.iter().copied());
        // `--org`, when given, overrides the environment's organization.
        let output = run(mock
            .applivery()
            .env("APPLIVERY_ORGANIZATION_ID", "demo-org")
            .args(["--output", "json", "oem-users", "create"])
            .args(*args));
        assert_no_key(&output);
        assert_exit(&output, *code);
        let json: serde_json::Value = serde_json::from_str(&stdout(&output))
            .unwrap_or_else(|e| panic!("{kind}: {e}: {}", stdout(&output)));
        assert_eq!(json["error"]["kind"], *kind, "{json}");
        assert_eq!(json["exitCode"], *code, "{json}");
        mock.server().reset();
        create(&mock, &["--email", "dup@example.com"]);
    }
    assert_eq!(
        mock.created_emails().get("amb@example.com"),
        None,
        "reset since"
    );
}

#[test]
fn text_errors_explain_and_hint() {
    let mock = Mock::start(|_| {});
    let output = run(mock
        .applivery()
        .env("APPLIVERY_API_KEY", "wrong-key")
        .args([
            "oem-users",
            "create",
            "--org",
            "demo-org",
            "--email",
            "a@example.com",
        ]));
    assert_exit(&output, 3);
    let text = stderr(&output);
    assert!(
        text.contains("unauthorized") && text.contains("APPLIVERY_API_KEY"),
        "{text}"
    );
    assert!(!text.contains("wrong-key"), "{text}");
}

#[test]
fn invalid_input_and_missing_key_send_nothing() {
    let mock = Mock::start(|_| {});
    let output = create(&mock, &["--email", "not-an-email", "--tag", " "]);
    assert_exit(&output, 2);
    let text = stderr(&output);
    assert!(
        text.contains("invalid_input") && text.contains("email"),
        "{text}"
    );

    let output = run(mock.applivery().env_remove("APPLIVERY_API_KEY").args([
        "oem-users",
        "create",
        "--org",
        "demo-org",
        "--email",
        "a@example.com",
    ]));
    assert_exit(&output, 2);
    assert!(
        stderr(&output).contains("APPLIVERY_API_KEY"),
        "{}",
        stderr(&output)
    );

    let output = run(mock.applivery().args([
        "oem-users",
        "create",
        "--org",
        "bad/org",
        "--email",
        "a@example.com",
    ]));
    assert_exit(&output, 2);

    let output = run(mock
        .applivery()
        .args(["oem-users", "create", "--email", "a@example.com"]));
    assert_exit(&output, 2); // clap: --org is required without APPLIVERY_ORGANIZATION_ID
    assert_eq!(mock.request_count(), 0);
}

#[test]
fn the_organization_and_key_come_from_the_environment_and_a_flag_key_is_accepted() {
    let mock = Mock::start(|_| {});
    let output = run(mock
        .applivery()
        .env_remove("APPLIVERY_API_KEY")
        .env("APPLIVERY_ORGANIZATION_ID", "demo-org")
        .args(["oem-users", "create", "--email", "env@example.com"])
        .args(["--api-key", common::SECRET_KEY]));
    assert_exit(&output, 0);
    assert_no_key(&output);
    assert_eq!(mock.created_emails().get("env@example.com"), Some(&1));
}

#[test]
fn schema_prints_the_json_schema_of_a_row() {
    let mock = Mock::start(|_| {});
    let output = run(mock.applivery().args(["oem-users", "schema"]));
    assert_exit(&output, 0);
    let schema: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(schema["title"], "NewOemUser");
    assert_eq!(schema["required"], serde_json::json!(["email"]));
    assert!(schema["properties"]["tags"].is_object());
}

#[test]
fn applivery_mock_starts_the_local_mock() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;

    let mut mock = std::process::Command::new(env!("CARGO_BIN_EXE_applivery"))
        .args([
            "mock",
            "--addr",
            "127.0.0.1:0",
            "--org",
            "cli-org",
            "--api-key",
            "k-1",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(mock.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base_url = line
        .trim()
        .strip_prefix("applivery-mock listening on ")
        .unwrap_or_else(|| panic!("{line}"))
        .to_owned();
    let output = run(std::process::Command::new(env!("CARGO_BIN_EXE_applivery"))
        .env("APPLIVERY_API_KEY", "k-1")
        .env_remove("APPLIVERY_ORGANIZATION_ID")
        .args([
            "--base-url",
            &base_url,
            "--output",
            "json",
            "oem-users",
            "create",
        ])
        .args(["--org", "cli-org", "--email", "via-mock@example.com"]));
    mock.kill().unwrap();
    mock.wait().unwrap();
    assert_exit(&output, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let organization = json["organization"].as_str().unwrap();
    assert!(
        organization.len() == 24 && organization.chars().all(|c| c.is_ascii_hexdigit()),
        "{json}"
    );
}
