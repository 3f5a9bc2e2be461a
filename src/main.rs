//! Routes the command line to its subcommand; exit 2 on a fatal error.

use clap::Parser;
use ogi::cli::{Cli, Command};

/// A build allocates and frees millions of small strings and vectors on several threads
/// at once (cells, facts, diagnostics); glibc's malloc took 12 % of a build's time and
/// let the heap creep across its per-thread arenas. mimalloc does both better.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = Cli::parse();
    ogi::cli::quiet_engine_panics();
    let result = match &cli.command {
        Command::Build(a) => ogi::cli::build::run(a),
        Command::Parse(a) => ogi::cli::parse::run(a),
        Command::Rank(a) => ogi::cli::rank::run(a),
    };
    if let Err(e) = result {
        eprintln!("ogi: {e:#}");
        std::process::exit(2);
    }
}
