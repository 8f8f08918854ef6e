//! Validation agrees with the spec's rules (the oracle in `spec_rules.rs`), on inputs generated
//! from the spec's constraints: valid by construction, one rule broken, and near misses.

use applivery::{NewOemUser, validate_request};
use proptest::prelude::*;

use crate::spec_rules::{self, EMAIL_MAX_CHARS, NAME_MAX_CHARS};

/// An email the documented pattern accepts (any length; callers bound it).
fn pattern_email() -> impl Strategy<Value = String> {
    (
        "[A-Za-z0-9_'+.-]{0,70}",
        "[A-Za-z0-9_+-]",
        prop::collection::vec("[A-Za-z0-9][A-Za-z0-9-]{0,20}", 1..4),
        "[A-Za-z]{2,8}",
    )
        .prop_map(|(head, last, labels, tld)| {
            let mut head = head.trim_start_matches('.').to_owned();
            while head.contains("..") {
                head = head.replace("..", ".");
            }
            format!("{head}{last}@{}.{tld}", labels.join("."))
        })
}

/// A documented-valid email, padded towards the 256-character limit half of the time.
fn spec_email() -> impl Strategy<Value = String> {
    (pattern_email(), prop::option::of(0..=EMAIL_MAX_CHARS)).prop_map(
        |(email, pad_to)| match pad_to {
            Some(target) if target > email.len() => {
                format!("{}{email}", "x".repeat(target - email.len()))
            }
            _ => email,
        },
    )
}

fn spec_organization() -> impl Strategy<Value = String> {
    prop_oneof!["[a-f0-9]{24}", "[A-F0-9]{24}", "[a-zA-Z0-9-]{3,64}"]
}

/// 1 to 128 characters of any printable text, not blank.
fn spec_name() -> impl Strategy<Value = String> {
    "[^\\p{Cc}]{1,128}".prop_filter("not blank", |n| !n.trim().is_empty())
}

fn spec_tags() -> impl Strategy<Value = Vec<String>> {
    prop::collection::btree_set("[a-z0-9][a-z0-9 -]{0,30}", 0..10)
        .prop_map(|tags| tags.into_iter().collect())
}

fn user(email: &str, first: Option<&str>, last: Option<&str>, tags: &[String]) -> NewOemUser {
    let mut user = NewOemUser::new(email).tags(tags.iter().cloned());
    if let Some(first) = first {
        user = user.first_name(first);
    }
    if let Some(last) = last {
        user = user.last_name(last);
    }
    user
}

fn failing_fields(organization: &str, user: &NewOemUser) -> Vec<&'static str> {
    match validate_request(organization, user) {
        Ok(()) => Vec::new(),
        Err(error) => {
            let mut fields: Vec<_> = error.field_errors().iter().map(|e| e.field).collect();
            fields.dedup();
            fields
        }
    }
}

proptest! {
    #[test]
    fn what_the_spec_allows_is_accepted(
        organization in spec_organization(),
        email in spec_email().prop_filter("<= 256", |e| e.chars().count() <= EMAIL_MAX_CHARS),
        first in prop::option::of(spec_name()),
        last in prop::option::of(spec_name()),
        tags in spec_tags(),
    ) {
        prop_assert!(spec_rules::email_ok(&email), "generator bug: {email}");
        let user = user(&email, first.as_deref(), last.as_deref(), &tags);
        prop_assert_eq!(failing_fields(&organization, &user), Vec::<&str>::new());
    }

    #[test]
    fn each_broken_rule_is_reported_on_its_field(
        organization in spec_organization(),
        email in spec_email().prop_filter("<= 256", |e| e.chars().count() <= EMAIL_MAX_CHARS),
        name in spec_name(),
        breakage in 0..7usize,
        at in any::<prop::sample::Index>(),
    ) {
        let (mut organization, mut email, mut first) = (organization, email, Some(name));
        let field = match breakage {
            0 => { email = format!("{}{email}", "a".repeat(EMAIL_MAX_CHARS + 1 - email.chars().count())); "email" }
            1 => { email.insert(at.index(email.len().min(email.find('@').unwrap())), ' '); "email" }
            2 => { email = email.replacen('@', "", 1); "email" }
            3 => { email.push('1'); "email" } // the top-level domain must be letters
            4 => { first = Some("é".repeat(NAME_MAX_CHARS + 1)); "firstName" }
            5 => { organization.truncate(at.index(3)); "organizationId" }
            _ => { organization.insert(at.index(organization.len()), '/'); "organizationId" }
        };
        let user = user(&email, first.as_deref(), None, &[]);
        prop_assert_eq!(failing_fields(&organization, &user), vec![field]);
    }

    #[test]
    fn email_validation_agrees_with_the_oracle(
        email in prop_oneof![
            spec_email(),
            "[A-Za-z0-9@._'+!# -]{0,40}",
            (spec_email(), "[@. '!é-]", any::<prop::sample::Index>()).prop_map(|(e, c, at)| {
                let mut e = e;
                let at = e.char_indices().nth(at.index(e.chars().count())).map_or(e.len(), |(i, _)| i);
                e.insert_str(at, &c);
                e
            }),
        ],
    ) {
        let accepted = NewOemUser::new(email.clone()).validate().is_ok();
        prop_assert_eq!(accepted, spec_rules::email_ok(&email), "email {:?}", email);
    }

    #[test]
    fn name_and_tag_validation_agree_with_the_oracle(
        name in prop_oneof!["\\PC{0,140}", ".{0,140}", " {0,3}"],
        tags in prop::collection::vec(prop_oneof!["[a-z]{0,3}", ".{0,70}"], 0..55),
    ) {
        let first = NewOemUser::new("a@example.com").first_name(name.clone()).validate().is_ok();
        prop_assert_eq!(first, spec_rules::name_ok(&name), "name {:?}", name);
        let last = NewOemUser::new("a@example.com").last_name(name.clone()).validate().is_ok();
        prop_assert_eq!(last, first);
        let tagged = NewOemUser::new("a@example.com").tags(tags.clone()).validate().is_ok();
        prop_assert_eq!(tagged, spec_rules::tags_ok(&tags), "tags {:?}", tags);
    }

    #[test]
    fn organization_validation_agrees_with_the_oracle(
        id in prop_oneof![spec_organization(), "[A-Za-z0-9_./ -]{0,70}", "[a-f0-9]{22,26}"],
    ) {
        let accepted = applivery::validate_organization_id(&id).is_ok();
        prop_assert_eq!(accepted, spec_rules::organization_id_ok(&id), "id {:?}", id);
    }
}
