//! `cargo xtask demo` starts the mock, creates a user, serves the admin page and stops on Ctrl-C.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

/// A plain HTTP/1.1 GET; returns the status line and the body.
fn get(url: &str) -> (String, String) {
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_string()), |(h, p)| (h, format!("/{p}")));
    let mut stream = TcpStream::connect(host).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nhost: {host}\r\nconnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    (head.lines().next().unwrap().to_string(), body.to_string())
}

#[test]
fn demo_creates_a_user_serves_the_page_and_stops_cleanly() {
    let mut demo = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args([
            "demo",
            "--mock-addr",
            "127.0.0.1:0",
            "--page-addr",
            "127.0.0.1:0",
            // `cargo xtask test` built web/pkg before the tests; a test never rewrites it.
            "--prebuilt-package",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(demo.stdout.take().unwrap())
        .lines()
        .map(Result::unwrap);
    let mut output = Vec::new();
    let page_url = loop {
        let line = lines
            .next()
            .unwrap_or_else(|| panic!("demo ended early:\n{}", output.join("\n")));
        output.push(line.clone());
        if let Some(rest) = line.strip_prefix("admin page: ") {
            break rest.split_whitespace().next().unwrap().to_string();
        }
    };
    let mock_url = output
        .iter()
        .find_map(|l| l.strip_prefix("mock Applivery API: "))
        .and_then(|l| l.split_whitespace().next())
        .unwrap()
        .to_string();

    let (status, users) = get(&format!("{mock_url}/__mock/users"));
    assert!(status.contains("200"), "{status}");
    let users: serde_json::Value = serde_json::from_str(&users).unwrap();
    assert_eq!(users.as_array().unwrap().len(), 1, "{users}");
    assert!(
        users[0]["user"]["email"]
            .as_str()
            .unwrap()
            .starts_with("ada.")
    );
    assert!(
        output
            .iter()
            .any(|l| l.contains(users[0]["id"].as_str().unwrap())),
        "the created user is printed:\n{}",
        output.join("\n")
    );

    let (status, page) = get(&page_url);
    assert!(status.contains("200"), "{status}");
    assert!(page.contains("<title>Applivery OEM users"));
    let (status, config) = get(&page_url.replace("/admin/", "/demo-config.json"));
    assert!(
        status.contains("200") && config.contains(&mock_url),
        "{status} {config}"
    );
    let (status, _) = get(&page_url.replace("/admin/", "/pkg/index.js"));
    assert!(status.contains("200"), "the package is served: {status}");

    let interrupted = Command::new("kill")
        .args(["-INT", &demo.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let status = demo.wait().unwrap();
    assert!(status.success(), "demo exits cleanly on Ctrl-C: {status}");
    assert!(
        TcpStream::connect(mock_url.trim_start_matches("http://")).is_err(),
        "the mock is stopped"
    );
}
