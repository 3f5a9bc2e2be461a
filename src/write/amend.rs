//! Diagnostics made after the reports were written (checks across reports) still
//! count in their report's `n_warnings`: reports.parquet is rewritten with the counts
//! added. It is one row per report, so this costs little, and only happens when a
//! check found something.

use anyhow::{Context, Result};
use polars::prelude::*;
use std::path::Path;

/// Adds `extra` (report_id, source_path, diagnostics) to the n_warnings of those rows.
pub fn add_warnings(dir: &Path, extra: &[(String, String, usize)]) -> Result<()> {
    if extra.is_empty() {
        return Ok(());
    }
    let path = dir.join("reports.parquet");
    let file = std::fs::File::open(&path).with_context(|| format!("opening {}", path.display()))?;
    let reports =
        ParquetReader::new(file).finish().map_err(|e| anyhow::anyhow!("reading reports.parquet: {e}"))?;
    let columns: Vec<Expr> = reports.get_column_names().into_iter().map(|c| col(c.clone())).collect();
    let ids: Vec<&str> = extra.iter().map(|e| e.0.as_str()).collect();
    let paths: Vec<&str> = extra.iter().map(|e| e.1.as_str()).collect();
    let counts: Vec<i32> = extra.iter().map(|e| i32::try_from(e.2).unwrap_or(i32::MAX)).collect();
    let add = df!("report_id" => ids, "source_path" => paths, "ogi_extra" => counts)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let keys = [col("report_id"), col("source_path")];
    let mut out = reports
        .lazy()
        .join(add.lazy(), keys.clone(), keys, JoinArgs::new(JoinType::Left))
        .with_column(
            (col("n_warnings") + col("ogi_extra").fill_null(lit(0)))
                .cast(DataType::Int32)
                .alias("n_warnings"),
        )
        .select(columns)
        .collect()
        .map_err(|e| anyhow::anyhow!("adding warnings to reports: {e}"))?;
    let tmp = dir.join(".reports.parquet.amend");
    super::parquet::write_frame(&mut out, &tmp)?;
    std::fs::rename(&tmp, &path).with_context(|| format!("replacing {}", path.display()))?;
    Ok(())
}
