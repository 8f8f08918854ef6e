//! `--api-key-file PATH|-`: the API key read from a file or standard input, so that it never
//! has to be a flag (visible to other users in the process list, kept in shell history).
//!
//! The key is the content with its trailing line break(s) removed; an empty key is refused.
//! It takes precedence over `APPLIVERY_API_KEY`; with `--api-key` too, the command is refused.
//! Read once per process (standard input can only be read once; an import builds two clients).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::failure::Failure;

/// Largest key file read: a key is well under this.
const MAX_BYTES: u64 = 64 * 1024;

/// The key to use: from `--api-key-file` when given, else `--api-key`/`APPLIVERY_API_KEY`.
pub fn resolve(file: Option<&Path>, flag_or_env: Option<&str>) -> Result<Option<String>, Failure> {
    let Some(file) = file else {
        return Ok(flag_or_env.map(str::to_owned));
    };
    // clap fills `api_key` from the flag or the environment; only the flag conflicts.
    let from_env = std::env::var("APPLIVERY_API_KEY").ok();
    if let Some(flag) = flag_or_env
        && from_env.as_deref() != Some(flag)
    {
        return Err(Failure::usage(
            "--api-key-file and --api-key both give the API key: pass one",
        ));
    }
    static READ: OnceLock<Result<String, String>> = OnceLock::new();
    READ.get_or_init(|| read(file))
        .clone()
        .map(Some)
        .map_err(Failure::usage)
}

fn read(file: &Path) -> Result<String, String> {
    let name = if file == Path::new("-") {
        "standard input".to_owned()
    } else {
        file.display().to_string()
    };
    let fail = |e: std::io::Error| format!("--api-key-file {name}: {e}");
    let mut bytes = Vec::new();
    if file == Path::new("-") {
        std::io::stdin()
            .lock()
            .take(MAX_BYTES)
            .read_to_end(&mut bytes)
            .map_err(fail)?;
    } else {
        std::fs::File::open(PathBuf::from(file))
            .and_then(|f| f.take(MAX_BYTES).read_to_end(&mut bytes))
            .map_err(fail)?;
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| format!("--api-key-file {name}: the key is not UTF-8 text"))?;
    let key = text.trim_end_matches(['\n', '\r']);
    if key.trim().is_empty() {
        return Err(format!("--api-key-file {name}: the key is empty"));
    }
    Ok(key.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_file_loses_its_trailing_line_break_and_may_not_be_empty() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key");
        std::fs::write(&path, "sk-1\r\n").unwrap();
        assert_eq!(read(&path).unwrap(), "sk-1");
        std::fs::write(&path, " \n").unwrap();
        assert!(read(&path).unwrap_err().contains("empty"));
        assert!(read(&dir.path().join("missing")).is_err());
    }
}
