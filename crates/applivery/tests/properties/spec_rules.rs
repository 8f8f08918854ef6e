//! THE ORACLE: what a create request must satisfy, written from Applivery's documentation
//! (`/work/shared/reference/applivery-api.md`, "Create OEM-provisioned user") and nothing
//! else. The validation properties compare the facade against these
//! functions only: when the rules change, change them here.

/// Documented: `email` at most 256 characters.
pub const EMAIL_MAX_CHARS: usize = 256;
/// Documented: `firstName` and `lastName` at most 128 characters each.
pub const NAME_MAX_CHARS: usize = 128;
/// Documented pattern, matched by hand:
/// `^(?!\.)(?!.*\.\.)([A-Za-z0-9_'+\-\.]*)[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$`
/// and at most 256 characters.
pub fn email_ok(email: &str) -> bool {
    if email.chars().count() > EMAIL_MAX_CHARS || email.starts_with('.') || email.contains("..") {
        return false;
    }
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let local_ok = local
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_'+-.".contains(c))
        && local
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric() || "_+-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let (tld, subdomains) = labels.split_last().expect("split gives one piece at least");
    let domain_ok = !subdomains.is_empty()
        && subdomains.iter().all(|label| {
            label.starts_with(|c: char| c.is_ascii_alphanumeric())
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && tld.len() >= 2
        && tld.chars().all(|c| c.is_ascii_alphabetic());
    local_ok && domain_ok
}

/// Documented pattern `^(([a-fA-F0-9]{24})|([a-zA-Z0-9\-]{3,}))$`: no upper bound.
pub fn organization_id_ok(id: &str) -> bool {
    id.len() >= 3 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// Documented: at most 128 characters, nothing else.
pub fn name_ok(name: &str) -> bool {
    name.chars().count() <= NAME_MAX_CHARS
}

/// No rule on tags is documented: any array of strings.
pub fn tags_ok(_tags: &[String]) -> bool {
    true
}
