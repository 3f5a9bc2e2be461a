//! One file into one report: read it within the limits, parse it on a thread with a large
//! stack under a watchdog, place it among the divisions. Whatever goes wrong with the
//! file (unreadable, too large, too slow, a panic in the extractor) still gives a
//! `failed` row saying why, and never costs other files their data.

use crate::config::BuildConfig;
use crate::discover::Found;
use crate::model::{Diagnostic, Report};
use crate::parse::{hex, parse_report_as, report_id};
use crate::region::resolve_region;
use std::io::Read;
use std::path::Path;
use std::sync::mpsc::RecvTimeoutError;
use std::sync::Arc;
use std::time::Duration;

const EXTRACTOR_FAILED: &str = "the extractor failed on this file; please report it";

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

    /// The time limit for a file of `size` bytes. Parsing is linear in the size, so the
    /// limit grows with it: a file that breaks it is stuck or hit a super-linear path.
    pub fn time_for(&self, size: u64) -> Option<Duration> {
        let mib = u32::try_from(size.div_ceil(1 << 20).max(1)).unwrap_or(u32::MAX);
        self.max_time.map(|t| t.saturating_mul(mib))
    }
}

/// Stack of the thread a file is parsed on: generous, so that no input nests deep
/// enough to overflow it (the HTML reader is iterative; this is a second line).
const PARSE_STACK_BYTES: usize = 64 * 1024 * 1024;

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
    let mut rep = match limits.time_for(bytes.len() as u64) {
        Some(limit) => parse_with_watchdog(id, f.rel.clone(), bytes, limit),
        None => parse_catching(id, &f.rel, &bytes),
    };
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

/// `parse_report`, with a panic turned into a failed row.
fn parse_catching(id: String, rel: &str, bytes: &[u8]) -> Report {
    match std::panic::catch_unwind(|| parse_report_as(id.clone(), rel, bytes)) {
        Ok(r) => r,
        Err(_) => Report::failed(id, rel.to_string(), "internal_error", EXTRACTOR_FAILED),
    }
}

/// A file handed to a parse thread.
struct Job {
    id: String,
    rel: String,
    bytes: Arc<Vec<u8>>,
    reply: std::sync::mpsc::SyncSender<Report>,
}

thread_local! {
    /// This worker's parse thread, kept from file to file (spawning a thread with a
    /// large stack per file costs more than parsing a small report). A thread that
    /// overran its limit is abandoned, and the next file gets a new one.
    static PARSER: std::cell::RefCell<Option<std::sync::mpsc::Sender<Job>>> =
        const { std::cell::RefCell::new(None) };
}

fn spawn_parser() -> Option<std::sync::mpsc::Sender<Job>> {
    let (tx, rx) = std::sync::mpsc::channel::<Job>();
    std::thread::Builder::new()
        .name("ogi-parse".into())
        .stack_size(PARSE_STACK_BYTES)
        .spawn(move || {
            for job in rx {
                let _ = job.reply.send(parse_catching(job.id, &job.rel, &job.bytes));
            }
        })
        .ok()?;
    Some(tx)
}

/// Parses on this worker's parse thread and waits at most `limit` for it. A file that
/// takes longer gets a failed row with a `timeout` error and the build moves on; the
/// thread is left to finish (or not) on its own, since Rust cannot stop a thread, and
/// dies with the process. Extraction is linear in the input (tests/hostile.rs checks
/// it), so the watchdog is a guard against bugs, not part of normal running.
fn parse_with_watchdog(id: String, rel: String, bytes: Vec<u8>, limit: Duration) -> Report {
    let bytes = Arc::new(bytes);
    let (reply, rx) = std::sync::mpsc::sync_channel(1);
    let job = Job { id: id.clone(), rel: rel.clone(), bytes: Arc::clone(&bytes), reply };
    let sent = PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            *slot = spawn_parser();
        }
        match slot.as_ref().map(|tx| tx.send(job)) {
            Some(Ok(())) => true,
            _ => {
                *slot = None;
                false
            }
        }
    });
    if !sent {
        // No thread to be had (a process limit): parse here, without the watchdog.
        return parse_catching(id, &rel, &bytes);
    }
    let failed = |code: &'static str, why: String| Report::failed(id.clone(), rel.clone(), code, why);
    match rx.recv_timeout(limit) {
        Ok(r) => r,
        Err(RecvTimeoutError::Timeout) => {
            // The thread is still busy with this file: the next one needs another.
            PARSER.with(|cell| cell.borrow_mut().take());
            failed(
                "timeout",
                format!(
                    "parsing took longer than {} s (build.max_seconds_per_file per MiB begun); \
                     the file was skipped",
                    limit.as_secs_f64()
                ),
            )
        }
        Err(RecvTimeoutError::Disconnected) => {
            PARSER.with(|cell| cell.borrow_mut().take());
            failed("internal_error", EXTRACTOR_FAILED.to_string())
        }
    }
}

/// The report_id of a file too large to read into memory, hashed as it streams by.
fn hash_stream(path: &Path) -> Option<String> {
    use sha2::{Digest, Sha256};
    let mut f = std::fs::File::open(path).ok()?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        h.update(buf.get(..n)?);
    }
    Some(hex(h.finalize().get(..8)?))
}
