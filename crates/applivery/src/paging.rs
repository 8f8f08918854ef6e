//! Which page follows, from an answer's paging fields: shared by the facade's collaborator
//! stream and the npm package's async iterator.

/// The number of the page after `requested` (from 1), or `None` at the end of the list.
///
/// `hasNextPage` decides, else `totalPages`; `nextPage` names the page, else `requested + 1`.
/// An empty page ends the list, and so does a server naming a page at or before `requested`
/// (it would loop).
pub fn next_page(
    requested: u64,
    items: usize,
    has_next_page: Option<bool>,
    next_page: Option<i64>,
    total_pages: Option<i64>,
) -> Option<u64> {
    let more = match has_next_page {
        Some(more) => more,
        None => total_pages.is_some_and(|total| requested < u64::try_from(total).unwrap_or(0)),
    };
    if !more || items == 0 {
        return None;
    }
    let next = next_page
        .and_then(|next| u64::try_from(next).ok())
        .unwrap_or(requested + 1);
    (next > requested).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::next_page;

    #[test]
    fn follows_the_paging_fields_and_never_loops() {
        assert_eq!(next_page(1, 10, Some(true), Some(2), Some(3)), Some(2));
        assert_eq!(next_page(1, 10, Some(true), None, None), Some(2));
        assert_eq!(next_page(3, 10, Some(false), None, Some(3)), None);
        assert_eq!(next_page(2, 10, None, None, Some(3)), Some(3));
        assert_eq!(next_page(3, 10, None, None, Some(3)), None);
        assert_eq!(
            next_page(1, 0, Some(true), Some(2), None),
            None,
            "an empty page ends it"
        );
        assert_eq!(next_page(4, 10, Some(true), Some(4), None), None, "no loop");
        assert_eq!(next_page(4, 10, Some(true), Some(-1), None), Some(5));
    }
}
