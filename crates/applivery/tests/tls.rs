//! HTTPS end to end: the facade over reqwest's rustls or native-tls (whichever the features
//! pick) against applivery-mock behind a TLS front,
//! with a test CA in tests/tls/ (made once with openssl, valid until 2126; the CA's own key was
//! not kept). A server the client does not trust is a typed `network` error, never a panic, and
//! nothing is created.

#![cfg(any(feature = "rustls", feature = "native-tls"))]

use std::sync::Arc;

use applivery::{Client, ErrorKind, NewOemUser, RetryPolicy};
use applivery_mock::{DEFAULT_API_KEY, DEFAULT_ORG, MockConfig, MockServer};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

const TEST_CA: &[u8] = include_bytes!("tls/ca.pem");
/// For `localhost` and 127.0.0.1, signed by the test CA.
const SERVER_CERT: &[u8] = include_bytes!("tls/server.pem");
const SERVER_KEY: &[u8] = include_bytes!("tls/server.key");

/// Terminates TLS on an ephemeral loopback port and relays each connection to `backend`
/// (`host:port`); returns the port.
async fn tls_front(backend: String) -> u16 {
    let certs = CertificateDer::pem_slice_iter(SERVER_CERT)
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_slice(SERVER_KEY).unwrap();
    let provider = Arc::new(tokio_rustls::rustls::crypto::aws_lc_rs::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (acceptor, backend) = (acceptor.clone(), backend.clone());
            tokio::spawn(async move {
                // A client that refuses the certificate just ends the handshake.
                let Ok(mut tls) = acceptor.accept(stream).await else {
                    return;
                };
                let Ok(mut plain) = TcpStream::connect(&backend).await else {
                    return;
                };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
            });
        }
    });
    port
}

async fn mock_behind_tls() -> (MockServer, String) {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    let backend = mock.base_url().trim_start_matches("http://").to_owned();
    let port = tls_front(backend).await;
    (mock, format!("https://localhost:{port}"))
}

#[tokio::test]
async fn creates_a_user_over_https_with_a_trusted_certificate() {
    let (mock, base_url) = mock_behind_tls().await;
    let http = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(TEST_CA).unwrap()])
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let client = Client::builder()
        .api_key(DEFAULT_API_KEY)
        .base_url(&base_url)
        .http_client(http)
        .build()
        .unwrap();
    let collaborator = client
        .create_oem_user(DEFAULT_ORG, NewOemUser::new("tls@example.com"))
        .await
        .unwrap();
    assert_eq!(
        collaborator.user.unwrap().email.as_deref(),
        Some("tls@example.com")
    );
    assert_eq!(mock.users().len(), 1);
}

#[tokio::test]
async fn an_untrusted_certificate_is_a_network_error_not_retried_and_nothing_is_sent() {
    let (mock, base_url) = mock_behind_tls().await;
    // The facade's own HTTP client: the platform's roots, which do not include the test CA.
    let client = Client::builder()
        .api_key(DEFAULT_API_KEY)
        .base_url(&base_url)
        .retry_policy(RetryPolicy::default())
        .build()
        .unwrap();
    let error = client
        .create_oem_user(DEFAULT_ORG, NewOemUser::new("tls@example.com"))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Network, "{error}");
    assert!(!error.is_retryable(), "{error}");
    assert_eq!(error.attempts(), 1, "a refused certificate is not retried");
    assert!(error.message().contains("certificate"), "{error}");
    assert!(!error.to_string().contains(DEFAULT_API_KEY), "{error}");
    assert_eq!(mock.request_count(), 0);
    assert!(mock.users().is_empty());
}
