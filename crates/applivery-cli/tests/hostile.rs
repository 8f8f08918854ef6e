//! Safe with hostile data: the real binary against a hostile server (the fixture shared with
//! the facade's and the npm package's tests), hostile files and a recording proxy.

mod common;

#[path = "../../applivery-api/tests/support/hostile_server.rs"]
mod hostile_server;

use std::io::Read;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use applivery_api::csv_cell;
use common::{Mock, SECRET_KEY, assert_exit, run, stderr, stdout, write};
use hostile_server::HostileServer;

/// The command pointed at `base_url`, with nothing inherited that could point it elsewhere.
fn applivery(base_url: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_applivery"));
    command
        .env_remove("APPLIVERY_ORGANIZATION_ID")
        .env("APPLIVERY_API_KEY", SECRET_KEY)
        .env("APPLIVERY_BASE_URL", base_url);
    for proxy in PROXY_VARIABLES {
        command.env_remove(proxy);
    }
    command
}

const PROXY_VARIABLES: [&str; 8] = [
    "http_proxy",
    "HTTP_PROXY",
    "https_proxy",
    "HTTPS_PROXY",
    "all_proxy",
    "ALL_PROXY",
    "no_proxy",
    "NO_PROXY",
];

fn create(base_url: &str, extra: &[&str]) -> Output {
    run(applivery(base_url)
        .args([
            "oem-users",
            "create",
            "--org",
            "demo-org",
            "--email",
            "ada@example.com",
        ])
        .args(extra))
}

/// No byte of a terminal escape: C0 controls other than newline and tab, DEL, C1 controls.
fn assert_no_control(text: &str, what: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| c.is_control() && c != '\n' && c != '\t')
        .collect();
    assert!(
        bad.is_empty(),
        "{what} holds control characters {bad:?}: {text:?}"
    );
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

// ---- 1. CSV formula injection --------------------------------------------------------------

