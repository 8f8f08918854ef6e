use std::io::Write;

use super::*;
use crate::outcome::{Outcome, RowOutcome};

fn run() -> RunInfo {
    RunInfo {
        input: "users.csv".into(),
        organization: "demo-org".into(),
        base_url: "http://127.0.0.1:1".into(),
    }
}

#[tokio::test]
async fn resume_skips_finished_rows_and_resends_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("users.csv.journal");
    let journal = Journal::open(&path, &run()).unwrap();
    let handle = journal.handle();
    for line in 2..=6 {
        handle.started(line, 100 + line).await.unwrap();
    }
    handle.done(2, 102, &RowOutcome::created("c0ffee".into()));
    handle.done(
        3,
        103,
        &RowOutcome::with_kind(Outcome::AlreadyRegistered, "already_registered", "exists"),
    );
    let mut timeout = RowOutcome::with_kind(Outcome::Failed, "timeout", "no answer");
    timeout.ambiguous = true;
    handle.done(4, 104, &timeout);
    handle.done(
        5,
        105,
        &RowOutcome::with_kind(Outcome::Failed, "unauthorized", "bad key"),
    );
    journal.close().await.unwrap();

    let index = JournalIndex::load(&path, &run()).unwrap();
    assert_eq!(index.runs, 1);
    match index.lookup(2, 102) {
        Lookup::Finished(prior) => {
            assert_eq!(prior.to_outcome(), RowOutcome::created("c0ffee".into()))
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(index.lookup(3, 103), Lookup::Finished(_)));
    assert_eq!(index.lookup(4, 104), Lookup::Unfinished { ambiguous: true });
    assert_eq!(
        index.lookup(5, 105),
        Lookup::Unfinished { ambiguous: false }
    );
    assert_eq!(index.lookup(6, 106), Lookup::Unfinished { ambiguous: true });
    assert_eq!(index.lookup(7, 107), Lookup::New);
    assert_eq!(index.lookup(2, 999), Lookup::Changed);
}

#[tokio::test]
async fn a_torn_last_line_is_ignored_and_the_next_run_appends_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j");
    let journal = Journal::open(&path, &run()).unwrap();
    journal.handle().started(2, 1).await.unwrap();
    journal.close().await.unwrap();
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap()
        .write_all(br#"{"event":"done","line":2,"row":"00"#)
        .unwrap();
    let index = JournalIndex::load(&path, &run()).unwrap();
    assert_eq!(index.unreadable_lines, 1);
    assert_eq!(index.lookup(2, 1), Lookup::Unfinished { ambiguous: true });

    let journal = Journal::open(&path, &run()).unwrap();
    journal
        .handle()
        .done(2, 1, &RowOutcome::created("id".into()));
    journal.close().await.unwrap();
    let index = JournalIndex::load(&path, &run()).unwrap();
    assert_eq!(index.runs, 2);
    assert_eq!(index.unreadable_lines, 1);
    assert!(matches!(index.lookup(2, 1), Lookup::Finished(_)));
}

#[tokio::test]
async fn a_journal_of_another_organization_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j");
    Journal::open(&path, &run()).unwrap().close().await.unwrap();
    let mut other = run();
    other.organization = "other-org".into();
    let error = JournalIndex::load(&path, &other).unwrap_err();
    assert!(error.to_string().contains("demo-org"), "{error}");
}

#[test]
fn a_missing_journal_is_empty_and_the_default_path_is_next_to_the_input() {
    let index = JournalIndex::load(std::path::Path::new("/nonexistent/j"), &run()).unwrap();
    assert!(index.is_empty());
    assert_eq!(
        default_path(std::path::Path::new("data/users.csv")),
        std::path::PathBuf::from("data/users.csv.journal")
    );
}
