//! The real `applivery-mock` binary: flags, defaults and the listening line.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// The running binary; killed when dropped, even when an assertion fails.
struct Running {
    child: Child,
    base_url: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the binary on a free port and waits for its listening line.
fn run(args: &[&str]) -> Running {
    let mut child = Command::new(env!("CARGO_BIN_EXE_applivery-mock"))
        .args(["--addr", "127.0.0.1:0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base_url = line
        .trim()
        .strip_prefix("applivery-mock listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .to_string();
    assert!(base_url.starts_with("http://127.0.0.1:"), "{base_url}");
    Running { child, base_url }
}

async fn post(base_url: &str, org: &str, key: &str, email: &str) -> (StatusCode, Value) {
    let response = http()
        .post(format!("{base_url}/v1/organizations/{org}/oem/users"))
        .bearer_auth(key)
        .json(&json!({ "email": email }))
        .send()
        .await
        .unwrap();
    json_of(response).await
}

#[tokio::test]
async fn defaults_need_no_flags() {
    let mock = run(&[]);
    let created = post(&mock.base_url, "demo-org", "mock-api-key", "a@example.com").await;
    assert_eq!(created.0, StatusCode::OK);
    assert_matches_spec(created.0, &created.1);
    assert_error(
        &post(
            &mock.base_url,
            "blocked-org",
            "mock-api-key",
            "a@example.com",
        )
        .await,
        400,
        5187,
        None,
    );
    let users: Value = http()
        .get(format!("{}/__mock/users", mock.base_url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(users.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn flags_configure_keys_orgs_and_faults() {
    let mock = run(&[
        "--api-key",
        "k1",
        "--api-key",
        "k2",
        "--org",
        "acme",
        "--org",
        "globex",
        "--blocked-org",
        "initech",
        "--fault-every",
        "2:status=503,retry-after=4",
    ]);
    let url = &mock.base_url;
    // Every second request (2, 4, 6, ...) gets the periodic fault, whatever it asks.
    assert_eq!(
        post(url, "acme", "k1", "a@example.com").await.0,
        StatusCode::OK
    );
    let faulty = post(url, "acme", "k1", "b@example.com").await;
    assert_error(&faulty, 503, 503, None);
    assert_error(
        &post(url, "globex", "mock-api-key", "c@example.com").await,
        401,
        4004,
        None,
    );
    assert_error(
        &post(url, "initech", "k2", "d@example.com").await,
        503,
        503,
        None,
    );
    assert_error(
        &post(url, "initech", "k2", "d@example.com").await,
        400,
        5187,
        None,
    );
    assert_error(
        &post(url, "globex", "k2", "a@example.com").await,
        503,
        503,
        None,
    );
    assert_error(
        &post(url, "demo-org", "k2", "d@example.com").await,
        404,
        3001,
        None,
    );
}

#[test]
fn bad_flags_exit_with_an_error() {
    for args in [
        &["--fault-every", "0:drop"][..],
        &["--fault-every", "2:explode"],
        &["--rate-limit", "0"],
        &["--addr", "nowhere"],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_applivery-mock"))
            .args(args)
            .output()
            .unwrap();
        assert!(!output.status.success(), "{args:?} was accepted");
        assert!(!output.stderr.is_empty());
    }
}

#[test]
fn help_documents_every_flag() {
    let output = Command::new(env!("CARGO_BIN_EXE_applivery-mock"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    for flag in [
        "--addr",
        "--api-key",
        "--org",
        "--blocked-org",
        "--latency-ms",
        "--rate-limit",
        "--fault-every",
        "--allow-origin",
        "--allow-host",
        "127.0.0.1:4010",
        "mock-api-key",
        "demo-org",
        "blocked-org",
    ] {
        assert!(help.contains(flag), "{flag} missing from --help:\n{help}");
    }
}

#[test]
fn configured_keys_never_reach_the_output() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_applivery-mock"))
        .args(["--addr", "127.0.0.1:0", "--api-key", "sekrit-key-123"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let first_line = |stream: Box<dyn std::io::Read>| {
        let mut line = String::new();
        BufReader::new(stream).read_line(&mut line).unwrap();
        line
    };
    // Both lines are written before the server waits for a signal.
    let stdout = first_line(Box::new(child.stdout.take().unwrap()));
    let stderr = first_line(Box::new(child.stderr.take().unwrap()));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        stdout.starts_with("applivery-mock listening on http://"),
        "{stdout}"
    );
    assert!(stderr.contains("accepted API keys: 1"), "{stderr}");
    for text in [&stdout, &stderr] {
        assert!(!text.contains("sekrit-key-123"), "key leaked: {text}");
    }
}

/// Bound beyond loopback, the mock says so on stderr; the new flags are accepted.
#[test]
fn warns_when_bound_to_a_non_loopback_address() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_applivery-mock"))
        .args([
            "--addr",
            "0.0.0.0:0",
            "--allow-origin",
            "https://admin.example.com",
        ])
        .args(["--allow-origin", "null", "--allow-host", "mock.test"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Lines as they come, so a missing warning fails after a while instead of blocking.
    let (lines, received) = std::sync::mpsc::channel();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    let mut text = String::new();
    while let Ok(line) = received.recv_timeout(std::time::Duration::from_secs(10)) {
        text.push_str(&line);
        text.push('\n');
        if line.starts_with("warning") {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        text.contains("warning: listening on 0.0.0.0:") && text.contains("not a loopback"),
        "{text}"
    );
}

#[test]
fn an_invalid_allow_origin_stops_the_start() {
    let output = Command::new(env!("CARGO_BIN_EXE_applivery-mock"))
        .args([
            "--addr",
            "127.0.0.1:0",
            "--allow-origin",
            "admin.example.com",
        ])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("allowed origin `admin.example.com`"),
        "{stderr}"
    );
}
