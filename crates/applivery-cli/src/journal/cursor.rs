//! Reading what an existing journal says about each row, in file order, one slot at a time:
//! whatever the number of rows, a resume holds one buffer, not an index.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::format::{self, HEADER_BYTES, HeaderError, SLOT_BYTES, Slot, StoredId};
use super::run_info::RunInfo;
use super::writer::JournalError;
use crate::outcome::RowOutcome;

/// What the journal says about one row of the file.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    /// Nothing: the row was never sent.
    New,
    /// The journal has this position with different content: the file was edited; the row is
    /// sent as new.
    Changed,
    /// Sent before without a definitive outcome; send it again. `ambiguous`: the earlier
    /// request may have created the user, so a 4009 now means "created by us".
    Unfinished {
        /// See above.
        ambiguous: bool,
    },
    /// Created or already registered in an earlier run: skip it; its recorded outcome.
    Finished(RowOutcome),
}

/// An existing journal, checked to belong to this run (or none yet).
#[derive(Debug, Default)]
pub struct JournalState {
    /// The journal, when there is one with slots.
    path: Option<PathBuf>,
}

impl JournalState {
    /// A run without a journal (or with a new one): every row is new.
    pub fn none() -> JournalState {
        JournalState::default()
    }

    /// Checks the journal at `path`, if there is one, was written for `run` by this format.
    pub fn open(path: &Path, run: &RunInfo) -> Result<JournalState, JournalError> {
        let mut file = match File::open(path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(JournalState::none()),
            Err(source) => return Err(JournalError::io(path, source)),
        };
        let mut head = Vec::with_capacity(HEADER_BYTES as usize);
        (&mut file)
            .take(HEADER_BYTES)
            .read_to_end(&mut head)
            .map_err(|e| JournalError::io(path, e))?;
        if (head.len() as u64) < HEADER_BYTES && format::is_unfinished_header(&head) {
            // Created by a run killed before it could send anything.
            return Ok(JournalState::none());
        }
        let header = format::decode_header(&head).map_err(|e| header_error(path, e))?;
        if header.run.organization != run.organization || header.run.base_url != run.base_url {
            return Err(JournalError::OtherTarget {
                path: path.to_path_buf(),
                organization: header.run.organization,
                base_url: header.run.base_url,
            });
        }
        Ok(JournalState {
            path: Some(path.to_path_buf()),
        })
    }

    /// A cursor over the slots from the first row on.
    pub fn cursor(&self) -> Result<JournalCursor, JournalError> {
        let Some(path) = &self.path else {
            return Ok(JournalCursor::default());
        };
        let mut file = File::open(path).map_err(|e| JournalError::io(path, e))?;
        file.seek(SeekFrom::Start(HEADER_BYTES))
            .map_err(|e| JournalError::io(path, e))?;
        Ok(JournalCursor {
            path: Some(path.clone()),
            slots: Some(BufReader::with_capacity(64 * 1024, file)),
            next: 0,
            ids: None,
            unreadable: 0,
        })
    }
}

pub(super) fn header_error(path: &Path, error: HeaderError) -> JournalError {
    let path = path.to_path_buf();
    match error {
        HeaderError::OldFormat => JournalError::OldFormat { path },
        HeaderError::Newer(version) => JournalError::NewerVersion { path, version },
        HeaderError::NotAJournal => JournalError::NotAJournal { path },
        HeaderError::TooLong => JournalError::NotAJournal { path },
    }
}

/// Reads slots in increasing position order; positions may be skipped.
#[derive(Debug, Default)]
pub struct JournalCursor {
    path: Option<PathBuf>,
    slots: Option<BufReader<File>>,
    /// Position of the next slot `slots` yields.
    next: u64,
    /// The overflow file of long ids, opened when first needed.
    ids: Option<File>,
    /// Slots that could not be read (a write torn by a crash). Their rows are re-sent, which
    /// is safe: a 4009 then is recorded as already registered.
    pub unreadable: u64,
}

