//! JSON Lines rows: one request body (`{"email": ..., "firstName": ..., ...}`) per line.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};

use serde_json::Value;

use super::row::optional;
use super::{FileError, MAX_LINE_BYTES, Record, Row};

/// At most this many distinct unknown keys are remembered for the warning: memory stays flat
/// even if every line has its own.
const MAX_UNKNOWN_KEYS: usize = 20;

/// The rows of a JSON Lines file, one at a time.
pub(super) struct JsonlRows {
    reader: BufReader<File>,
    buffer: Vec<u8>,
    line: u64,
    unknown: BTreeSet<String>,
    done: bool,
}

impl JsonlRows {
    pub(super) fn new(reader: BufReader<File>) -> JsonlRows {
        JsonlRows {
            reader,
            buffer: Vec::with_capacity(1024),
            line: 0,
            unknown: BTreeSet::new(),
            done: false,
        }
    }

    pub(super) fn unknown_keys(&self) -> Vec<String> {
        self.unknown.iter().cloned().collect()
    }

    /// Reads the next line into `buffer`, without its line ending. `Ok(false)` at the end.
    fn read_line(&mut self) -> Result<bool, FileError> {
        self.buffer.clear();
        self.line += 1;
        let limit = MAX_LINE_BYTES as u64 + 2;
        let read = (&mut self.reader)
            .take(limit)
            .read_until(b'\n', &mut self.buffer)
            .map_err(FileError::read(self.line))?;
        if read == 0 {
            return Ok(false);
        }
        if self.buffer.last() == Some(&b'\n') {
            self.buffer.pop();
            if self.buffer.last() == Some(&b'\r') {
                self.buffer.pop();
            }
        }
        if self.buffer.len() > MAX_LINE_BYTES {
            return Err(FileError::LineTooLong { line: self.line });
        }
        Ok(true)
    }

    fn parse(&mut self, text: &str) -> Record {
        let line = self.line;
        let invalid = |email: Option<String>, message: String| Record::Invalid {
            line,
            email,
            message,
        };
        let object = match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(object)) => object,
            Ok(_) => return invalid(None, "not a JSON object".to_owned()),
            Err(e) => return invalid(None, format!("not valid JSON: {e}")),
        };
        for key in object.keys() {
            if !matches!(key.as_str(), "email" | "firstName" | "lastName" | "tags")
                && self.unknown.len() < MAX_UNKNOWN_KEYS
            {
                self.unknown.insert(key.clone());
            }
        }
        let email = match object.get("email") {
            Some(Value::String(email)) => email.trim().to_owned(),
            None | Some(Value::Null) => String::new(),
            Some(_) => return invalid(None, "`email` must be a string".to_owned()),
        };
        let text_field = |name: &str| match object.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(value)) => Ok(optional(value)),
            Some(_) => Err(format!("`{name}` must be a string")),
        };
        let first_name = match text_field("firstName") {
            Ok(value) => value,
            Err(message) => return invalid(optional(&email), message),
        };
        let last_name = match text_field("lastName") {
            Ok(value) => value,
            Err(message) => return invalid(optional(&email), message),
        };
        let tags = match object.get("tags") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => {
                let mut tags = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Value::String(tag) => tags.push(tag.clone()),
                        _ => {
                            return invalid(
                                optional(&email),
                                "`tags` must be an array of strings".to_owned(),
                            );
                        }
                    }
                }
                tags
            }
            Some(_) => {
                return invalid(
                    optional(&email),
                    "`tags` must be an array of strings".to_owned(),
                );
            }
        };
        Record::Row(Row {
            line,
            email,
            first_name,
            last_name,
            tags,
        })
    }
}

impl Iterator for JsonlRows {
    type Item = Result<Record, FileError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        loop {
            match self.read_line() {
                Ok(false) => {
                    self.done = true;
                    return None;
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
                Ok(true) => {}
            }
            let buffer = std::mem::take(&mut self.buffer);
            let result = match std::str::from_utf8(&buffer) {
                Err(_) => {
                    self.done = true;
                    Some(Err(FileError::NotUtf8 { line: self.line }))
                }
                Ok(text) if text.trim().is_empty() => None,
                Ok(text) => Some(Ok(self.parse(text))),
            };
            self.buffer = buffer;
            if result.is_some() {
                return result;
            }
        }
    }
}
