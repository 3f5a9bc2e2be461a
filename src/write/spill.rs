//! The reports table is written last: a report's `n_warnings` counts the diagnostics
//! of the checks across reports, which are known only once every report is read. Its
//! rows wait in a spill file (Arrow IPC: the builders' buffers as they are, no
//! encoding, no compression) inside the staging directory, so memory stays flat
//! however large the corpus; at the end they stream through once into Parquet with
//! the late counts added.

use anyhow::{Context, Result};
use arrow::array::{Array, ArrayRef, Int32Array, StringArray};
use arrow::datatypes::SchemaRef;
use arrow::ipc::reader::StreamReader;
use arrow::ipc::writer::StreamWriter;
use arrow::record_batch::RecordBatch;
use parquet::arrow::ArrowWriter;
use std::collections::HashMap;
use std::io::{BufReader, BufWriter};
use std::path::{Path, PathBuf};

/// Diagnostics added after a report's row was made: report_id → (source_path, count).
#[derive(Default)]
pub struct Late(HashMap<String, Vec<(String, usize)>>);

impl Late {
    pub fn add(&mut self, report_id: &str, source_path: &str, n: usize) {
        let paths = self.0.entry(report_id.to_string()).or_default();
        match paths.iter_mut().find(|(p, _)| p == source_path) {
            Some((_, count)) => *count += n,
            None => paths.push((source_path.to_string(), n)),
        }
    }

    fn get(&self, report_id: &str, source_path: &str) -> usize {
        self.0.get(report_id).and_then(|v| v.iter().find(|(p, _)| p == source_path)).map_or(0, |(_, n)| *n)
    }
}

pub struct Spill {
    path: PathBuf,
    writer: StreamWriter<BufWriter<std::fs::File>>,
}

impl Spill {
    pub fn create(dir: &Path, name: &str, schema: &SchemaRef) -> Result<Spill> {
        let path = dir.join(format!(".{name}.spill.arrows"));
        let file = std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?;
        let writer = StreamWriter::try_new(BufWriter::with_capacity(1 << 20, file), schema)?;
        Ok(Spill { path, writer })
    }

    pub fn write(&mut self, batch: &RecordBatch) -> Result<()> {
        self.writer.write(batch).with_context(|| format!("writing {}", self.path.display()))
    }

    /// Streams the spilled rows into `out` with `late` added to their n_warnings, and
    /// removes the spill file.
    pub fn drain_into(self, out: &mut ArrowWriter<std::fs::File>, late: &Late) -> Result<usize> {
        let Spill { path, mut writer } = self;
        writer.finish().with_context(|| format!("finishing {}", path.display()))?;
        drop(writer);
        let file = std::fs::File::open(&path).with_context(|| format!("opening {}", path.display()))?;
        let reader = StreamReader::try_new(BufReader::with_capacity(1 << 20, file), None)?;
        let mut rows = 0;
        for batch in reader {
            let batch = with_late_warnings(batch?, late)?;
            rows += batch.num_rows();
            out.write(&batch)?;
        }
        std::fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
        Ok(rows)
    }
}

/// The batch with each row's n_warnings raised by its late diagnostics.
fn with_late_warnings(batch: RecordBatch, late: &Late) -> Result<RecordBatch> {
    if late.0.is_empty() {
        return Ok(batch);
    }
    let column = |name: &str| -> Result<usize> {
        batch.schema().index_of(name).with_context(|| format!("the reports table has no {name} column"))
    };
    let (id_at, path_at, warn_at) = (column("report_id")?, column("source_path")?, column("n_warnings")?);
    let strings = |at: usize| -> Result<&StringArray> {
        batch.column(at).as_any().downcast_ref::<StringArray>().context("a reports key column is not utf8")
    };
    let (ids, paths) = (strings(id_at)?, strings(path_at)?);
    let warnings =
        batch.column(warn_at).as_any().downcast_ref::<Int32Array>().context("n_warnings is not int32")?;
    let raised: Int32Array = (0..batch.num_rows())
        .map(|i| {
            let extra = late.get(ids.value(i), paths.value(i));
            let n = i64::from(warnings.value(i)) + i64::try_from(extra).unwrap_or(i64::MAX);
            Some(i32::try_from(n).unwrap_or(i32::MAX))
        })
        .collect();
    let mut columns: Vec<ArrayRef> = batch.columns().to_vec();
    if let Some(slot) = columns.get_mut(warn_at) {
        *slot = std::sync::Arc::new(raised);
    }
    Ok(RecordBatch::try_new(batch.schema(), columns)?)
}
