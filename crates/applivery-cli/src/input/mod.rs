//! Streaming readers for import files: CSV with a header, or JSON Lines.
//!
//! Both yield one [`Record`] per data line, numbered as an editor shows the file, and hold at most
//! one row in memory. File-level problems (missing file, empty file, no `email` column, bytes that
//! are not UTF-8) are [`FileError`]s that stop the import before anything is sent; row-level
//! problems are [`Record::Invalid`] and the rest of the file is still read.

mod csv_rows;
mod file_error;
mod jsonl_rows;
mod line_tracker;
mod row;

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

pub use file_error::FileError;
pub use row::{Record, Row};

/// The import file formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Comma-separated values with a header line (`email` required).
    Csv,
    /// One JSON request body per line.
    Jsonl,
}

impl Format {
    /// The format named by the file's extension (`.jsonl`/`.ndjson`/`.json` are JSON Lines), or
    /// else guessed from the first byte: `{` means JSON Lines.
    fn detect(path: &Path, first_byte: Option<u8>) -> Format {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("csv" | "tsv" | "txt") => Format::Csv,
            Some("jsonl" | "ndjson" | "json") => Format::Jsonl,
            _ if first_byte == Some(b'{') => Format::Jsonl,
            _ => Format::Csv,
        }
    }
}

/// The UTF-8 byte order mark some spreadsheet exports put first; accepted and skipped.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Longest line accepted, so that a corrupt file cannot make the reader buffer without bound.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// A streaming reader of one import file.
pub struct RowReader {
    inner: Inner,
    format: Format,
}

enum Inner {
    Csv(Box<csv_rows::CsvRows>),
    Jsonl(jsonl_rows::JsonlRows),
}

impl RowReader {
    /// Opens `path`, skipping a UTF-8 BOM, and reads the CSV header if there is one.
    pub fn open(path: &Path, format: Option<Format>) -> Result<RowReader, FileError> {
        let file = File::open(path).map_err(|source| FileError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        let mut reader = BufReader::with_capacity(64 * 1024, file);
        let head = reader.fill_buf().map_err(FileError::read(1))?;
        if head.starts_with(BOM) {
            reader.consume(BOM.len());
        }
        let first_byte = skip_leading_blank_check(&mut reader)?;
        let Some(first_byte) = first_byte else {
            return Err(FileError::Empty);
        };
        let format = format.unwrap_or_else(|| Format::detect(path, Some(first_byte)));
        let inner = match format {
            Format::Csv => Inner::Csv(Box::new(csv_rows::CsvRows::new(reader)?)),
            Format::Jsonl => Inner::Jsonl(jsonl_rows::JsonlRows::new(reader)),
        };
        Ok(RowReader { inner, format })
    }

    /// The format being read.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Column (CSV) or key (JSON Lines) names that are not part of a row and are ignored.
    pub fn unknown_fields(&self) -> Vec<String> {
        match &self.inner {
            Inner::Csv(rows) => rows.unknown_columns(),
            Inner::Jsonl(rows) => rows.unknown_keys(),
        }
    }
}

impl Iterator for RowReader {
    type Item = Result<Record, FileError>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.inner {
            Inner::Csv(rows) => rows.next(),
            Inner::Jsonl(rows) => rows.next(),
        }
    }
}

/// The first byte that is not whitespace, without consuming anything; `None` for a file that
/// holds nothing but whitespace.
fn skip_leading_blank_check(reader: &mut BufReader<File>) -> Result<Option<u8>, FileError> {
    let buffer = reader.fill_buf().map_err(FileError::read(1))?;
    if let Some(byte) = buffer.iter().copied().find(|b| !b.is_ascii_whitespace()) {
        return Ok(Some(byte));
    }
    if buffer.is_empty() {
        return Ok(None);
    }
    // The whole first buffer is whitespace: only a pathological file gets here; read the rest
    // (whitespace runs are consumed, nothing is kept) to decide whether it is empty.
    loop {
        let buffer = reader.fill_buf().map_err(FileError::read(1))?;
        if buffer.is_empty() {
            return Ok(None);
        }
        if let Some(byte) = buffer.iter().copied().find(|b| !b.is_ascii_whitespace()) {
            return Ok(Some(byte));
        }
        let length = buffer.len();
        reader.consume(length);
    }
}

#[cfg(test)]
mod tests;
