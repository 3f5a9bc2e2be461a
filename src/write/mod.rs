//! Output: the Parquet tables, the manifest, and the atomic swap that makes a
//! failed or interrupted build leave the previous dataset whole. Everything is
//! written into a sibling temp directory, which is renamed into place at the end.

pub mod parquet;
mod spill;

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// A temp directory next to the output (same filesystem, so the final rename is atomic).
/// Dropped without `commit` (an error, a panic), it removes itself; a build that is
/// killed leaves it behind, and the next build removes it.
pub struct Staging {
    pub dir: PathBuf,
    target: PathBuf,
    committed: bool,
}

fn parent_of(target: &Path) -> &Path {
    target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

fn sibling(target: &Path, tag: &str) -> Result<PathBuf> {
    let name = target.file_name().and_then(|n| n.to_str()).context("output path has no directory name")?;
    Ok(parent_of(target).join(format!(".{name}.{tag}-{}", std::process::id())))
}

impl Staging {
    pub fn new(target: &Path) -> Result<Staging> {
        let parent = parent_of(target);
        std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        recover_interrupted_commit(target);
        remove_litter(target);
        let dir = sibling(target, "tmp")?;
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("creating staging directory {}", dir.display()))?;
        Ok(Staging { dir, target: target.to_path_buf(), committed: false })
    }

    /// Swaps the staged dataset into place: old → backup, staged → target, drop backup.
    /// Killed between the two renames, the previous dataset is whole in the backup, and
    /// the next build puts it back before anything else (`recover_interrupted_commit`).
    pub fn commit(mut self) -> Result<()> {
        let backup = sibling(&self.target, "old")?;
        let had_old = self.target.exists();
        if had_old {
            std::fs::rename(&self.target, &backup)
                .with_context(|| format!("moving aside {}", self.target.display()))?;
        }
        crate::pipeline::hold::at(crate::pipeline::hold::Stage::Swap);
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = std::fs::rename(&backup, &self.target);
            }
            return Err(e).with_context(|| format!("moving the new dataset to {}", self.target.display()));
        }
        self.committed = true;
        if had_old {
            let _ = std::fs::remove_dir_all(&backup);
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// The pid a temp or backup directory was made by, when its name is one of ours.
fn litter_pid(target_name: &str, entry_name: &str, tag: &str) -> Option<u32> {
    entry_name.strip_prefix(&format!(".{target_name}.{tag}-"))?.parse().ok()
}

/// Whether a build with this pid is still running (Linux: /proc; elsewhere assume not).
fn alive(pid: u32) -> bool {
    pid != std::process::id()
        && cfg!(target_os = "linux")
        && Path::new("/proc").join(pid.to_string()).exists()
}

/// A build killed after moving the old dataset aside but before moving the new one in
/// leaves no dataset and a complete backup: the backup goes back into place.
fn recover_interrupted_commit(target: &Path) {
    let Some(name) = target.file_name().and_then(|n| n.to_str()) else { return };
    if target.exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(parent_of(target)) else { return };
    let mut backups: Vec<(std::time::SystemTime, PathBuf)> = entries
        .flatten()
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            litter_pid(name, &n, "old").is_some_and(|pid| !alive(pid))
        })
        .map(|e| (e.metadata().and_then(|m| m.modified()).unwrap_or(std::time::UNIX_EPOCH), e.path()))
        .collect();
    backups.sort();
    if let Some((_, newest)) = backups.pop() {
        let _ = std::fs::rename(newest, target);
    }
}

/// Temp and backup directories left by builds that were killed (not those of a build
/// still running beside this one).
pub fn remove_litter(target: &Path) {
    let Some(name) = target.file_name().and_then(|n| n.to_str()) else { return };
    let Ok(entries) = std::fs::read_dir(parent_of(target)) else { return };
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        let pid = litter_pid(name, &n, "tmp").or_else(|| litter_pid(name, &n, "old"));
        if pid.is_some_and(|pid| !alive(pid)) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .expect("ls")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_dropped_staging_directory_removes_itself() {
        let tmp = tempfile::tempdir().expect("tmp");
        let target = tmp.path().join("dataset");
        let s = Staging::new(&target).expect("stage");
        std::fs::write(s.dir.join("x.parquet"), "x").expect("write");
        drop(s);
        assert!(names(tmp.path()).is_empty());
    }

    #[test]
    fn litter_of_dead_builds_goes_and_a_commit_cut_short_is_undone() {
        let tmp = tempfile::tempdir().expect("tmp");
        let target = tmp.path().join("dataset");
        // A build killed between its two renames: no dataset, the old one as backup
        // (pid 4294967295 is never a running process), and its staging directory.
        let backup = tmp.path().join(".dataset.old-4294967295");
        std::fs::create_dir_all(&backup).expect("mkdir");
        std::fs::write(backup.join("reports.parquet"), "previous").expect("write");
        std::fs::create_dir_all(tmp.path().join(".dataset.tmp-4294967295")).expect("mkdir");
        std::fs::create_dir_all(tmp.path().join(".other.tmp-4294967295")).expect("mkdir");
        let s = Staging::new(&target).expect("stage");
        assert_eq!(std::fs::read(target.join("reports.parquet")).expect("restored"), b"previous");
        let staging_name = s.dir.file_name().expect("name").to_string_lossy().into_owned();
        assert_eq!(
            names(tmp.path()),
            vec![
                ".dataset.tmp-".to_string() + &std::process::id().to_string(),
                ".other.tmp-4294967295".into(),
                "dataset".into()
            ]
        );
        assert!(staging_name.starts_with(".dataset.tmp-"));
        std::fs::write(s.dir.join("reports.parquet"), "new").expect("write");
        s.commit().expect("commit");
        assert_eq!(std::fs::read(target.join("reports.parquet")).expect("new"), b"new");
        assert_eq!(names(tmp.path()), vec![".other.tmp-4294967295".to_string(), "dataset".into()]);
    }
}
