//! The same redaction property end to end: a real `Client` against a bare HTTP server that
//! echoes the request's `Authorization` value back inside whatever body the case generates.

use std::io::{Read, Write};
use std::net::TcpListener;

use applivery::{Client, NewOemUser, RetryPolicy};
use proptest::prelude::*;

use crate::redaction::{api_key, filler, leaked_piece, shown};

/// Serves one request on `listener`: reads its head, answers `status` with `template`, where
/// every `{key}` is the token the client sent.
fn echo_once(listener: &TcpListener, status: u16, template: &str) {
    let (mut stream, _) = listener.accept().expect("accept");
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).is_ok_and(|n| n == 1) {
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head);
    let token = head
        .lines()
        .find_map(|line| line.strip_prefix("authorization: Bearer "))
        .unwrap_or_default();
    let body = template.replace("{key}", token);
    let _ = write!(
        stream,
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n{body}",
        body.len()
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: ProptestConfig::default().cases / 4, ..ProptestConfig::default() })]

    #[test]
    fn the_client_never_shows_an_echoed_key(
        key in api_key(),
        parts in prop::collection::vec(filler(), 1..4),
        status in prop_oneof![Just(200u16), 400..=599u16],
        json in any::<bool>(),
    ) {
        let echoed = parts.join("{key}");
        let template = if json {
            serde_json::json!({"status": false, "error": {"code": 4004, "message": echoed}}).to_string()
        } else {
            echoed
        };
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || echo_once(&listener, status, &template));
        let client = Client::builder()
            .api_key(key.clone())
            .base_url(format!("http://127.0.0.1:{port}"))
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let result = runtime.block_on(client.create_oem_user("demo-org", NewOemUser::new("a@example.com")).send());
        server.join().unwrap();
        let Err(error) = result else {
            return Ok(());
        };
        let shown = shown(&error);
        prop_assert_eq!(leaked_piece(&shown, &key), None, "{}", shown);
    }
}
