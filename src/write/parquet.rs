//! Reports → the contract's Parquet tables (arrow-rs + parquet: zstd, dictionary
//! encoded strings, contract version in the key-value metadata). Every fact table
//! repeats report_id, region and year so it can be used without a join.

use super::columns::{Table, V};
use crate::model::Report;
use crate::template::contract_version;
use anyhow::{Context, Result};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use std::collections::BTreeMap;
use std::path::Path;

/// `source_page` is a PDF's page (null for other formats), and then `source_line`
/// counts within that page's text.
const COMMON: [(&str, &str, bool); 8] = [
    ("report_id", "utf8", false),
    ("region_code", "utf8", true),
    ("region_name", "utf8", true),
    ("province", "utf8", true),
    ("prefecture", "utf8", true),
    ("year", "int16", true),
    ("source_line", "int32", true),
    ("source_page", "int32", true),
];

fn with_common(extra: &[(&'static str, &'static str, bool)]) -> Vec<(&'static str, &'static str, bool)> {
    COMMON.iter().copied().chain(extra.iter().copied()).collect()
}

fn common<'a>(r: &'a Report, line: Option<u32>) -> [V<'a>; 8] {
    let (page, line) = r.page_of(line);
    [
        V::S(Some(&r.report_id)),
        V::S(r.region.code.as_deref()),
        V::S(r.region.name.as_deref().or(r.region_name.as_deref())),
        V::S(r.region.province.as_deref()),
        V::S(r.region.prefecture.as_deref()),
        V::I16(r.year),
        V::I32(line.and_then(|l| i32::try_from(l).ok())),
        V::I32(page.and_then(|p| i32::try_from(p).ok())),
    ]
}

/// A fact row: the common columns, then the table's own; built on the stack, since the
/// writer makes one for each of hundreds of millions of facts.
fn row<'a, const N: usize>(
    r: &'a Report,
    line: Option<u32>,
    rest: [V<'a>; N],
) -> impl Iterator<Item = V<'a>> {
    common(r, line).into_iter().chain(rest)
}

/// Rows buffered per table before they are handed to the Parquet writer, which
/// closes a row group every `ROW_GROUP_ROWS`: memory stays flat however large the
/// corpus is.
const FLUSH_ROWS: usize = 16_384;
const ROW_GROUP_ROWS: usize = 262_144;

type Fill = fn(&mut Table, &Report);

struct Sink {
    name: &'static str,
    table: Table,
    fill: Fill,
    writer: ArrowWriter<std::fs::File>,
    rows: usize,
}

/// Streams reports into the seven Parquet tables of the contract.
pub struct DatasetWriter {
    sinks: Vec<Sink>,
}

