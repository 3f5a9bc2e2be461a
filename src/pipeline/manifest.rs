//! `manifest.json`: what a dataset was built from and with (inputs, parser, configuration),
//! what it holds (statuses, row counts, diagnostics) and what was done to it since
//! (`ogi rank` runs). Its input fingerprint is how an incremental build knows it is up to date.

use crate::config::Pipeline;
use crate::discover::Found;
use crate::model::{Diagnostic, Report, Severity};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

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

/// Fingerprint of everything a build's output depends on: parser, configuration,
/// and each input's path, size and mtime.
pub(crate) fn input_fingerprint(files: &[Found], stamps: &[Option<(u64, i128)>], cfg: &Pipeline) -> String {
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
    crate::parse::hex(&h.finalize())
}

/// The previous build's manifest, when its inputs were exactly these.
pub(crate) fn up_to_date(out: &Path, fingerprint: &str) -> Option<Manifest> {
    let text = std::fs::read_to_string(out.join("manifest.json")).ok()?;
    let m: Manifest = serde_json::from_str(&text).ok()?;
    let complete =
        ["reports", "proactive", "requests", "outcomes", "litigation", "fees", "diagnostics", "county_year"]
            .iter()
            .all(|t| out.join(format!("{t}.parquet")).is_file());
    (m.input_fingerprint.as_deref() == Some(fingerprint) && complete).then_some(m)
}

/// The counts a manifest records of the reports and their diagnostics.
pub(crate) struct Tally {
    pub status: BTreeMap<String, usize>,
    pub by_code: BTreeMap<String, usize>,
    pub by_severity: BTreeMap<String, usize>,
}

impl Tally {
    /// Every status and severity present, at zero, so that the manifest's keys do not
    /// depend on what the corpus holds.
    pub fn new() -> Tally {
        Tally {
            status: ["ok", "partial", "failed"].iter().map(|s| (s.to_string(), 0)).collect(),
            by_code: BTreeMap::new(),
            by_severity: [Severity::Error, Severity::Warning, Severity::Info]
                .iter()
                .map(|s| (s.as_str().to_string(), 0))
                .collect(),
        }
    }

    pub fn report(&mut self, r: &Report) {
        *self.status.entry(r.status.as_str().to_string()).or_insert(0) += 1;
        self.diagnostics(&r.diagnostics);
    }

    pub fn diagnostics<'a>(&mut self, ds: impl IntoIterator<Item = &'a Diagnostic>) {
        for d in ds {
            *self.by_code.entry(d.code.to_string()).or_insert(0) += 1;
            *self.by_severity.entry(d.severity.as_str().to_string()).or_insert(0) += 1;
        }
    }
}
