//! The import journal on any bytes, through what a resume runs: opening it for a run, then
//! looking rows up in file order. A torn, truncated, foreign or garbage journal gives lookups
//! or a clear error, never a panic; `read_journal_bytes` (inspection) must not panic either.
#![no_main]

use applivery_cli::journal::{JournalState, RunInfo, read_journal_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = read_journal_bytes(data);
    let path = applivery_fuzz::scratch_file("import.journal", data);
    let run = RunInfo {
        input: "users.csv".into(),
        organization: "demo-org".into(),
        base_url: "http://127.0.0.1:4010".into(),
    };
    match JournalState::open(&path, &run).and_then(|state| state.cursor()) {
        Ok(mut cursor) => {
            for position in 0..64 {
                if cursor.lookup(position, position.wrapping_mul(0x9e37_79b9)).is_err() {
                    break;
                }
            }
        }
        Err(error) => assert!(!error.to_string().is_empty()),
    }
});
