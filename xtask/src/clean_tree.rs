//! The source tree before and after the checks: tests must not write into tracked files, leave
//! untracked ones behind, or rewrite the built npm package (web/pkg, what `npm publish` ships)
//! that other tests are reading.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::process::Command;

use crate::wasm::PKG_DIR;

/// What the checks must leave as they found it.
#[derive(PartialEq, Eq, Debug)]
pub struct TreeState {
    /// `git status --porcelain` (tracked changes and untracked, not ignored, files).
    git_status: String,
    /// A hash of every file's path and bytes under web/pkg.
    package: u64,
}

impl TreeState {
    /// The state of the tree at `root` now.
    pub fn capture(root: &Path) -> Result<TreeState, String> {
        let output = Command::new("git")
            .args(["status", "--porcelain", "--untracked-files=all"])
            .current_dir(root)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if !output.status.success() {
            return Err(format!(
                "`git status` failed: {}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let mut hasher = DefaultHasher::new();
        hash_dir(&root.join(PKG_DIR), &mut hasher)?;
        Ok(TreeState {
            git_status: String::from_utf8_lossy(&output.stdout).into_owned(),
            package: hasher.finish(),
        })
    }

    /// Fails, naming what changed, unless `after` equals `self`.
    pub fn check_unchanged(&self, after: &TreeState) -> Result<(), String> {
        let mut problems = Vec::new();
        if self.git_status != after.git_status {
            problems.push(format!(
                "the tests changed the source tree (`git status --porcelain` before:\n{}after:\n{})",
                self.git_status, after.git_status
            ));
        }
        if self.package != after.package {
            problems.push(format!(
                "the tests rewrote {PKG_DIR}, the built npm package"
            ));
        }
        if problems.is_empty() {
            println!("the tests left the source tree and {PKG_DIR} as they found them");
            Ok(())
        } else {
            Err(problems.join("; "))
        }
    }
}

fn hash_dir(dir: &Path, hasher: &mut DefaultHasher) -> Result<(), String> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .collect::<Result<_, _>>()
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let path = entry.path();
        path.hash(hasher);
        if path.is_dir() {
            hash_dir(&path, hasher)?;
        } else {
            std::fs::read(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?
                .hash(hasher);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(dir: &Path, args: &[&str]) {
        let status = Command::new("git")
            .args(args)
            .current_dir(dir)
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    }

    #[test]
    fn a_written_file_or_a_rebuilt_package_is_caught() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        git(root, &["init", "--quiet"]);
        std::fs::create_dir_all(root.join(PKG_DIR)).unwrap();
        std::fs::write(root.join(PKG_DIR).join("index.js"), "export {}").unwrap();
        std::fs::write(root.join(".gitignore"), "/web/pkg/\n").unwrap();
        let before = TreeState::capture(root).unwrap();
        assert!(
            before
                .check_unchanged(&TreeState::capture(root).unwrap())
                .is_ok()
        );

        std::fs::write(root.join("written-by-a-test.txt"), "x").unwrap();
        let error = before
            .check_unchanged(&TreeState::capture(root).unwrap())
            .unwrap_err();
        assert!(error.contains("written-by-a-test.txt"), "{error}");
        std::fs::remove_file(root.join("written-by-a-test.txt")).unwrap();

        std::fs::write(root.join(PKG_DIR).join("index.js"), "export {};").unwrap();
        let error = before
            .check_unchanged(&TreeState::capture(root).unwrap())
            .unwrap_err();
        assert!(error.contains("rewrote web/pkg"), "{error}");
    }
}
