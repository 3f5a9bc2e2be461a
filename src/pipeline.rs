//! The build, stage by stage: discover → decode/normalise/segment/extract (per file,
//! in parallel, in input order) → resolve regions → write Parquet → rank → manifest,
//! all inside a staging directory that replaces the previous dataset only at the end.

use crate::cache::{content_key, stat, Cache, Index, Stamp};
use crate::config::{BuildConfig, Pipeline};
use crate::discover::{discover, Found};
use crate::extract::{parse_report, report_id};
use crate::model::{Diagnostic, Report, Severity, Status};
use crate::region::{Divisions, Level, RegionQuery};
use crate::write::{parquet::DatasetWriter, Staging};
use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::sync::mpsc::RecvTimeoutError;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub tool: String,
    pub version: String,
    pub contract_version: String,
    /// Parser fingerprint (crate version, template, division list): the cache's key.
    #[serde(default)]
    pub parser: String,
    pub input_dir: String,
    pub input_files: usize,
    /// Hash of every input's path, size and mtime plus parser and configuration; a
    /// cached build whose inputs hash the same is up to date.
    #[serde(default)]
    pub input_fingerprint: Option<String>,
    pub status: BTreeMap<String, usize>,
    pub row_counts: BTreeMap<String, usize>,
    pub diagnostics_by_code: BTreeMap<String, usize>,
    pub diagnostics_by_severity: BTreeMap<String, usize>,
    pub timings_ms: BTreeMap<String, u128>,
    pub config: Pipeline,
    pub discovery_problems: Vec<String>,
    /// Each `ogi rank` run on this dataset since the build, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reranked: Vec<Rerank>,
}

/// One `ogi rank` run: when (Unix seconds), with which pipeline file (None: the
/// configuration the manifest recorded), and whether the CSVs carry a BOM.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Rerank {
    pub at_unix: u64,
    pub pipeline: Option<String>,
    pub excel: bool,
}

pub struct Progress<'a> {
    pub on_file: &'a (dyn Fn() + Sync),
}

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
    if let Some(why) = &f.problem {
        let mut r = Report::empty(String::new(), f.rel.clone());
        r.diagnostics.push(Diagnostic::error("unreadable", None, format!("cannot read the file: {why}")));
        note_lossy_name(&mut r, f);
        return r;
    }
    let size = std::fs::metadata(&f.path).map(|m| m.len()).unwrap_or(0);
    let max_bytes = limits.max_bytes;
    if size > max_bytes {
        let id = hash_stream(&f.path).unwrap_or_default();
        let mut r = Report::empty(id, f.rel.clone());
        r.diagnostics.push(Diagnostic::error(
            "file_too_large",
            None,
            format!("{size} bytes is over the limit of {max_bytes} (build.max_file_mb)"),
        ));
        note_lossy_name(&mut r, f);
        return r;
    }
    let bytes = match std::fs::read(&f.path) {
        Ok(b) => b,
        Err(e) => {
            let mut r = Report::empty(String::new(), f.rel.clone());
            r.diagnostics.push(Diagnostic::error("unreadable", None, format!("cannot read the file: {e}")));
            note_lossy_name(&mut r, f);
            return r;
        }
    };
    process_bytes(f, bytes, limits)
}

/// The part of `process_file` after the bytes are read: parse (under the watchdog),
/// resolve the region.
pub fn process_bytes(f: &Found, bytes: Vec<u8>, limits: &Limits) -> Report {
    let mut rep = match limits.time_for(bytes.len() as u64) {
        Some(limit) => parse_with_watchdog(f.rel.clone(), bytes, limit),
        None => parse_catching(&f.rel, &bytes),
    };
    resolve_region(&mut rep);
    note_lossy_name(&mut rep, f);
    rep
}

fn note_lossy_name(r: &mut Report, f: &Found) {
    if f.lossy_name {
        r.diagnostics.push(Diagnostic::warn(
            "path_not_utf8",
            None,
            "the file name is not valid UTF-8; source_path shows the undecodable bytes as \u{FFFD}",
        ));
    }
}

/// `parse_report`, with a panic turned into a failed row.
fn parse_catching(rel: &str, bytes: &[u8]) -> Report {
    match std::panic::catch_unwind(|| parse_report(rel, bytes)) {
        Ok(r) => r,
        Err(_) => {
            let mut r = Report::empty(report_id(bytes), rel.to_string());
            r.diagnostics.push(Diagnostic::error(
                "internal_error",
                None,
                "the extractor failed on this file; please report it",
            ));
            r
        }
    }
}

