//! ogi: China's government information-disclosure annual reports (政府信息公开工作年度报告)
//! → an audited, columnar dataset. The modules follow the data flow:
//! discover → decode → normalise → segment → extract → validate → write → rank.
//!
//! One file's chain, bytes to `Report`, is `parse` (decode … validate), placed among
//! the divisions by `region`; that much is the parser, which builds without the
//! `dataset` feature (the fuzz target uses it so). The rest, behind `dataset`, turns a
//! directory of files into the dataset: `discover`, `pipeline` (with `cache`, `dedupe`
//! and `checks` across reports), `write`, `rank`, and the command line (`cli`).

pub mod decode;
pub mod extract;
pub mod furniture;
pub mod model;
pub mod normalise;
pub mod parse;
pub mod region;
pub mod segment;
pub mod template;
pub mod validate;

#[cfg(feature = "dataset")]
pub mod cache;
#[cfg(feature = "dataset")]
pub mod checks;
#[cfg(feature = "dataset")]
pub mod cli;
#[cfg(feature = "dataset")]
pub mod config;
#[cfg(feature = "dataset")]
pub mod dedupe;
#[cfg(feature = "dataset")]
pub mod discover;
#[cfg(feature = "dataset")]
pub mod pipeline;
#[cfg(feature = "dataset")]
pub mod rank;
#[cfg(feature = "dataset")]
pub mod write;
