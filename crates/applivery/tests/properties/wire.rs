//! Decoding never panics, and decoding what encoding produced gives the value back: the
//! generated wire types (applivery-api) and the facade's `Collaborator` through `classify`.

use applivery::{ErrorKind, REDACTED};
use applivery_api::types::{
    Collaborator, CreateOemUserData, CreateOemUserResponse, ErrorDetail, ErrorResponse, NewOemUser,
    OemUser,
};
use proptest::prelude::*;
use serde_json::{Map, Value};

/// Known collaborator keys: the free-form `extra` never holds them (decoding puts them in fields).
const COLLABORATOR_KEYS: &[&str] = &[
    "id",
    "organization",
    "role",
    "tags",
    "user",
    "detected",
    "createdBy",
    "createdAt",
    "updatedAt",
];

fn text() -> impl Strategy<Value = String> {
    prop_oneof!["[a-zA-Z0-9 ._-]{0,24}", ".{0,24}", Just(String::new())]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON numbers are finite", |f| f.is_finite())
            .prop_map(Value::from),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(text(), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn json_map(reserved: &'static [&'static str]) -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::btree_map(text(), json_value(), 0..4).prop_map(move |m| {
        m.into_iter()
            .filter(|(k, _)| !reserved.contains(&k.as_str()))
            .collect()
    })
}

fn oem_user() -> impl Strategy<Value = OemUser> {
    (
        prop::option::of(text()),
        prop::option::of(text()),
        prop::option::of(text()),
        prop::option::of(text()),
        prop::option::of(text()),
        prop::option::of(text()),
        prop::option::of(prop_oneof![
            any::<bool>().prop_map(Value::Bool),
            text().prop_map(Value::String),
            any::<i32>().prop_map(Value::from),
        ]),
    )
        .prop_map(
            |(email, first_name, id, last_name, picture, role, sso_user)| OemUser {
                email,
                first_name,
                id,
                last_name,
                picture,
                role,
                sso_user,
            },
        )
}

fn collaborator() -> impl Strategy<Value = Collaborator> {
    (
        (text(), text(), text(), prop::collection::vec(text(), 0..4)),
        (prop::option::of(oem_user()), json_map(&[])),
        (
            prop::option::of(text()),
            prop::option::of(text()),
            prop::option::of(text()),
        ),
        json_map(COLLABORATOR_KEYS),
    )
        .prop_map(
            |(
                (id, organization, role, tags),
                (user, detected),
                (created_by, created_at, updated_at),
                extra,
            )| {
                let mut collaborator = Collaborator::blank();
                collaborator.created_at = created_at;
                collaborator.created_by = created_by;
                collaborator.detected = detected;
                collaborator.id = id;
                collaborator.organization = organization;
                collaborator.role = role;
                collaborator.tags = tags;
                collaborator.updated_at = updated_at;
                collaborator.user = user;
                collaborator.extra = extra;
                collaborator
            },
        )
}

fn round_trips<T>(value: &T) -> Result<(), TestCaseError>
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let encoded = serde_json::to_vec(value).expect("encoding never fails");
    let decoded: T = serde_json::from_slice(&encoded)
        .map_err(|e| TestCaseError::fail(format!("{e}: {}", String::from_utf8_lossy(&encoded))))?;
    prop_assert_eq!(&decoded, value);
    Ok(())
}

proptest! {
    #[test]
    fn wire_types_round_trip(
        collaborator in collaborator(),
        status in any::<bool>(),
        code in prop::option::of(any::<i64>()),
        message in prop::option::of(text()),
        email in text(),
        names in (prop::option::of(text()), prop::option::of(text())),
        tags in prop::collection::vec(text(), 0..4),
    ) {
        round_trips(&collaborator)?;
        round_trips(&CreateOemUserResponse { data: CreateOemUserData { collaborator, oem_secret: None }, status })?;
        round_trips(&ErrorResponse { error: Some(ErrorDetail { code, message }), status: Some(status) })?;
        round_trips(&NewOemUser { email, first_name: names.0, last_name: names.1, tags })?;
    }

    /// What the facade hands back is the wire collaborator, `oemSecret` redacted.
    #[test]
    fn the_facade_collaborator_is_the_wire_one_with_the_secret_redacted(
        wire in collaborator(),
        secret in prop::option::of("[A-Za-z0-9]{16,40}"),
    ) {
        let mut wire = wire;
        if let Some(secret) = &secret {
            wire.extra.insert("oemSecret".into(), Value::String(secret.clone()));
        }
        let body = serde_json::to_vec(&CreateOemUserResponse {
            data: CreateOemUserData { collaborator: wire.clone(), oem_secret: None },
            status: true,
        }).unwrap();
        let facade = applivery::sans_io::classify(200, None, &body).expect("a success envelope");
        prop_assert_eq!(facade.oem_secret.as_ref().map(|s| s.expose()), secret.as_deref());
        let mut expected = serde_json::to_value(&wire).unwrap();
        // The facade always writes these keys (`null` when absent); the wire type may omit them.
        for key in ["createdAt", "createdBy", "updatedAt"] {
            expected.as_object_mut().unwrap().entry(key).or_insert(Value::Null);
        }
        if secret.is_some() {
            expected["oemSecret"] = Value::String(REDACTED.into());
        }
        prop_assert_eq!(serde_json::to_value(&facade).unwrap(), expected);
        if let Some(secret) = &secret {
            let shown = format!("{facade:?} {}", serde_json::to_string(&facade).unwrap());
            prop_assert!(!shown.contains(secret.as_str()), "{}", shown);
        }
    }

    /// Any bytes, and valid answers cut or altered anywhere: classification never panics, and a
    /// 2xx answer is a collaborator or `InvalidResponse`.
    #[test]
    fn decoding_never_panics(
        wire in collaborator(),
        bytes in prop::collection::vec(any::<u8>(), 0..256),
        cut in any::<prop::sample::Index>(),
        flip in any::<(prop::sample::Index, u8)>(),
        status in prop_oneof![200..=299u16, any::<u16>()],
    ) {
        let body = serde_json::to_vec(&CreateOemUserResponse {
            data: CreateOemUserData { collaborator: wire, oem_secret: None },
            status: true,
        }).unwrap();
        let mut flipped = body.clone();
        let at = flip.0.index(flipped.len());
        flipped[at] ^= flip.1;
        for candidate in [&bytes[..], &body[..cut.index(body.len())], &flipped[..]] {
            match applivery::sans_io::classify(status, None, candidate) {
                Ok(_) => prop_assert!((200..300).contains(&status)),
                Err(error) if (200..300).contains(&status) => {
                    prop_assert_eq!(error.kind(), ErrorKind::InvalidResponse)
                }
                Err(error) => prop_assert_eq!(error.status(), Some(status)),
            }
            let _ = serde_json::from_slice::<CreateOemUserResponse>(candidate);
            let _ = serde_json::from_slice::<ErrorResponse>(candidate);
        }
    }
}
