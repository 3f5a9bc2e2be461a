//! A report's rows as arrow record batches, with the contract's columns and types
//! (feature `arrow`): the one declaration of the tables' schemas, shared by the Parquet
//! writer of `ogi build` and the Python binding.

mod builder;
mod tables;

pub use builder::{Col, Table, Ty, V};
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
                fill(&mut table, r)?;
            }
            table.flush().map(|b| (name, b))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A documented column: name, type, never null (None: the section does not say).
    type Documented = (String, String, Option<bool>);

    /// docs/dataset.md's data dictionary: per `## NAME.parquet` section, its columns
    /// (name, type, never null?); "never null" is None where the section's table has no
    /// "null when" column. A "+ … common columns" row stands for the common columns.
    fn documented() -> Vec<(String, Vec<Documented>)> {
        let text = include_str!("../../../../docs/dataset.md");
        let mut out: Vec<(String, Vec<Documented>)> = Vec::new();
        let mut with_null = false;
        for line in text.lines() {
            if let Some(name) = line.strip_prefix("## ").and_then(|h| h.strip_suffix(".parquet")) {
                out.push((name.to_string(), Vec::new()));
                continue;
            }
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            if cells.first() == Some(&"column") {
                with_null = cells.get(2) == Some(&"null when");
                continue;
            }
            let Some((_, cols)) = out.last_mut() else { continue };
            let first = cells.first().copied().unwrap_or_default();
            if first.starts_with('+') {
                cols.push(("+common".into(), String::new(), None));
                continue;
            }
            let Some(name) = first.strip_prefix('`').and_then(|n| n.strip_suffix('`')) else { continue };
            let Some(ty) = cells
                .get(1)
                .filter(|t| ["utf8", "int16", "int32", "int64", "float64", "bool", "date32"].contains(t))
            else {
                continue;
            };
            let never = with_null.then(|| cells.get(2) == Some(&"never"));
            cols.push((name.to_string(), ty.to_string(), never));
        }
        out
    }

    #[test]
    fn the_docs_data_dictionary_is_the_declared_schema() {
        let docs = documented();
        for (name, table, _) in specs() {
            let Some((_, doc)) = docs.iter().find(|(n, _)| n == name) else {
                panic!("docs/dataset.md has no section {name}.parquet");
            };
            let declared: Vec<&Col> = table.columns().collect();
            let common = declared.first().is_some_and(|c| c.name == "report_id") && name != "reports";
            for (n, ty, never) in doc {
                if n == "+common" {
                    continue;
                }
                let Some(col) = declared.iter().find(|c| c.name == n) else {
                    panic!("{name}.{n}: documented, not declared");
                };
                assert_eq!(col.ty.as_str(), ty, "{name}.{n}: type");
                if let Some(never) = never {
                    assert_eq!(!col.nullable, *never, "{name}.{n}: documented never null = {never}");
                }
            }
            // every declared column is documented (the common ones by the "+" row)
            for col in &declared {
                let listed = doc.iter().any(|(n, _, _)| n == col.name)
                    || (common && doc.iter().any(|(n, _, _)| n == "+common"));
                assert!(listed, "{name}.{}: declared, not documented", col.name);
            }
        }
    }
}
