//! The secrets file of an import (`--secrets PATH`): `email,collaboratorId,oemSecret` rows,
//! readable by the owner only.
//!
//! Appended to, never truncated: a resumed import does not send the rows an earlier run
//! finished, so their secrets are only in the lines that run wrote. Each row is handed to the
//! operating system as soon as its answer arrives, before the row's `done` record, and the file
//! is synced when the run ends. The only secret that can be lost is that of a request answered
//! in the instant before the process died (or, for a power loss, since the run's last sync):
//! the user exists, the next run records it `already_registered_after_retry`, and the remedy is
//! refreshing its secret.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use applivery::Secret;

/// An open secrets file.
pub struct SecretsFile {
    path: PathBuf,
    out: BufWriter<File>,
    /// Rows written by this run.
    pub written: u64,
}

impl SecretsFile {
    /// Opens `path` for appending, creating it with mode 0600. On Unix a symbolic link, a file
    /// with other hard links or of another user, and an existing file group or others may read
    /// or write are refused (see [`crate::output_file`]): nothing is narrowed behind the
    /// operator's back. The note is always `None` now (kept for callers).
    pub fn open(path: &Path) -> Result<(SecretsFile, Option<String>), String> {
        let fail = |e: std::io::Error| format!("secrets file {}: {e}", path.display());
        let mut options = OpenOptions::new();
        options.create(true).append(true).read(true);
        let file = crate::output_file::open(path, &mut options, true).map_err(fail)?;
        let note = None;
        let empty = file.metadata().map_err(fail)?.len() == 0;
        let mut secrets = SecretsFile {
            path: path.to_path_buf(),
            out: BufWriter::new(file),
            written: 0,
        };
        if empty {
            secrets.line("email,collaboratorId,oemSecret")?;
        }
        Ok((secrets, note))
    }

    /// Appends one user's secret and hands it to the operating system.
    pub fn write(
        &mut self,
        email: &str,
        collaborator_id: &str,
        secret: &Secret,
    ) -> Result<(), String> {
        let line = [email, collaborator_id, secret.expose()]
            .map(csv_field)
            .join(",");
        self.line(&line)?;
        self.written += 1;
        Ok(())
    }

    fn line(&mut self, line: &str) -> Result<(), String> {
        self.out
            .write_all(line.as_bytes())
            .and_then(|()| self.out.write_all(b"\n"))
            .and_then(|()| self.out.flush())
            .map_err(|e| format!("cannot write secrets file {}: {e}", self.path.display()))
    }

    /// Syncs the file to disk.
    pub fn finish(mut self) -> Result<PathBuf, String> {
        self.out
            .flush()
            .and_then(|()| self.out.get_ref().sync_data())
            .map_err(|e| format!("cannot sync secrets file {}: {e}", self.path.display()))?;
        Ok(self.path)
    }
}

/// A CSV field: a formula-looking start neutralized ([`applivery_api::csv_cell`]), then quoted
/// when it needs it.
fn csv_field(field: &str) -> String {
    let field = applivery_api::csv_cell::neutralize(field);
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.into_owned()
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_new_file_is_0600_with_a_header_and_a_rerun_appends() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets.csv");
        let (mut secrets, note) = SecretsFile::open(&path).unwrap();
        assert!(note.is_none());
        secrets
            .write("a@example.com", "id1", &Secret::new("s,1".to_owned()))
            .unwrap();
        secrets.finish().unwrap();
        assert_eq!(mode(&path), 0o600);
        let (mut secrets, _) = SecretsFile::open(&path).unwrap();
        secrets
            .write("b@example.com", "id2", &Secret::new("s2".to_owned()))
            .unwrap();
        secrets.finish().unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "email,collaboratorId,oemSecret\na@example.com,id1,\"s,1\"\nb@example.com,id2,s2\n"
        );
    }

    #[test]
    fn a_wider_existing_file_is_refused_untouched_and_a_link_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets.csv");
        std::fs::write(&path, "").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let Err(error) = SecretsFile::open(&path) else {
            panic!("a secrets file open to others was accepted");
        };
        assert!(
            error.contains("0644") && error.contains("refused"),
            "{error}"
        );
        assert_eq!(mode(&path), 0o644);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();

        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink(&path, &link).unwrap();
        assert!(SecretsFile::open(&link).is_err());
    }
}
