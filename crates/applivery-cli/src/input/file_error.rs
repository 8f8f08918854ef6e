//! Problems with an import file as a whole: the import stops before anything is sent.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// Why an import file cannot be used at all.
#[derive(Debug)]
pub enum FileError {
    /// The file cannot be opened.
    Open {
        /// The path given.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// The file is empty (or holds only whitespace and a byte order mark).
    Empty,
    /// The CSV header has no `email` column.
    NoEmailColumn {
        /// The columns the header has.
        found: Vec<String>,
    },
    /// A CSV header names a column twice.
    DuplicateColumn {
        /// The column.
        name: String,
    },
    /// The file has a header (or only blank lines) but no data row.
    NoRows,
    /// Bytes that are not UTF-8 on this line.
    NotUtf8 {
        /// Line of the file.
        line: u64,
    },
    /// A line longer than [`super::MAX_LINE_BYTES`].
    LineTooLong {
        /// Line of the file.
        line: u64,
    },
    /// Reading failed.
    Read {
        /// Line being read.
        line: u64,
        /// Why.
        source: io::Error,
    },
}

impl FileError {
    /// A `map_err` adapter for read errors on `line`.
    pub(crate) fn read(line: u64) -> impl FnOnce(io::Error) -> FileError {
        move |source| FileError::Read { line, source }
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::Open { path, source } => {
                write!(f, "cannot open {}: {source}", path.display())
            }
            FileError::Empty => f.write_str("the file is empty"),
            FileError::NoEmailColumn { found } => write!(
                f,
                "line 1: the header has no `email` column (found: {}); the first line of a CSV \
                 file must name the columns: {}",
                if found.is_empty() {
                    "nothing".to_owned()
                } else {
                    found.join(", ")
                },
                applivery_api::types::NewOemUser::PROPERTIES.join(", ")
            ),
            FileError::DuplicateColumn { name } => {
                write!(f, "line 1: the header names the column `{name}` twice")
            }
            FileError::NoRows => f.write_str("the file has no data rows"),
            FileError::NotUtf8 { line } => write!(
                f,
                "line {line}: bytes that are not UTF-8; save the file as UTF-8 and try again"
            ),
            FileError::LineTooLong { line } => write!(
                f,
                "line {line}: longer than {} bytes; is this an import file?",
                super::MAX_LINE_BYTES
            ),
            FileError::Read { line, source } => write!(f, "line {line}: cannot read: {source}"),
        }
    }
}

impl std::error::Error for FileError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            FileError::Open { source, .. } | FileError::Read { source, .. } => Some(source),
            _ => None,
        }
    }
}
