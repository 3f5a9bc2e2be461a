//! Input directory → the report files in it, sorted by their `/`-separated relative
//! path so every build sees them in the same order whatever the filesystem returns.

use anyhow::{bail, Result};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Found {
    pub path: PathBuf,
    /// Relative to the input directory, `/`-separated.
    pub rel: String,
}

const EXTENSIONS: &[&str] = &["txt", "html", "htm"];

pub fn discover(dir: &Path) -> Result<(Vec<Found>, Vec<String>)> {
    if !dir.is_dir() {
        bail!("input directory {} does not exist or is not a directory", dir.display());
    }
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for entry in walkdir::WalkDir::new(dir).follow_links(true).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                problems.push(format!("{e}"));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let ext = entry.path().extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        if !ext.as_deref().is_some_and(|e| EXTENSIONS.contains(&e)) {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        found.push(Found { path: entry.path().to_path_buf(), rel });
    }
    found.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok((found, problems))
}
