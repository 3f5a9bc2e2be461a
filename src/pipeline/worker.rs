//! One file into one report: read it within the limits, parse it on a thread with a large
//! stack under a watchdog, place it among the divisions. Whatever goes wrong with the
//! file (unreadable, too large, too slow, a panic in the extractor) still gives a
//! `failed` row saying why, and never costs other files their data.

use crate::config::BuildConfig;
use crate::discover::Found;
use crate::model::{Diagnostic, Report};
use crate::parse::report_id;
use crate::region::resolve_region;
use ogi_parse::guarded::{limit_for, parse_guarded};
use std::path::Path;
use std::time::Duration;

/// The per-file limits of a build (`[build]` in the pipeline file).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_bytes: u64,
    /// Wall-clock time a file may take to parse, per MiB begun (a 100 KB file gets it
    /// once, a 3 MB file three times); `None` parses without a watchdog.
    pub max_time: Option<Duration>,
}

impl Limits {
    pub fn from_config(b: &BuildConfig) -> Limits {
        let secs = b.max_seconds_per_file;
        Limits {
            max_bytes: b.max_file_mb.saturating_mul(1024 * 1024),
            max_time: (secs.is_finite() && secs > 0.0).then(|| Duration::from_secs_f64(secs.min(1e9))),
        }
    }

    /// The time limit for a file of `size` bytes (`guarded::limit_for`).
    pub fn time_for(&self, size: u64) -> Option<Duration> {
        limit_for(size, self.max_time)
    }
}

/// Reads one file into a report; a file that cannot be read, is too large, takes too
/// long, or makes the extractor panic still yields a `failed` row saying why.
pub fn process_file(f: &Found, limits: &Limits) -> Report {
    let failed = |id: String, code: &'static str, why: String| {
        let mut r = Report::failed(id, f.rel.clone(), code, why);
        note_lossy_name(&mut r, f);
        r
    };
    if let Some(why) = &f.problem {
        return failed(String::new(), "unreadable", format!("cannot read the file: {why}"));
    }
    let size = std::fs::metadata(&f.path).map(|m| m.len()).unwrap_or(0);
    let max_bytes = limits.max_bytes;
    if size > max_bytes {
        let id = hash_stream(&f.path).unwrap_or_default();
        let why = format!("{size} bytes is over the limit of {max_bytes} (build.max_file_mb)");
        return failed(id, "file_too_large", why);
    }
    match std::fs::read(&f.path) {
        Ok(bytes) => process_bytes(f, bytes, limits),
        Err(e) => failed(String::new(), "unreadable", format!("cannot read the file: {e}")),
    }
}

/// The part of `process_file` after the bytes are read: parse (under the watchdog),
/// resolve the region.
pub fn process_bytes(f: &Found, bytes: Vec<u8>, limits: &Limits) -> Report {
    process_identified(f, report_id(&bytes), bytes, limits)
}

/// `process_bytes` for a file whose report_id is known (the cache hashed it already).
pub(crate) fn process_identified(f: &Found, id: String, bytes: Vec<u8>, limits: &Limits) -> Report {
    let limit = limits.time_for(bytes.len() as u64);
    let mut rep = parse_guarded(id, f.rel.clone(), bytes, limit);
    resolve_region(&mut rep);
    note_lossy_name(&mut rep, f);
    rep
}

pub(crate) fn note_lossy_name(r: &mut Report, f: &Found) {
    if f.lossy_name {
        r.diagnostics.push(Diagnostic::warn(
            "path_not_utf8",
            None,
            "the file name is not valid UTF-8; source_path shows the undecodable bytes as \u{FFFD}",
        ));
    }
}

/// The report_id of a file too large to read into memory, hashed as it streams by.
fn hash_stream(path: &Path) -> Option<String> {
    crate::parse::report_id_streamed(std::fs::File::open(path).ok()?).ok()
}
