//! The files an import writes (secrets, results, journal): opened without following a link, then
//! checked on the opened descriptor, and compared with the input and each other as files, not
//! names.
//!
//! On Unix an output is opened with `O_NOFOLLOW` (a symbolic link as the last component is
//! refused, so a link planted at the path cannot redirect the write), never truncated at open
//! (a hard link to another file must be refused before anything is lost), and the opened
//! descriptor must be a regular file owned by us with one link; a private file (the secrets)
//! must not be open to group or others. Two paths name the same file when their (device, inode)
//! are equal, so a hard link or `./x` vs `x` are caught; a file that does not exist yet is
//! compared by its absolute path. Elsewhere only the paths are compared.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

/// Opens `path` with `options` (which must not truncate), without following a final symbolic
/// link, creating it with mode 0600; then checks the opened file (see the module docs).
/// `private`: refuse a file that group or others may read or write.
pub fn open(path: &Path, options: &mut OpenOptions, private: bool) -> io::Result<File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options
            .mode(0o600)
            .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    let file = options.open(path).map_err(|e| {
        #[cfg(unix)]
        if e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) {
            return io::Error::other("is a symbolic link: refused (pass the file's own path)");
        }
        e
    })?;
    check(&file, private)?;
    Ok(file)
}

/// Like [`open`], for options that do not create, truncate or write: only the flag.
pub fn no_follow(options: &mut OpenOptions) -> &mut OpenOptions {
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        options,
        rustix::fs::OFlags::NOFOLLOW.bits() as i32,
    );
    options
}

#[cfg(unix)]
fn check(file: &File, private: bool) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let meta = file.metadata()?;
    let refuse = |why: String| Err(io::Error::other(why));
    if !meta.file_type().is_file() {
        return refuse("not a regular file: refused (pass a new path)".to_owned());
    }
    if meta.uid() != rustix::process::geteuid().as_raw() {
        return refuse(format!(
            "owned by another user (uid {}): refused (pass a new path)",
            meta.uid()
        ));
    }
    if meta.nlink() != 1 {
        return refuse(format!(
            "has {} hard links (another name for the same file): refused (pass a new path)",
            meta.nlink()
        ));
    }
    let mode = meta.mode() & 0o777;
    if private && mode & 0o077 != 0 {
        return refuse(format!(
            "has mode {mode:04o} (open to other users): refused; `chmod 600` it or pass a new \
             path"
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check(file: &File, _private: bool) -> io::Result<()> {
    // Access on Windows follows the directory's ACL: keep the file in a private directory.
    if !file.metadata()?.file_type().is_file() {
        return Err(io::Error::other(
            "not a regular file: refused (pass a new path)",
        ));
    }
    Ok(())
}

/// Whether `a` and `b` are the same file: by (device, inode) when both exist (links and other
/// spellings of a path included), else by absolute path.
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(a), Ok(b)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return (a.dev(), a.ino()) == (b.dev(), b.ino());
        }
    }
    #[cfg(not(unix))]
    if let (Ok(a), Ok(b)) = (a.canonicalize(), b.canonicalize()) {
        return a == b;
    }
    match (std::path::absolute(a), std::path::absolute(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn writable() -> OpenOptions {
        let mut options = OpenOptions::new();
        options.create(true).truncate(false).write(true);
        options
    }

    #[test]
    fn links_and_wide_private_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        let created = open(&file, &mut writable(), true).unwrap();
        assert_eq!(
            created.metadata().unwrap().permissions().mode() & 0o777,
            0o600
        );

        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        let error = open(&link, &mut writable(), false).unwrap_err();
        assert!(error.to_string().contains("symbolic link"), "{error}");

        let hard = dir.path().join("hard");
        std::fs::hard_link(&file, &hard).unwrap();
        let error = open(&hard, &mut writable(), false).unwrap_err();
        assert!(error.to_string().contains("2 hard links"), "{error}");
        assert!(same_file(&file, &hard) && same_file(&file, &link));
        std::fs::remove_file(&hard).unwrap();

        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o604)).unwrap();
        assert!(open(&file, &mut writable(), false).is_ok());
        let error = open(&file, &mut writable(), true).unwrap_err();
        assert!(error.to_string().contains("0604"), "{error}");

        assert!(same_file(
            &dir.path().join("new"),
            &dir.path().join(".").join("new")
        ));
        assert!(!same_file(&file, &dir.path().join("new")));
    }
}
