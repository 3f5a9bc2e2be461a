//! The build, stage by stage: discover → decode/normalise/segment/extract (per file,
//! in parallel, in input order) → resolve regions → write Parquet → rank → manifest,
//! all inside a staging directory that replaces the previous dataset only at the end.

use crate::config::Pipeline;
use crate::discover::{discover, Found};
use crate::extract::{parse_report, report_id};
use crate::model::{Diagnostic, Report, Status};
use crate::region::{Divisions, Level, RegionQuery};
use crate::write::{parquet::write_all, Staging};
use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::time::Instant;

#[derive(Debug, Serialize)]
pub struct Manifest {
    pub tool: &'static str,
    pub version: &'static str,
    pub contract_version: String,
    pub input_dir: String,
    pub input_files: usize,
    pub status: BTreeMap<&'static str, usize>,
    pub row_counts: BTreeMap<String, usize>,
    pub diagnostics_by_code: BTreeMap<&'static str, usize>,
    pub timings_ms: BTreeMap<&'static str, u128>,
    pub config: Pipeline,
    pub discovery_problems: Vec<String>,
}

pub struct Progress<'a> {
    pub on_file: &'a (dyn Fn() + Sync),
}

/// Reads one file into a report; a file that cannot be read, is too large, or makes
/// the extractor panic still yields a `failed` row saying why.
pub fn process_file(f: &Found, max_bytes: u64) -> Report {
    let size = std::fs::metadata(&f.path).map(|m| m.len()).unwrap_or(0);
    if size > max_bytes {
        let id = hash_stream(&f.path).unwrap_or_default();
        let mut r = Report::empty(id, f.rel.clone());
        r.diagnostics.push(Diagnostic::error(
            "file_too_large",
            None,
            format!("{size} bytes is over the limit of {max_bytes} (build.max_file_mb)"),
        ));
        return r;
    }
    let bytes = match std::fs::read(&f.path) {
        Ok(b) => b,
        Err(e) => {
            let mut r = Report::empty(String::new(), f.rel.clone());
            r.diagnostics.push(Diagnostic::error("unreadable", None, format!("cannot read the file: {e}")));
            return r;
        }
    };
    let rel = f.rel.clone();
    let mut rep = match std::panic::catch_unwind(|| parse_report(&rel, &bytes)) {
        Ok(r) => r,
        Err(_) => {
            let mut r = Report::empty(report_id(&bytes), f.rel.clone());
            r.diagnostics.push(Diagnostic::error(
                "internal_error",
                None,
                "the extractor failed on this file; please report it",
            ));
            r
        }
    };
    resolve_region(&mut rep);
    rep
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
    let res = Divisions::embedded().resolve(&q);
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

pub struct Outcome {
    pub manifest: Manifest,
}

pub fn build(
    input: &Path,
    out: &Path,
    cfg: &Pipeline,
    config_text: Option<String>,
    progress: &Progress,
    set_len: &dyn Fn(u64),
) -> Result<Outcome> {
    let _ = config_text;
    let t0 = Instant::now();
    let (files, problems) = discover(input)?;
    set_len(files.len() as u64);
    let t_discover = t0.elapsed();
    let max_bytes = cfg.build.max_file_mb.saturating_mul(1024 * 1024);
    let t1 = Instant::now();
    let reports: Vec<Report> = files
        .par_iter()
        .map(|f| {
            let r = process_file(f, max_bytes);
            (progress.on_file)();
            r
        })
        .collect();
    let t_extract = t1.elapsed();
    let staging = Staging::new(out)?;
    let t2 = Instant::now();
    let mut row_counts = write_all(&reports, &staging.dir)?;
    let t_write = t2.elapsed();
    let t3 = Instant::now();
    row_counts.extend(crate::rank::rank(&staging.dir, &cfg.rank, false)?);
    let t_rank = t3.elapsed();
    let mut status = BTreeMap::new();
    for s in ["ok", "partial", "failed"] {
        status.insert(s, 0);
    }
    let mut by_code: BTreeMap<&'static str, usize> = BTreeMap::new();
    for r in &reports {
        *status.entry(r.status.as_str()).or_insert(0) += 1;
        for d in &r.diagnostics {
            *by_code.entry(d.code).or_insert(0) += 1;
        }
    }
    let mut timings = BTreeMap::new();
    timings.insert("discover", t_discover.as_millis());
    timings.insert("extract", t_extract.as_millis());
    timings.insert("write", t_write.as_millis());
    timings.insert("rank", t_rank.as_millis());
    timings.insert("total", t0.elapsed().as_millis());
    let manifest = Manifest {
        tool: "ogi",
        version: env!("CARGO_PKG_VERSION"),
        contract_version: crate::template::contract_version().to_string(),
        input_dir: input.display().to_string(),
        input_files: files.len(),
        status,
        row_counts,
        diagnostics_by_code: by_code,
        timings_ms: timings,
        config: cfg.clone(),
        discovery_problems: problems,
    };
    let json = serde_json::to_string_pretty(&manifest)?;
    std::fs::write(staging.dir.join("manifest.json"), json).context("writing manifest.json")?;
    staging.commit()?;
    Ok(Outcome { manifest })
}
