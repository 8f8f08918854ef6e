//! The filters and paging of a collaborators list, checked against the spec and written as a
//! request path: shared by the facade's [`crate::ListCollaborators`] and the npm package.

use crate::error::Error;
use crate::validate::field_errors;

/// Collaborators per page when none is set.
pub const DEFAULT_PAGE_SIZE: u32 = 100;

/// What to list: the documented query parameters of `GET .../collaborators/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListQuery {
    /// `limit`: collaborators per page (the server may cap it).
    pub page_size: u32,
    /// `sort`: `field`, `field:asc` or `field:desc`.
    pub sort: Option<String>,
    /// `role`: one of the documented collaborator roles.
    pub role: Option<String>,
    /// `email`.
    pub email: Option<String>,
    /// `tags`, each sent as its own `tags=` parameter.
    pub tags: Vec<String>,
    /// `onlyUsers`.
    pub only_users: Option<bool>,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            page_size: DEFAULT_PAGE_SIZE,
            sort: None,
            role: None,
            email: None,
            tags: Vec::new(),
            only_users: None,
        }
    }
}

impl ListQuery {
    /// `{organization_id}/collaborators/?page=..&limit=..&...` (after `/v1/organizations/`), or
    /// every problem of the organization id and the filters by the spec's generated rules.
    pub fn path(&self, organization_id: &str, page: u64) -> Result<String, Error> {
        use applivery_api::validation::{
            email_problems, organization_id_problems, role_problems, sort_problems,
        };
        let mut problems = organization_id_problems(organization_id);
        problems.extend(self.sort.as_deref().map(sort_problems).unwrap_or_default());
        problems.extend(self.role.as_deref().map(role_problems).unwrap_or_default());
        problems.extend(
            self.email
                .as_deref()
                .map(email_problems)
                .unwrap_or_default(),
        );
        if !problems.is_empty() {
            return Err(Error::invalid_input(field_errors(problems)));
        }
        let mut path = String::with_capacity(organization_id.len() + 64);
        path.push_str(organization_id);
        path.push_str("/collaborators/?page=");
        push_decimal(&mut path, page);
        path.push_str("&limit=");
        push_decimal(&mut path, u64::from(self.page_size.max(1)));
        let mut add = |name: &str, value: &str| {
            path.push('&');
            path.push_str(name);
            path.push('=');
            path.push_str(&encode(value));
        };
        for (name, value) in [
            ("sort", &self.sort),
            ("role", &self.role),
            ("email", &self.email),
        ] {
            if let Some(value) = value {
                add(name, value);
            }
        }
        for tag in &self.tags {
            add("tags", tag);
        }
        if let Some(only_users) = self.only_users {
            add("onlyUsers", if only_users { "true" } else { "false" });
        }
        Ok(path)
    }
}

/// Appends `n` in decimal. Written out: `to_string` would link core's formatting machinery into
/// the npm package's wasm, which otherwise has none on this path.
fn push_decimal(out: &mut String, n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &digit in &digits[at..] {
        out.push(char::from(digit));
    }
}

/// `text` percent-encoded for a path segment or a query value: everything but RFC 3986's
/// unreserved characters.
pub fn encode(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 15)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_every_filter_encoded_and_refuses_bad_ones() {
        let query = ListQuery {
            page_size: 50,
            sort: Some("user.email:desc".into()),
            role: Some("viewer".into()),
            email: Some("a+b@x.co".into()),
            tags: vec!["a b".into(), "c&d".into()],
            only_users: Some(true),
        };
        assert_eq!(
            query.path("org-1", 3).unwrap(),
            "org-1/collaborators/?page=3&limit=50&sort=user.email%3Adesc&role=viewer\
             &email=a%2Bb%40x.co&tags=a%20b&tags=c%26d&onlyUsers=true"
        );
        let bad = ListQuery {
            sort: Some("x:up".into()),
            role: Some("boss".into()),
            ..ListQuery::default()
        };
        let fields: Vec<_> = bad
            .path("a/b", 1)
            .unwrap_err()
            .field_errors()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["organizationId", "sort", "role"]);
    }
}
