//! A hostile HTTP server for tests: it answers every request with one of the answers in
//! `hostile_answers.json` (undecodable 2xx bodies holding an OEM secret, control characters in
//! names, tags and error messages, formula cells). Shared by the facade's and the CLI's tests
//! through `#[path]`; the npm tests read the same JSON file (web/test/support/hostile-server.mjs).
//!
//! A std `TcpListener` on loopback, a thread per connection, one answer per connection
//! (`Connection: close`). Needs `serde_json` in the including crate's dependencies.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The fixture file, as text.
pub const ANSWERS_JSON: &str = include_str!("hostile_answers.json");

/// The OEM secret the undecodable answers hold: it must appear in no error text.
pub fn secret() -> String {
    answers()["secret"].as_str().expect("a secret").to_owned()
}

fn answers() -> serde_json::Value {
    serde_json::from_str(ANSWERS_JSON).expect("hostile_answers.json is JSON")
}

/// The status and body bytes of the answer called `name`.
pub fn answer(name: &str) -> (u16, Vec<u8>) {
    let answers = answers();
    let answer = &answers["answers"][name];
    assert!(answer.is_object(), "no hostile answer named {name}");
    let status = answer["status"].as_u64().expect("a status") as u16;
    let body = match answer["raw"].as_str() {
        Some(raw) => raw.as_bytes().to_vec(),
        None => serde_json::to_vec(&answer["body"]).expect("a body"),
    };
    (status, body)
}

/// A running hostile server; it stops accepting when dropped (its thread then ends with the
/// test process).
pub struct HostileServer {
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    requests: Arc<AtomicUsize>,
}

impl HostileServer {
    /// Answers every request with the answer called `name`.
    pub fn start(name: &str) -> HostileServer {
        let (status, body) = answer(name);
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let base_url = format!("http://{}", listener.local_addr().expect("an address"));
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let body = body.clone();
                let counter = Arc::clone(&counter);
                std::thread::spawn(move || serve(stream, status, &body, &counter));
            }
        });
        HostileServer { base_url, requests }
    }

    /// Requests answered so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

fn serve(stream: TcpStream, status: u16, body: &[u8], requests: &AtomicUsize) {
    let mut reader = BufReader::new(stream);
    let mut length = 0usize;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut request_body = vec![0; length];
    if reader.read_exact(&mut request_body).is_err() {
        return;
    }
    requests.fetch_add(1, Ordering::SeqCst);
    let mut stream = reader.into_inner();
    let head = format!(
        "HTTP/1.1 {status} Hostile\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n",
        body.len()
    );
    let _ = stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(body))
        .and_then(|()| stream.flush());
}
