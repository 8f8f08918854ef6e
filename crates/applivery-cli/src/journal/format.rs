//! The journal's bytes: a header naming the run's target, then one fixed-size slot per data row
//! of the input, at `HEADER_BYTES + position * SLOT_BYTES` (position 0 is the first data row).
//!
//! Fixed slots addressed by position are what keep resume flat: a resume reads the slots in
//! file order beside the input, one at a time, instead of loading an index of every row. A
//! slot is overwritten in place when its row moves on (`started` → `done`), so the journal is
//! [`SLOT_BYTES`] per row however many runs it took. Rows never journaled (invalid, not yet
//! reached) are holes that read as zeros: "never sent".
//!
//! Slot layout (little endian):
//!
//! | bytes | field |
//! |---|---|
//! | 0 | state: 0 empty, 1 started, 2 done |
//! | 1 | outcome of a `done` slot (see [`StoredOutcome`]) |
//! | 2 | flags: bit 0 ambiguous; bits 1-2 the id's form (none, 24 hex digits, text, overflow) |
//! | 3 | length of a text id |
//! | 4..8 | check: FNV-1a of the position and every other byte, so a torn or misplaced write is seen |
//! | 8..16 | the row's content fingerprint |
//! | 16..32 | the collaborator id: 12 bytes for 24 hex digits, up to 16 bytes of text, or the offset (8) and length (4) of an id in the `.ids` overflow file |

use serde::{Deserialize, Serialize};

use super::run_info::RunInfo;
use crate::outcome::{Outcome, RowOutcome};

/// The journal format version this build writes and reads.
pub const VERSION: u32 = 2;
/// Bytes before the first slot.
pub const HEADER_BYTES: u64 = 4096;
/// Bytes per row.
pub const SLOT_BYTES: usize = 32;
/// The header's first line, so that `head` shows what the file is.
pub const MAGIC: &[u8] = b"applivery import journal\n";

/// The header's second line (JSON), padded with spaces up to [`HEADER_BYTES`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Header {
    /// Format version.
    pub version: u32,
    /// Bytes per slot.
    pub slot_bytes: u32,
    /// What the journal's runs write to.
    #[serde(flatten)]
    pub run: RunInfo,
}

/// Why a header is not one this build can use.
#[derive(Debug, PartialEq, Eq)]
pub enum HeaderError {
    /// The JSON Lines journal of applivery before format 2.
    OldFormat,
    /// A newer format.
    Newer(u32),
    /// Not a journal at all.
    NotAJournal,
    /// The run's target does not fit in the header.
    TooLong,
}

/// Encodes the header of a new journal: exactly [`HEADER_BYTES`] long.
pub fn encode_header(run: &RunInfo) -> Result<Vec<u8>, HeaderError> {
    let header = Header {
        version: VERSION,
        slot_bytes: SLOT_BYTES as u32,
        run: run.clone(),
    };
    let mut bytes = MAGIC.to_vec();
    bytes.extend(serde_json::to_vec(&header).expect("a header always serializes"));
    bytes.push(b'\n');
    if bytes.len() > HEADER_BYTES as usize {
        return Err(HeaderError::TooLong);
    }
    bytes.resize(HEADER_BYTES as usize - 1, b' ');
    bytes.push(b'\n');
    Ok(bytes)
}

/// Whether `bytes`, the whole of a file shorter than a header, is a header whose writing was
/// cut short (or nothing): no slot can follow it, so it is safe to write the header afresh.
pub fn is_unfinished_header(bytes: &[u8]) -> bool {
    (bytes.len() as u64) < HEADER_BYTES
        && (MAGIC.starts_with(bytes) || bytes.starts_with(MAGIC))
        && !bytes.starts_with(b"{")
}

/// Decodes the header at the start of `bytes` (at least [`HEADER_BYTES`] of them).
pub fn decode_header(bytes: &[u8]) -> Result<Header, HeaderError> {
    if bytes.first() == Some(&b'{') {
        return Err(HeaderError::OldFormat);
    }
    let bytes = &bytes[..bytes.len().min(HEADER_BYTES as usize)];
    let rest = bytes.strip_prefix(MAGIC).ok_or(HeaderError::NotAJournal)?;
    let end = rest
        .iter()
        .position(|b| *b == b'\n')
        .ok_or(HeaderError::NotAJournal)?;
    let value: serde_json::Value =
        serde_json::from_slice(&rest[..end]).map_err(|_| HeaderError::NotAJournal)?;
    let version = value
        .get("version")
        .and_then(serde_json::Value::as_u64)
        .ok_or(HeaderError::NotAJournal)?;
    if version > u64::from(VERSION) {
        return Err(HeaderError::Newer(
            u32::try_from(version).unwrap_or(u32::MAX),
        ));
    }
    let header: Header = serde_json::from_value(value).map_err(|_| HeaderError::NotAJournal)?;
    if header.version != VERSION || header.slot_bytes != SLOT_BYTES as u32 {
        return Err(HeaderError::NotAJournal);
    }
    Ok(header)
}

