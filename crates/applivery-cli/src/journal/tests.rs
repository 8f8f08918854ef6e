use std::io::{Seek, SeekFrom, Write};

use super::format::{self, HEADER_BYTES, SLOT_BYTES, Slot, StoredId, StoredOutcome};
use super::*;
use crate::outcome::{Outcome, RowOutcome};

fn run() -> RunInfo {
    RunInfo {
        input: "users.csv".into(),
        organization: "demo-org".into(),
        base_url: "http://127.0.0.1:1".into(),
    }
}

fn lookups(path: &std::path::Path, rows: &[(u64, u64)]) -> Vec<Lookup> {
    let state = JournalState::open(path, &run()).unwrap();
    let mut cursor = state.cursor().unwrap();
    rows.iter()
        .map(|(position, fingerprint)| cursor.lookup(*position, *fingerprint).unwrap())
        .collect()
}

#[tokio::test]
async fn resume_skips_finished_rows_and_resends_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("users.csv.journal");
    let journal = Journal::open(&path, &run()).unwrap();
    let handle = journal.handle();
    for position in 0..=4 {
        handle.started(position, 100 + position).await.unwrap();
    }
    let long_id = "an-id-longer-than-sixteen-bytes-0123456789";
    handle.done(
        0,
        100,
        &RowOutcome::created("5f3a9c0e1b2c3d4e5f6a7b8c".into()),
    );
    handle.done(
        1,
        101,
        &RowOutcome::with_kind(Outcome::AlreadyRegistered, "already_registered", "exists"),
    );
    let mut timeout = RowOutcome::with_kind(Outcome::Failed, "timeout", "no answer");
    timeout.ambiguous = true;
    handle.done(2, 102, &timeout);
    handle.done(
        3,
        103,
        &RowOutcome::with_kind(Outcome::Failed, "unauthorized", "bad key"),
    );
    handle.done(6, 106, &RowOutcome::created(long_id.into()));
    handle.done(7, 107, &RowOutcome::created("short-id".into()));
    journal.close().await.unwrap();

    let found = lookups(
        &path,
        &[
            (0, 100),
            (1, 101),
            (2, 102),
            (3, 103),
            (4, 104),
            (5, 105),
            (6, 106),
            (7, 107),
            (8, 999),
        ],
    );
    assert_eq!(
        found[0],
        Lookup::Finished(RowOutcome::created("5f3a9c0e1b2c3d4e5f6a7b8c".into()))
    );
    assert!(
        matches!(&found[1], Lookup::Finished(o) if o.outcome == Outcome::AlreadyRegistered),
        "{:?}",
        found[1]
    );
    assert_eq!(found[2], Lookup::Unfinished { ambiguous: true });
    assert_eq!(found[3], Lookup::Unfinished { ambiguous: false });
    assert_eq!(found[4], Lookup::Unfinished { ambiguous: true });
    assert_eq!(found[5], Lookup::New);
    assert_eq!(
        found[6],
        Lookup::Finished(RowOutcome::created(long_id.into()))
    );
    assert_eq!(
        found[7],
        Lookup::Finished(RowOutcome::created("short-id".into()))
    );
    assert_eq!(found[8], Lookup::New);
    // Another content at a known position was edited: sent as new.
    assert_eq!(lookups(&path, &[(0, 999)]), [Lookup::Changed]);
    // Skipping positions reads the right slots.
    assert_eq!(
        lookups(&path, &[(3, 103), (7, 107)])[0],
        Lookup::Unfinished { ambiguous: false }
    );
    // The journal is the header plus one slot per row up to the last journaled one.
    let size = std::fs::metadata(&path).unwrap().len();
    assert_eq!(size, HEADER_BYTES + 8 * SLOT_BYTES as u64);
}

#[tokio::test]
async fn a_torn_slot_is_unfinished_and_the_next_run_rewrites_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j");
    let journal = Journal::open(&path, &run()).unwrap();
    journal.handle().started(0, 1).await.unwrap();
    journal.handle().started(1, 2).await.unwrap();
    journal
        .handle()
        .done(1, 2, &RowOutcome::created("id".into()));
    journal.close().await.unwrap();
    // A crash tore the write of slot 1 (a byte of its id differs) and cut slot 2 short.
    let mut file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.seek(SeekFrom::Start(HEADER_BYTES + SLOT_BYTES as u64 + 17))
        .unwrap();
    file.write_all(b"X").unwrap();
    file.seek(SeekFrom::End(0)).unwrap();
    file.write_all(&[2, 1, 0]).unwrap();
    drop(file);
    let state = JournalState::open(&path, &run()).unwrap();
    let mut cursor = state.cursor().unwrap();
    assert_eq!(
        cursor.lookup(0, 1).unwrap(),
        Lookup::Unfinished { ambiguous: true }
    );
    assert_eq!(
        cursor.lookup(1, 2).unwrap(),
        Lookup::Unfinished { ambiguous: true }
    );
    assert_eq!(
        cursor.lookup(2, 3).unwrap(),
        Lookup::Unfinished { ambiguous: true }
    );
    assert_eq!(cursor.unreadable, 2);

    let journal = Journal::open(&path, &run()).unwrap();
    journal
        .handle()
        .done(1, 2, &RowOutcome::created("id".into()));
    journal.close().await.unwrap();
    assert_eq!(
        lookups(&path, &[(1, 2)]),
        [Lookup::Finished(RowOutcome::created("id".into()))]
    );
}

