//! From a file row to the facade's validated request.

use applivery::NewOemUser;

use crate::input::Row;

/// The request for a row.
pub fn to_user(row: &Row) -> NewOemUser {
    NewOemUser::from(row.user.clone())
}

/// Why the facade refuses a row, on one line (`email: ...; tags: ...`), or `None` if valid.
pub fn invalid_reason(user: &NewOemUser) -> Option<String> {
    let error = user.validate().err()?;
    let fields = error.field_errors();
    Some(if fields.is_empty() {
        error.message().to_owned()
    } else {
        fields
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    })
}
