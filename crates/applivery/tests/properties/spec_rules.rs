//! THE ORACLE: what a create request must satisfy, written from Applivery's documentation
//! (`/work/shared/reference/applivery-api.md`, "Create OEM-provisioned user") plus the limits
//! the facade documents on top. The validation properties compare the facade against these
//! functions only: when the rules change, change them here.

/// Documented: `email` at most 256 characters.
pub const EMAIL_MAX_CHARS: usize = 256;
/// Documented: `firstName` and `lastName` at most 128 characters each.
pub const NAME_MAX_CHARS: usize = 128;
/// The facade's own limits on tags (Applivery documents none).
pub const TAGS_MAX: usize = 50;
pub const TAG_MAX_CHARS: usize = 64;

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

/// Documented pattern `^(([a-fA-F0-9]{24})|([a-zA-Z0-9\-]{3,}))$`, and at most 64 characters
/// (the facade's bound; none is documented).
pub fn organization_id_ok(id: &str) -> bool {
    (3..=64).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// Documented: at most 128 characters. The facade also refuses blank names and control
/// characters.
pub fn name_ok(name: &str) -> bool {
    !name.trim().is_empty()
        && name.chars().count() <= NAME_MAX_CHARS
        && !name.chars().any(char::is_control)
}

/// The facade's tag rules: at most 50 tags, each non-blank, at most 64 characters, without
/// control characters, no duplicates.
pub fn tags_ok(tags: &[String]) -> bool {
    tags.len() <= TAGS_MAX
        && tags.iter().enumerate().all(|(i, tag)| {
            !tag.trim().is_empty()
                && tag.chars().count() <= TAG_MAX_CHARS
                && !tag.chars().any(char::is_control)
                && !tags[..i].contains(tag)
        })
}
