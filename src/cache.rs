//! The incremental-build cache: extracted reports stored by the SHA-256 of the file's
//! bytes, under a directory named for the parser version, so that changing the parser
//! (code, template or division list) invalidates everything at once. An index of
//! (path, size, mtime) → content hash lets a rebuild skip reading unchanged files.

use crate::model::Report;
use crate::parse::hex;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Bump when extraction changes in a way the template and division files do not show.
const PARSER_REVISION: u32 = 1;

/// Identifies the parser: crate version, revision, template and division list.
pub fn parser_fingerprint() -> &'static str {
    static F: OnceLock<String> = OnceLock::new();
    F.get_or_init(|| {
        let mut h = Sha256::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        h.update(PARSER_REVISION.to_le_bytes());
        h.update(include_bytes!("../crates/ogi-parse/src/template/template.toml"));
        h.update(include_bytes!("../data/reference/divisions.csv"));
        // The running binary itself: a rebuilt parser never reads an older one's records.
        if let Some((size, mtime)) = std::env::current_exe().ok().and_then(|p| stat(&p)) {
            h.update(size.to_le_bytes());
            h.update(mtime.to_le_bytes());
        }
        hex(h.finalize().get(..8).unwrap_or_default())
    })
}

/// The full SHA-256 of a file's bytes, hex; `report_id` is its first 16 digits.
pub fn content_key(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub size: u64,
    pub mtime_ns: i128,
    pub key: String,
}

/// What the last build saw, by relative path.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Index {
    pub parser: String,
    pub files: HashMap<String, Stamp>,
}

pub struct Cache {
    root: PathBuf,
    dir: PathBuf,
    /// Index file of the input directory this build reads.
    index: PathBuf,
}

/// Distinguishes concurrent writers' temp files within one process.
static TMP_SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn tmp_suffix() -> String {
    let n = TMP_SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("tmp-{}-{n}", std::process::id())
}

pub fn stat(path: &Path) -> Option<(u64, i128)> {
    let m = std::fs::metadata(path).ok()?;
    let mtime = m.modified().ok()?;
    let ns = match mtime.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    };
    Some((m.len(), ns))
}

impl Cache {
    /// The cache under `root`, with the index of the input directory `input`.
    /// `settings` are the per-file limits of the build: a report made under other
    /// limits (a timeout, a size cap) is not reused.
    pub fn open(root: &Path, input: &Path, settings: &str) -> Cache {
        let limits = hex(Sha256::digest(settings.as_bytes()).get(..4).unwrap_or_default());
        let dir = root.join(format!("v-{}-{limits}", parser_fingerprint()));
        let abs = std::fs::canonicalize(input).unwrap_or_else(|_| input.to_path_buf());
        let tag = hex(Sha256::digest(abs.to_string_lossy().as_bytes()).get(..8).unwrap_or_default());
        Cache { root: root.to_path_buf(), dir, index: root.join(format!("index-{tag}.bin")) }
    }

    fn blob(&self, key: &str) -> PathBuf {
        let shard = key.get(..2).unwrap_or("00");
        self.dir.join(shard).join(format!("{key}.bin"))
    }

    /// A cached report for these bytes, with its path set to where they are now.
    pub fn get(&self, key: &str, source_path: &str) -> Option<Report> {
        let bytes = std::fs::read(self.blob(key)).ok()?;
        let mut r: Report = postcard::from_bytes(&bytes).ok()?;
        r.source_path = source_path.to_string();
        Some(r)
    }

    /// Stores a report; a cache that cannot be written only makes the next build slower.
    pub fn put(&self, key: &str, r: &Report) {
        let path = self.blob(key);
        let Ok(bytes) = postcard::to_allocvec(r) else { return };
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let tmp = path.with_extension(tmp_suffix());
        if std::fs::write(&tmp, bytes).is_ok() {
            let _ = std::fs::rename(&tmp, &path);
        }
    }

    pub fn load_index(&self) -> Index {
        let Ok(bytes) = std::fs::read(&self.index) else { return Index::default() };
        match postcard::from_bytes::<Index>(&bytes) {
            Ok(i) if i.parser == parser_fingerprint() => i,
            _ => Index::default(),
        }
    }

    pub fn save_index(&self, files: HashMap<String, Stamp>) {
        let index = Index { parser: parser_fingerprint().to_string(), files };
        let Ok(bytes) = postcard::to_allocvec(&index) else { return };
        let _ = std::fs::create_dir_all(&self.root);
        let tmp = self.index.with_extension(tmp_suffix());
        if std::fs::write(&tmp, bytes).is_ok() {
            let _ = std::fs::rename(&tmp, &self.index);
        }
        // Older parser versions' records can never be read again.
        if let Ok(entries) = std::fs::read_dir(&self.root) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if name.starts_with("v-") && !name.starts_with(&format!("v-{}", parser_fingerprint())) {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_report;

    #[test]
    fn a_report_round_trips_through_the_cache() {
        let tmp = std::env::temp_dir().join(format!("ogi-cache-test-{}", std::process::id()));
        let cache = Cache::open(&tmp, &tmp, "");
        let bytes =
            std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/data/reports/001_65ea80a590272765.txt"))
                .expect("sample");
        let r = parse_report("a.txt", &bytes);
        let key = content_key(&bytes);
        cache.put(&key, &r);
        let back = cache.get(&key, "b/c.txt").expect("cached");
        assert_eq!(back.source_path, "b/c.txt");
        assert_eq!(back.outcomes, r.outcomes);
        assert_eq!(back.requests, r.requests);
        assert_eq!(back.era, r.era);
        assert_eq!(back.diagnostics.len(), r.diagnostics.len());
        assert!(cache.get("0000", "x").is_none());
        let _ = std::fs::remove_dir_all(&tmp);
    }
}
