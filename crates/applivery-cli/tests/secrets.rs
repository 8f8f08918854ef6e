//! The OEM secret in the command: printed by `create --show-secret` only, written by
//! `import --secrets FILE` to a 0600 file only, equal to what the mock stored, and nowhere in
//! the journal, the results or the logs.

#![cfg(unix)]

mod common;

use std::collections::HashMap;
use std::os::unix::fs::PermissionsExt;

use common::{Mock, assert_exit, bytes_contain, run, stderr, stdout, users_csv, write};

/// Email → the `oemSecret` the mock stored for it (in `demo-org`, where the tests create).
fn stored_secrets(mock: &Mock) -> HashMap<String, String> {
    mock.server()
        .users()
        .into_iter()
        .map(|user| {
            let email = user.user.and_then(|u| u.email).expect("an email");
            let secret = mock
                .server()
                .oem_secret("demo-org", &email)
                .expect("the mock stores a secret per user");
            (email, secret)
        })
        .collect()
}

fn create(mock: &Mock, email: &str, extra: &[&str]) -> std::process::Output {
    run(mock.applivery().args(extra).args([
        "oem-users",
        "create",
        "--org",
        "demo-org",
        "--email",
        email,
    ]))
}

#[test]
fn create_prints_the_secret_only_when_asked_and_it_is_the_one_the_mock_stored() {
    let mock = Mock::start(|_| {});
    let shown = create(&mock, "shown@example.com", &[]);
    let hidden = create(&mock, "hidden@example.com", &[]);
    assert_exit(&hidden, 0);
    let secrets = stored_secrets(&mock);
    let hidden_secret = &secrets["hidden@example.com"];
    assert!(!stdout(&hidden).contains(hidden_secret.as_str()));
    assert!(!stderr(&hidden).contains(hidden_secret.as_str()));
    assert!(
        stdout(&hidden).contains("--show-secret"),
        "{}",
        stdout(&hidden)
    );
    assert_exit(&shown, 0);
    assert!(!stdout(&shown).contains(secrets["shown@example.com"].as_str()));

    let text = run(mock.applivery().args([
        "oem-users",
        "create",
        "--org",
        "demo-org",
        "--email",
        "text@example.com",
        "--show-secret",
    ]));
    assert_exit(&text, 0);
    let secret = &stored_secrets(&mock)["text@example.com"];
    assert!(
        stdout(&text).contains(&format!("oem secret       {secret}\n")),
        "{}",
        stdout(&text)
    );
    assert!(!stderr(&text).contains(secret.as_str()));

    let json = run(mock.applivery().args([
        "--output",
        "json",
        "oem-users",
        "create",
        "--org",
        "demo-org",
        "--email",
        "json@example.com",
        "--show-secret",
    ]));
    assert_exit(&json, 0);
    let value: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(
        value["oemSecret"].as_str(),
        Some(stored_secrets(&mock)["json@example.com"].as_str())
    );
    let json = run(mock.applivery().args([
        "--output",
        "json",
        "oem-users",
        "create",
        "--org",
        "demo-org",
        "--email",
        "json2@example.com",
    ]));
    let value: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert!(value.get("oemSecret").is_none(), "{value}");
}

#[test]
fn import_writes_secrets_to_a_0600_file_and_nowhere_else() {
    let mock = Mock::start(|_| {});
    let dir = tempfile::tempdir().unwrap();
    let rows = 30;
    let file = write(dir.path(), "users.csv", users_csv(rows, &[4]));
    let secrets_path = dir.path().join("secrets.csv");
    let results = dir.path().join("results.csv");
    let import = || {
        run(mock
            .applivery()
            .args(["oem-users", "import"])
            .arg(&file)
            .args(["--org", "demo-org", "--results"])
            .arg(&results)
            .arg("--secrets")
            .arg(&secrets_path))
    };
    let output = import();
    assert_exit(&output, 12);
    let mode = std::fs::metadata(&secrets_path)
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);

    let stored = stored_secrets(&mock);
    assert_eq!(stored.len(), rows - 1);
    let check_file = || {
        let mut reader = csv::Reader::from_path(&secrets_path).unwrap();
        assert_eq!(
            reader.headers().unwrap().iter().collect::<Vec<_>>(),
            ["email", "collaboratorId", "oemSecret"]
        );
        let written: HashMap<String, (String, String)> = reader
            .records()
            .map(|r| {
                let r = r.unwrap();
                (r[0].to_owned(), (r[1].to_owned(), r[2].to_owned()))
            })
            .collect();
        assert_eq!(written.len(), rows - 1);
        for user in mock.server().users() {
            let email = user.user.as_ref().unwrap().email.clone().unwrap();
            let (id, secret) = &written[&email];
            assert_eq!(id, &user.id);
            assert_eq!(secret, &stored[&email]);
        }
    };
    check_file();

    let journal = std::fs::read(dir.path().join("users.csv.journal")).unwrap();
    let results_text = std::fs::read(&results).unwrap();
    for secret in stored.values() {
        for (place, bytes) in [
            ("journal", &journal),
            ("results", &results_text),
            ("stdout", &output.stdout),
            ("stderr", &output.stderr),
        ] {
            assert!(
                !bytes_contain(bytes, secret.as_bytes()),
                "a secret in the {place}"
            );
        }
    }

    // A rerun (everything finished) appends nothing and keeps the earlier secrets.
    let output = import();
    assert_exit(&output, 12);
    check_file();

    // A file opened up meanwhile is refused (its secrets may already have been read: the
    // operator decides), left as it is, and nothing is sent.
    std::fs::set_permissions(&secrets_path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let output = import();
    assert_exit(&output, 13);
    assert!(
        stderr(&output).contains("has mode 0644") && stderr(&output).contains("refused"),
        "{}",
        stderr(&output)
    );
    let mode = std::fs::metadata(&secrets_path)
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o644);
    check_file();
}
