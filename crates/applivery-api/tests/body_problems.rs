//! `validation::body_problems`: a request body checked by the schema's name, as a server that
//! routes by the operation table checks an operation it does not model.

use applivery_api::validation::body_problems;

#[test]
fn a_body_is_checked_by_its_schema_name() {
    let ok = body_problems("NewOemUser", br#"{"email":"ada@example.com","tags":["x"]}"#);
    assert_eq!(ok, Some(Ok(Vec::new())));
    let broken = body_problems("NewOemUser", br#"{"email":"no-at-sign"}"#)
        .unwrap()
        .unwrap();
    assert_eq!(broken[0].field, "email");
    let wrong_shape = body_problems("NewOemUser", br#"{"email":1}"#).unwrap();
    assert!(wrong_shape.is_err(), "{wrong_shape:?}");
    assert_eq!(
        body_problems("Collaborator", b"{}"),
        None,
        "not a request body"
    );
}
