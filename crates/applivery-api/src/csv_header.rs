//! Which request property each column of an import file's header names: the one rule the CLI's
//! import and the npm package (the admin page's CSV reader) share.
//!
//! A header cell names a property of [`NewOemUser`] (its generated [`NewOemUser::PROPERTIES`])
//! when the two are equal ignoring ASCII case, whitespace, `_`, `-` and a byte order mark:
//! `Email`, `First Name`, `first_name` and `FIRST-NAME` all name `firstName`. Other cells are
//! unknown columns (ignored, with a warning); a required property without a column, or a
//! property named twice, makes the header unusable.

use std::fmt;

use crate::types::NewOemUser;

/// The [`NewOemUser`] property a header cell names, if any (its wire name).
pub fn new_oem_user_property(cell: &str) -> Option<&'static str> {
    NewOemUser::PROPERTIES
        .iter()
        .copied()
        .find(|property| names(cell, property))
}

/// Whether `cell` names `property`: equal once case, whitespace, `_`, `-` and U+FEFF are left
/// out. Compares char by char without allocating (and without Unicode case tables, which the
/// wasm package would carry): the property names are ASCII.
fn names(cell: &str, property: &str) -> bool {
    let mut cell = cell
        .chars()
        .filter(|c| !(c.is_whitespace() || matches!(c, '_' | '-' | '\u{feff}')));
    let mut property = property.chars();
    loop {
        match (cell.next(), property.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if a.eq_ignore_ascii_case(&b) => {}
            _ => return false,
        }
    }
}

/// A usable header: the column of each property it names, and the cells it does not know.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HeaderColumns {
    /// `(property, column index)`, in the header's order.
    pub columns: Vec<(&'static str, usize)>,
    /// Non-empty cells naming no property (trimmed), in the header's order.
    pub unknown: Vec<String>,
}

impl HeaderColumns {
    /// The column index of `property`, if the header has it.
    pub fn index_of(&self, property: &str) -> Option<usize> {
        self.columns
            .iter()
            .find(|(named, _)| *named == property)
            .map(|&(_, index)| index)
    }
}

/// Why a header cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderError {
    /// A property the spec requires has no column.
    Missing {
        /// The property's wire name.
        property: &'static str,
    },
    /// Two cells name the same property.
    Duplicate {
        /// The property's wire name.
        property: &'static str,
    },
}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeaderError::Missing { property } => {
                write!(f, "the header has no `{property}` column")
            }
            HeaderError::Duplicate { property } => {
                write!(f, "the header names the column `{property}` twice")
            }
        }
    }
}

impl std::error::Error for HeaderError {}

/// Reads a header row of a [`NewOemUser`] import file.
pub fn read_header<'a>(
    cells: impl IntoIterator<Item = &'a str>,
) -> Result<HeaderColumns, HeaderError> {
    let mut header = HeaderColumns::default();
    for (index, cell) in cells.into_iter().enumerate() {
        match new_oem_user_property(cell) {
            Some(property) if header.index_of(property).is_some() => {
                return Err(HeaderError::Duplicate { property });
            }
            Some(property) => header.columns.push((property, index)),
            None => {
                let cell = cell.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
                if !cell.is_empty() {
                    header.unknown.push(cell.to_owned());
                }
            }
        }
    }
    match NewOemUser::REQUIRED
        .iter()
        .find(|required| header.index_of(required).is_none())
    {
        Some(&property) => Err(HeaderError::Missing { property }),
        None => Ok(header),
    }
}
