//! A hostile server (tests/support of applivery-api, shared with the CLI's and the npm
//! package's tests): an undecodable 2xx body holding an OEM secret leaves no part of it in the
//! error (its shape is described instead), whatever the call.

#[path = "../../applivery-api/tests/support/hostile_server.rs"]
mod hostile_server;

use std::time::Duration;

use applivery::{Client, Error, ErrorKind, NewOemUser, RetryPolicy};
use hostile_server::HostileServer;

fn client(server: &HostileServer) -> Client {
    Client::builder()
        .api_key("hostile-test-key")
        .base_url(server.base_url.as_str())
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(5))
        .build()
        .expect("the client builds")
}

/// Every text an error can be shown as.
fn texts(error: &Error) -> String {
    format!(
        "{error}\n{error:?}\n{}\n{:?}",
        serde_json::to_string(error).unwrap(),
        error.body_snippet()
    )
}

fn assert_no_secret(error: &Error) {
    let secret = hostile_server::secret();
    let texts = texts(error);
    assert!(
        !texts.contains(&secret),
        "the OEM secret is in the error: {texts}"
    );
    // Not even a part of it (a cut snippet).
    assert!(
        !texts.contains("SECRET-"),
        "part of the OEM secret is in the error: {texts}"
    );
    assert!(
        !texts.contains("oemSecret"),
        "the body is quoted in the error: {texts}"
    );
}

#[tokio::test]
async fn an_undecodable_success_body_is_described_not_quoted() {
    for (answer, shape) in [
        (
            "undecodable_secret",
            "integer, expected struct Collaborator",
        ),
        (
            "undecodable_secret_string",
            "string, expected struct Collaborator",
        ),
        ("not_json_secret", "not JSON"),
    ] {
        let server = HostileServer::start(answer);
        let client = client(&server);
        let error = client
            .create_oem_user("org-1", NewOemUser::new("ada@example.com"))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidResponse, "{error:?}");
        assert_eq!(error.status(), Some(200));
        assert_no_secret(&error);
        assert!(error.message().contains(shape), "{answer}: {error}");

        let error = client
            .refresh_oem_user_secret("org-1", "user-1")
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidResponse, "{error:?}");
        assert_no_secret(&error);

        let error = client
            .list_collaborators("org-1")
            .page(1)
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidResponse, "{error:?}");
        assert_no_secret(&error);
    }
}

#[test]
fn classify_describes_the_shape_of_a_2xx_body() {
    let secret = hostile_server::secret();
    let (status, body) = hostile_server::answer("undecodable_secret");
    let error = applivery::sans_io::classify(status, None, &body).unwrap_err();
    assert!(!texts(&error).contains(&secret), "{}", texts(&error));
    assert_eq!(error.body_snippet(), None);
    // A non-2xx body that is not an error envelope keeps its snippet (no secret there).
    let error = applivery::sans_io::classify(401, None, b"<html>bad gateway</html>").unwrap_err();
    assert_eq!(error.body_snippet(), Some("<html>bad gateway</html>"));
}
