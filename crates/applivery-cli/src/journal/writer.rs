//! Writing the journal durably, with group commit.
//!
//! One thread owns the file. Requests send it slot updates; it writes whatever has queued up
//! (each slot in place), then `sync_data` once for the whole batch, then acknowledges. A `started` entry is
//! acknowledged only once it is on disk, and the row's request waits for that: a row is never
//! sent without a durable trace. `done` entries ride along without waiting; losing one in a
//! crash only makes that row look unfinished, so it is re-sent and the server's 4009 records it
//! as already registered, never created twice. With many requests in flight one sync covers
//! many entries, so durability costs little throughput.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread::JoinHandle;

use tokio::sync::oneshot;

use super::cursor::{MAX_ID_BYTES, ids_path};
use super::format::{self, HEADER_BYTES, SLOT_BYTES, Slot, StoredId, StoredOutcome, VERSION};
use super::run_info::RunInfo;
use crate::outcome::RowOutcome;

/// Why the journal cannot be used.
#[derive(Debug)]
pub enum JournalError {
    /// Reading or writing failed.
    Io {
        /// The journal.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// An earlier version of this tool wrote it, in a format this one no longer reads.
    OldFormat {
        /// The journal.
        path: PathBuf,
    },
    /// The file is not a journal (refused rather than overwritten).
    NotAJournal {
        /// The file.
        path: PathBuf,
    },
    /// A newer version of this tool wrote it.
    NewerVersion {
        /// The journal.
        path: PathBuf,
        /// Its version.
        version: u32,
    },
    /// It records an import into another organization or API.
    OtherTarget {
        /// The journal.
        path: PathBuf,
        /// The organization it was written for.
        organization: String,
        /// The base URL it was written for.
        base_url: String,
    },
    /// Another import holds the journal's lock.
    Busy {
        /// The journal.
        path: PathBuf,
    },
    /// The writer stopped after an earlier failure.
    Stopped(String),
}

impl JournalError {
    pub(crate) fn io(path: &Path, source: io::Error) -> JournalError {
        JournalError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

impl fmt::Display for JournalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JournalError::Io { path, source } => {
                write!(f, "journal {}: {source}", path.display())
            }
            JournalError::OldFormat { path } => write!(
                f,
                "journal {} was written by an earlier applivery (format 1, one JSON line per \
                 event); resuming the import upgrades it (the old one is kept as .v1)",
                path.display()
            ),
            JournalError::NotAJournal { path } => write!(
                f,
                "{} is not an applivery import journal (or its run target is too long to \
                 record); pass another --journal",
                path.display()
            ),
            JournalError::NewerVersion { path, version } => write!(
                f,
                "journal {} has format version {version}, newer than this tool's {VERSION}; \
                 upgrade `applivery` or pass another --journal",
                path.display()
            ),
            JournalError::OtherTarget {
                path,
                organization,
                base_url,
            } => write!(
                f,
                "journal {} records an import into organization {organization} at {base_url}; \
                 pass another --journal (or delete it) to import elsewhere",
                path.display()
            ),
            JournalError::Busy { path } => write!(
                f,
                "journal {} is in use by another import; wait for it to finish, or pass another \
                 --journal",
                path.display()
            ),
            JournalError::Stopped(message) => write!(f, "journal: {message}"),
        }
    }
}

impl std::error::Error for JournalError {}

enum Message {
    Write {
        position: u64,
        update: Update,
        durable: Option<oneshot::Sender<Result<(), String>>>,
    },
    Close(oneshot::Sender<Result<(), String>>),
}

/// What a slot becomes.
enum Update {
    Started {
        fingerprint: u64,
    },
    Done {
        fingerprint: u64,
        outcome: StoredOutcome,
        ambiguous: bool,
        id: Option<String>,
    },
}

/// The open journal of a run; [`Journal::handle`]s write to it from any task.
pub struct Journal {
    handle: JournalHandle,
    thread: Option<JoinHandle<()>>,
}

