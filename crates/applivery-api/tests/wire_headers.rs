//! What the generated client puts on the wire, seen by a plain TCP listener.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::thread;

use applivery_api::types::NewOemUser;

const SUCCESS: &str = r#"{"status":true,"data":{"collaborator":{"id":"c","organization":"o","role":"owner","tags":[],"detected":{},"createdBy":"u","updatedAt":"t","createdAt":"t"}}}"#;

/// Accepts one connection, answers `status` with `body`, returns the request head and body.
fn serve_once(
    status: &'static str,
    body: String,
) -> (String, thread::JoinHandle<(Vec<String>, String)>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut head = Vec::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let line = line.trim_end().to_string();
            if line.is_empty() {
                break;
            }
            head.push(line);
        }
        let length: usize = head
            .iter()
            .find_map(|h| {
                h.to_ascii_lowercase()
                    .strip_prefix("content-length:")
                    .map(|v| v.trim().parse().unwrap())
            })
            .unwrap_or(0);
        let mut request_body = vec![0; length];
        reader.read_exact(&mut request_body).unwrap();
        let mut stream = stream;
        write!(
            stream,
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        (head, String::from_utf8(request_body).unwrap())
    });
    (url, handle)
}

fn client(url: &str) -> applivery_api::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::AUTHORIZATION, "Bearer k".parse().unwrap());
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap();
    applivery_api::Client::new_with_client(url, http)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn request_carries_only_the_headers_the_endpoint_needs() {
    let (url, server) = serve_once("200 OK", SUCCESS.into());
    let mut body = NewOemUser::blank();
    body.email = "a@example.com".into();
    body.first_name = Some("Ada".into());
    body.tags = vec!["t".into()];
    let response = runtime()
        .block_on(client(&url).create_oem_user("org-1", &body))
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);

    let (head, sent) = server.join().unwrap();
    assert_eq!(head[0], "POST /v1/organizations/org-1/oem/users HTTP/1.1");
    let allowed = [
        "authorization",
        "content-type",
        "accept",
        "user-agent",
        "host",
        "content-length",
    ];
    for header in &head[1..] {
        let name = header.split(':').next().unwrap().to_ascii_lowercase();
        assert!(
            allowed.contains(&name.as_str()),
            "unexpected header sent: {header}"
        );
    }
    assert!(
        head.iter()
            .any(|h| h.eq_ignore_ascii_case("content-type: application/json"))
    );
    assert_eq!(
        sent,
        r#"{"email":"a@example.com","firstName":"Ada","tags":["t"]}"#
    );
}

#[test]
fn organization_id_cannot_change_the_path() {
    let (url, server) = serve_once(
        "404 Not Found",
        r#"{"status":false,"error":{"code":3001,"message":"Entity not found"}}"#.into(),
    );
    let mut body = NewOemUser::blank();
    body.email = "a@example.com".into();
    let result = runtime().block_on(client(&url).create_oem_user("../x?y#z", &body));
    assert!(matches!(
        result,
        Err(applivery_api::Error::ErrorResponse(_))
    ));
    let (head, _) = server.join().unwrap();
    assert!(
        head[0].starts_with("POST /v1/organizations/..%2Fx%3Fy%23z/oem/users "),
        "{}",
        head[0]
    );
}

#[test]
fn oversized_response_is_refused_before_it_is_read() {
    let huge = format!(
        r#"{{"status":true,"pad":"{}"}}"#,
        "x".repeat(applivery_api::MAX_RESPONSE_BYTES as usize)
    );
    let (url, server) = serve_once("200 OK", huge);
    let mut body = NewOemUser::blank();
    body.email = "a@example.com".into();
    let result = runtime().block_on(client(&url).create_oem_user("o", &body));
    match result {
        Err(applivery_api::Error::Custom(message)) => {
            assert!(message.starts_with(applivery_api::RESPONSE_TOO_LARGE))
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let _ = server.join();
}
