//! JSON Lines rows: one request body (`{"email": ..., "firstName": ..., ...}`) per line.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};

use applivery_api::shape::Shape;
use applivery_api::types::NewOemUser;
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
            if !NewOemUser::PROPERTIES.contains(&key.as_str())
                && self.unknown.len() < MAX_UNKNOWN_KEYS
            {
                self.unknown.insert(key.clone());
            }
        }
        // Every property the spec gives `NewOemUser`, by name; the email is read first so that
        // a row refused for another field is still reported with it.
        let mut user = NewOemUser::blank();
        let fields = NewOemUser::FIELDS.iter();
        for field in fields
            .clone()
            .filter(|f| f.required)
            .chain(fields.filter(|f| !f.required))
        {
            let email = || optional(&user.email);
            match (field.shape, object.get(field.name)) {
                (_, None | Some(Value::Null)) => {}
                (Shape::TextList, Some(Value::Array(items)))
                    if items.iter().all(Value::is_string) =>
                {
                    for item in items.iter().filter_map(Value::as_str) {
                        user.push_item(field.name, item.to_owned());
                    }
                }
                (Shape::TextList, Some(_)) => {
                    let message = format!("`{}` must be an array of strings", field.name);
                    return invalid(email(), message);
                }
                (_, Some(Value::String(value))) if field.required => {
                    user.set_text(field.name, value.trim().to_owned());
                }
                (_, Some(Value::String(value))) => {
                    if let Some(value) = optional(value) {
                        user.set_text(field.name, value);
                    }
                }
                (_, Some(_)) => {
                    return invalid(email(), format!("`{}` must be a string", field.name));
                }
            }
        }
        Record::Row(Row { line, user })
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
