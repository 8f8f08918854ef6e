//! The per-row results file (`--results PATH`): one entry per data line of the input.
//!
//! The format follows the extension: `.csv` (header `line,email,outcome,kind,message,
//! collaboratorId`), `.json` (one JSON array, written as rows complete), or `.jsonl`/`.ndjson`
//! (one JSON object per line). Rows appear in the order they completed, each with its line.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::outcome::{Outcome, RowOutcome};

/// One entry of the results file.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResultRow<'a> {
    /// Line of the input file.
    pub line: u64,
    /// The row's email (may be empty for a row without one).
    pub email: &'a str,
    /// What happened.
    pub outcome: Outcome,
    /// Error kind, when there is one.
    pub kind: Option<&'a str>,
    /// Explanation, when there is one.
    pub message: Option<&'a str>,
    /// The created collaborator's id.
    pub collaborator_id: Option<&'a str>,
}

impl<'a> ResultRow<'a> {
    /// The entry for a row's outcome.
    pub fn new(line: u64, email: &'a str, outcome: &'a RowOutcome) -> ResultRow<'a> {
        ResultRow {
            line,
            email,
            outcome: outcome.outcome,
            kind: outcome.kind.as_deref(),
            message: outcome.message.as_deref(),
            collaborator_id: outcome.collaborator_id.as_deref(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Csv,
    JsonArray,
    JsonLines,
}

/// A results file being written.
pub struct ResultsWriter {
    path: PathBuf,
    shape: Shape,
    csv: Option<csv::Writer<BufWriter<File>>>,
    json: Option<BufWriter<File>>,
    written: u64,
}

impl ResultsWriter {
    /// Checks that `path` has a known extension (before any work is done).
    pub fn check_path(path: &Path) -> Result<(), String> {
        shape_of(path).map(|_| ())
    }

    /// Creates (truncates) the results file, mode 0600 when new. On Unix a symbolic link and a
    /// file with other hard links (the input under another name?) are refused before anything
    /// is truncated (see [`crate::output_file`]).
    pub fn create(path: &Path) -> Result<ResultsWriter, String> {
        let shape = shape_of(path)?;
        let mut options = std::fs::OpenOptions::new();
        options.create(true).truncate(false).write(true);
        let file = crate::output_file::open(path, &mut options, false)
            .and_then(|file| file.set_len(0).map(|()| file))
            .map_err(|e| format!("cannot create results file {}: {e}", path.display()))?;
        let buffered = BufWriter::with_capacity(64 * 1024, file);
        let (csv, json) = match shape {
            Shape::Csv => (Some(csv::Writer::from_writer(buffered)), None),
            Shape::JsonArray | Shape::JsonLines => (None, Some(buffered)),
        };
        let mut writer = ResultsWriter {
            path: path.to_path_buf(),
            shape,
            csv,
            json,
            written: 0,
        };
        if shape == Shape::JsonArray {
            writer
                .json_out()
                .write_all(b"[")
                .map_err(|e| writer.error(e))?;
        }
        Ok(writer)
    }

    fn json_out(&mut self) -> &mut BufWriter<File> {
        self.json.as_mut().expect("JSON shapes have a JSON writer")
    }

    fn error(&self, e: impl std::fmt::Display) -> String {
        format!("cannot write results file {}: {e}", self.path.display())
    }

    /// Appends one entry.
    pub fn write(&mut self, row: &ResultRow<'_>) -> Result<(), String> {
        let result = match self.shape {
            Shape::Csv => {
                // Cells a spreadsheet would run as formulas are neutralized (JSON stays raw).
                let neutral = applivery_api::csv_cell::neutralize;
                let (email, kind) = (neutral(row.email), row.kind.map(neutral));
                let message = row.message.map(neutral);
                let collaborator_id = row.collaborator_id.map(neutral);
                let row = ResultRow {
                    email: &email,
                    kind: kind.as_deref(),
                    message: message.as_deref(),
                    collaborator_id: collaborator_id.as_deref(),
                    ..*row
                };
                self.csv
                    .as_mut()
                    .expect("the CSV shape has a CSV writer")
                    .serialize(row)
                    .map_err(|e| e.to_string())
            }
            Shape::JsonArray => {
                let separator: &[u8] = if self.written == 0 { b"\n" } else { b",\n" };
                let out = self.json_out();
                out.write_all(separator)
                    .and_then(|()| serde_json::to_writer(&mut *out, row).map_err(io::Error::from))
                    .map_err(|e| e.to_string())
            }
            Shape::JsonLines => {
                let out = self.json_out();
                serde_json::to_writer(&mut *out, row)
                    .map_err(io::Error::from)
                    .and_then(|()| out.write_all(b"\n"))
                    .map_err(|e| e.to_string())
            }
        };
        self.written += 1;
        result.map_err(|e| self.error(e))
    }

    /// Finishes the file (closes the JSON array) and flushes it.
    pub fn finish(mut self) -> Result<PathBuf, String> {
        let result = match self.shape {
            Shape::Csv => self
                .csv
                .as_mut()
                .expect("the CSV shape has a CSV writer")
                .flush(),
            Shape::JsonArray => {
                let out = self.json_out();
                out.write_all(b"\n]\n").and_then(|()| out.flush())
            }
            Shape::JsonLines => self.json_out().flush(),
        };
        result.map_err(|e| self.error(e))?;
        Ok(self.path)
    }
}

fn shape_of(path: &Path) -> Result<Shape, String> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("csv") => Ok(Shape::Csv),
        Some("json") => Ok(Shape::JsonArray),
        Some("jsonl" | "ndjson") => Ok(Shape::JsonLines),
        _ => Err(format!(
            "--results {}: the name must end in .csv, .json (one array) or .jsonl (JSON Lines)",
            path.display()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_two(path: &Path) -> String {
        let mut writer = ResultsWriter::create(path).unwrap();
        let created = RowOutcome::created("abc123".into());
        let failed = RowOutcome::with_kind(Outcome::Failed, "server_error", "HTTP 500, \"oops\"");
        writer
            .write(&ResultRow::new(2, "a@example.com", &created))
            .unwrap();
        writer
            .write(&ResultRow::new(3, "b@example.com", &failed))
            .unwrap();
        writer.finish().unwrap();
        std::fs::read_to_string(path).unwrap()
    }

    #[test]
    fn csv_results_have_a_header_and_quote_as_needed() {
        let dir = tempfile::tempdir().unwrap();
        let text = write_two(&dir.path().join("r.csv"));
        assert_eq!(
            text,
            "line,email,outcome,kind,message,collaboratorId\n\
             2,a@example.com,created,,,abc123\n\
             3,b@example.com,failed,server_error,\"HTTP 500, \"\"oops\"\"\",\n"
        );
    }

    #[test]
    fn json_results_are_one_array_and_jsonl_one_object_per_line() {
        let dir = tempfile::tempdir().unwrap();
        let text = write_two(&dir.path().join("r.json"));
        let rows: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0]["collaboratorId"], "abc123");
        assert_eq!(rows[1]["outcome"], "failed");

        let text = write_two(&dir.path().join("r.jsonl"));
        let rows: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(rows[1]["kind"], "server_error");

        let empty = dir.path().join("empty.json");
        ResultsWriter::create(&empty).unwrap().finish().unwrap();
        let rows: Vec<serde_json::Value> =
            serde_json::from_str(&std::fs::read_to_string(&empty).unwrap()).unwrap();
        assert!(rows.is_empty());
    }

    #[test]
    fn unknown_extensions_are_refused() {
        let error = ResultsWriter::check_path(Path::new("out.txt")).unwrap_err();
        assert!(error.contains(".csv"), "{error}");
    }
}