impl JournalCursor {
    /// What the journal says about the row at `position` (never below an earlier call's) with
    /// content `fingerprint`.
    pub fn lookup(&mut self, position: u64, fingerprint: u64) -> Result<Lookup, JournalError> {
        let slot = self.slot(position)?;
        Ok(match slot {
            Slot::Empty => Lookup::New,
            Slot::Torn => {
                self.unreadable += 1;
                Lookup::Unfinished { ambiguous: true }
            }
            Slot::Started {
                fingerprint: theirs,
            } if theirs != fingerprint => Lookup::Changed,
            Slot::Started { .. } => Lookup::Unfinished { ambiguous: true },
            Slot::Done {
                fingerprint: theirs,
                ..
            } if theirs != fingerprint => Lookup::Changed,
            Slot::Done {
                outcome,
                id: stored,
                ..
            } if outcome.is_final() => {
                let id = self.resolve_id(stored)?;
                Lookup::Finished(outcome.to_outcome(id))
            }
            Slot::Done { ambiguous, .. } => Lookup::Unfinished { ambiguous },
        })
    }

    fn slot(&mut self, position: u64) -> Result<Slot, JournalError> {
        let Some(slots) = &mut self.slots else {
            return Ok(Slot::Empty);
        };
        let path = self
            .path
            .as_deref()
            .expect("a cursor with slots has a path");
        if position < self.next {
            // Callers go forward; a repeated position is re-read from the file.
            slots
                .seek(SeekFrom::Start(HEADER_BYTES + position * SLOT_BYTES as u64))
                .map_err(|e| JournalError::io(path, e))?;
            self.next = position;
        }
        let skip = (position - self.next) * SLOT_BYTES as u64;
        if skip > 0 {
            slots
                .seek_relative(skip as i64)
                .map_err(|e| JournalError::io(path, e))?;
            self.next = position;
        }
        let mut bytes = [0u8; SLOT_BYTES];
        let mut filled = 0;
        while filled < SLOT_BYTES {
            match slots.read(&mut bytes[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(JournalError::io(path, e)),
            }
        }
        self.next += 1;
        Ok(match filled {
            0 => Slot::Empty,
            SLOT_BYTES => format::decode_slot(position, &bytes),
            _ => Slot::Torn,
        })
    }

    /// The id of a finished row; an overflow id that cannot be read back (lost with the
    /// machine's power before its sync) is left out rather than failing the row.
    fn resolve_id(&mut self, stored: StoredId) -> Result<Option<String>, JournalError> {
        let (offset, length) = match stored {
            StoredId::None => return Ok(None),
            StoredId::Inline(id) => return Ok(Some(id)),
            StoredId::Overflow { offset, length } => (offset, length),
        };
        let path = ids_path(self.path.as_deref().expect("slots come from a file"));
        if self.ids.is_none() {
            match File::open(&path) {
                Ok(file) => self.ids = Some(file),
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
                Err(e) => return Err(JournalError::io(&path, e)),
            }
        }
        if length > MAX_ID_BYTES {
            return Ok(None);
        }
        let file = self.ids.as_mut().expect("opened above");
        let mut bytes = vec![0u8; length as usize + 1];
        let read = file
            .seek(SeekFrom::Start(offset))
            .and_then(|_| file.read_exact(&mut bytes));
        match read {
            Ok(()) if bytes.pop() == Some(b'\n') => Ok(String::from_utf8(bytes).ok()),
            Ok(()) => Ok(None),
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(None),
            Err(e) => Err(JournalError::io(&path, e)),
        }
    }
}

/// Longest id read back from the overflow file (the writer never writes a longer one).
pub const MAX_ID_BYTES: u32 = 64 * 1024;

/// `<journal>.ids`: collaborator ids too long for a slot, one per line.
pub fn ids_path(journal: &Path) -> PathBuf {
    let mut name = journal.as_os_str().to_owned();
    name.push(".ids");
    PathBuf::from(name)
}
