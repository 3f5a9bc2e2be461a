//! `import ogi`: the reader of `ogi build` inside Python, so an engine that calls into
//! Python (Spark's mapInArrow, Ray, Dask) reads reports exactly as the command does.
//! A file's bytes go in; the contract's per-report tables come out as pyarrow record
//! batches, built by `ogi_parse::rows` (the schema `ogi build` writes to Parquet) and
//! handed over through the Arrow C data interface, not as Python objects. Reading runs
//! with the GIL released.

use arrow::pyarrow::ToPyArrow;
use ogi_parse::guarded::{limit_for, parse_guarded};
use ogi_parse::model::Report;
use ogi_parse::parse::report_id;
use ogi_parse::region::resolve_region;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::time::Duration;

/// `ogi build`'s per-file time limit (`[build] max_seconds_per_file`, per MiB begun).
const SECONDS_PER_MIB: f64 = 30.0;

/// One file read as `ogi build` reads it: on a parse thread under the watchdog (a panic
/// or a file that takes longer than its limit is a failed row), placed among the
/// divisions.
fn read(data: &[u8], path: &str, seconds_per_mib: f64) -> Report {
    let per_mib = (seconds_per_mib.is_finite() && seconds_per_mib > 0.0)
        .then(|| Duration::from_secs_f64(seconds_per_mib.min(1e9)));
    let limit = limit_for(data.len() as u64, per_mib);
    let mut r = parse_guarded(report_id(data), path.to_string(), data.to_vec(), limit);
    resolve_region(&mut r);
    r
}

/// Reads the files on up to `threads` threads, in order.
fn read_all(files: &[(Vec<u8>, String)], threads: usize, seconds_per_mib: f64) -> Vec<Report> {
    let threads = threads.clamp(1, files.len().max(1));
    let chunk = files.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || part.iter().map(|(d, p)| read(d, p, seconds_per_mib)).collect::<Vec<_>>())
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|_| Vec::new())).collect()
    })
}

fn tables<'py>(py: Python<'py>, reports: &[Report]) -> PyResult<Bound<'py, PyDict>> {
    let batches = ogi_parse::rows::batches(reports).map_err(|e| PyValueError::new_err(e.to_string()))?;
    let out = PyDict::new(py);
    for (name, batch) in batches {
        out.set_item(name, batch.to_pyarrow(py)?)?;
    }
    Ok(out)
}

/// parse(data: bytes, path: str, seconds_per_mib: float = 30.0) -> dict[str, pyarrow.RecordBatch]
///
/// One report file: its rows in each table of the contract (reports, proactive,
/// requests, outcomes, litigation, fees, diagnostics), with exactly the columns and types
/// `ogi build` writes. `path` is the file's path relative to the input directory (it is
/// `source_path`, and its extension tells an HTML page from text). A file the reader
/// takes longer than `seconds_per_mib` (per MiB begun; 0: no limit) to read is a failed
/// row with a `timeout` diagnostic, as in `ogi build`.
#[pyfunction]
#[pyo3(signature = (data, path, seconds_per_mib=SECONDS_PER_MIB))]
fn parse<'py>(
    py: Python<'py>,
    data: Vec<u8>,
    path: String,
    seconds_per_mib: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let report = py.detach(move || read(&data, &path, seconds_per_mib));
    tables(py, std::slice::from_ref(&report))
}

/// parse_many(files: list[tuple[bytes, str]], threads: int | None = None, seconds_per_mib: float = 30.0) -> dict[str, pyarrow.RecordBatch]
///
/// Many files at once, on `threads` threads (default: the machine's cores) with the GIL
/// released; one batch per table holding every file's rows, in the order given.
#[pyfunction]
#[pyo3(signature = (files, threads=None, seconds_per_mib=SECONDS_PER_MIB))]
fn parse_many<'py>(
    py: Python<'py>,
    files: Vec<(Vec<u8>, String)>,
    threads: Option<usize>,
    seconds_per_mib: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let threads = threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let reports = py.detach(move || read_all(&files, threads, seconds_per_mib));
    tables(py, &reports)
}

/// The contract version the tables follow (the `ogi.contract_version` of the Parquet files).
#[pyfunction]
fn contract_version() -> &'static str {
    ogi_parse::template::contract_version()
}

#[pymodule]
fn _ogi(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(parse, m)?)?;
    m.add_function(wrap_pyfunction!(parse_many, m)?)?;
    m.add_function(wrap_pyfunction!(contract_version, m)?)?;
    m.add("TABLES", ["reports", "proactive", "requests", "outcomes", "litigation", "fees", "diagnostics"])?;
    Ok(())
}
