//! The command line: one module per subcommand; `main` only routes.

pub mod build;
pub mod parse;
pub mod rank;

use clap::{Parser, Subcommand};

/// ogi: China's government information-disclosure annual reports → an audited Parquet dataset.
#[derive(Debug, Parser)]
#[command(name = "ogi", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Build(build::Args),
    Parse(parse::Args),
    Rank(rank::Args),
}
