//! A mock server in a child process, for the tasks that need one running.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// Starts `command` (the mock, with its `--addr`) and waits for the line that says where it
/// listens: the child and its base URL. The child's output keeps being drained so it never
/// blocks on a full pipe.
pub fn start(mut command: Command) -> Result<(Child, String), String> {
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the mock: {e}"))?;
    let stdout = child.stdout.take().expect("piped");
    let mut lines = BufReader::new(stdout).lines();
    let url = lines.by_ref().map_while(Result::ok).find_map(|line| {
        line.split_once("listening on ")
            .map(|(_, url)| url.trim().to_string())
    });
    match url {
        Some(url) => {
            std::thread::spawn(move || lines.for_each(drop));
            Ok((child, url))
        }
        None => {
            let _ = child.kill();
            Err("the mock exited without saying where it listens".into())
        }
    }
}
