//! What an existing journal says about each row, loaded once at the start of a run.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use super::entry::{Entry, RunInfo, VERSION};
use super::writer::JournalError;
use crate::outcome::{Outcome, RowOutcome};

/// The outcome recorded for a row, kept compact: a resumed import of 100,000 rows holds one
/// of these per finished row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prior {
    outcome: Outcome,
    ambiguous: bool,
    kind: Option<Box<str>>,
    message: Option<Box<str>>,
    id: Option<Box<str>>,
}

impl Prior {
    /// The recorded outcome, for the results file.
    pub fn to_outcome(&self) -> RowOutcome {
        RowOutcome {
            outcome: self.outcome,
            kind: self.kind.as_deref().map(str::to_owned),
            message: self.message.as_deref().map(str::to_owned),
            collaborator_id: self.id.as_deref().map(str::to_owned),
            ambiguous: self.ambiguous,
        }
    }
}

#[derive(Debug)]
enum State {
    Started,
    Done(Prior),
}

#[derive(Debug)]
struct Slot {
    fingerprint: u64,
    state: State,
}

/// What the journal says about one row of the file.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup<'a> {
    /// Nothing: the row was never sent.
    New,
    /// The journal has this line with different content: the file was edited; the row is sent
    /// as new.
    Changed,
    /// Sent before without a definitive outcome; send it again. `ambiguous`: the earlier
    /// request may have created the user, so a 4009 now means "created by us".
    Unfinished {
        /// See above.
        ambiguous: bool,
    },
    /// Created or already registered in an earlier run: skip it.
    Finished(&'a Prior),
}

/// Every row the journal knows about, by line.
#[derive(Debug, Default)]
pub struct JournalIndex {
    rows: HashMap<u64, Slot>,
    /// Lines that could not be read (a write torn by a crash); they are ignored, which is safe:
    /// the worst case is re-sending a row, and a 4009 then is recorded as already registered.
    pub unreadable_lines: u64,
    /// How many runs wrote to this journal before.
    pub runs: u64,
}

impl JournalIndex {
    /// Reads the journal at `path`, if there is one, checking it was written for `run`.
    pub fn load(path: &Path, run: &RunInfo) -> Result<JournalIndex, JournalError> {
        let file = match File::open(path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(JournalIndex::default());
            }
            Err(source) => return Err(JournalError::io(path, source)),
        };
        let mut index = JournalIndex::default();
        let mut reader = BufReader::new(file);
        let mut buffer = Vec::new();
        loop {
            buffer.clear();
            let read = reader
                .read_until(b'\n', &mut buffer)
                .map_err(|source| JournalError::io(path, source))?;
            if read == 0 {
                break;
            }
            let text = String::from_utf8_lossy(&buffer);
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            match serde_json::from_str::<Entry>(text) {
                Ok(entry) => index.apply(path, entry, run)?,
                Err(_) => index.unreadable_lines += 1,
            }
        }
        Ok(index)
    }

    fn apply(&mut self, path: &Path, entry: Entry, run: &RunInfo) -> Result<(), JournalError> {
        match entry {
            Entry::Open {
                version,
                run: theirs,
            } => {
                if version > VERSION {
                    return Err(JournalError::NewerVersion {
                        path: path.to_path_buf(),
                        version,
                    });
                }
                if theirs.organization != run.organization || theirs.base_url != run.base_url {
                    return Err(JournalError::OtherTarget {
                        path: path.to_path_buf(),
                        organization: theirs.organization,
                        base_url: theirs.base_url,
                    });
                }
                self.runs += 1;
            }
            Entry::Started { line, row } => {
                if let Some(fingerprint) = parse_fingerprint(&row) {
                    self.rows.insert(
                        line,
                        Slot {
                            fingerprint,
                            state: State::Started,
                        },
                    );
                } else {
                    self.unreadable_lines += 1;
                }
            }
            Entry::Done {
                line,
                row,
                outcome,
                kind,
                message,
                id,
                ambiguous,
            } => {
                if let Some(fingerprint) = parse_fingerprint(&row) {
                    let prior = Prior {
                        outcome,
                        ambiguous,
                        kind: kind.map(String::into_boxed_str),
                        message: message.map(String::into_boxed_str),
                        id: id.map(String::into_boxed_str),
                    };
                    self.rows.insert(
                        line,
                        Slot {
                            fingerprint,
                            state: State::Done(prior),
                        },
                    );
                } else {
                    self.unreadable_lines += 1;
                }
            }
        }
        Ok(())
    }

    /// What the journal says about the row on `line` with content `fingerprint`.
    pub fn lookup(&self, line: u64, fingerprint: u64) -> Lookup<'_> {
        let Some(slot) = self.rows.get(&line) else {
            return Lookup::New;
        };
        if slot.fingerprint != fingerprint {
            return Lookup::Changed;
        }
        match &slot.state {
            State::Started => Lookup::Unfinished { ambiguous: true },
            State::Done(prior) if prior.outcome.is_final() => Lookup::Finished(prior),
            State::Done(prior) => Lookup::Unfinished {
                ambiguous: prior.ambiguous,
            },
        }
    }

    /// Whether the journal knows no row at all.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

fn parse_fingerprint(hex: &str) -> Option<u64> {
    u64::from_str_radix(hex, 16).ok()
}