/// A finished or unfinished outcome as a slot stores it (messages are not stored: rows that
/// failed are sent again, and finished ones only need their kind and id).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoredOutcome {
    /// Created.
    Created = 1,
    /// Already registered (4009 on a first attempt).
    AlreadyRegistered = 2,
    /// Already registered after an attempt that may have created it.
    AlreadyRegisteredAfterRetry = 3,
    /// Failed; sent again by the next run.
    Failed = 4,
    /// Not sent; sent by the next run.
    NotSent = 5,
}

impl StoredOutcome {
    /// How a row outcome is stored.
    pub fn of(outcome: &RowOutcome) -> StoredOutcome {
        match outcome.outcome {
            Outcome::Created => StoredOutcome::Created,
            Outcome::AlreadyRegistered if outcome.kind.as_deref() == Some(AFTER_RETRY_KIND) => {
                StoredOutcome::AlreadyRegisteredAfterRetry
            }
            // Skipped rows are not journaled (the next run lists again); the user exists.
            Outcome::AlreadyRegistered | Outcome::SkippedExisting => {
                StoredOutcome::AlreadyRegistered
            }
            Outcome::Failed | Outcome::Invalid => StoredOutcome::Failed,
            Outcome::NotSent => StoredOutcome::NotSent,
        }
    }

    fn from_byte(byte: u8) -> Option<StoredOutcome> {
        Some(match byte {
            1 => StoredOutcome::Created,
            2 => StoredOutcome::AlreadyRegistered,
            3 => StoredOutcome::AlreadyRegisteredAfterRetry,
            4 => StoredOutcome::Failed,
            5 => StoredOutcome::NotSent,
            _ => return None,
        })
    }

    /// Whether the user exists: the row is never sent again.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            StoredOutcome::Created
                | StoredOutcome::AlreadyRegistered
                | StoredOutcome::AlreadyRegisteredAfterRetry
        )
    }

    /// The outcome for the results file of a later run.
    pub fn to_outcome(self, id: Option<String>) -> RowOutcome {
        match self {
            StoredOutcome::Created => RowOutcome {
                collaborator_id: id,
                ..RowOutcome::created(String::new())
            },
            StoredOutcome::AlreadyRegistered => RowOutcome::with_kind(
                Outcome::AlreadyRegistered,
                "already_registered",
                "the user already exists (recorded by an earlier run)",
            ),
            StoredOutcome::AlreadyRegisteredAfterRetry => RowOutcome::with_kind(
                Outcome::AlreadyRegistered,
                AFTER_RETRY_KIND,
                "the user exists; an earlier attempt of this import may have created it",
            ),
            StoredOutcome::Failed => RowOutcome::with_kind(Outcome::Failed, "failed", ""),
            StoredOutcome::NotSent => RowOutcome::not_sent(),
        }
    }
}

const AFTER_RETRY_KIND: &str = "already_registered_after_retry";

/// Where a slot's collaborator id is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoredId {
    /// No id.
    None,
    /// Stored in the slot.
    Inline(String),
    /// In the `.ids` overflow file, `length` bytes at `offset`.
    Overflow {
        /// Byte offset.
        offset: u64,
        /// Byte length.
        length: u32,
    },
}

/// One slot, decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Slot {
    /// Never written: the row was never sent.
    Empty,
    /// Written but unreadable (a write torn by a crash): the row may have been sent.
    Torn,
    /// The row's request may have left; no outcome recorded.
    Started {
        /// Content fingerprint.
        fingerprint: u64,
    },
    /// The row got an outcome.
    Done {
        /// Content fingerprint.
        fingerprint: u64,
        /// What happened.
        outcome: StoredOutcome,
        /// The attempt may have created the user.
        ambiguous: bool,
        /// The collaborator id.
        id: StoredId,
    },
}

const STATE_STARTED: u8 = 1;
const STATE_DONE: u8 = 2;
const ID_NONE: u8 = 0;
const ID_HEX24: u8 = 1;
const ID_TEXT: u8 = 2;
const ID_OVERFLOW: u8 = 3;
const INLINE_ID_BYTES: usize = 16;

/// How an id will be stored: `None` when it needs the overflow file.
pub fn inline_id(id: &str) -> Option<StoredId> {
    (is_hex24(id) || id.len() <= INLINE_ID_BYTES).then(|| StoredId::Inline(id.to_owned()))
}

