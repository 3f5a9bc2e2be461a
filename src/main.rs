//! Routes the command line to its subcommand; exit 2 on a fatal error.

use clap::Parser;
use ogi::cli::{Cli, Command};

fn main() {
    let cli = Cli::parse();
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