#[test]
fn collaborators_list_csv_neutralizes_formula_cells_and_json_stays_raw() {
    let server = HostileServer::start("page_hostile");
    let output = run(applivery(&server.base_url).args([
        "--output",
        "csv",
        "collaborators",
        "list",
        "--org",
        "demo-org",
    ]));
    assert_exit(&output, 0);
    let rows = csv_rows(&stdout(&output));
    assert_eq!(rows[0][0], "id");
    let row = &rows[1];
    assert_eq!(row[0], "'@SUM(1+1)", "{row:?}");
    assert_eq!(row[2], r#"'=HYPERLINK("http://x","y")"#, "{row:?}");
    assert_eq!(
        row[3], "''t Hart\u{1b}[2J",
        "CSV keeps data as data: {row:?}"
    );
    assert_eq!(row[4], "'-2+3", "{row:?}");
    // Read back by the one rule, every cell is what the server said.
    assert_eq!(csv_cell::restore(&row[2]), r#"=HYPERLINK("http://x","y")"#);
    assert_eq!(csv_cell::restore(&row[3]), "'t Hart\u{1b}[2J");

    let output = run(applivery(&server.base_url).args([
        "--output",
        "jsonl",
        "collaborators",
        "list",
        "--org",
        "demo-org",
    ]));
    assert_exit(&output, 0);
    let value: serde_json::Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    assert_eq!(value["user"]["firstName"], r#"=HYPERLINK("http://x","y")"#);
    assert_eq!(value["id"], "@SUM(1+1)");
}

#[test]
fn import_results_csv_neutralizes_formula_cells() {
    let server = HostileServer::start("created_hostile");
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "users.csv",
        "email,firstName\nada@example.com,Ada\n=1+1,Bad\n",
    );
    let results = dir.path().join("results.csv");
    let output = run(applivery(&server.base_url).args([
        "oem-users",
        "import",
        input.to_str().unwrap(),
        "--org",
        "demo-org",
        "--no-journal",
        "--results",
        results.to_str().unwrap(),
    ]));
    assert_exit(&output, 12);
    let rows = csv_rows(&std::fs::read_to_string(&results).unwrap());
    let ada = rows
        .iter()
        .find(|r| r[1] == "ada@example.com")
        .expect("ada's row");
    assert_eq!(ada[5], "'@SUM(1+1)", "{rows:?}");
    let bad = rows.iter().find(|r| r[0] == "3").expect("line 3");
    assert_eq!(bad[1], "'=1+1", "{rows:?}");
}

#[test]
fn import_secrets_file_neutralizes_formula_cells() {
    let server = HostileServer::start("created_hostile");
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "users.csv", "email\nada@example.com\n");
    let secrets = dir.path().join("secrets.csv");
    let output = run(applivery(&server.base_url).args([
        "oem-users",
        "import",
        input.to_str().unwrap(),
        "--org",
        "demo-org",
        "--no-journal",
        "--secrets",
        secrets.to_str().unwrap(),
    ]));
    assert_exit(&output, 0);
    let rows = csv_rows(&std::fs::read_to_string(&secrets).unwrap());
    assert_eq!(
        rows[1],
        ["ada@example.com", "'@SUM(1+1)", "'=cmd|' /C calc'!A0"]
    );
}

#[test]
fn import_reads_back_what_our_csv_writers_wrote() {
    let mock = Mock::start(|_| {});
    let dir = tempfile::tempdir().unwrap();
    // As `collaborators list --output csv` writes these names.
    let input = write(
        dir.path(),
        "users.csv",
        "email,firstName,lastName\nada@example.com,'=1+1,''t Hart\n",
    );
    let output = run(mock.applivery().args([
        "oem-users",
        "import",
        input.to_str().unwrap(),
        "--org",
        "demo-org",
        "--no-journal",
    ]));
    assert_exit(&output, 0);
    let users = mock.server().users();
    let user = users[0].user.as_ref().unwrap();
    assert_eq!(user.first_name.as_deref(), Some("=1+1"));
    assert_eq!(user.last_name.as_deref(), Some("'t Hart"));
}

// ---- 2. No OEM secret in any error -------------------------------------------------------

#[test]
fn an_undecodable_success_body_with_a_secret_reaches_neither_stderr_nor_results() {
    let secret = hostile_server::secret();
    for answer in [
        "undecodable_secret",
        "undecodable_secret_string",
        "not_json_secret",
    ] {
        let server = HostileServer::start(answer);
        for output in ["text", "json"] {
            let shown = create(&server.base_url, &["--output", output]);
            assert!(!shown.status.success());
            let all = format!("{}{}", stdout(&shown), stderr(&shown));
            assert!(!all.contains(&secret), "{answer} ({output}): {all}");
            assert!(!all.contains("SECRET-"), "{answer} ({output}): {all}");
        }

        let dir = tempfile::tempdir().unwrap();
        let input = write(dir.path(), "users.csv", "email\nada@example.com\n");
        let results = dir.path().join("results.jsonl");
        let output = run(applivery(&server.base_url).args([
            "oem-users",
            "import",
            input.to_str().unwrap(),
            "--org",
            "demo-org",
            "--no-journal",
            "--max-attempts",
            "1",
            "--results",
            results.to_str().unwrap(),
        ]));
        let written = std::fs::read_to_string(&results).unwrap();
        assert!(written.contains("invalid_response"), "{written}");
        assert!(!written.contains("SECRET-"), "{answer}: {written}");
        let all = format!("{}{}", stdout(&output), stderr(&output));
        assert!(!all.contains("SECRET-"), "{answer}: {all}");
    }
}

#[cfg(unix)]
#[test]
fn the_results_file_is_created_0600() {
    use std::os::unix::fs::PermissionsExt;
    let mock = Mock::start(|_| {});
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "users.csv", "email\nada@example.com\n");
    let results = dir.path().join("results.csv");
    let output = run(mock.applivery().args([
        "oem-users",
        "import",
        input.to_str().unwrap(),
        "--org",
        "demo-org",
        "--no-journal",
        "--results",
        results.to_str().unwrap(),
    ]));
    assert_exit(&output, 0);
    let mode = std::fs::metadata(&results).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "results file mode {mode:o}");
}

