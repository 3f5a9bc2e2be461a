//! `ogi rank`: re-run the polars rankings on an existing dataset (after changing the
//! thresholds in the pipeline file, say) without re-reading the reports.

use crate::config::Pipeline;
use anyhow::Result;
use std::path::PathBuf;

/// Recompute county_year and the ranking CSVs of an existing dataset.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The dataset directory that `ogi build` wrote.
    #[arg(long, default_value = "data/dataset")]
    pub dataset: PathBuf,
    /// Pipeline file with the ranking thresholds.
    #[arg(long)]
    pub pipeline: Option<PathBuf>,
    /// Write the CSVs with a UTF-8 BOM so Excel opens them correctly.
    #[arg(long)]
    pub excel: bool,
}

pub fn run(args: &Args) -> Result<()> {
    let cfg = Pipeline::load(args.pipeline.as_deref())?;
    let counts = crate::rank::rank(&args.dataset, &cfg.rank, args.excel)?;
    for (k, v) in counts {
        println!("{k:<36} {v:>8} rows");
    }
    Ok(())
}
