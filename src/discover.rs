//! Input directory → every file in it (hidden ones aside: each gets a reports row,
//! readable or not), sorted by their `/`-separated relative
//! path so every build sees them in the same order whatever the filesystem returns.
//!
//! Symbolic links are followed. A link that cannot be followed (a loop, a dangling
//! link) is still returned, with the reason in `problem`,
//! so that it gets a `failed` row instead of vanishing; other walk errors (a directory
//! link pointing back up the tree, an unreadable directory) are returned as problems
//! for the manifest.

use anyhow::{bail, Result};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Found {
    pub path: PathBuf,
    /// Relative to the input directory, `/`-separated; a name that is not valid UTF-8
    /// is written with U+FFFD for the bytes that are not (and `lossy_name` is set).
    pub rel: String,
    /// The file name was not valid UTF-8, so `rel` is not the exact name on disk.
    pub lossy_name: bool,
    /// Why the entry could not be followed, when discovery already knows it cannot be read.
    pub problem: Option<String>,
}

/// Hidden files and folders (a name starting with `.`: `.git`, `.DS_Store`, an
/// editor's swap file) are not reports; every other file is, readable or not.
fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

fn relative(dir: &Path, path: &Path) -> (String, bool) {
    let rel = path.strip_prefix(dir).unwrap_or(path);
    let mut lossy = false;
    let parts: Vec<String> = rel
        .components()
        .map(|c| {
            let s = c.as_os_str();
            lossy |= s.to_str().is_none();
            s.to_string_lossy().into_owned()
        })
        .collect();
    (parts.join("/"), lossy)
}

pub fn discover(dir: &Path) -> Result<(Vec<Found>, Vec<String>)> {
    if !dir.is_dir() {
        bail!("input directory {} does not exist or is not a directory", dir.display());
    }
    let mut found = Vec::new();
    let mut problems = Vec::new();
    let walk = walkdir::WalkDir::new(dir).follow_links(true).sort_by_file_name();
    for entry in walk.into_iter().filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name())) {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                // A file-named entry that cannot be followed becomes a failed report;
                // a directory loop (walkdir's loop error) is only a problem.
                match e.path() {
                    Some(p) if e.loop_ancestor().is_none() && !p.is_dir() => {
                        let (rel, lossy_name) = relative(dir, p);
                        found.push(Found {
                            path: p.to_path_buf(),
                            rel,
                            lossy_name,
                            problem: Some(e.to_string()),
                        });
                    }
                    _ => problems.push(e.to_string()),
                }
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let (rel, lossy_name) = relative(dir, entry.path());
        found.push(Found { path: entry.path().to_path_buf(), rel, lossy_name, problem: None });
    }
    found.sort_by(|a, b| a.rel.cmp(&b.rel));
    problems.sort();
    Ok((found, problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn links_that_cannot_be_followed_are_reported_not_lost() {
        let tmp = tempfile::tempdir().expect("tmp");
        let d = tmp.path();
        std::fs::write(d.join("a.txt"), "x").expect("write");
        std::os::unix::fs::symlink("loop.txt", d.join("loop.txt")).expect("symlink");
        std::os::unix::fs::symlink("nowhere.txt", d.join("dangling.txt")).expect("symlink");
        std::fs::create_dir(d.join("sub")).expect("mkdir");
        std::os::unix::fs::symlink("..", d.join("sub/up")).expect("symlink");
        std::fs::create_dir(d.join("x.txt")).expect("mkdir");
        let (found, problems) = discover(d).expect("discovers");
        let names: Vec<(&str, bool)> = found.iter().map(|f| (f.rel.as_str(), f.problem.is_some())).collect();
        assert_eq!(names, vec![("a.txt", false), ("dangling.txt", true), ("loop.txt", true)]);
        assert_eq!(problems.len(), 1, "{problems:?}");
    }
}
