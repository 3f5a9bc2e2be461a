//! The integration tests, one binary of modules: each file a module that links the
//! crate (and polars) once, instead of once per file.

mod common;
mod layouts;

mod atomic;
mod cli;
mod cross_year;
mod determinism;
mod documents;
mod duplicates;
mod golden;
mod hostile;
mod hostile_parse;
mod incremental;
mod legacy;
mod proptest_extract;
mod proptest_layouts;
mod rank_cli;
mod real_text;
mod regions;
mod shapes;
