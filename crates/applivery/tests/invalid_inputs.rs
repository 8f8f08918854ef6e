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
        // organization id: empty, too long, and anything that could alter the request path
        ("".into(), ok(), "organizationId"),
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
        (long(65), ok(), "organizationId"),
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
        (
            DEFAULT_ORG.into(),
            user(&format!("{}@example.com", long(65))),
            "email",
        ),
        (
            DEFAULT_ORG.into(),
            user(&format!("a@{}.com", vec![long(60); 5].join("."))),
            "email",
        ),
        // names
        (DEFAULT_ORG.into(), ok().first_name(""), "firstName"),
        (DEFAULT_ORG.into(), ok().first_name("   "), "firstName"),
        (DEFAULT_ORG.into(), ok().first_name(long(129)), "firstName"),
        (DEFAULT_ORG.into(), ok().first_name("Ada\u{7}"), "firstName"),
        (DEFAULT_ORG.into(), ok().last_name(""), "lastName"),
        (DEFAULT_ORG.into(), ok().last_name(long(129)), "lastName"),
        (DEFAULT_ORG.into(), ok().last_name("Love\nlace"), "lastName"),
        // tags
        (DEFAULT_ORG.into(), ok().tag(""), "tags"),
        (DEFAULT_ORG.into(), ok().tag("  "), "tags"),
        (DEFAULT_ORG.into(), ok().tag(long(65)), "tags"),
        (DEFAULT_ORG.into(), ok().tag("a\tb"), "tags"),
        (DEFAULT_ORG.into(), ok().tags(["dup", "dup"]), "tags"),
        (
            DEFAULT_ORG.into(),
            ok().tags((0..51).map(|i| format!("t{i}"))),
            "tags",
        ),
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
                .first_name("")
                .last_name("\u{1b}[31m")
                .tags(["", "x"]),
        )
        .await
        .unwrap_err();
    let fields: Vec<_> = error.field_errors().iter().map(|e| e.field).collect();
    assert_eq!(
        fields,
        ["organizationId", "email", "firstName", "lastName", "tags"]
    );
    assert_eq!(mock.request_count(), 0);
}

#[tokio::test]
async fn boundary_values_are_accepted() {
    let mock = mock().await;
    let local = "a".repeat(64);
    let user = NewOemUser::new(format!("{local}@example.com"))
        .first_name("n".repeat(128))
        .last_name("Ñandú-O'Brien")
        .tags((0..50).map(|i| format!("{i:0>64}")));
    client(&mock)
        .create_oem_user(DEFAULT_ORG, user)
        .await
        .expect("limits are inclusive");
    assert_eq!(mock.request_count(), 1);
}