fn is_hex24(id: &str) -> bool {
    id.len() == 24
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Encodes `slot` for `position`. `Empty` and `Torn` encode as zeros.
pub fn encode_slot(position: u64, slot: &Slot) -> [u8; SLOT_BYTES] {
    let mut bytes = [0u8; SLOT_BYTES];
    match slot {
        Slot::Empty | Slot::Torn => return bytes,
        Slot::Started { fingerprint } => {
            bytes[0] = STATE_STARTED;
            bytes[8..16].copy_from_slice(&fingerprint.to_le_bytes());
        }
        Slot::Done {
            fingerprint,
            outcome,
            ambiguous,
            id,
        } => {
            bytes[0] = STATE_DONE;
            bytes[1] = *outcome as u8;
            let form = match id {
                StoredId::None => ID_NONE,
                StoredId::Inline(text) if is_hex24(text) => {
                    for (i, pair) in text.as_bytes().chunks(2).enumerate() {
                        bytes[16 + i] = hex_value(pair[0]) << 4 | hex_value(pair[1]);
                    }
                    ID_HEX24
                }
                StoredId::Inline(text) => {
                    let text = &text.as_bytes()[..text.len().min(INLINE_ID_BYTES)];
                    bytes[3] = text.len() as u8;
                    bytes[16..16 + text.len()].copy_from_slice(text);
                    ID_TEXT
                }
                StoredId::Overflow { offset, length } => {
                    bytes[16..24].copy_from_slice(&offset.to_le_bytes());
                    bytes[24..28].copy_from_slice(&length.to_le_bytes());
                    ID_OVERFLOW
                }
            };
            bytes[2] = u8::from(*ambiguous) | form << 1;
            bytes[8..16].copy_from_slice(&fingerprint.to_le_bytes());
        }
    }
    let check = check(position, &bytes);
    bytes[4..8].copy_from_slice(&check.to_le_bytes());
    bytes
}

/// Decodes the slot of `position`; anything inconsistent is [`Slot::Torn`].
pub fn decode_slot(position: u64, bytes: &[u8; SLOT_BYTES]) -> Slot {
    if bytes.iter().all(|b| *b == 0) {
        return Slot::Empty;
    }
    let stored = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]);
    if stored != check(position, bytes) {
        return Slot::Torn;
    }
    let fingerprint = u64::from_le_bytes(bytes[8..16].try_into().expect("8 bytes"));
    match bytes[0] {
        STATE_STARTED => Slot::Started { fingerprint },
        STATE_DONE => {
            let Some(outcome) = StoredOutcome::from_byte(bytes[1]) else {
                return Slot::Torn;
            };
            let id = match bytes[2] >> 1 {
                ID_NONE => StoredId::None,
                ID_HEX24 => {
                    StoredId::Inline(bytes[16..28].iter().map(|b| format!("{b:02x}")).collect())
                }
                ID_TEXT => {
                    let length = usize::from(bytes[3]).min(INLINE_ID_BYTES);
                    match std::str::from_utf8(&bytes[16..16 + length]) {
                        Ok(text) => StoredId::Inline(text.to_owned()),
                        Err(_) => return Slot::Torn,
                    }
                }
                ID_OVERFLOW => StoredId::Overflow {
                    offset: u64::from_le_bytes(bytes[16..24].try_into().expect("8 bytes")),
                    length: u32::from_le_bytes(bytes[24..28].try_into().expect("4 bytes")),
                },
                _ => return Slot::Torn,
            };
            Slot::Done {
                fingerprint,
                outcome,
                ambiguous: bytes[2] & 1 == 1,
                id,
            }
        }
        _ => Slot::Torn,
    }
}

fn hex_value(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        _ => digit - b'a' + 10,
    }
}

/// FNV-1a over the position and the slot without its check field, folded to 32 bits.
fn check(position: u64, bytes: &[u8; SLOT_BYTES]) -> u32 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET;
    for &byte in position
        .to_le_bytes()
        .iter()
        .chain(&bytes[..4])
        .chain(&bytes[8..])
    {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(PRIME);
    }
    (hash ^ (hash >> 32)) as u32
}

/// What a whole journal's bytes hold, for inspection and fuzzing: the header, then every
/// slot decoded. Never panics, whatever the bytes.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Contents {
    /// The header, if readable.
    pub header: Option<Header>,
    /// Slots that say `started`.
    pub started: u64,
    /// Slots with a final outcome.
    pub finished: u64,
    /// Slots with an outcome to retry.
    pub unfinished: u64,
    /// Slots that could not be read.
    pub torn: u64,
    /// Slots never written.
    pub empty: u64,
}

/// Reads the bytes of a journal file (see [`Contents`]).
pub fn read_journal_bytes(bytes: &[u8]) -> Result<Contents, HeaderError> {
    if bytes.len() < HEADER_BYTES as usize {
        if is_unfinished_header(bytes) {
            return Ok(Contents::default());
        }
        return Err(decode_header(bytes)
            .err()
            .unwrap_or(HeaderError::NotAJournal));
    }
    let mut contents = Contents {
        header: Some(decode_header(bytes)?),
        ..Contents::default()
    };
    // A last slot cut short by a crash reads as torn.
    for (position, chunk) in bytes[HEADER_BYTES as usize..]
        .chunks(SLOT_BYTES)
        .enumerate()
    {
        let mut slot = [0u8; SLOT_BYTES];
        slot[..chunk.len()].copy_from_slice(chunk);
        let decoded = if chunk.len() < SLOT_BYTES {
            Slot::Torn
        } else {
            decode_slot(position as u64, &slot)
        };
        match decoded {
            Slot::Empty => contents.empty += 1,
            Slot::Torn => contents.torn += 1,
            Slot::Started { .. } => contents.started += 1,
            Slot::Done { outcome, .. } if outcome.is_final() => contents.finished += 1,
            Slot::Done { .. } => contents.unfinished += 1,
        }
    }
    Ok(contents)
}
