//! Printing the answers of generated commands (JSON values) in every `--output` format: items
//! as a table (text), a JSON array, JSON Lines or CSV; a single object as itself. Server text
//! is escaped on the terminal ([`crate::terminal`]) and neutralized in CSV cells.

use std::io::Write;

use serde_json::Value;

use crate::args::OutputFormat;

/// Rows printed as they come, with what goes before the first and after the last.
pub struct Table {
    format: OutputFormat,
    columns: Vec<String>,
    rows: u64,
}

impl Table {
    /// An empty table printing in `format`.
    pub fn new(format: OutputFormat) -> Self {
        Table {
            format,
            columns: Vec::new(),
            rows: 0,
        }
    }

    /// Prints one item. Columns (text, CSV) are the first item's fields, nested ones by dotted
    /// path (`application.name`).
    pub fn row(&mut self, out: &mut impl Write, item: &Value) -> std::io::Result<()> {
        let cells = flatten(item);
        if self.rows == 0 {
            self.columns = cells.iter().map(|(name, _)| name.clone()).collect();
        }
        let line: Vec<String> = self
            .columns
            .iter()
            .map(|column| {
                cells
                    .iter()
                    .find(|(name, _)| name == column)
                    .map(|(_, cell)| cell.clone())
                    .unwrap_or_default()
            })
            .collect();
        match self.format {
            OutputFormat::Json => {
                let separator = if self.rows == 0 { "[\n  " } else { ",\n  " };
                write!(
                    out,
                    "{separator}{}",
                    crate::terminal::json(&item.to_string())
                )?;
            }
            OutputFormat::Jsonl => writeln!(out, "{}", crate::terminal::json(&item.to_string()))?,
            OutputFormat::Csv => {
                if self.rows == 0 {
                    writeln!(out, "{}", csv_line(&self.columns))?;
                }
                writeln!(out, "{}", csv_line(&line))?;
            }
            OutputFormat::Text if self.columns.len() == 1 => {
                writeln!(out, "{}", crate::terminal::clean(&line[0]))?;
            }
            OutputFormat::Text => {
                if self.rows == 0 {
                    writeln!(out, "{}", self.columns.join("  "))?;
                }
                writeln!(out, "{}", crate::terminal::clean(&line.join("  ")))?;
            }
        }
        self.rows += 1;
        out.flush()
    }

    /// Rows printed so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Closes the output (a JSON array, a count for people).
    pub fn finish(&self, out: &mut impl Write) -> std::io::Result<()> {
        match self.format {
            OutputFormat::Json if self.rows == 0 => writeln!(out, "[]"),
            OutputFormat::Json => writeln!(out, "\n]"),
            OutputFormat::Text => {
                let plural = if self.rows == 1 { "" } else { "s" };
                writeln!(out, "{} item{plural}", self.rows)
            }
            _ => Ok(()),
        }
    }
}

/// Prints an answer that is one object, not a list.
pub fn single(out: &mut impl Write, format: OutputFormat, data: &Value) -> std::io::Result<()> {
    match format {
        OutputFormat::Json => {
            let pretty = serde_json::to_string_pretty(data).unwrap_or_default();
            writeln!(out, "{}", crate::terminal::json(&pretty))
        }
        OutputFormat::Jsonl => writeln!(out, "{}", crate::terminal::json(&data.to_string())),
        OutputFormat::Csv | OutputFormat::Text => {
            let mut table = Table::new(format);
            table.row(out, data)
        }
    }
}

/// The fields of `value` as (dotted name, text): nested objects flattened, lists of strings
/// joined with `;`, anything else as JSON text; `null` empty.
fn flatten(value: &Value) -> Vec<(String, String)> {
    let mut cells = Vec::new();
    flatten_into(&mut cells, "", value);
    cells
}

fn flatten_into(cells: &mut Vec<(String, String)>, prefix: &str, value: &Value) {
    match value {
        Value::Object(object) if !object.is_empty() => {
            for (name, value) in object {
                let name = if prefix.is_empty() {
                    name.clone()
                } else {
                    format!("{prefix}.{name}")
                };
                flatten_into(cells, &name, value);
            }
        }
        Value::Null => cells.push((prefix.to_owned(), String::new())),
        Value::String(text) => cells.push((prefix.to_owned(), text.clone())),
        Value::Array(items) if items.iter().all(Value::is_string) => {
            let texts: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            cells.push((prefix.to_owned(), texts.join(";")));
        }
        other => cells.push((prefix.to_owned(), other.to_string())),
    }
}

fn csv_line(cells: &[String]) -> String {
    let cells: Vec<String> = cells
        .iter()
        .map(|cell| crate::collaborators::csv_cell(cell))
        .collect();
    cells.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_print_in_every_format_with_hostile_text_neutralized() {
        let items = [
            serde_json::json!({"value": "=HYPERLINK(\"x\")", "application": {"name": "a,b"}}),
            serde_json::json!({"value": "plain\u{1b}[2J", "application": {"name": null}}),
        ];
        let print = |format| {
            let mut out = Vec::new();
            let mut table = Table::new(format);
            for item in &items {
                table.row(&mut out, item).unwrap();
            }
            table.finish(&mut out).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(
            print(OutputFormat::Csv),
            "application.name,value\n\"a,b\",\"'=HYPERLINK(\"\"x\"\")\"\n,plain\u{1b}[2J\n"
        );
        let text = print(OutputFormat::Text);
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(text.ends_with("2 items\n"), "{text}");
        let json: Vec<Value> = serde_json::from_str(&print(OutputFormat::Json)).unwrap();
        assert_eq!(json, items);
    }
}
