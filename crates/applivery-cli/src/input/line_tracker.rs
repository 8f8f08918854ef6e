//! Line numbers for CSV records, counted from the bytes themselves.
//!
//! The `csv` crate's own line counter lags on CRLF files and after skipped blank lines, and an
//! operator fixing "line 1234" must land on the right line. This reader sits under the CSV parser
//! and remembers where line breaks are, only within the parser's read-ahead window.

use std::collections::VecDeque;
use std::fmt;
use std::io::{self, Read};

use super::MAX_LINE_BYTES;

/// Most bytes read past the start of the last record asked about. The CSV parser keeps a whole
/// record in memory, so a quoted field that never closes would make it buffer the rest of the
/// file (276 MB of memory for a 200 MB file); room for that record, one full-length record and
/// the parser's read-ahead.
pub(super) const MAX_UNFINISHED_BYTES: u64 = 2 * MAX_LINE_BYTES as u64 + 64 * 1024;

/// The read error once [`MAX_UNFINISHED_BYTES`] are passed: the record is too long.
#[derive(Debug)]
pub(super) struct RecordTooLong;

impl fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a record longer than {MAX_LINE_BYTES} bytes")
    }
}

impl std::error::Error for RecordTooLong {}

/// A reader that records the offsets of `\r` and `\n` bytes passing through it.
pub(super) struct LineTracker<R> {
    inner: R,
    offset: u64,
    /// Line-break bytes at or after the last record start asked about, in order.
    breaks: VecDeque<(u64, u8)>,
    /// `\n` bytes before the front of `breaks`.
    newlines_before: u64,
    /// Offset of the last record start asked about.
    record_start: u64,
}

impl<R> LineTracker<R> {
    pub(super) fn new(inner: R) -> Self {
        LineTracker {
            inner,
            offset: 0,
            breaks: VecDeque::new(),
            newlines_before: 0,
            record_start: 0,
        }
    }

    /// The 1-based line of the record the CSV parser says starts at byte `start`.
    ///
    /// The parser's record start can point at the previous record's line terminator or at blank
    /// lines it skipped; those are stepped over. Offsets must be asked in increasing order.
    pub(super) fn line_of_record_at(&mut self, start: u64) -> u64 {
        self.record_start = start;
        let mut first_byte = start;
        while let Some(&(offset, byte)) = self.breaks.front() {
            if offset <= first_byte {
                if byte == b'\n' {
                    self.newlines_before += 1;
                }
                if offset == first_byte {
                    first_byte += 1;
                }
                self.breaks.pop_front();
            } else {
                break;
            }
        }
        1 + self.newlines_before
    }
}

impl<R: Read> Read for LineTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.offset - self.record_start > MAX_UNFINISHED_BYTES {
            return Err(io::Error::new(io::ErrorKind::InvalidData, RecordTooLong));
        }
        let read = self.inner.read(buf)?;
        for (index, &byte) in buf[..read].iter().enumerate() {
            if byte == b'\n' || byte == b'\r' {
                self.breaks.push_back((self.offset + index as u64, byte));
            }
        }
        self.offset += read as u64;
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_over_terminators_and_blank_lines() {
        let text = b"h\r\na\r\n\r\n\r\nb\n\"c\nd\"\n";
        let mut tracker = LineTracker::new(&text[..]);
        let mut sink = Vec::new();
        tracker.read_to_end(&mut sink).unwrap();
        // Record starts as the csv crate reports them: after the `\r` of a CRLF, after the `\n`
        // of an LF, before any skipped blank lines.
        assert_eq!(tracker.line_of_record_at(0), 1); // h
        assert_eq!(tracker.line_of_record_at(2), 2); // a
        assert_eq!(tracker.line_of_record_at(5), 5); // b, after two blank lines
        assert_eq!(tracker.line_of_record_at(12), 6); // "c\nd"
        assert_eq!(tracker.line_of_record_at(18), 8); // end of file
    }

    /// Regression (found reviewing the fuzz target's memory bound): an unclosed quote made the
    /// CSV parser read, and keep, everything after it.
    #[test]
    fn an_endless_record_stops_the_reader() {
        let endless = io::repeat(b'a').take(64 * MAX_LINE_BYTES as u64);
        let tracker = LineTracker::new(io::Cursor::new(b"email\n\"").chain(endless));
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(tracker);
        let mut record = csv::ByteRecord::new();
        assert!(reader.read_byte_record(&mut record).unwrap());
        let start = record.position().unwrap().byte();
        reader.get_mut().line_of_record_at(start);
        let error = reader.read_byte_record(&mut record).unwrap_err();
        let csv::ErrorKind::Io(error) = error.into_kind() else {
            panic!("expected a read error");
        };
        assert!(error.get_ref().unwrap().is::<RecordTooLong>());
        assert!(reader.get_ref().offset <= MAX_UNFINISHED_BYTES + 64 * 1024);
    }
}
