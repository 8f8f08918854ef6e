//! One data line of an import file, before validation.

use applivery_api::shape::Shape;
use applivery_api::types::NewOemUser;

/// One row: its line and the request body it names, every property the spec gives
/// `NewOemUser` (read by name through the generated `NewOemUser::FIELDS`). Text values are
/// trimmed; empty optional ones are unset.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Line of the file the row starts on (1-based, the header is line 1 in a CSV file).
    pub line: u64,
    /// The request body; its email may be empty or malformed: validation decides.
    pub user: NewOemUser,
}

impl Row {
    /// A stable 64-bit fingerprint of the row's content (FNV-1a), so that a journal entry is only
    /// trusted for the very same row: a file edited between two runs is not mis-resumed.
    ///
    /// Stable across builds and platforms on purpose (std's hashers are not).
    pub fn fingerprint(&self) -> u64 {
        const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
        const PRIME: u64 = 0x0000_0100_0000_01b3;
        let mut hash = OFFSET;
        let mut feed = |bytes: &[u8]| {
            for &byte in bytes {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(PRIME);
            }
        };
        // Every property in the spec's order. Separators that cannot occur in the trimmed text
        // fields keep field boundaries apart: `\x1e` before each text but the first (`\x00` when
        // unset), `\x1f` before each item of a list. A property added to the spec changes the
        // fingerprints, so a journal of an older release is refused as for an edited file.
        for (index, field) in NewOemUser::FIELDS.iter().enumerate() {
            match field.shape {
                Shape::TextList => {
                    for item in self.user.items(field.name) {
                        feed(b"\x1f");
                        feed(item.as_bytes());
                    }
                }
                _ => {
                    if index > 0 {
                        feed(b"\x1e");
                    }
                    feed(self.user.text(field.name).unwrap_or("\x00").as_bytes());
                }
            }
        }
        hash
    }
}

/// What the reader found on one data line.
#[derive(Clone, Debug, PartialEq)]
pub enum Record {
    /// A row with the expected shape (its values are validated later).
    Row(Row),
    /// A line that cannot be a row at all (wrong number of CSV fields, not a JSON object, a field
    /// of the wrong JSON type).
    Invalid {
        /// Line of the file.
        line: u64,
        /// The email, when one could be read, for the results file.
        email: Option<String>,
        /// What is wrong.
        message: String,
    },
}

impl Record {
    /// The line this record starts on.
    pub fn line(&self) -> u64 {
        match self {
            Record::Row(row) => row.line,
            Record::Invalid { line, .. } => *line,
        }
    }
}

/// Trims a field; an empty one becomes `None`.
pub(super) fn optional(field: &str) -> Option<String> {
    let field = field.trim();
    (!field.is_empty()).then(|| field.to_owned())
}

/// Splits a CSV cell of a list property (`tags`) on `;`, trimming and dropping empty items.
pub(super) fn split_items(cell: &str) -> impl Iterator<Item = String> + '_ {
    cell.split(';')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}
