//! Email, name, tag and organization-id validation through the public entry points
//! (`NewOemUser::validate`, `validate_request`, `validate_organization_id`), whatever rules
//! they implement.
//!
//! Input: `ORG\nEMAIL\nFIRST\nLAST\nTAG\nTAG...`; a missing line means the field is absent.
#![no_main]

use applivery::{ErrorKind, NewOemUser};
use libfuzzer_sys::fuzz_target;

const FIELDS: [&str; 5] = ["organizationId", "email", "firstName", "lastName", "tags"];
/// Applivery's documented limits (not the crate's constants: a rule change must not move them).
const EMAIL_MAX_CHARS: usize = 256;
const NAME_MAX_CHARS: usize = 128;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let organization = lines.next().unwrap_or_default();
    let mut user = NewOemUser::new(lines.next().unwrap_or_default());
    if let Some(first) = lines.next() {
        user = user.first_name(first);
    }
    if let Some(last) = lines.next() {
        user = user.last_name(last);
    }
    user = user.tags(lines);

    let user_result = user.validate();
    let organization_result = applivery::validate_organization_id(organization);
    let request_result = applivery::validate_request(organization, &user);
    assert_eq!(
        request_result.is_ok(),
        user_result.is_ok() && organization_result.is_ok(),
        "validate_request disagrees with its parts"
    );
    for error in [&user_result, &organization_result, &request_result]
        .into_iter()
        .filter_map(|result| result.as_ref().err())
    {
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
        assert!(
            !error.field_errors().is_empty(),
            "an invalid input names no field"
        );
        for field in error.field_errors() {
            assert!(
                FIELDS.contains(&field.field),
                "unknown field {}",
                field.field
            );
            assert!(!field.message.is_empty());
        }
    }
    if request_result.is_ok() {
        // The documented limits hold for everything accepted.
        let wire = user.to_wire();
        assert!(wire.email.chars().count() <= EMAIL_MAX_CHARS);
        assert!(!organization.is_empty() && !organization.contains(['/', '?', '#', '%', ' ']));
        for name in [user.get_first_name(), user.get_last_name()]
            .into_iter()
            .flatten()
        {
            assert!(name.chars().count() <= NAME_MAX_CHARS);
        }
        // What is accepted is sent as it was given.
        assert_eq!(wire.first_name.as_deref(), user.get_first_name());
        assert_eq!(wire.tags, user.get_tags());
    }
});
