//! Invalid input never reaches the server: each case names its field, and the mock sees nothing.

mod common;

use applivery::{ErrorKind, NewOemUser};
use common::*;

fn user(email: &str) -> NewOemUser {
    NewOemUser::new(email)
}

fn ok() -> NewOemUser {
    NewOemUser::new("valid@example.com")
}

#[tokio::test]
async fn every_invalid_input_gives_its_field_error_and_sends_nothing() {
    let long = |n: usize| "x".repeat(n);
    // (organization id, user, field expected among the errors)
    let cases: Vec<(String, NewOemUser, &str)> = vec![
        // organization id: empty, too short, `_`, and anything that could alter the request path
        ("".into(), ok(), "organizationId"),
        ("ab".into(), ok(), "organizationId"),
        ("demo_org".into(), ok(), "organizationId"),
        ("../x".into(), ok(), "organizationId"),
        ("..".into(), ok(), "organizationId"),
        ("a/b".into(), ok(), "organizationId"),
        ("a?b".into(), ok(), "organizationId"),
        ("a#b".into(), ok(), "organizationId"),
        ("a b".into(), ok(), "organizationId"),
        (" demo-org".into(), ok(), "organizationId"),
        ("demo%2Forg".into(), ok(), "organizationId"),
        ("demo\\org".into(), ok(), "organizationId"),
        ("démo".into(), ok(), "organizationId"),
        ("demo\norg".into(), ok(), "organizationId"),
        // email
        (DEFAULT_ORG.into(), user(""), "email"),
        (DEFAULT_ORG.into(), user("plainaddress"), "email"),
        (DEFAULT_ORG.into(), user("@example.com"), "email"),
        (DEFAULT_ORG.into(), user("user@"), "email"),
        (DEFAULT_ORG.into(), user("user@localhost"), "email"),
        (DEFAULT_ORG.into(), user("a@b@example.com"), "email"),
        (DEFAULT_ORG.into(), user("us er@example.com"), "email"),
        (DEFAULT_ORG.into(), user(" user@example.com"), "email"),
        (DEFAULT_ORG.into(), user("user@example.com\n"), "email"),
        (DEFAULT_ORG.into(), user("user\u{0}@example.com"), "email"),
        (DEFAULT_ORG.into(), user(".user@example.com"), "email"),
        (DEFAULT_ORG.into(), user("us..er@example.com"), "email"),
        (DEFAULT_ORG.into(), user("user@-example.com"), "email"),
        (DEFAULT_ORG.into(), user("user@example..com"), "email"),
        (DEFAULT_ORG.into(), user("user@exa_mple.com"), "email"),
        (DEFAULT_ORG.into(), user("user@1.2.3.4"), "email"),
        (DEFAULT_ORG.into(), user("<user@example.com>"), "email"),
        // what the documented pattern refuses and a looser check would take
        (DEFAULT_ORG.into(), user("josé@example.com"), "email"),
        (DEFAULT_ORG.into(), user("a@bücher.de"), "email"),
        (DEFAULT_ORG.into(), user("a@b.c"), "email"),
        (DEFAULT_ORG.into(), user("o'@example.com"), "email"),
        (DEFAULT_ORG.into(), user("a.@example.com"), "email"),
        (DEFAULT_ORG.into(), user("a@example.c0m"), "email"),
        (
            DEFAULT_ORG.into(),
            user(&format!("{}@example.com", long(245))),
            "email",
        ),
        (
            DEFAULT_ORG.into(),
            user(&format!("a@{}.com", vec![long(60); 5].join("."))),
            "email",
        ),
        // names: at most 128 characters, nothing else
        (DEFAULT_ORG.into(), ok().first_name(long(129)), "firstName"),
        (DEFAULT_ORG.into(), ok().last_name(long(129)), "lastName"),
    ];
    assert!(cases.len() >= 30);

    let mock = mock().await;
    let client = client(&mock);
    for (organization, user, field) in cases {
        let context = format!("org {organization:?}, user {user:?}");
        let error = client
            .create_oem_user(&organization, user)
            .await
            .expect_err(&context);
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{context}");
        assert!(
            error.field_errors().iter().any(|e| e.field == field),
            "{context}: expected a {field} error, got {:?}",
            error.field_errors()
        );
        assert_eq!(error.attempts(), 0, "{context}");
        assert!(!error.is_retryable());
    }
    assert_eq!(mock.request_count(), 0, "nothing reached the server");
    assert!(mock.users().is_empty());
}

#[tokio::test]
async fn all_problems_are_reported_together() {
    let mock = mock().await;
    let error = client(&mock)
        .create_oem_user(
            "a/b",
            NewOemUser::new("nope")
                .first_name("x".repeat(129))
                .last_name("y".repeat(129))
                .tags(["", "x", "x"]),
        )
        .await
        .unwrap_err();
    let fields: Vec<_> = error.field_errors().iter().map(|e| e.field).collect();
    assert_eq!(fields, ["organizationId", "email", "firstName", "lastName"]);
    assert_eq!(mock.request_count(), 0);
}

#[tokio::test]
async fn boundary_values_and_undocumented_limits_are_accepted() {
    let mock = mock().await;
    // 256 characters exactly, a long local part, a domain label ending in '-'.
    let email = format!(
        "{}@a-.example.com",
        "a".repeat(256 - "@a-.example.com".len())
    );
    assert_eq!(email.len(), 256);
    let users = [
        NewOemUser::new(email)
            .first_name("n".repeat(128))
            .last_name("Ñandú-O'Brien"),
        // Applivery documents no rule against blank or control-character names, nor any limit
        // on tags: the SDK sends them and leaves the verdict to the server.
        NewOemUser::new("o'neil+x@example.org")
            .first_name("")
            .last_name(" \u{7}")
            .tags(["dup", "dup", "", "  "])
            .tags((0..60).map(|i| format!("{i:0>100}"))),
        NewOemUser::new("a-b_c@1.io").tags(["a", "a"]),
    ];
    let client = client(&mock);
    for user in users {
        client
            .create_oem_user(DEFAULT_ORG, user.clone())
            .await
            .unwrap_or_else(|e| panic!("{user:?}: {e}"));
    }
    assert_eq!(mock.request_count(), 3);
    // Organization ids: 24-hex, slugs, and no upper bound on length.
    for organization in ["5f3a9c0e1b2c3d4e5f6a7b8c", "abc", "A-9", &"a".repeat(1000)] {
        assert!(
            applivery::validate_request(organization, &NewOemUser::new("a@example.com")).is_ok(),
            "{organization}"
        );
    }
}
