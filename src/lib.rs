//! ogi: China's government information-disclosure annual reports (政府信息公开工作年度报告)
//! → an audited, columnar dataset. The modules follow the data flow:
//! discover → decode → normalise → segment → extract → validate → write → rank.
//!
//! One file's chain, bytes to `Report` (decode … validate, and `region`), is the
//! `ogi-parse` crate (`crates/ogi-parse`), re-exported here under the same names. This
//! crate turns a directory of files into the dataset: `discover`, `pipeline` (with
//! `cache`, `dedupe` and `checks` across reports), `write`, `rank`, and the command
//! line (`cli`).

pub use ogi_parse::{
    decode, extract, furniture, model, normalise, parse, region, segment, template, validate,
};

pub mod cache;
pub mod checks;
pub mod cli;
mod compact;
pub mod config;
pub mod dedupe;
pub mod discover;
pub mod pipeline;
pub mod rank;
pub mod write;