/// A file handed to a parse thread.
struct Job {
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
                let _ = job.reply.send(parse_catching(&job.rel, &job.bytes));
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
fn parse_with_watchdog(rel: String, bytes: Vec<u8>, limit: Duration) -> Report {
    let bytes = Arc::new(bytes);
    let (reply, rx) = std::sync::mpsc::sync_channel(1);
    let job = Job { rel: rel.clone(), bytes: Arc::clone(&bytes), reply };
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
        return parse_catching(&rel, &bytes);
    }
    let failed = |code: &'static str, why: String| {
        let mut r = Report::empty(report_id(&bytes), rel.clone());
        r.diagnostics.push(Diagnostic::error(code, None, why));
        r
    };
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
            failed("internal_error", "the extractor failed on this file; please report it".to_string())
        }
    }
}

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
    Some(h.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect())
}

/// Places the report among the divisions (code, province, prefecture, level).
pub fn resolve_region(rep: &mut Report) {
    if rep.status == Status::Failed && rep.title.is_none() {
        return;
    }
    let q = RegionQuery {
        region_name: rep.region_name.as_deref(),
        agency: rep.agency.as_deref(),
        title: rep.title.as_deref(),
        context: &rep.context,
        year: rep.year.map(i32::from),
    };
    let mut res = Divisions::embedded().resolve(&q);
    // A zone's report is the zone's, not its province's (河北雄安新区 names 河北).
    if res.level != Some(Level::County) {
        let said = [rep.region_name.as_deref(), rep.agency.as_deref(), rep.title.as_deref()];
        if let Some(zone) = crate::region::zones::named_zone(said.into_iter().flatten()) {
            let divisions: Vec<&crate::region::divisions::Division> =
                zone.codes.iter().filter_map(|c| Divisions::embedded().current(c)).collect();
            match divisions.as_slice() {
                [d] => {
                    rep.diagnostics.push(Diagnostic::info(
                        "region_special_zone",
                        None,
                        format!(
                            "{} administers {} ({}), per data/reference/special_zones.csv",
                            zone.name, d.name, d.code
                        ),
                    ));
                    res = resolution_of(d);
                }
                many => {
                    res = crate::region::resolve::Resolution {
                        candidates: many.iter().map(|d| format!("{} {}", d.code, d.name)).collect(),
                        note: Some(format!("{} spans several divisions", zone.name)),
                        ..Default::default()
                    };
                }
            }
        }
    }
    if res.code.is_none() {
        if let Some(by_site) = site_region(rep) {
            rep.diagnostics.push(Diagnostic::info(
                "region_from_site_code",
                None,
                format!(
                    "region {} taken from the site's SiteIDCode {}, whose place the report names",
                    by_site.name.as_deref().unwrap_or("-"),
                    rep.site_code.as_deref().unwrap_or("-")
                ),
            ));
            res = by_site;
        }
    }
    rep.context = String::new();
    rep.region.code = res.code.clone();
    rep.region.name = res.name.clone();
    rep.region.province = res.province.clone();
    rep.region.prefecture = res.prefecture.clone();
    rep.region.level = res.level.map(|l| match l {
        Level::County => "county",
        Level::Prefecture => "prefecture",
        Level::Province => "province",
    });
    if res.code.is_none() && (rep.region_name.is_some() || rep.agency.is_some()) {
        let why = res.note.unwrap_or_else(|| "no division matches".to_string());
        let cands = if res.candidates.is_empty() {
            String::new()
        } else {
            format!(" (candidates: {})", res.candidates.join(", "))
        };
        rep.diagnostics.push(Diagnostic::warn(
            "region_unresolved",
            None,
            format!(
                "region {} not resolved: {why}{cands}",
                rep.region_name.as_deref().or(rep.agency.as_deref()).unwrap_or("-")
            ),
        ));
    }
}

/// The division a local government site's SiteIDCode starts with, when the report's
/// own words name it (its short name in the region name, agency or title: 平潭综合实验区
/// on 平潭县's site): the code is evidence weighed with the text, never alone.
fn site_region(rep: &Report) -> Option<crate::region::resolve::Resolution> {
    let code = rep.site_code.as_deref()?.get(..6)?;
    let d = Divisions::embedded().current(code)?;
    if d.level == Level::Province || d.short_name.chars().count() < 2 {
        return None;
    }
    let said = [rep.region_name.as_deref(), rep.agency.as_deref(), rep.title.as_deref()];
    if !said.iter().flatten().any(|t| t.contains(d.short_name.as_str()) || t.contains(d.name.as_str())) {
        return None;
    }
    Some(resolution_of(d))
}

