//! ogi: China's government information-disclosure annual reports (政府信息公开工作年度报告)
//! → an audited, columnar dataset. The modules follow the data flow:
//! discover → decode → normalise → segment → extract → validate → write → rank.

pub mod cache;
pub mod checks;
pub mod cli;
pub mod config;
pub mod decode;
pub mod dedupe;
pub mod discover;
pub mod extract;
pub mod model;
pub mod normalise;
pub mod pipeline;
pub mod rank;
pub mod region;
pub mod segment;
pub mod template;
pub mod validate;
pub mod write;