/// A cheap, cloneable way to write to the journal.
#[derive(Clone)]
pub struct JournalHandle {
    sender: mpsc::Sender<Message>,
}

impl Journal {
    /// Opens the journal at `path` for writing, creating it with its header for `run` when it
    /// does not exist yet (or holds only a header cut short). An existing journal must have
    /// been checked with [`super::JournalState::open`] first.
    pub fn open(path: &Path, run: &RunInfo) -> Result<Journal, JournalError> {
        let mut options = OpenOptions::new();
        options.create(true).truncate(false).read(true).write(true);
        // No link followed; a regular file of ours with one link (crate::output_file).
        let mut file = crate::output_file::open(path, &mut options, false)
            .map_err(|e| JournalError::io(path, e))?;
        let mut head = Vec::new();
        (&mut file)
            .take(HEADER_BYTES)
            .read_to_end(&mut head)
            .map_err(|e| JournalError::io(path, e))?;
        if (head.len() as u64) < HEADER_BYTES {
            if !format::is_unfinished_header(&head) {
                return Err(super::cursor::header_error(
                    path,
                    format::decode_header(&head)
                        .err()
                        .unwrap_or(format::HeaderError::NotAJournal),
                ));
            }
            let header =
                format::encode_header(run).map_err(|e| super::cursor::header_error(path, e))?;
            file.seek(SeekFrom::Start(0))
                .and_then(|_| file.write_all(&header))
                .and_then(|()| file.sync_data())
                .map_err(|e| JournalError::io(path, e))?;
        } else {
            format::decode_header(&head).map_err(|e| super::cursor::header_error(path, e))?;
        }
        let (sender, receiver) = mpsc::channel();
        let path_for_thread = path.to_path_buf();
        let thread = std::thread::Builder::new()
            .name("journal".to_owned())
            .spawn(move || write_loop(file, &path_for_thread, receiver))
            .map_err(|e| JournalError::io(path, e))?;
        Ok(Journal {
            handle: JournalHandle { sender },
            thread: Some(thread),
        })
    }

    /// A handle for writing.
    pub fn handle(&self) -> JournalHandle {
        self.handle.clone()
    }

    /// Syncs everything written so far and stops the writer.
    pub async fn close(mut self) -> Result<(), JournalError> {
        let (ack, done) = oneshot::channel();
        let sent = self.handle.sender.send(Message::Close(ack)).is_ok();
        let result = if sent {
            done.await
                .unwrap_or_else(|_| Err("the writer stopped".to_owned()))
        } else {
            Err("the writer stopped".to_owned())
        };
        if let Some(thread) = self.thread.take() {
            // The thread has answered Close and returns right after.
            let _ = tokio::task::spawn_blocking(move || thread.join()).await;
        }
        result.map_err(JournalError::Stopped)
    }
}

impl JournalHandle {
    /// Records that the row at `position` may be sent from now on; returns once that is on
    /// disk.
    pub async fn started(&self, position: u64, fingerprint: u64) -> Result<(), JournalError> {
        self.begin_started(position, fingerprint).wait().await
    }

    /// Queues the `started` record and returns at once; the request must [`Durable::wait`]
    /// before it leaves. Lets the import journal the next rows while earlier ones are in
    /// flight, so the sync is off the critical path.
    pub fn begin_started(&self, position: u64, fingerprint: u64) -> Durable {
        let (ack, durable) = oneshot::channel();
        let sent = self.sender.send(Message::Write {
            position,
            update: Update::Started { fingerprint },
            durable: Some(ack),
        });
        Durable(sent.is_ok().then_some(durable))
    }

    /// Records a row's outcome (synced with the next batch; see the module docs for why that
    /// is enough).
    pub fn done(&self, position: u64, fingerprint: u64, outcome: &RowOutcome) {
        let update = Update::Done {
            fingerprint,
            outcome: StoredOutcome::of(outcome),
            ambiguous: outcome.ambiguous,
            id: outcome.collaborator_id.clone(),
        };
        // If the writer is gone, `close` reports why.
        let _ = self.sender.send(Message::Write {
            position,
            update,
            durable: None,
        });
    }
}

