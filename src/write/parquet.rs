//! Reports → the contract's Parquet tables (arrow-rs + parquet: zstd, dictionary
//! encoded strings, contract version in the key-value metadata). Every fact table
//! repeats report_id, region and year so it can be used without a join.

use super::spill::{Late, Spill};
use crate::model::Report;
use crate::template::contract_version;
use anyhow::{Context, Result};
use ogi_parse::rows::{specs, Fill, Table};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use std::collections::BTreeMap;
use std::path::Path;

/// Rows buffered per table before they are handed to the Parquet writer, which
/// closes a row group every `ROW_GROUP_ROWS`: memory stays flat however large the
/// corpus is.
const FLUSH_ROWS: usize = 16_384;
const ROW_GROUP_ROWS: usize = 262_144;

struct TableFile {
    name: &'static str,
    table: Table,
    fill: Fill,
    writer: ArrowWriter<std::fs::File>,
    /// Where the rows go until the end, for the table written last (reports).
    spill: Option<Spill>,
    rows: usize,
}

/// The table whose rows count diagnostics made after every report is read.
const WRITTEN_LAST: &str = "reports";

/// Streams reports into the seven Parquet tables of the contract. The reports table
/// is written last, once the checks across reports have added their diagnostics.
pub struct DatasetWriter {
    files: Vec<TableFile>,
    late: Late,
}

impl DatasetWriter {
    pub fn create(dir: &Path) -> Result<DatasetWriter> {
        let mut files = Vec::new();
        for (name, table, fill) in specs() {
            let path = dir.join(format!("{name}.parquet"));
            let file =
                std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?;
            let schema = table.schema();
            let writer = ArrowWriter::try_new(file, schema.clone(), Some(writer_properties()))?;
            let spill = if name == WRITTEN_LAST { Some(Spill::create(dir, name, &schema)?) } else { None };
            files.push(TableFile { name, table, fill, writer, spill, rows: 0 });
        }
        Ok(DatasetWriter { files, late: Late::default() })
    }

    /// Batches stay near FLUSH_ROWS however many rows a report has (outcomes: ~150),
    /// so their buffers are the same few MB each time and the allocator reuses them;
    /// a chunk's 300 000 outcome rows in one batch were fresh pages every time.
    pub fn push(&mut self, reports: &[Report]) -> Result<()> {
        for file in &mut self.files {
            fill(file, reports)?;
        }
        Ok(())
    }

    /// Diagnostics of checks across reports, made once every report was read: rows of
    /// the diagnostics table, and counted in their report's n_warnings.
    pub fn push_across(&mut self, reports: &[Report]) -> Result<()> {
        for r in reports {
            self.late.add(&r.report_id, &r.source_path, r.diagnostics.len());
        }
        for file in self.files.iter_mut().filter(|s| s.name == "diagnostics") {
            fill(file, reports)?;
        }
        Ok(())
    }

    /// Flushes and closes every file, the reports table last; returns row counts per
    /// table.
    pub fn finish(mut self) -> Result<BTreeMap<String, usize>> {
        let mut counts = BTreeMap::new();
        self.files.sort_by_key(|f| f.spill.is_some());
        for mut file in self.files.drain(..) {
            flush(&mut file)?;
            if let Some(spill) = file.spill.take() {
                file.rows = spill.drain_into(&mut file.writer, &self.late)?;
            }
            counts.insert(file.name.to_string(), file.rows);
            file.writer.close().with_context(|| format!("closing {}.parquet", file.name))?;
        }
        Ok(counts)
    }
}

fn fill(file: &mut TableFile, reports: &[Report]) -> Result<()> {
    for r in reports {
        (file.fill)(&mut file.table, r)
            .with_context(|| format!("{}: a row of {}", file.name, r.source_path))?;
        if file.table.len() >= FLUSH_ROWS {
            flush(file)?;
        }
    }
    Ok(())
}

fn flush(file: &mut TableFile) -> Result<()> {
    if file.table.is_empty() {
        return Ok(());
    }
    let batch = file.table.flush()?;
    file.rows += batch.num_rows();
    match &mut file.spill {
        Some(spill) => spill.write(&batch),
        None => file.writer.write(&batch).with_context(|| format!("writing {}.parquet", file.name)),
    }
}

pub fn writer_properties() -> WriterProperties {
    WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(3).unwrap_or_default()))
        .set_dictionary_enabled(true)
        .set_created_by(format!("ogi {}", env!("CARGO_PKG_VERSION")))
        .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
        .set_key_value_metadata(Some(file_metadata().into_iter().map(|(k, v)| KeyValue::new(k, v)).collect()))
        .build()
}

/// The key-value metadata of every Parquet file ogi writes.
fn file_metadata() -> Vec<(String, String)> {
    vec![
        ("ogi.contract_version".to_string(), contract_version().to_string()),
        ("ogi.version".to_string(), env!("CARGO_PKG_VERSION").to_string()),
    ]
}

/// A polars frame to `path` (county_year), with the
/// metadata of every other table.
pub fn write_frame(df: &mut polars::prelude::DataFrame, path: &Path) -> Result<()> {
    use polars::prelude::{KeyValueMetadata, ParquetCompression, ParquetWriter};
    let f = std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    ParquetWriter::new(f)
        .with_compression(ParquetCompression::Zstd(None))
        .with_key_value_metadata(Some(KeyValueMetadata::from_static(file_metadata())))
        .finish(df)
        .map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))?;
    Ok(())
}