// ---- 3. Proxies ----------------------------------------------------------------------------

/// A "proxy" that records connections and answers nothing useful.
fn recording_proxy() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            counter.fetch_add(1, Ordering::SeqCst);
            let mut buffer = [0u8; 4096];
            let _ = stream.read(&mut buffer);
            let _ = std::io::Write::write_all(
                &mut stream,
                b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
            );
        }
    });
    (url, seen)
}

#[test]
fn a_loopback_base_url_never_goes_through_a_proxy() {
    let mock = Mock::start(|_| {});
    let (proxy, seen) = recording_proxy();
    let mut command = mock.applivery();
    for variable in PROXY_VARIABLES {
        command.env_remove(variable);
    }
    for variable in ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"] {
        command.env(variable, &proxy);
    }
    let output = run(command.args([
        "oem-users",
        "create",
        "--org",
        "demo-org",
        "--email",
        "proxied@example.com",
    ]));
    assert_eq!(
        seen.load(Ordering::SeqCst),
        0,
        "the proxy saw the request (and its key)"
    );
    assert_exit(&output, 0);
}

// ---- 4. Files we write ------------------------------------------------------------------------

fn import_with(base_url: &str, input: &Path, extra: &[&str]) -> Output {
    run(applivery(base_url)
        .args([
            "oem-users",
            "import",
            input.to_str().unwrap(),
            "--org",
            "demo-org",
        ])
        .args(extra))
}

#[cfg(unix)]
#[test]
fn a_hard_link_to_the_input_is_refused_as_results() {
    let dir = tempfile::tempdir().unwrap();
    let content = "email\nada@example.com\n";
    let input = write(dir.path(), "users.csv", content);
    let link = dir.path().join("results.csv");
    std::fs::hard_link(&input, &link).unwrap();
    let output = import_with(
        "http://127.0.0.1:1",
        &input,
        &[
            "--no-journal",
            "--dry-run",
            "--results",
            link.to_str().unwrap(),
        ],
    );
    assert_exit(&output, 2);
    assert!(
        stderr(&output).contains("the input file"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read_to_string(&input).unwrap(), content);
}

#[cfg(unix)]
#[test]
fn a_symlinked_results_file_is_refused_and_its_target_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "users.csv", "email\nada@example.com\n");
    let victim = write(dir.path(), "victim.csv", "keep me\n");
    let link = dir.path().join("results.csv");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let output = import_with(
        "http://127.0.0.1:1",
        &input,
        &[
            "--no-journal",
            "--dry-run",
            "--results",
            link.to_str().unwrap(),
        ],
    );
    assert_exit(&output, 13);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me\n");
}

#[test]
fn results_equal_to_the_journal_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "users.csv", "email\nada@example.com\n");
    let same = dir.path().join("out.csv");
    let output = import_with(
        "http://127.0.0.1:1",
        &input,
        &[
            "--journal",
            same.to_str().unwrap(),
            "--results",
            same.to_str().unwrap(),
        ],
    );
    assert_exit(&output, 2);
    assert!(
        stderr(&output).contains("the journal"),
        "{}",
        stderr(&output)
    );
}

#[cfg(unix)]
#[test]
fn a_secrets_file_open_to_others_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let mock = Mock::start(|_| {});
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "users.csv", "email\nada@example.com\n");
    let secrets = write(dir.path(), "secrets.csv", "");
    std::fs::set_permissions(&secrets, std::fs::Permissions::from_mode(0o640)).unwrap();
    let output = run(mock.applivery().args([
        "oem-users",
        "import",
        input.to_str().unwrap(),
        "--org",
        "demo-org",
        "--no-journal",
        "--secrets",
        secrets.to_str().unwrap(),
    ]));
    assert_exit(&output, 13);
    assert!(stderr(&output).contains("0640"), "{}", stderr(&output));
    assert_eq!(
        mock.request_count(),
        0,
        "nothing is sent before the secrets file is usable"
    );
}

// ---- 5. Terminal escapes --------------------------------------------------------------------

