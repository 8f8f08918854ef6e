//! Shared by the integration tests: the mock server in a runtime the test holds, and the real
//! `applivery` binary pointed at it.

#![allow(dead_code)] // each test file uses its own subset

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use applivery_mock::{MockConfig, MockServer};

/// A key no output, results file or journal may ever contain.
pub const SECRET_KEY: &str = "sk-test-5e1f9a77c0ffee-do-not-print";

/// A running mock and the runtime serving it.
pub struct Mock {
    pub server: Option<MockServer>,
    runtime: tokio::runtime::Runtime,
}

impl Mock {
    /// A mock accepting [`SECRET_KEY`] with `configure` applied.
    pub fn start(configure: impl FnOnce(&mut MockConfig)) -> Mock {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let mut config = MockConfig {
            api_keys: vec![SECRET_KEY.to_owned()],
            ..MockConfig::default()
        };
        configure(&mut config);
        let server = runtime.block_on(MockServer::start(config)).unwrap();
        Mock {
            server: Some(server),
            runtime,
        }
    }

    pub fn server(&self) -> &MockServer {
        self.server.as_ref().unwrap()
    }

    /// The `applivery` command with the mock's URL and key in its environment, and nothing
    /// inherited that could point it elsewhere.
    pub fn applivery(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_applivery"));
        command
            .env_remove("APPLIVERY_ORGANIZATION_ID")
            .env("APPLIVERY_API_KEY", SECRET_KEY)
            .env("APPLIVERY_BASE_URL", self.server().base_url());
        command
    }

    /// Emails of the users the mock created, with how many times each was created.
    pub fn created_emails(&self) -> HashMap<String, usize> {
        let mut counts = HashMap::new();
        for user in self.server().users() {
            let email = user.user.and_then(|u| u.email).unwrap_or_default();
            *counts.entry(email.to_lowercase()).or_insert(0) += 1;
        }
        counts
    }

    pub fn request_count(&self) -> u64 {
        self.server().request_count()
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            self.runtime.block_on(server.shutdown());
        }
    }
}

/// Runs a command to completion.
pub fn run(command: &mut Command) -> Output {
    command.output().expect("the applivery binary runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Asserts the exit code, showing the output when it differs.
pub fn assert_exit(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        stdout(output),
        stderr(output)
    );
}

/// Asserts no output contains the API key.
pub fn assert_no_key(output: &Output) {
    assert!(!stdout(output).contains(SECRET_KEY), "key in stdout");
    assert!(!stderr(output).contains(SECRET_KEY), "key in stderr");
}

/// Writes a file in `dir`.
pub fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// A CSV of `rows` users `user{i}@example.com`; every row whose index is in `invalid` gets a
/// malformed email instead. Returns the text.
pub fn users_csv(rows: usize, invalid: &[usize]) -> String {
    let mut text = String::from("email,firstName,lastName,tags\n");
    for i in 1..=rows {
        if invalid.contains(&i) {
            text.push_str(&format!("not-an-email-{i},Bad,Row,\n"));
        } else {
            text.push_str(&format!(
                "user{i}@example.com,First{i},Last{i},team-{};csv\n",
                i % 7
            ));
        }
    }
    text
}

/// The results file (CSV) as (line, email, outcome, kind) rows.
pub fn read_results_csv(path: &Path) -> Vec<(u64, String, String, String)> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [
            "line",
            "email",
            "outcome",
            "kind",
            "message",
            "collaboratorId"
        ]
    );
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (
                r[0].parse().unwrap(),
                r[1].to_owned(),
                r[2].to_owned(),
                r[3].to_owned(),
            )
        })
        .collect()
}

/// How far a run has written the journal: 0 without one, 1 for its header, plus one per row
/// slot written (a slot only ever goes from empty to written, so this only grows).
pub fn journal_progress(path: &Path) -> usize {
    let Ok(bytes) = std::fs::read(path) else {
        return 0;
    };
    match applivery_cli::journal::read_journal_bytes(&bytes) {
        Ok(contents) if contents.header.is_some() => {
            1 + (contents.started + contents.finished + contents.unfinished + contents.torn)
                as usize
        }
        _ => 0,
    }
}

/// Whether `haystack` contains `needle` (journals are binary).
pub fn bytes_contain(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
