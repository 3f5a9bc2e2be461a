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

/// The PDF engine (pdf-extract and the crates it parses fonts and files with) panics on
/// some damaged files; the reader catches that, reads the file's other pages, and says
/// so in a diagnostic. The default hook would print a panic message and a backtrace for
/// each such file, which reads like a crash of ogi: those panics stay quiet, every
/// other panic is printed as usual.
pub fn quiet_engine_panics() {
    const ENGINE: [&str; 6] = [
        "/pdf-extract-",
        "/lopdf-",
        "/cff-parser-",
        "/adobe-cmap-parser-",
        "/type1-encoding-parser-",
        "/postscript-",
    ];
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let in_engine = info.location().is_some_and(|l| ENGINE.iter().any(|c| l.file().contains(c)));
        if !in_engine {
            default(info);
        }
    }));
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Build(build::Args),
    Parse(parse::Args),
    Rank(rank::Args),
}
