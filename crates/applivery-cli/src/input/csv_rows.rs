//! CSV rows: a header naming the columns, then one row per record.

use std::fs::File;
use std::io::BufReader;

use applivery_api::csv_header::{HeaderError, read_header};
use applivery_api::shape::Shape;
use applivery_api::types::NewOemUser;

use super::line_tracker::{self, LineTracker};
use super::row::{optional, split_items};
use super::{FileError, MAX_LINE_BYTES, Record, Row};

/// Where each known column is in a record.
struct Columns {
    email: usize,
    /// (property of `NewOemUser::FIELDS`, its column), for the properties the header names.
    named: Vec<(&'static applivery_api::shape::Field, usize)>,
    count: usize,
    unknown: Vec<String>,
}

impl Columns {
    /// The header's columns by the rule the npm package shares
    /// ([`applivery_api::csv_header::read_header`]): case, spaces, `_` and `-` are ignored, so
    /// `First Name`, `first_name` and `firstName` all name `firstName`.
    fn from_header(cells: &[&str]) -> Result<Columns, FileError> {
        let no_email = || FileError::NoEmailColumn {
            found: cells.iter().map(|c| c.trim().to_owned()).collect(),
        };
        let header = read_header(cells.iter().copied()).map_err(|error| match error {
            // `email` is the only property the spec requires.
            HeaderError::Missing { .. } => no_email(),
            HeaderError::Duplicate { property } => FileError::DuplicateColumn {
                name: property.to_owned(),
            },
        })?;
        let email = header.index_of("email").ok_or_else(no_email)?;
        Ok(Columns {
            email,
            named: NewOemUser::FIELDS
                .iter()
                .filter_map(|field| Some((field, header.index_of(field.name)?)))
                .collect(),
            count: cells.len(),
            unknown: header.unknown,
        })
    }
}

/// The rows of a CSV file, one at a time.
pub(super) struct CsvRows {
    reader: csv::Reader<LineTracker<BufReader<File>>>,
    record: csv::ByteRecord,
    columns: Columns,
    failed: bool,
}

impl CsvRows {
    /// Reads the header; the file is known not to be empty.
    pub(super) fn new(input: BufReader<File>) -> Result<CsvRows, FileError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(LineTracker::new(input));
        let mut record = csv::ByteRecord::new();
        let mut header_line = 1;
        loop {
            if !reader
                .read_byte_record(&mut record)
                .map_err(|e| csv_error(e, header_line))?
            {
                return Err(FileError::Empty);
            }
            header_line = record_line(&mut reader, &record);
            if !is_blank(&record) {
                break;
            }
        }
        let cells = utf8_fields(&record, header_line)?;
        let columns = Columns::from_header(&cells)?;
        Ok(CsvRows {
            reader,
            record: csv::ByteRecord::new(),
            columns,
            failed: false,
        })
    }

    pub(super) fn unknown_columns(&self) -> Vec<String> {
        self.columns.unknown.clone()
    }

    fn row(&self, line: u64) -> Result<Record, FileError> {
        let cells = utf8_fields(&self.record, line)?;
        let columns = &self.columns;
        if cells.len() != columns.count {
            return Ok(Record::Invalid {
                line,
                email: cells.get(columns.email).and_then(|e| optional(e)),
                message: format!(
                    "{} fields where the header has {} (a stray or missing comma, or an \
                     unquoted comma inside a value?)",
                    cells.len(),
                    columns.count
                ),
            });
        }
        let mut user = NewOemUser::blank();
        for &(field, column) in &columns.named {
            let cell = cells[column];
            if field.shape == Shape::TextList {
                for item in split_items(cell) {
                    user.push_item(field.name, item);
                }
            } else if field.required {
                user.set_text(field.name, cell.trim().to_owned());
            } else if let Some(value) = optional(cell) {
                user.set_text(field.name, value);
            }
        }
        Ok(Record::Row(Row { line, user }))
    }
}

impl Iterator for CsvRows {
    type Item = Result<Record, FileError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        loop {
            let line = self.reader.position().line(); // only for read errors: approximate
            let result = match self.reader.read_byte_record(&mut self.record) {
                Ok(false) => return None,
                Err(e) => Err(csv_error(e, line)),
                Ok(true) => {
                    let line = record_line(&mut self.reader, &self.record);
                    if self.record.as_slice().len() > MAX_LINE_BYTES {
                        Err(FileError::LineTooLong { line })
                    } else if is_blank(&self.record) {
                        continue;
                    } else {
                        self.row(line)
                    }
                }
            };
            self.failed = result.is_err();
            return Some(result);
        }
    }
}

/// The line a record starts on, from the byte offset the parser reports.
fn record_line(
    reader: &mut csv::Reader<LineTracker<BufReader<File>>>,
    record: &csv::ByteRecord,
) -> u64 {
    let start = record.position().map_or(0, |p| p.byte());
    reader.get_mut().line_of_record_at(start)
}

/// A record with only empty or whitespace fields: a blank line, not a row.
fn is_blank(record: &csv::ByteRecord) -> bool {
    record
        .iter()
        .all(|field| field.iter().all(u8::is_ascii_whitespace))
}

fn utf8_fields(record: &csv::ByteRecord, line: u64) -> Result<Vec<&str>, FileError> {
    record
        .iter()
        .map(|field| {
            std::str::from_utf8(field)
                // A cell our CSV writers neutralized (`'=...`) reads as it was.
                .map(applivery_api::csv_cell::restore)
                .map_err(|_| FileError::NotUtf8 { line })
        })
        .collect()
}

fn csv_error(error: csv::Error, line: u64) -> FileError {
    let line = error.position().map_or(line, |p| p.line());
    match error.into_kind() {
        csv::ErrorKind::Io(source)
            if source
                .get_ref()
                .is_some_and(|e| e.is::<line_tracker::RecordTooLong>()) =>
        {
            FileError::LineTooLong { line }
        }
        csv::ErrorKind::Io(source) => FileError::Read { line, source },
        csv::ErrorKind::Utf8 { .. } => FileError::NotUtf8 { line },
        other => FileError::Read {
            line,
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{other:?}")),
        },
    }
}
