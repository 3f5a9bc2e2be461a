//! The build, stage by stage: discover → decode/normalise/segment/extract (per file,
//! in parallel, in input order) → resolve regions → write Parquet → rank → manifest,
//! all inside a staging directory that replaces the previous dataset only at the end.

mod cached;
pub mod hold;
pub mod manifest;
pub mod worker;

pub use manifest::{Manifest, Rerank};
pub use worker::{process_bytes, process_file, Limits};

use crate::cache::{stat, Cache, Index, Stamp};
use crate::config::Pipeline;
use crate::discover::{discover, Found};
use crate::model::Report;
use crate::write::{parquet::DatasetWriter, Staging};
use anyhow::{Context, Result};
use cached::process_cached;
use manifest::{input_fingerprint, up_to_date, Tally};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::time::{Duration, Instant};

pub struct Progress<'a> {
    pub on_file: &'a (dyn Fn() + Sync),
}

/// What the extraction loop hands the writer thread.
enum ToWriter {
    /// A chunk of reports, for every table.
    Reports(Vec<Report>),
    /// Diagnostics of checks across reports: the diagnostics table's rows, and more
    /// warnings for the reports they question.
    Across(Vec<Report>),
}

pub struct Outcome {
    pub manifest: Manifest,
    /// Nothing changed since the last build: the dataset was left as it was.
    pub up_to_date: bool,
}

/// Files parsed together; their reports are written out and dropped before the next
/// chunk, which bounds memory whatever the size of the corpus.
const CHUNK: usize = 2048;

/// `ogi build`: discover the files, read each into a report (in parallel, in input order,
/// through the cache when there is one), write the tables, check across reports, rank,
/// and record the manifest, all in a staging directory that replaces the previous
/// dataset only at the end.
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
    let read = read_and_write(&files, cfg, cache.as_ref(), &index, &staging, progress)?;
    if let Some(c) = &cache {
        c.save_index(read.index);
    }
    // The file list and the index are the only things that grow with the corpus:
    // gone before the rankings take their share of memory.
    let input_files = files.len();
    drop(files);
    drop(stamps);
    drop(index);
    let t_rank = Instant::now();
    let mut row_counts = read.row_counts;
    row_counts.extend(crate::rank::rank(&staging.dir, &cfg.rank, cfg.rank.excel)?);
    hold::at(hold::Stage::Rank);
    let timings = [
        ("discover", t_discover),
        ("extract", read.t_extract),
        ("write", read.t_write),
        ("rank", t_rank.elapsed()),
        ("total", t0.elapsed()),
    ];
    let manifest = Manifest {
        tool: "ogi".to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        contract_version: crate::template::contract_version().to_string(),
        parser: crate::cache::parser_fingerprint().to_string(),
        input_dir: input.display().to_string(),
        input_files,
        input_fingerprint: Some(fingerprint),
        status: read.tally.status,
        row_counts,
        diagnostics_by_code: read.tally.by_code,
        diagnostics_by_severity: read.tally.by_severity,
        timings_ms: timings.iter().map(|(k, t)| (k.to_string(), t.as_millis())).collect(),
        config: cfg.clone(),
        discovery_problems: problems,
        reranked: Vec::new(),
    };
    let json = serde_json::to_string_pretty(&manifest)?;
    std::fs::write(staging.dir.join("manifest.json"), json).context("writing manifest.json")?;
    staging.commit()?;
    Ok(Outcome { manifest, up_to_date: false })
}

/// What reading and writing the reports leaves for the rest of the build.
struct Read {
    tally: Tally,
    row_counts: BTreeMap<String, usize>,
    /// The cache's next index: each file's stamp.
    index: HashMap<String, Stamp>,
    t_extract: Duration,
    t_write: Duration,
}

/// Every file into a report, chunk by chunk, and the reports into the tables. Chunks are
/// written on a thread of their own while the next chunk is parsed; the channel holds
/// one chunk, so at most three are in memory (parsing, waiting, writing) and they are
/// written in input order. Copies of earlier inputs are marked as they pass, and the
/// checks across reports run once all are read.
fn read_and_write(
    files: &[Found],
    cfg: &Pipeline,
    cache: Option<&Cache>,
    index: &Index,
    staging: &Staging,
    progress: &Progress,
) -> Result<Read> {
    let limits = Limits::from_config(&cfg.build);
    let writer = DatasetWriter::create(&staging.dir)?;
    let mut tally = Tally::new();
    let mut new_index = HashMap::new();
    let mut copies = crate::dedupe::Copies::default();
    let mut cross_year = crate::checks::CrossYear::default();
    let mut t_extract = Duration::ZERO;
    let (row_counts, t_write) = std::thread::scope(|scope| -> Result<_> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<ToWriter>(1);
        let handle = scope.spawn(move || -> Result<(BTreeMap<String, usize>, Duration)> {
            let mut writer = writer;
            let mut t_write = Duration::ZERO;
            for msg in rx {
                let t = Instant::now();
                match msg {
                    ToWriter::Reports(reports) => writer.push(&reports)?,
                    ToWriter::Across(reports) => writer.push_across(&reports)?,
                }
                t_write += t.elapsed();
            }
            let t = Instant::now();
            let counts = writer.finish()?;
            Ok((counts, t_write + t.elapsed()))
        });
        let path_of = |file: u32| files.get(file as usize).map_or("", |f| f.rel.as_str());
        for (k, chunk) in files.chunks(CHUNK).enumerate() {
            let t1 = Instant::now();
            let results: Vec<(Report, Option<Stamp>)> = chunk
                .par_iter()
                .map(|f| {
                    let r = match cache {
                        Some(c) => process_cached(f, &limits, c, index),
                        None => (process_file(f, &limits), None),
                    };
                    (progress.on_file)();
                    r
                })
                .collect();
            t_extract += t1.elapsed();
            hold::at(hold::Stage::Extract);
            let mut reports = Vec::with_capacity(results.len());
            for (j, (f, (mut r, stamp))) in chunk.iter().zip(results).enumerate() {
                if let Some(st) = stamp {
                    new_index.insert(f.rel.clone(), st);
                }
                let file = u32::try_from(k * CHUNK + j).unwrap_or(u32::MAX);
                copies.check(&mut r, file, path_of);
                cross_year.note(&r, file);
                tally.report(&r);
                reports.push(r);
            }
            if tx.send(ToWriter::Reports(reports)).is_err() {
                // The writer stopped on an error, which joining it returns.
                break;
            }
        }
        // Checks across reports, once all are read: diagnostics of the later report.
        let across = std::mem::take(&mut cross_year).diagnostics(&cfg.checks, path_of);
        drop(copies);
        tally.diagnostics(across.iter().flat_map(|r| &r.diagnostics));
        let _ = tx.send(ToWriter::Across(across));
        drop(tx);
        handle.join().map_err(|_| anyhow::anyhow!("the Parquet writer thread panicked"))?
    })?;
    Ok(Read { tally, row_counts, index: new_index, t_extract, t_write })
}
