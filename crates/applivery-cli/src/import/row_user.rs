//! From a file row to the facade's validated request.

use applivery::NewOemUser;

use crate::input::Row;

/// The request for a row.
pub fn to_user(row: &Row) -> NewOemUser {
    let mut user = NewOemUser::new(row.email.clone()).tags(row.tags.iter().cloned());
    if let Some(first_name) = &row.first_name {
        user = user.first_name(first_name.clone());
    }
    if let Some(last_name) = &row.last_name {
        user = user.last_name(last_name.clone());
    }
    user
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
