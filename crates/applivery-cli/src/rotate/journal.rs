//! The journal of a rotation: which users it is about (resolved once, so that a resumed run
//! rotates the same users whatever the list says then) and which of them are done.
//!
//! Two files: `PATH.ids` (`collaboratorId,email`, written whole before anything is sent, then
//! renamed into place) and `PATH` (a header line, then `sent ID` before a request leaves and
//! `done ID` once the user's new secret is in the secrets file). Each line is handed to the
//! operating system at once, so a killed run loses none; `done` always follows the secret's
//! line, so a user without `done` is rotated again on resume and the last line for every user
//! in the secrets file is the secret in force.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use super::selection::Selected;

/// The first line, naming the format and what the run is for.
#[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
#[serde(rename_all = "camelCase")]
struct Header {
    applivery_rotation_journal: u32,
    organization: String,
    base_url: String,
}

/// An open journal.
pub struct RotationJournal {
    path: PathBuf,
    file: File,
}

/// What an existing journal says.
pub struct Resumed {
    /// The users of the run, in order.
    pub selected: Vec<Selected>,
    /// Those whose new secret is written.
    pub done: HashSet<String>,
}

/// The id list beside the journal.
pub fn ids_path(journal: &Path) -> PathBuf {
    let mut name = journal.as_os_str().to_owned();
    name.push(".ids");
    PathBuf::from(name)
}

impl RotationJournal {
    /// Reads the journal at `path` if one exists: it must be for the same organization and
    /// server.
    pub fn read(
        path: &Path,
        organization: &str,
        base_url: &str,
    ) -> Result<Option<Resumed>, String> {
        let file = match File::open(path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("journal {}: {e}", path.display())),
        };
        let fail = |e: &dyn std::fmt::Display| format!("journal {}: {e}", path.display());
        let mut lines = BufReader::new(file).lines();
        let header: Header = match lines.next() {
            Some(line) => {
                serde_json::from_str(&line.map_err(|e| fail(&e))?).map_err(|e| fail(&e))?
            }
            None => {
                return Err(fail(
                    &"empty: not a rotation journal (remove it to start over)",
                ));
            }
        };
        let expected = Header {
            applivery_rotation_journal: 1,
            organization: organization.to_owned(),
            base_url: base_url.to_owned(),
        };
        if header != expected {
            return Err(fail(&format!(
                "is for organization {} at {}, not this run; choose another --journal or remove it",
                header.organization, header.base_url
            )));
        }
        let mut done = HashSet::new();
        for line in lines {
            let line = line.map_err(|e| fail(&e))?;
            if let Some(id) = line.strip_prefix("done ") {
                done.insert(id.to_owned());
            }
        }
        let selected = super::selection::read_ids(&ids_path(path)).map_err(|e| fail(&e))?;
        Ok(Some(Resumed { selected, done }))
    }

    /// Starts a journal at `path` for `selected`: the id list first, then the header.
    pub fn create(
        path: &Path,
        organization: &str,
        base_url: &str,
        selected: &[Selected],
    ) -> Result<RotationJournal, String> {
        super::selection::write_ids(&ids_path(path), selected)?;
        let header = Header {
            applivery_rotation_journal: 1,
            organization: organization.to_owned(),
            base_url: base_url.to_owned(),
        };
        let mut journal = Self::open(path, false)?;
        let line = serde_json::to_string(&header).expect("a header serializes");
        journal.line(&line)?;
        journal.sync()?;
        Ok(journal)
    }

    /// Opens `path` for appending (`existing`: it must exist).
    pub fn open(path: &Path, existing: bool) -> Result<RotationJournal, String> {
        let mut options = OpenOptions::new();
        options.append(true).create(!existing);
        let file = crate::output_file::open(path, &mut options, true)
            .map_err(|e| format!("journal {}: {e}", path.display()))?;
        Ok(RotationJournal {
            path: path.to_path_buf(),
            file,
        })
    }

    /// Records that a request for `id` is about to leave.
    pub fn sent(&mut self, id: &str) -> Result<(), String> {
        self.line(&format!("sent {id}"))
    }

    /// Records that `id`'s new secret is in the secrets file.
    pub fn done(&mut self, id: &str) -> Result<(), String> {
        self.line(&format!("done {id}"))
    }

    fn line(&mut self, line: &str) -> Result<(), String> {
        // One write per line: a kill never leaves half of one followed by another.
        let mut bytes = Vec::with_capacity(line.len() + 1);
        bytes.extend_from_slice(line.as_bytes());
        bytes.push(b'\n');
        self.file
            .write_all(&bytes)
            .map_err(|e| format!("cannot write journal {}: {e}", self.path.display()))
    }

    /// Syncs the journal to disk.
    pub fn sync(&mut self) -> Result<(), String> {
        self.file
            .sync_data()
            .map_err(|e| format!("cannot sync journal {}: {e}", self.path.display()))
    }
}
