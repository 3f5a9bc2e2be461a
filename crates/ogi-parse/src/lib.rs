//! ogi-parse: one government information-disclosure annual report (政府信息公开工作年度报告)
//! → its rows. Bytes in (text, an HTML page, a PDF, a Word document), one `Report` out:
//! no file system, no polars, no Parquet, so the same reader runs in `ogi build`, in the
//! fuzz target and inside other engines (the Python binding). The modules follow one
//! file's chain: decode → normalise → segment → extract → validate, with the template
//! as data (`template`) and placing the report among China's divisions (`region`).

pub mod decode;
pub mod extract;
pub mod furniture;
pub mod guarded;
pub mod model;
pub mod normalise;
pub mod parse;
pub mod region;
#[cfg(feature = "arrow")]
pub mod rows;
pub mod segment;
pub mod template;
pub mod validate;