#[test]
fn server_text_is_escaped_on_the_terminal() {
    let server = HostileServer::start("page_hostile");
    let output =
        run(applivery(&server.base_url).args(["collaborators", "list", "--org", "demo-org"]));
    assert_exit(&output, 0);
    assert_no_control(&stdout(&output), "collaborators list");
    assert!(
        stdout(&output).contains(r"\u{1b}]0;pwned\u{7}"),
        "{}",
        stdout(&output)
    );

    let server = HostileServer::start("created_hostile");
    let output = create(&server.base_url, &[]);
    assert_exit(&output, 0);
    assert_no_control(&stdout(&output), "create");

    let server = HostileServer::start("error_with_escapes");
    let output = create(&server.base_url, &[]);
    assert!(!output.status.success());
    assert_no_control(&stderr(&output), "create's error");
    assert!(
        stderr(&output).contains(r"\u{1b}[2J"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn json_output_escapes_control_characters() {
    let server = HostileServer::start("page_hostile");
    let output = run(applivery(&server.base_url).args([
        "--output",
        "json",
        "collaborators",
        "list",
        "--org",
        "demo-org",
    ]));
    assert_exit(&output, 0);
    assert_no_control(&stdout(&output), "JSON output");
    let server = HostileServer::start("error_with_escapes");
    let output = create(&server.base_url, &["--output", "json"]);
    assert_no_control(&stdout(&output), "a JSON error");
    let value: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert!(
        value["error"]["message"]
            .as_str()
            .unwrap()
            .contains("\u{1b}]0;pwned\u{7}")
    );
}

#[test]
fn file_content_is_escaped_in_import_messages() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "users.csv",
        "email,firstName,note\u{1b}]0;pwned\u{7}\nnot-an-email\u{1b}[2J,Ada,x\n",
    );
    let output = import_with("http://127.0.0.1:1", &input, &["--no-journal", "--dry-run"]);
    assert_no_control(&stderr(&output), "import's messages");
    assert_no_control(&stdout(&output), "import's summary");
}

// ---- 6. --api-key-file ------------------------------------------------------------------------

#[test]
fn the_key_is_read_from_a_file_or_standard_input() {
    let mock = Mock::start(|_| {});
    let dir = tempfile::tempdir().unwrap();
    let key_file = write(dir.path(), "key", format!("{SECRET_KEY}\n"));
    let mut command = mock.applivery();
    command.env_remove("APPLIVERY_API_KEY").args([
        "--api-key-file",
        key_file.to_str().unwrap(),
        "oem-users",
        "create",
        "--org",
        "demo-org",
        "--email",
        "from-file@example.com",
    ]);
    let output = run(&mut command);
    assert_exit(&output, 0);

    let mut command = mock.applivery();
    command
        .env_remove("APPLIVERY_API_KEY")
        .args([
            "oem-users",
            "create",
            "--api-key-file",
            "-",
            "--org",
            "demo-org",
            "--email",
            "from-stdin@example.com",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    std::io::Write::write_all(
        child.stdin.as_mut().unwrap(),
        format!("{SECRET_KEY}\r\n").as_bytes(),
    )
    .unwrap();
    drop(child.stdin.take());
    let output = child.wait_with_output().unwrap();
    assert_exit(&output, 0);
    assert_eq!(mock.created_emails().len(), 2);

    // Empty: refused before anything is sent.
    let empty = write(dir.path(), "empty", "\n");
    let output = run(mock.applivery().env_remove("APPLIVERY_API_KEY").args([
        "--api-key-file",
        empty.to_str().unwrap(),
        "oem-users",
        "create",
        "--org",
        "demo-org",
        "--email",
        "nobody@example.com",
    ]));
    assert_exit(&output, 2);
    assert!(stderr(&output).contains("empty"), "{}", stderr(&output));
    // With --api-key too: refused.
    let output = run(mock.applivery().args([
        "--api-key-file",
        key_file.to_str().unwrap(),
        "oem-users",
        "create",
        "--api-key",
        "other",
        "--org",
        "demo-org",
        "--email",
        "nobody@example.com",
    ]));
    assert_exit(&output, 2);
    assert_eq!(mock.created_emails().len(), 2);
}