impl DatasetWriter {
    pub fn create(dir: &Path) -> Result<DatasetWriter> {
        let specs: [(&'static str, Table, Fill); 7] = [
            ("reports", reports_table(), fill_reports),
            ("proactive", proactive_table(), fill_proactive),
            ("requests", requests_table(), fill_requests),
            ("outcomes", outcomes_table(), fill_outcomes),
            ("litigation", litigation_table(), fill_litigation),
            ("fees", fees_table(), fill_fees),
            ("diagnostics", diagnostics_table(), fill_diagnostics),
        ];
        let mut sinks = Vec::new();
        for (name, table, fill) in specs {
            let path = dir.join(format!("{name}.parquet"));
            let file =
                std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?;
            let writer = ArrowWriter::try_new(file, table.schema(), Some(writer_properties()))?;
            sinks.push(Sink { name, table, fill, writer, rows: 0 });
        }
        Ok(DatasetWriter { sinks })
    }

    /// Batches stay near FLUSH_ROWS however many rows a report has (outcomes: ~150),
    /// so their buffers are the same few MB each time and the allocator reuses them;
    /// a chunk's 300 000 outcome rows in one batch were fresh pages every time.
    pub fn push(&mut self, reports: &[Report]) -> Result<()> {
        for sink in &mut self.sinks {
            for r in reports {
                (sink.fill)(&mut sink.table, r);
                if sink.table.len() >= FLUSH_ROWS {
                    flush(sink)?;
                }
            }
        }
        Ok(())
    }

    /// Rows for the diagnostics table alone: checks across reports, made after the
    /// reports they question were written.
    pub fn push_diagnostics(&mut self, reports: &[Report]) -> Result<()> {
        for sink in self.sinks.iter_mut().filter(|s| s.name == "diagnostics") {
            for r in reports {
                (sink.fill)(&mut sink.table, r);
                if sink.table.len() >= FLUSH_ROWS {
                    flush(sink)?;
                }
            }
        }
        Ok(())
    }

    /// Flushes and closes every file; returns row counts per table.
    pub fn finish(mut self) -> Result<BTreeMap<String, usize>> {
        let mut counts = BTreeMap::new();
        for mut sink in self.sinks.drain(..) {
            flush(&mut sink)?;
            counts.insert(sink.name.to_string(), sink.rows);
            sink.writer.close().with_context(|| format!("closing {}.parquet", sink.name))?;
        }
        Ok(counts)
    }
}

fn flush(sink: &mut Sink) -> Result<()> {
    if sink.table.is_empty() {
        return Ok(());
    }
    let batch = sink.table.flush()?;
    sink.rows += batch.num_rows();
    sink.writer.write(&batch).with_context(|| format!("writing {}.parquet", sink.name))?;
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

fn reports_table() -> Table {
    Table::new(&[
        ("report_id", "utf8", false),
        ("source_path", "utf8", false),
        ("title", "utf8", true),
        ("agency", "utf8", true),
        ("agency_kind", "utf8", false),
        ("region_name", "utf8", true),
        ("region_code", "utf8", true),
        ("province", "utf8", true),
        ("prefecture", "utf8", true),
        ("level", "utf8", true),
        ("year", "int16", true),
        ("published_on", "date32", true),
        ("era", "utf8", true),
        ("status", "utf8", false),
        ("n_warnings", "int32", false),
        ("identity_ok", "bool", true),
        ("encoding", "utf8", true),
        ("region_name_as_written", "utf8", true),
        ("duplicate_of", "utf8", true),
        ("format", "utf8", false),
        ("pages", "int32", true),
    ])
}

fn fill_reports(t: &mut Table, r: &Report) {
    let n_warn = i32::try_from(r.diagnostics.len()).unwrap_or(i32::MAX);
    t.push(&[
        V::S(Some(&r.report_id)),
        V::S(Some(&r.source_path)),
        V::S(r.title.as_deref()),
        V::S(r.agency.as_deref()),
        V::S(Some(r.agency_kind)),
        V::S(r.region.name.as_deref().or(r.region_name.as_deref())),
        V::S(r.region.code.as_deref()),
        V::S(r.region.province.as_deref()),
        V::S(r.region.prefecture.as_deref()),
        V::S(r.region.level),
        V::I16(r.year),
        V::D(r.published_on),
        V::S(r.era),
        V::S(Some(r.status.as_str())),
        V::I32(Some(n_warn)),
        V::B(r.identity_ok),
        V::S(r.encoding),
        V::S(r.region_name.as_deref()),
        V::S(r.duplicate_of.as_deref()),
        V::S(Some(r.format)),
        V::I32(r.pages.and_then(|p| i32::try_from(p).ok())),
    ]);
}

fn proactive_table() -> Table {
    Table::new(&with_common(&[
        ("category", "utf8", false),
        ("metric", "utf8", false),
        ("value", "float64", true),
        ("unit", "utf8", false),
    ]))
}

fn fill_proactive(t: &mut Table, r: &Report) {
    for f in &r.proactive {
        t.push_row(row(
            r,
            f.line,
            [V::S(Some(&f.category)), V::S(Some(&f.metric)), V::F64(f.value), V::S(Some(f.unit))],
        ));
    }
}

fn requests_table() -> Table {
    Table::new(&with_common(&[
        ("applicant", "utf8", false),
        ("new_received", "int64", true),
        ("carried_over", "int64", true),
        ("carried_forward", "int64", true),
    ]))
}

fn fill_requests(t: &mut Table, r: &Report) {
    for f in &r.requests {
        t.push_row(row(
            r,
            f.line,
            [
                V::S(Some(f.applicant)),
                V::I64(f.new_received),
                V::I64(f.carried_over),
                V::I64(f.carried_forward),
            ],
        ));
    }
}

fn outcomes_table() -> Table {
    Table::new(&with_common(&[
        ("outcome", "utf8", false),
        ("outcome_group", "utf8", false),
        ("applicant", "utf8", false),
        ("count", "int64", true),
    ]))
}

fn fill_outcomes(t: &mut Table, r: &Report) {
    for f in &r.outcomes {
        t.push_row(row(
            r,
            f.line,
            [V::S(Some(f.outcome)), V::S(Some(f.outcome_group)), V::S(Some(f.applicant)), V::I64(f.count)],
        ));
    }
}

fn litigation_table() -> Table {
    Table::new(&with_common(&[
        ("proceeding", "utf8", false),
        ("result", "utf8", false),
        ("count", "int64", true),
    ]))
}

fn fill_litigation(t: &mut Table, r: &Report) {
    for f in &r.litigation {
        t.push_row(row(r, f.line, [V::S(Some(&f.proceeding)), V::S(Some(&f.result)), V::I64(f.count)]));
    }
}

fn fees_table() -> Table {
    Table::new(&with_common(&[
        ("fee_kind", "utf8", false),
        ("notices_issued", "int64", true),
        ("amount_billed_yuan", "float64", true),
        ("amount_collected_yuan", "float64", true),
        ("amount_waived_yuan", "float64", true),
        ("evidence", "utf8", true),
    ]))
}

fn fill_fees(t: &mut Table, r: &Report) {
    for f in &r.fees {
        t.push_row(row(
            r,
            f.line,
            [
                V::S(Some(f.fee_kind)),
                V::I64(f.notices_issued),
                V::F64(f.amount_billed_yuan),
                V::F64(f.amount_collected_yuan),
                V::F64(f.amount_waived_yuan),
                V::S(Some(&f.evidence)),
            ],
        ));
    }
}

fn diagnostics_table() -> Table {
    Table::new(&with_common(&[
        ("source_path", "utf8", false),
        ("severity", "utf8", false),
        ("code", "utf8", false),
        ("message", "utf8", false),
    ]))
}

fn fill_diagnostics(t: &mut Table, r: &Report) {
    for d in &r.diagnostics {
        t.push_row(row(
            r,
            d.line,
            [
                V::S(Some(&r.source_path)),
                V::S(Some(d.severity.as_str())),
                V::S(Some(d.code)),
                V::S(Some(&d.message)),
            ],
        ));
    }
}
