//! Upgrading a journal of format 1 (one JSON object per line, rows keyed by line number) to the
//! slot format, so that an import started by an earlier applivery resumes.
//!
//! Format 1 is read once, into a map of its rows (its size is that of the old journal, which the
//! earlier version also held in memory to resume), then the input is streamed and every row the
//! old journal knows, at the same line with the same fingerprint, gets its slot. The new journal
//! is written beside the old one and renamed over it; the old one is kept as `<journal>.v1`.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::format::{self, SLOT_BYTES, Slot, StoredId, StoredOutcome};
use super::run_info::RunInfo;
use super::writer::JournalError;
use crate::input::{Format, Record, RowReader};
use crate::outcome::{Outcome, RowOutcome};

/// A line of a format 1 journal.
#[derive(Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
enum Entry {
    Open {
        organization: String,
        base_url: String,
    },
    Started {
        line: u64,
        row: String,
    },
    Done {
        line: u64,
        row: String,
        outcome: Outcome,
        #[serde(default)]
        kind: Option<String>,
        #[serde(default)]
        id: Option<String>,
        #[serde(default)]
        ambiguous: bool,
    },
}

/// Rewrites the format 1 journal at `path` for the import of `input`; returns where the old
/// one was kept.
pub fn upgrade(
    path: &Path,
    run: &RunInfo,
    input: &Path,
    input_format: Option<Format>,
) -> Result<PathBuf, String> {
    let fail = |e: &dyn std::fmt::Display| format!("upgrading journal {}: {e}", path.display());
    let rows = read_v1(path, run)?;
    let tmp = sibling(path, ".upgrading");
    let mut out = std::io::BufWriter::new(File::create(&tmp).map_err(|e| fail(&e))?);
    let header = format::encode_header(run).map_err(|_| fail(&"the run target is too long"))?;
    out.write_all(&header).map_err(|e| fail(&e))?;
    let reader = RowReader::open(input, input_format).map_err(|e| fail(&e))?;
    let mut ids = None;
    for (position, record) in reader.enumerate() {
        let row = match record.map_err(|e| fail(&e))? {
            Record::Row(row) => row,
            Record::Invalid { .. } => {
                out.write_all(&[0; SLOT_BYTES]).map_err(|e| fail(&e))?;
                continue;
            }
        };
        let fingerprint = row.fingerprint();
        let slot = match rows.get(&row.line) {
            Some((theirs, slot)) if *theirs == fingerprint => slot.clone(),
            _ => Slot::Empty,
        };
        let slot = match slot {
            Slot::Done {
                fingerprint,
                outcome,
                ambiguous,
                id: StoredId::Inline(id),
            } if format::inline_id(&id).is_none() => Slot::Done {
                fingerprint,
                outcome,
                ambiguous,
                id: overflow(path, &mut ids, &id).map_err(|e| fail(&e))?,
            },
            slot => slot,
        };
        out.write_all(&format::encode_slot(position as u64, &slot))
            .map_err(|e| fail(&e))?;
    }
    let file = out.into_inner().map_err(|e| fail(&e))?;
    file.sync_all().map_err(|e| fail(&e))?;
    if let Some(ids) = ids {
        ids.sync_all().map_err(|e| fail(&e))?;
    }
    let kept = sibling(path, ".v1");
    std::fs::rename(path, &kept).map_err(|e| fail(&e))?;
    std::fs::rename(&tmp, path).map_err(|e| fail(&e))?;
    Ok(kept)
}

/// The rows of a format 1 journal by line: their fingerprint and slot.
fn read_v1(path: &Path, run: &RunInfo) -> Result<HashMap<u64, (u64, Slot)>, String> {
    let file = File::open(path).map_err(|e| format!("journal {}: {e}", path.display()))?;
    let mut rows = HashMap::new();
    for line in BufReader::new(file).split(b'\n') {
        let line = line.map_err(|e| format!("journal {}: {e}", path.display()))?;
        // Torn lines (a crash mid-write) are skipped, as format 1 did: the row is re-sent.
        let Ok(entry) = serde_json::from_slice::<Entry>(&line) else {
            continue;
        };
        match entry {
            Entry::Open {
                organization,
                base_url,
            } => {
                if organization != run.organization || base_url != run.base_url {
                    return Err(JournalError::OtherTarget {
                        path: path.to_path_buf(),
                        organization,
                        base_url,
                    }
                    .to_string());
                }
            }
            Entry::Started { line, row } => {
                if let Ok(fingerprint) = u64::from_str_radix(&row, 16) {
                    rows.insert(line, (fingerprint, Slot::Started { fingerprint }));
                }
            }
            Entry::Done {
                line,
                row,
                outcome,
                kind,
                id,
                ambiguous,
            } => {
                if let Ok(fingerprint) = u64::from_str_radix(&row, 16) {
                    let recorded = RowOutcome {
                        outcome,
                        kind,
                        message: None,
                        collaborator_id: None,
                        ambiguous,
                    };
                    let slot = Slot::Done {
                        fingerprint,
                        outcome: StoredOutcome::of(&recorded),
                        ambiguous,
                        id: id.map_or(StoredId::None, StoredId::Inline),
                    };
                    rows.insert(line, (fingerprint, slot));
                }
            }
        }
    }
    Ok(rows)
}

fn overflow(journal: &Path, ids: &mut Option<File>, id: &str) -> std::io::Result<StoredId> {
    if ids.is_none() {
        *ids = Some(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(super::cursor::ids_path(journal))?,
        );
    }
    let file = ids.as_mut().expect("opened above");
    let offset = std::io::Seek::seek(file, std::io::SeekFrom::End(0))?;
    file.write_all(format!("{id}\n").as_bytes())?;
    Ok(StoredId::Overflow {
        offset,
        length: id.len() as u32,
    })
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}