/// A division of the newest list as the resolver's answer.
fn resolution_of(d: &crate::region::divisions::Division) -> crate::region::resolve::Resolution {
    let prefecture = if d.level == Level::Prefecture { d.name.clone() } else { d.prefecture.clone() };
    crate::region::resolve::Resolution {
        code: Some(d.code.clone()),
        name: Some(d.name.clone()),
        level: Some(d.level),
        province: Some(d.province.clone()),
        prefecture: Some(prefecture).filter(|p| !p.is_empty()),
        ..Default::default()
    }
}

/// What the extraction loop hands the writer thread.
enum ToWriter {
    /// A chunk of reports, for every table.
    Reports(Vec<Report>),
    /// Diagnostics of checks across reports, for the diagnostics table alone.
    Diagnostics(Vec<Report>),
}

pub struct Outcome {
    pub manifest: Manifest,
    /// Nothing changed since the last build: the dataset was left as it was.
    pub up_to_date: bool,
}

/// Files parsed together; their reports are written out and dropped before the next
/// chunk, which bounds memory whatever the size of the corpus.
const CHUNK: usize = 2048;

/// One file through the cache: an unchanged file (same size and mtime as last time)
/// is not even read; a changed one is read, hashed, and parsed only if its content is
/// new. Returns the report and the file's stamp for the next build's index.
fn process_cached(f: &Found, limits: &Limits, cache: &Cache, index: &Index) -> (Report, Option<Stamp>) {
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
    let r = process_bytes(f, bytes, limits);
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

/// Fingerprint of everything a build's output depends on: parser, configuration,
/// and each input's path, size and mtime.
fn input_fingerprint(files: &[Found], stamps: &[Option<(u64, i128)>], cfg: &Pipeline) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(crate::cache::parser_fingerprint().as_bytes());
    h.update(serde_json::to_string(cfg).unwrap_or_default().as_bytes());
    for (f, st) in files.iter().zip(stamps) {
        h.update(f.rel.as_bytes());
        h.update([0]);
        if let Some((size, mtime)) = st {
            h.update(size.to_le_bytes());
            h.update(mtime.to_le_bytes());
        }
        h.update([u8::from(f.problem.is_some())]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The previous build's manifest, when its inputs were exactly these.
fn up_to_date(out: &Path, fingerprint: &str) -> Option<Manifest> {
    let text = std::fs::read_to_string(out.join("manifest.json")).ok()?;
    let m: Manifest = serde_json::from_str(&text).ok()?;
    let complete =
        ["reports", "proactive", "requests", "outcomes", "litigation", "fees", "diagnostics", "county_year"]
            .iter()
            .all(|t| out.join(format!("{t}.parquet")).is_file());
    (m.input_fingerprint.as_deref() == Some(fingerprint) && complete).then_some(m)
}

pub fn build(
    input: &Path,
    out: &Path,
    cfg: &Pipeline,
    cache_root: Option<&Path>,
    progress: &Progress,
    set_len: &dyn Fn(u64),
) -> Result<Outcome> {
    let t0 = Instant::now();
    let (files, problems) = discover(input)?;
    set_len(files.len() as u64);
    let t_discover = t0.elapsed();
    let settings = serde_json::to_string(&cfg.build).unwrap_or_default();
    let cache = cache_root.map(|root| Cache::open(root, input, &settings));
    let stamps: Vec<Option<(u64, i128)>> = files.par_iter().map(|f| stat(&f.path)).collect();
    let fingerprint = input_fingerprint(&files, &stamps, cfg);
    if cache.is_some() {
        if let Some(manifest) = up_to_date(out, &fingerprint) {
            // Nothing to write, but a killed build's litter still goes.
            crate::write::remove_litter(out);
            return Ok(Outcome { manifest, up_to_date: true });
        }
    }
    let index = cache.as_ref().map(Cache::load_index).unwrap_or_default();
    // Staged before extraction: litter of killed builds goes now, and everything this
    // build writes lives in the staging directory until the final rename.
    let staging = Staging::new(out)?;
    let limits = Limits::from_config(&cfg.build);
    let writer = DatasetWriter::create(&staging.dir)?;
    let mut status: BTreeMap<String, usize> =
        ["ok", "partial", "failed"].iter().map(|s| (s.to_string(), 0)).collect();
    let mut by_code: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_severity: BTreeMap<String, usize> = [Severity::Error, Severity::Warning, Severity::Info]
        .iter()
        .map(|s| (s.as_str().to_string(), 0))
        .collect();
    let mut new_index = std::collections::HashMap::new();
    // Copies of earlier inputs (same bytes, or the same report in another form).
    let mut copies = crate::dedupe::Copies::default();
    let mut cross_year = crate::checks::CrossYear::default();
    let mut late_warnings: Vec<(String, String, usize)> = Vec::new();
    let mut t_extract = Duration::ZERO;
    // Chunks are written on a thread of their own while the next chunk is parsed; the
    // channel holds one chunk, so at most three are in memory (parsing, waiting,
    // writing) and they are written in input order.
    let (written, t_write) = std::thread::scope(|scope| -> Result<(BTreeMap<String, usize>, Duration)> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<ToWriter>(1);
        let handle = scope.spawn(move || -> Result<(BTreeMap<String, usize>, Duration)> {
            let mut writer = writer;
            let mut t_write = Duration::ZERO;
            for msg in rx {
                let t = Instant::now();
                match msg {
                    ToWriter::Reports(reports) => writer.push(&reports)?,
                    ToWriter::Diagnostics(reports) => writer.push_diagnostics(&reports)?,
                }
                t_write += t.elapsed();
            }
            let t = Instant::now();
            let counts = writer.finish()?;
            Ok((counts, t_write + t.elapsed()))
        });
        for chunk in files.chunks(CHUNK) {
            let t1 = Instant::now();
            let results: Vec<(Report, Option<Stamp>)> = chunk
                .par_iter()
                .map(|f| {
                    let r = match &cache {
                        Some(c) => process_cached(f, &limits, c, &index),
                        None => (process_file(f, &limits), None),
                    };
                    (progress.on_file)();
                    r
                })
                .collect();
            t_extract += t1.elapsed();
            let mut reports = Vec::with_capacity(results.len());
            for (f, (mut r, stamp)) in chunk.iter().zip(results) {
                if let Some(st) = stamp {
                    new_index.insert(f.rel.clone(), st);
                }
                copies.check(&mut r, &f.rel);
                cross_year.note(&r);
                *status.entry(r.status.as_str().to_string()).or_insert(0) += 1;
                for d in &r.diagnostics {
                    *by_code.entry(d.code.to_string()).or_insert(0) += 1;
                    *by_severity.entry(d.severity.as_str().to_string()).or_insert(0) += 1;
                }
                reports.push(r);
            }
            if tx.send(ToWriter::Reports(reports)).is_err() {
                // The writer stopped on an error, which joining it returns.
                break;
            }
        }
        // Checks across reports, once all are read: diagnostics of the later report.
        let across = std::mem::take(&mut cross_year).diagnostics(&cfg.checks);
        for d in across.iter().flat_map(|r| &r.diagnostics) {
            *by_code.entry(d.code.to_string()).or_insert(0) += 1;
            *by_severity.entry(d.severity.as_str().to_string()).or_insert(0) += 1;
        }
        late_warnings = across
            .iter()
            .map(|r| (r.report_id.clone(), r.source_path.clone(), r.diagnostics.len()))
            .collect();
        let _ = tx.send(ToWriter::Diagnostics(across));
        drop(tx);
        handle.join().map_err(|_| anyhow::anyhow!("the Parquet writer thread panicked"))?
    })?;
    // The checks across reports were made after the reports were written.
    crate::write::amend::add_warnings(&staging.dir, &late_warnings)?;
    let mut row_counts = written;
    if let Some(c) = &cache {
        c.save_index(new_index);
    }
    // The file list and the index are the only things that grow with the corpus:
    // gone before the rankings take their share of memory.
    let input_files = files.len();
    drop(files);
    drop(stamps);
    drop(index);
    drop(copies);
    let t3 = Instant::now();
    row_counts.extend(crate::rank::rank(&staging.dir, &cfg.rank, cfg.rank.excel)?);
    let t_rank = t3.elapsed();
    let mut timings = BTreeMap::new();
    timings.insert("discover".to_string(), t_discover.as_millis());
    timings.insert("extract".to_string(), t_extract.as_millis());
    timings.insert("write".to_string(), t_write.as_millis());
    timings.insert("rank".to_string(), t_rank.as_millis());
    timings.insert("total".to_string(), t0.elapsed().as_millis());
    let manifest = Manifest {
        tool: "ogi".to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        contract_version: crate::template::contract_version().to_string(),
        parser: crate::cache::parser_fingerprint().to_string(),
        input_dir: input.display().to_string(),
        input_files,
        input_fingerprint: Some(fingerprint),
        status,
        row_counts,
        diagnostics_by_code: by_code,
        diagnostics_by_severity: by_severity,
        timings_ms: timings,
        config: cfg.clone(),
        discovery_problems: problems,
        reranked: Vec::new(),
    };
    let json = serde_json::to_string_pretty(&manifest)?;
    std::fs::write(staging.dir.join("manifest.json"), json).context("writing manifest.json")?;
    staging.commit()?;
    Ok(Outcome { manifest, up_to_date: false })
}