#[tokio::test]
async fn a_journal_of_another_organization_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j");
    Journal::open(&path, &run()).unwrap().close().await.unwrap();
    let mut other = run();
    other.organization = "other-org".into();
    let error = JournalState::open(&path, &other).unwrap_err();
    assert!(error.to_string().contains("demo-org"), "{error}");
    let mut other = run();
    other.base_url = "https://api.applivery.io".into();
    assert!(JournalState::open(&path, &other).is_err());
}

#[test]
fn an_old_journal_is_named_and_another_file_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.journal");
    std::fs::write(
        &old,
        "{\"event\":\"open\",\"version\":1,\"input\":\"u.csv\",\"organization\":\"demo-org\",\"base_url\":\"http://127.0.0.1:1\"}\n",
    )
    .unwrap();
    let error = JournalState::open(&old, &run()).unwrap_err().to_string();
    assert!(error.contains("earlier applivery"), "{error}");
    assert!(error.contains("upgrades it"), "{error}");
    assert!(Journal::open(&old, &run()).is_err(), "never overwritten");

    let other = dir.path().join("notes.txt");
    std::fs::write(&other, "my notes\n").unwrap();
    let error = JournalState::open(&other, &run()).unwrap_err().to_string();
    assert!(error.contains("not an applivery import journal"), "{error}");
    assert!(Journal::open(&other, &run()).is_err());
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "my notes\n");
}

#[tokio::test]
async fn a_header_cut_short_is_a_new_journal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j");
    std::fs::write(&path, &format::MAGIC[..10]).unwrap();
    assert_eq!(lookups(&path, &[(0, 1)]), [Lookup::New]);
    let journal = Journal::open(&path, &run()).unwrap();
    journal.handle().started(0, 1).await.unwrap();
    journal.close().await.unwrap();
    assert_eq!(
        lookups(&path, &[(0, 1)]),
        [Lookup::Unfinished { ambiguous: true }]
    );
}

#[test]
fn slots_round_trip_and_a_slot_at_the_wrong_position_is_torn() {
    let slots = [
        Slot::Started { fingerprint: 7 },
        Slot::Done {
            fingerprint: u64::MAX,
            outcome: StoredOutcome::AlreadyRegisteredAfterRetry,
            ambiguous: true,
            id: StoredId::None,
        },
        Slot::Done {
            fingerprint: 1,
            outcome: StoredOutcome::Created,
            ambiguous: false,
            id: StoredId::Inline("0123456789abcdef01234567".into()),
        },
        Slot::Done {
            fingerprint: 2,
            outcome: StoredOutcome::Created,
            ambiguous: false,
            id: StoredId::Overflow {
                offset: 12,
                length: 40,
            },
        },
    ];
    for slot in slots {
        let bytes = format::encode_slot(41, &slot);
        assert_eq!(format::decode_slot(41, &bytes), slot);
        assert_eq!(format::decode_slot(42, &bytes), Slot::Torn);
    }
}

#[test]
fn reading_any_bytes_never_panics() {
    let header = format::encode_header(&run()).unwrap();
    assert_eq!(header.len() as u64, HEADER_BYTES);
    let mut bytes = header.clone();
    bytes.extend(format::encode_slot(0, &Slot::Started { fingerprint: 9 }));
    bytes.extend([0u8; SLOT_BYTES]);
    bytes.extend([0xffu8; SLOT_BYTES + 5]);
    let contents = read_journal_bytes(&bytes).unwrap();
    assert_eq!(contents.header.unwrap().run, run());
    assert_eq!((contents.started, contents.empty, contents.torn), (1, 1, 2));
    for cut in [0, 1, 30, 4095, 4096, 4100] {
        let _ = read_journal_bytes(&bytes[..cut.min(bytes.len())]);
    }
    assert!(read_journal_bytes(b"{\"event\":\"open\"}\n").is_err());
}

#[test]
fn a_missing_journal_is_empty_and_the_default_path_is_next_to_the_input() {
    let state = JournalState::open(std::path::Path::new("/nonexistent/j"), &run()).unwrap();
    assert_eq!(state.cursor().unwrap().lookup(0, 1).unwrap(), Lookup::New);
    assert_eq!(
        default_path(std::path::Path::new("data/users.csv")),
        std::path::PathBuf::from("data/users.csv.journal")
    );
}

#[test]
fn upgrading_a_format_1_journal_of_another_target_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("users.csv");
    std::fs::write(&input, "email\na@example.com\n").unwrap();
    let path = dir.path().join("users.csv.journal");
    let old = "{\"event\":\"open\",\"version\":1,\"input\":\"users.csv\",\"organization\":\"other-org\",\"base_url\":\"http://127.0.0.1:1\"}\n";
    std::fs::write(&path, old).unwrap();
    let error = upgrade(&path, &run(), &input, None).unwrap_err();
    assert!(error.contains("other-org"), "{error}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), old);
}
