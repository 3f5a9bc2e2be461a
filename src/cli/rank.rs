//! `ogi rank`: re-run the polars rankings on an existing dataset (after changing the
//! thresholds in the pipeline file, say) without re-reading the reports. It is a
//! dataset operation like `build`: the new county_year and CSVs are written into a
//! staged copy of the dataset (hard links to its tables) and swapped in whole, so a
//! run that fails or is killed leaves the previous rankings as they were; by default
//! it uses the configuration the manifest recorded, and it records what it did there.

use crate::config::Pipeline;
use crate::pipeline::{Manifest, Rerank};
use crate::write::Staging;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// Recompute county_year and the ranking CSVs of an existing dataset.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The dataset directory that `ogi build` wrote.
    #[arg(long, default_value = "data/dataset")]
    pub dataset: PathBuf,
    /// Pipeline file with the ranking thresholds (default: the configuration recorded
    /// in the dataset's manifest.json, i.e. the one the build used).
    #[arg(long)]
    pub pipeline: Option<PathBuf>,
    /// Write the CSVs with a UTF-8 BOM so Excel opens them correctly.
    #[arg(long)]
    pub excel: bool,
}

/// What the rankings write; everything else of the dataset is linked, not copied.
const RANKED: [&str; 3] = ["county_year.parquet", "summary", "manifest.json"];

pub fn run(args: &Args) -> Result<()> {
    let dataset = &args.dataset;
    anyhow::ensure!(
        dataset.join("reports.parquet").is_file() || dataset.join("reports").is_dir(),
        "{} is not a dataset (no reports.parquet, nor the Spark job's reports/): run `ogi build` first",
        dataset.display()
    );
    let mut manifest: Option<Manifest> = std::fs::read_to_string(dataset.join("manifest.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok());
    let cfg = match (&args.pipeline, &manifest) {
        (Some(p), _) => Pipeline::load(Some(p))?,
        (None, Some(m)) => m.config.clone(),
        (None, None) => Pipeline::default(),
    };
    let staging = Staging::new(dataset)?;
    link_tables(dataset, &staging.dir)?;
    let excel = args.excel || cfg.rank.excel;
    let counts = crate::rank::rank(&staging.dir, &cfg.rank, excel)?;
    if let Some(m) = manifest.as_mut() {
        let changed = serde_json::to_string(&m.config.rank).ok() != serde_json::to_string(&cfg.rank).ok();
        if changed {
            // The next build must not take this dataset, ranked otherwise, as up to date.
            m.input_fingerprint = None;
        }
        m.config.rank = cfg.rank.clone();
        m.row_counts.extend(counts.iter().map(|(k, v)| (k.clone(), *v)));
        let at_unix =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let pipeline = args.pipeline.as_ref().map(|p| p.display().to_string());
        m.reranked.push(Rerank { at_unix, pipeline, excel });
        let json = serde_json::to_string_pretty(m)?;
        std::fs::write(staging.dir.join("manifest.json"), json).context("writing manifest.json")?;
    }
    staging.commit()?;
    for (k, v) in counts {
        println!("{k:<36} {v:>8} rows");
    }
    Ok(())
}

/// The dataset's files, except what the rankings rewrite, into `to` as hard links
/// (copies where the filesystem has none): writing the new files never touches the
/// old ones.
fn link_tables(from: &Path, to: &Path) -> Result<()> {
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let name = entry.file_name();
        if RANKED.iter().any(|r| name == *r) {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type()?.is_dir() {
            // a table the Spark job wrote as a directory of partitions
            std::fs::create_dir_all(&target)?;
            link_tables(&entry.path(), &target)?;
            continue;
        }
        if !entry.file_type()?.is_file() {
            continue;
        }
        if std::fs::hard_link(entry.path(), &target).is_err() {
            std::fs::copy(entry.path(), &target)
                .with_context(|| format!("copying {} into the staged dataset", entry.path().display()))?;
        }
    }
    Ok(())
}
