//! One file's bytes into its `Report` whatever the bytes do to the reader: parsed on a
//! thread with a large stack, a panic turned into a `failed` row, and under a watchdog
//! that gives up on a file after its time limit. `ogi build` reads every file so, and so
//! does the Python binding inside Spark, where one stuck file would stall its task.

use crate::model::Report;
use crate::parse::parse_report_as;
use std::sync::mpsc::RecvTimeoutError;
use std::sync::Arc;
use std::time::Duration;

const EXTRACTOR_FAILED: &str = "the extractor failed on this file; please report it";

/// Stack of the thread a file is parsed on: generous, so that no input nests deep
/// enough to overflow it (the HTML reader is iterative; this is a second line).
const PARSE_STACK_BYTES: usize = 64 * 1024 * 1024;

/// The time limit for a file of `size` bytes, `per_mib` for each MiB begun. Parsing is
/// linear in the size, so the limit grows with it: a file that breaks it is stuck or hit
/// a super-linear path.
pub fn limit_for(size: u64, per_mib: Option<Duration>) -> Option<Duration> {
    let mib = u32::try_from(size.div_ceil(1 << 20).max(1)).unwrap_or(u32::MAX);
    per_mib.map(|t| t.saturating_mul(mib))
}

/// `parse_report_as` under the guards: within `limit` (None: no watchdog), on a parse
/// thread, panics caught. The region is not resolved here (the caller does it).
pub fn parse_guarded(id: String, rel: String, bytes: Vec<u8>, limit: Option<Duration>) -> Report {
    match limit {
        Some(limit) => parse_with_watchdog(id, rel, bytes, limit),
        None => parse_catching(id, &rel, &bytes),
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
/// dies with the process. Extraction is linear in the input (tests/it/hostile.rs checks
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
