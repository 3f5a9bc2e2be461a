//! Output: the Parquet tables, the manifest, and the atomic swap that makes a
//! failed or interrupted build leave the previous dataset whole. Everything is
//! written into a sibling temp directory, which is renamed into place at the end.

pub mod columns;
pub mod parquet;

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// A temp directory next to the output (same filesystem, so the final rename is atomic).
pub struct Staging {
    pub dir: PathBuf,
    target: PathBuf,
}

fn sibling(target: &Path, tag: &str) -> Result<PathBuf> {
    let name = target.file_name().and_then(|n| n.to_str()).context("output path has no directory name")?;
    let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    Ok(parent.join(format!(".{name}.{tag}-{}", std::process::id())))
}

impl Staging {
    pub fn new(target: &Path) -> Result<Staging> {
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        remove_litter(target);
        let dir = sibling(target, "tmp")?;
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("creating staging directory {}", dir.display()))?;
        Ok(Staging { dir, target: target.to_path_buf() })
    }

    /// Swaps the staged dataset into place: old → backup, staged → target, drop backup.
    pub fn commit(self) -> Result<()> {
        let backup = sibling(&self.target, "old")?;
        let had_old = self.target.exists();
        if had_old {
            std::fs::rename(&self.target, &backup)
                .with_context(|| format!("moving aside {}", self.target.display()))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = std::fs::rename(&backup, &self.target);
            }
            return Err(e).with_context(|| format!("moving the new dataset to {}", self.target.display()));
        }
        if had_old {
            let _ = std::fs::remove_dir_all(&backup);
        }
        Ok(())
    }
}

/// Temp and backup directories left by builds that were killed.
fn remove_litter(target: &Path) {
    let Some(name) = target.file_name().and_then(|n| n.to_str()) else { return };
    let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if n.starts_with(&format!(".{name}.tmp-")) || n.starts_with(&format!(".{name}.old-")) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}
