//! One data line of an import file, before validation.

/// The fields of one row, trimmed; empty optional fields are `None`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Row {
    /// Line of the file the row starts on (1-based, the header is line 1 in a CSV file).
    pub line: u64,
    /// The email; may be empty or malformed: validation decides.
    pub email: String,
    /// `firstName`.
    pub first_name: Option<String>,
    /// `lastName`.
    pub last_name: Option<String>,
    /// `tags`.
    pub tags: Vec<String>,
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
        // Separators that cannot occur in the trimmed text fields keep field boundaries apart.
        feed(self.email.as_bytes());
        feed(b"\x1e");
        feed(self.first_name.as_deref().unwrap_or("\x00").as_bytes());
        feed(b"\x1e");
        feed(self.last_name.as_deref().unwrap_or("\x00").as_bytes());
        for tag in &self.tags {
            feed(b"\x1f");
            feed(tag.as_bytes());
        }
        hash
    }
}

/// What the reader found on one data line.
#[derive(Clone, Debug, PartialEq, Eq)]
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

/// Splits a CSV `tags` cell on `;`, trimming and dropping empty tags.
pub(super) fn split_tags(cell: &str) -> Vec<String> {
    cell.split(';')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}
