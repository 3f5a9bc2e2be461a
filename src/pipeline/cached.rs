//! The incremental build's per-file step: the cache decides whether a file is read and
//! parsed again, or its report is taken from the last build.

use super::worker::{note_lossy_name, process_file, process_identified, Limits};
use crate::cache::{content_key, stat, Cache, Index, Stamp};
use crate::discover::Found;
use crate::model::Report;

/// One file through the cache: an unchanged file (same size and mtime as last time)
/// is not even read; a changed one is read, hashed, and parsed only if its content is
/// new. Returns the report and the file's stamp for the next build's index.
pub(crate) fn process_cached(
    f: &Found,
    limits: &Limits,
    cache: &Cache,
    index: &Index,
) -> (Report, Option<Stamp>) {
    let Some((size, mtime_ns)) = (f.problem.is_none()).then(|| stat(&f.path)).flatten() else {
        return (process_file(f, limits), None);
    };
    // Cached records are by content; what depends on the path is added back here.
    let hit = |mut r: Report| {
        note_lossy_name(&mut r, f);
        r
    };
    if let Some(old) = index.files.get(&f.rel) {
        if old.size == size && old.mtime_ns == mtime_ns {
            if let Some(r) = cache.get(&old.key, &f.rel) {
                return (hit(r), Some(old.clone()));
            }
        }
    }
    if size > limits.max_bytes {
        return (process_file(f, limits), None);
    }
    let Ok(bytes) = std::fs::read(&f.path) else { return (process_file(f, limits), None) };
    let key = content_key(&bytes);
    let stamp = Stamp { size, mtime_ns, key: key.clone() };
    if let Some(r) = cache.get(&key, &f.rel) {
        return (hit(r), Some(stamp));
    }
    // The report_id is the content key's first 16 digits: the file is hashed once.
    let id = key.get(..16).unwrap_or_default().to_string();
    let r = process_identified(f, id, bytes, limits);
    // Reports cut short by the watchdog are not cached: a faster run may do better.
    if !r.diagnostics.iter().any(|d| d.code == "timeout") {
        if f.lossy_name {
            let mut by_content = r.clone();
            by_content.diagnostics.retain(|d| d.code != "path_not_utf8");
            cache.put(&key, &by_content);
        } else {
            cache.put(&key, &r);
        }
    }
    (r, Some(stamp))
}
