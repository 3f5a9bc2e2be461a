//! `ogi build DIR`: the whole pipeline over a directory of reports. Bad files are
//! recorded (status failed/partial plus diagnostics) and the build goes on; only a
//! failure of the run itself (unreadable DIR, unwritable output) is an error.

use crate::config::Pipeline;
use crate::pipeline::{build, Progress};
use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;

/// Build the dataset from a directory of reports.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory of reports (.txt, .html, .htm; any of UTF-8, GB18030, UTF-16), searched recursively.
    pub dir: PathBuf,
    /// Output directory; replaced atomically when the build succeeds.
    #[arg(long, default_value = "data/dataset")]
    pub out: PathBuf,
    /// Pipeline file (thresholds, limits); built-in defaults when omitted.
    #[arg(long)]
    pub pipeline: Option<PathBuf>,
    /// Worker threads for extraction (default: all cores). Output does not depend on it.
    #[arg(long)]
    pub jobs: Option<usize>,
    /// No progress bar and no summary.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: &Args) -> Result<()> {
    let cfg = Pipeline::load(args.pipeline.as_deref())?;
    if let Some(j) = args.jobs {
        rayon::ThreadPoolBuilder::new().num_threads(j.max(1)).build_global().ok();
    }
    let show = !args.quiet && std::io::stderr().is_terminal();
    let pb = ProgressBar::with_draw_target(
        None,
        if show { ProgressDrawTarget::stderr() } else { ProgressDrawTarget::hidden() },
    );
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {bar:40} {pos}/{len} reports  {per_sec}  eta {eta}")
    {
        pb.set_style(style);
    }
    let tick = || pb.inc(1);
    let progress = Progress { on_file: &tick };
    let set_len = |n: u64| pb.set_length(n);
    let outcome = build(&args.dir, &args.out, &cfg, None, &progress, &set_len)?;
    pb.finish_and_clear();
    if !args.quiet {
        let m = &outcome.manifest;
        eprintln!(
            "ogi: {} reports: {} ok, {} partial, {} failed",
            m.input_files,
            m.status.get("ok").unwrap_or(&0),
            m.status.get("partial").unwrap_or(&0),
            m.status.get("failed").unwrap_or(&0)
        );
        for (t, n) in &m.row_counts {
            eprintln!("  {t:<36} {n:>8} rows");
        }
        if !m.diagnostics_by_code.is_empty() {
            let codes: Vec<String> = m.diagnostics_by_code.iter().map(|(c, n)| format!("{c} {n}")).collect();
            eprintln!("  diagnostics: {}", codes.join(", "));
        }
        eprintln!(
            "  {:.2} s; wrote {}",
            m.timings_ms.get("total").copied().unwrap_or(0) as f64 / 1000.0,
            args.out.display()
        );
    }
    Ok(())
}
