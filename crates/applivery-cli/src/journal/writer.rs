//! Appending to the journal durably, with group commit.
//!
//! One thread owns the file. Requests send it entries; it writes whatever has queued up, then
//! `flush` + `sync_data` once for the whole batch, then acknowledges. A `started` entry is
//! acknowledged only once it is on disk, and the row's request waits for that: a row is never
//! sent without a durable trace. `done` entries ride along without waiting; losing one in a
//! crash only makes that row look unfinished, so it is re-sent and the server's 4009 records it
//! as already registered, never created twice. With many requests in flight one sync covers
//! many entries, so durability costs little throughput.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread::JoinHandle;

use tokio::sync::oneshot;

use super::entry::{Entry, RunInfo, VERSION, fingerprint_hex};
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
    Append {
        text: String,
        durable: Option<oneshot::Sender<Result<(), String>>>,
    },
    Close(oneshot::Sender<Result<(), String>>),
}

/// The open journal of a run; [`Journal::handle`]s append to it from any task.
pub struct Journal {
    handle: JournalHandle,
    thread: Option<JoinHandle<()>>,
}

/// A cheap, cloneable way to append to the journal.
#[derive(Clone)]
pub struct JournalHandle {
    sender: mpsc::Sender<Message>,
}

impl Journal {
    /// Opens (or creates) the journal at `path` for appending and records the start of a run.
    pub fn open(path: &Path, run: &RunInfo) -> Result<Journal, JournalError> {
        let mut file = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(path)
            .map_err(|e| JournalError::io(path, e))?;
        let mut head = String::new();
        if ends_without_newline(&mut file).map_err(|e| JournalError::io(path, e))? {
            // The last run was killed in the middle of a line: end it so ours parse.
            head.push('\n');
        }
        head.push_str(
            &Entry::Open {
                version: VERSION,
                run: run.clone(),
            }
            .to_line(),
        );
        file.write_all(head.as_bytes())
            .and_then(|()| file.sync_data())
            .map_err(|e| JournalError::io(path, e))?;
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

    /// A handle for appending.
    pub fn handle(&self) -> JournalHandle {
        self.handle.clone()
    }

    /// Syncs everything appended so far and stops the writer.
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
    /// Records that the row's request may leave from now on; returns once that is on disk.
    pub async fn started(&self, line: u64, fingerprint: u64) -> Result<(), JournalError> {
        self.begin_started(line, fingerprint).wait().await
    }

    /// Queues the `started` entry and returns at once; the request must [`Durable::wait`]
    /// before it leaves. Lets the import journal the next rows while earlier ones are in
    /// flight, so the sync is off the critical path.
    pub fn begin_started(&self, line: u64, fingerprint: u64) -> Durable {
        let entry = Entry::Started {
            line,
            row: fingerprint_hex(fingerprint),
        };
        let (ack, durable) = oneshot::channel();
        let sent = self.sender.send(Message::Append {
            text: entry.to_line(),
            durable: Some(ack),
        });
        Durable(sent.is_ok().then_some(durable))
    }

    /// Records a row's outcome (synced with the next batch; see the module docs for why that
    /// is enough).
    pub fn done(&self, line: u64, fingerprint: u64, outcome: &RowOutcome) {
        let text = Entry::done(line, fingerprint, outcome).to_line();
        // If the writer is gone, `close` reports why.
        let _ = self.sender.send(Message::Append {
            text,
            durable: None,
        });
    }
}

/// A `started` entry on its way to disk.
pub struct Durable(Option<oneshot::Receiver<Result<(), String>>>);

impl Durable {
    /// Waits until the entry is on disk.
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

fn ends_without_newline(file: &mut File) -> io::Result<bool> {
    let length = file.seek(SeekFrom::End(0))?;
    if length == 0 {
        return Ok(false);
    }
    file.seek(SeekFrom::End(-1))?;
    let mut last = [0u8];
    file.read_exact(&mut last)?;
    Ok(last[0] != b'\n')
}

/// Most entries written between two syncs; bounds the latency of a `started` acknowledgement.
const MAX_BATCH: usize = 4096;

fn write_loop(file: File, path: &Path, receiver: mpsc::Receiver<Message>) {
    let mut writer = BufWriter::with_capacity(256 * 1024, file);
    let mut failure: Option<String> = None;
    let mut acks = Vec::new();
    while let Ok(first) = receiver.recv() {
        let mut close = None;
        let mut message = Some(first);
        let mut batch = 0;
        while let Some(next) = message.take() {
            match next {
                Message::Append { text, durable } => {
                    if failure.is_none()
                        && let Err(e) = writer.write_all(text.as_bytes())
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
            && let Err(e) = writer.flush().and_then(|()| writer.get_ref().sync_data())
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
