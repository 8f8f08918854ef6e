//! The rows of a `--from` file: CSV with a header, or JSON Lines, each with a `collaboratorId`
//! (or `id`) and/or an `email`, and optionally a `kind` or `outcome` to pick rows by.

use std::io::BufRead;
use std::path::Path;

/// One row: the id (empty when the row has none) and the email (empty when none).
pub struct Row {
    pub id: String,
    pub email: String,
}

/// Reads every row of `path` (only those of `kind`, when given).
pub fn read(path: &Path, kind: Option<&str>) -> Result<Vec<Row>, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut reader = std::io::BufReader::new(file);
    let first = reader
        .fill_buf()
        .map_err(|e| e.to_string())?
        .first()
        .copied();
    let json_lines = path.extension().is_some_and(|e| e == "jsonl") || first == Some(b'{');
    let rows = if json_lines {
        json_rows(reader)?
    } else {
        csv_rows(reader)?
    };
    let mut kept = Vec::new();
    for (line, row) in rows.into_iter().enumerate() {
        if let Some(kind) = kind
            && row.kind.as_deref() != Some(kind)
            && row.outcome.as_deref() != Some(kind)
        {
            continue;
        }
        if row.id.is_empty() && row.email.is_empty() {
            return Err(format!("row {}: no collaboratorId and no email", line + 1));
        }
        if !plain(&row.id) {
            return Err(format!(
                "row {}: not a collaborator id: {:?}",
                line + 1,
                row.id
            ));
        }
        kept.push(Row {
            id: row.id,
            email: row.email,
        });
    }
    Ok(kept)
}

/// A row as read, with what picks it.
#[derive(Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawRow {
    #[serde(default, alias = "id")]
    collaborator_id: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    outcome: Option<String>,
}

struct Picked {
    id: String,
    email: String,
    kind: Option<String>,
    outcome: Option<String>,
}

impl From<RawRow> for Picked {
    fn from(raw: RawRow) -> Picked {
        // Cells our own CSV writers neutralized (a leading `'` before `=+-@`) are restored.
        let clean = |cell: Option<String>| {
            cell.map(|c| applivery_api::csv_cell::restore(c.trim()).to_owned())
                .unwrap_or_default()
        };
        Picked {
            id: clean(raw.collaborator_id),
            email: clean(raw.email),
            kind: raw.kind.filter(|k| !k.is_empty()),
            outcome: raw.outcome.filter(|o| !o.is_empty()),
        }
    }
}

fn csv_rows(reader: impl std::io::Read) -> Result<Vec<Picked>, String> {
    let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let headers = csv.headers().map_err(|e| e.to_string())?.clone();
    if !headers
        .iter()
        .any(|h| matches!(h, "collaboratorId" | "id" | "email"))
    {
        return Err("the header has no collaboratorId, id or email column".to_owned());
    }
    csv.deserialize::<RawRow>()
        .map(|row| row.map(Picked::from).map_err(|e| e.to_string()))
        .collect()
}

fn json_rows(reader: impl BufRead) -> Result<Vec<Picked>, String> {
    let mut rows = Vec::new();
    for (n, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| e.to_string())?;
        if line.trim().is_empty() {
            continue;
        }
        let row: RawRow =
            serde_json::from_str(&line).map_err(|e| format!("line {}: {e}", n + 1))?;
        rows.push(Picked::from(row));
    }
    Ok(rows)
}

/// An id that can go into the journal's lines: no spaces or control characters.
fn plain(id: &str) -> bool {
    !id.chars().any(|c| c.is_whitespace() || c.is_control())
}
