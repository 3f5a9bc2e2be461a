//! Reports → the contract's Parquet tables (arrow-rs + parquet: zstd, dictionary
//! encoded strings, contract version in the key-value metadata). Every fact table
//! repeats report_id, region and year so it can be used without a join.

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
    rows: usize,
}

/// Streams reports into the seven Parquet tables of the contract.
pub struct DatasetWriter {
    files: Vec<TableFile>,
}

impl DatasetWriter {
    pub fn create(dir: &Path) -> Result<DatasetWriter> {
        let mut files = Vec::new();
        for (name, table, fill) in specs() {
            let path = dir.join(format!("{name}.parquet"));
            let file =
                std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?;
            let writer = ArrowWriter::try_new(file, table.schema(), Some(writer_properties()))?;
            files.push(TableFile { name, table, fill, writer, rows: 0 });
        }
        Ok(DatasetWriter { files })
    }

    /// Batches stay near FLUSH_ROWS however many rows a report has (outcomes: ~150),
    /// so their buffers are the same few MB each time and the allocator reuses them;
    /// a chunk's 300 000 outcome rows in one batch were fresh pages every time.
    pub fn push(&mut self, reports: &[Report]) -> Result<()> {
        for file in &mut self.files {
            for r in reports {
                (file.fill)(&mut file.table, r)
                    .with_context(|| format!("{}: a row of {}", file.name, r.source_path))?;
                if file.table.len() >= FLUSH_ROWS {
                    flush(file)?;
                }
            }
        }
        Ok(())
    }

    /// Rows for the diagnostics table alone: checks across reports, made after the
    /// reports they question were written.
    pub fn push_diagnostics(&mut self, reports: &[Report]) -> Result<()> {
        for file in self.files.iter_mut().filter(|s| s.name == "diagnostics") {
            for r in reports {
                (file.fill)(&mut file.table, r)
                    .with_context(|| format!("{}: a row of {}", file.name, r.source_path))?;
                if file.table.len() >= FLUSH_ROWS {
                    flush(file)?;
                }
            }
        }
        Ok(())
    }

    /// Flushes and closes every file; returns row counts per table.
    pub fn finish(mut self) -> Result<BTreeMap<String, usize>> {
        let mut counts = BTreeMap::new();
        for mut file in self.files.drain(..) {
            flush(&mut file)?;
            counts.insert(file.name.to_string(), file.rows);
            file.writer.close().with_context(|| format!("closing {}.parquet", file.name))?;
        }
        Ok(counts)
    }
}

fn flush(file: &mut TableFile) -> Result<()> {
    if file.table.is_empty() {
        return Ok(());
    }
    let batch = file.table.flush()?;
    file.rows += batch.num_rows();
    file.writer.write(&batch).with_context(|| format!("writing {}.parquet", file.name))?;
    Ok(())
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

/// A polars frame to `path` (county_year, the amended reports table), with the
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
