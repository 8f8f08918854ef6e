//! The import journal's resume entry point on any bytes: a torn, truncated or foreign journal
//! gives an index or a clear error, never a panic. Kept small: the journal format is changing.
#![no_main]

use applivery_cli::journal::{JournalIndex, RunInfo};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = applivery_fuzz::scratch_file("import.journal", data);
    let run = RunInfo {
        input: "users.csv".into(),
        organization: "demo-org".into(),
        base_url: "http://127.0.0.1:4010".into(),
    };
    match JournalIndex::load(&path, &run) {
        Ok(index) => {
            for line in 0..4 {
                let _ = index.lookup(line, 0);
            }
        }
        Err(error) => assert!(!error.to_string().is_empty()),
    }
});
