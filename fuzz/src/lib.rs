//! What several fuzz targets share.

use std::path::{Path, PathBuf};

use applivery_cli::input::{Format, Record, RowReader};

/// Writes `data` to this process's scratch file (the CLI's readers take a path) and returns it.
pub fn scratch_file(name: &str, data: &[u8]) -> PathBuf {
    // In memory where there is a tmpfs: on this disk each write costs about 3 ms, 40x the run.
    let shm = Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    let path = dir.join(format!("applivery-fuzz-{}-{name}", std::process::id()));
    std::fs::write(&path, data).expect("write the scratch file");
    path
}

/// Reads a whole import file as `format`, checking what any reader must guarantee: records come
/// in file order with line numbers inside the file, and reading stops at the first file error.
///
/// Line numbers count `\n` only, so records split by a lone `\r` (old Mac files) share a
/// number: the order check is "not before", not "after".
pub fn read_rows(data: &[u8], format: Format) {
    let path = scratch_file(
        if format == Format::Csv {
            "rows.csv"
        } else {
            "rows.jsonl"
        },
        data,
    );
    let Ok(reader) = RowReader::open(&path, Some(format)) else {
        return;
    };
    assert_eq!(reader.format(), format);
    let _ = reader.unknown_fields();
    let lines_in_file = data.iter().filter(|b| **b == b'\n').count() as u64 + 1;
    let mut previous_line = 0;
    for record in reader {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let _ = error.to_string();
                break;
            }
        };
        let line = record.line();
        assert!(
            line >= previous_line,
            "line {line} after line {previous_line}"
        );
        assert!(
            line <= lines_in_file,
            "line {line} of a {lines_in_file}-line file"
        );
        previous_line = line;
        match record {
            Record::Row(row) => {
                assert_eq!(row.user.email, row.user.email.trim(), "the email is not trimmed");
                let _ = row.fingerprint();
            }
            Record::Invalid { message, .. } => assert!(!message.is_empty()),
        }
    }
}
