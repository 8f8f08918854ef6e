//! What goes on the wire, checked with a bare TCP server: the exact request head (only the
//! headers a browser's CORS preflight allows, the key as a bearer token), the body, and a
//! chunked answer without Content-Length that is too large.

use std::time::Duration;

use applivery::{Client, ErrorKind, NewOemUser, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Accepts one connection, returns the raw request (head and body) and sends `answer`.
async fn serve_once(answer: Vec<u8>) -> (String, tokio::task::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = Vec::new();
        let mut buf = [0u8; 4096];
        // Read the head, then as many body bytes as Content-Length says.
        loop {
            let n = socket.read(&mut buf).await.unwrap();
            request.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&request).to_string();
            if let Some(end) = text.find("\r\n\r\n") {
                let length: usize = text[..end]
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse().unwrap())
                    })
                    .unwrap_or(0);
                if request.len() >= end + 4 + length {
                    break;
                }
            }
            if n == 0 {
                break;
            }
        }
        socket.write_all(&answer).await.unwrap();
        let _ = socket.shutdown().await;
        String::from_utf8(request).unwrap()
    });
    (base_url, task)
}

fn client(base_url: &str) -> Client {
    Client::builder()
        .api_key("wire-test-key")
        .base_url(base_url)
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_request_is_exactly_what_the_api_expects() {
    let body = br#"{"status":true,"data":{"collaborator":{"id":"c","organization":"org-1","role":"user","tags":[],"detected":{},"createdBy":null,"createdAt":null,"updatedAt":null}}}"#;
    let answer = [
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        )
        .into_bytes(),
        body.to_vec(),
    ]
    .concat();
    let (base_url, server) = serve_once(answer).await;
    let created = client(&base_url)
        .create_oem_user(
            "org-1",
            NewOemUser::new("ada@example.com")
                .first_name("Ada")
                .tag("t"),
        )
        .await
        .expect("created");
    assert_eq!(created.id, "c");

    let request = server.await.unwrap();
    let (head, sent_body) = request.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    assert_eq!(
        lines.next(),
        Some("POST /v1/organizations/org-1/oem/users HTTP/1.1")
    );
    let mut names: Vec<String> = Vec::new();
    for line in lines {
        let (name, value) = line.split_once(':').unwrap();
        let name = name.to_ascii_lowercase();
        match name.as_str() {
            "authorization" => assert_eq!(value.trim(), "Bearer wire-test-key"),
            "content-type" | "accept" => assert_eq!(value.trim(), "application/json"),
            "user-agent" => assert!(value.trim().starts_with("applivery-rust/")),
            "host" | "content-length" => {}
            other => panic!("unexpected header {other}: it could fail a CORS preflight"),
        }
        names.push(name);
    }
    for required in ["authorization", "content-type", "accept"] {
        assert!(names.iter().any(|n| n == required), "{required} missing");
    }
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(sent_body).unwrap(),
        serde_json::json!({"email": "ada@example.com", "firstName": "Ada", "tags": ["t"]})
    );
}

#[tokio::test]
async fn a_chunked_answer_over_the_limit_is_refused_while_reading() {
    let chunk = vec![b' '; 64 * 1024];
    let mut answer = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n".to_vec();
    // 20 x 64 KiB = 1.25 MiB, over the 1 MiB limit, and no Content-Length to refuse up front.
    for _ in 0..20 {
        answer.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        answer.extend_from_slice(&chunk);
        answer.extend_from_slice(b"\r\n");
    }
    answer.extend_from_slice(b"0\r\n\r\n");
    let (base_url, server) = serve_once(answer).await;
    let error = client(&base_url)
        .create_oem_user("org-1", NewOemUser::new("ada@example.com"))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidResponse, "{error:?}");
    assert_eq!(error.status(), Some(200));
    assert!(error.message().contains("too large"), "{error}");
    server.abort();
}

#[tokio::test]
async fn a_redirect_is_reported_not_followed() {
    let answer = b"HTTP/1.1 307 Temporary Redirect\r\nlocation: http://127.0.0.1:1/elsewhere\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_vec();
    let (base_url, server) = serve_once(answer).await;
    let error = client(&base_url)
        .create_oem_user("org-1", NewOemUser::new("ada@example.com"))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(307), "{error:?}");
    assert_eq!(error.kind(), ErrorKind::InvalidResponse);
    server.await.unwrap();
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_converted_to_seconds() {
    for (date, expected) in [
        // Far future: capped at one day. Past: no wait. Neither depends on the clock's exact value.
        ("Fri, 01 Jan 2100 00:00:00 GMT", Duration::from_secs(86_400)),
        ("Thu, 01 Jan 1970 00:00:00 GMT", Duration::ZERO),
    ] {
        let body = br#"{"status":false,"error":{"code":429,"message":"slow down"}}"#;
        let answer = [
            format!(
                "HTTP/1.1 429 Too Many Requests\r\nretry-after: {date}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            )
            .into_bytes(),
            body.to_vec(),
        ]
        .concat();
        let (base_url, server) = serve_once(answer).await;
        let error = client(&base_url)
            .create_oem_user("org-1", NewOemUser::new("ada@example.com"))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::RateLimited);
        assert_eq!(error.retry_after(), Some(expected), "{date}");
        server.await.unwrap();
    }
}