/// A `started` record on its way to disk.
pub struct Durable(Option<oneshot::Receiver<Result<(), String>>>);

impl Durable {
    /// Waits until the record is on disk.
    pub async fn wait(self) -> Result<(), JournalError> {
        let Some(durable) = self.0 else {
            return Err(JournalError::Stopped("the writer stopped".to_owned()));
        };
        durable
            .await
            .unwrap_or_else(|_| Err("the writer stopped".to_owned()))
            .map_err(JournalError::Stopped)
    }
}

/// Most records written between two syncs; bounds the latency of a `started` acknowledgement.
const MAX_BATCH: usize = 4096;

/// The file and the overflow file of long ids, opened on first use.
struct Files<'a> {
    journal: File,
    path: &'a Path,
    ids: Option<File>,
    ids_written: bool,
}

impl Files<'_> {
    fn write(&mut self, position: u64, update: Update) -> io::Result<()> {
        let slot = match update {
            Update::Started { fingerprint } => Slot::Started { fingerprint },
            Update::Done {
                fingerprint,
                outcome,
                ambiguous,
                id,
            } => Slot::Done {
                fingerprint,
                outcome,
                ambiguous,
                id: match id {
                    None => StoredId::None,
                    Some(id) => match format::inline_id(&id) {
                        Some(inline) => inline,
                        None => self.overflow(&id)?,
                    },
                },
            },
        };
        let bytes = format::encode_slot(position, &slot);
        let offset = HEADER_BYTES + position * SLOT_BYTES as u64;
        self.journal.seek(SeekFrom::Start(offset))?;
        self.journal.write_all(&bytes)
    }

    /// Appends a long id to the overflow file.
    fn overflow(&mut self, id: &str) -> io::Result<StoredId> {
        if id.len() > MAX_ID_BYTES as usize {
            return Ok(StoredId::None);
        }
        if self.ids.is_none() {
            self.ids = Some(crate::output_file::open(
                &ids_path(self.path),
                OpenOptions::new().create(true).append(true),
                false,
            )?);
        }
        let ids = self.ids.as_mut().expect("opened above");
        let offset = ids.seek(SeekFrom::End(0))?;
        ids.write_all(format!("{id}\n").as_bytes())?;
        self.ids_written = true;
        Ok(StoredId::Overflow {
            offset,
            length: id.len() as u32,
        })
    }

    /// Ids first: a synced slot must not point at an id that is not.
    fn sync(&mut self) -> io::Result<()> {
        if std::mem::take(&mut self.ids_written)
            && let Some(ids) = &self.ids
        {
            ids.sync_data()?;
        }
        self.journal.sync_data()
    }
}

fn write_loop(file: File, path: &Path, receiver: mpsc::Receiver<Message>) {
    let mut files = Files {
        journal: file,
        path,
        ids: None,
        ids_written: false,
    };
    let mut failure: Option<String> = None;
    let mut acks = Vec::new();
    while let Ok(first) = receiver.recv() {
        let mut close = None;
        let mut message = Some(first);
        let mut batch = 0;
        while let Some(next) = message.take() {
            match next {
                Message::Write {
                    position,
                    update,
                    durable,
                } => {
                    if failure.is_none()
                        && let Err(e) = files.write(position, update)
                    {
                        failure = Some(format!("cannot write {}: {e}", path.display()));
                    }
                    acks.extend(durable);
                }
                Message::Close(ack) => {
                    close = Some(ack);
                    break;
                }
            }
            batch += 1;
            if batch < MAX_BATCH {
                message = receiver.try_recv().ok();
            }
        }
        if failure.is_none()
            && let Err(e) = files.sync()
        {
            failure = Some(format!("cannot sync {}: {e}", path.display()));
        }
        let result = failure.clone().map_or(Ok(()), Err);
        for ack in acks.drain(..) {
            let _ = ack.send(result.clone());
        }
        if let Some(ack) = close {
            let _ = ack.send(result);
            return;
        }
    }
}
