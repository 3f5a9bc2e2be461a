//! A report's rows as arrow record batches, with the contract's columns and types
//! (feature `arrow`): the one declaration of the tables' schemas, shared by the Parquet
//! writer of `ogi build` and the Python binding.

mod columns;
mod tables;

pub use columns::{Table, V};
pub use tables::{specs, Fill};

use crate::model::Report;
use arrow::record_batch::RecordBatch;

/// The seven tables of the contract for these reports, one batch each (a table with no
/// rows is an empty batch with its schema).
pub fn batches(reports: &[Report]) -> Result<Vec<(&'static str, RecordBatch)>, arrow::error::ArrowError> {
    specs()
        .into_iter()
        .map(|(name, mut table, fill)| {
            for r in reports {
                fill(&mut table, r);
            }
            table.flush().map(|b| (name, b))
        })
        .collect()
}
