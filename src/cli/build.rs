//! `ogi build DIR`: the whole pipeline over a directory of reports. Bad files are
//! recorded (status failed/partial plus diagnostics) and the build goes on; only a
//! failure of the run itself (unreadable DIR, unwritable output) is an error (exit 2).
//! With `--strict`, a dataset with any failed or partial report, error diagnostic or
//! discovery problem is still written, and then the exit status is 3.

use crate::config::Pipeline;
use crate::pipeline::{build, Progress};
use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;

/// Build the dataset from a directory of reports.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory of reports, searched recursively: text and web pages (UTF-8, GB18030, UTF-16), PDF and Word .docx; what a file is comes from its bytes, not its name.
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
    /// Exit with status 3 (after writing the dataset) if any report is failed or
    /// partial, any diagnostic is an error, or an input entry could not be walked.
    #[arg(long)]
    pub strict: bool,
    /// Re-parse every file, ignoring (and not updating) the incremental cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Where extracted reports are cached by content hash and parser version
    /// [default: $OGI_CACHE_DIR, else $XDG_CACHE_HOME/ogi, else ~/.cache/ogi].
    #[arg(long)]
    pub cache_dir: Option<PathBuf>,
}

/// The cache root: the flag, then $OGI_CACHE_DIR, $XDG_CACHE_HOME/ogi, ~/.cache/ogi.
fn cache_root(args: &Args) -> Option<PathBuf> {
    if args.no_cache {
        return None;
    }
    let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    args.cache_dir
        .clone()
        .or_else(|| env("OGI_CACHE_DIR"))
        .or_else(|| env("XDG_CACHE_HOME").map(|p| p.join("ogi")))
        .or_else(|| env("HOME").map(|p| p.join(".cache/ogi")))
}

/// Exit status of `ogi build --strict` when the dataset was written but is not clean.
pub const STRICT_EXIT: i32 = 3;

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
    let cache = cache_root(args);
    let outcome = build(&args.dir, &args.out, &cfg, cache.as_deref(), &progress, &set_len)?;
    pb.finish_and_clear();
    if outcome.up_to_date && !args.quiet {
        eprintln!(
            "ogi: {} is up to date ({} reports unchanged since the last build)",
            args.out.display(),
            outcome.manifest.input_files
        );
    }
    if !args.quiet && !outcome.up_to_date {
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
            let sev: Vec<String> =
                m.diagnostics_by_severity.iter().map(|(c, n)| format!("{n} {c}")).collect();
            eprintln!("  diagnostics ({}): {}", sev.join(", "), codes.join(", "));
            eprintln!("  (`ogi parse FILE` explains a file's diagnostics in words)");
        }
        if !m.discovery_problems.is_empty() {
            eprintln!("  {} input entries could not be walked:", m.discovery_problems.len());
            for p in m.discovery_problems.iter().take(10) {
                eprintln!("    {p}");
            }
        }
        eprintln!(
            "  {:.2} s; wrote {}",
            m.timings_ms.get("total").copied().unwrap_or(0) as f64 / 1000.0,
            args.out.display()
        );
    }
    if args.strict {
        let m = &outcome.manifest;
        let count =
            |map: &std::collections::BTreeMap<String, usize>, k: &str| map.get(k).copied().unwrap_or(0);
        let (failed, partial) = (count(&m.status, "failed"), count(&m.status, "partial"));
        let errors = count(&m.diagnostics_by_severity, "error");
        let walk = m.discovery_problems.len();
        if failed + partial + errors + walk > 0 {
            eprintln!(
                "ogi: --strict: {failed} failed, {partial} partial, {errors} error diagnostics, \
                 {walk} discovery problems (the dataset was written)"
            );
            std::process::exit(STRICT_EXIT);
        }
    }
    Ok(())
}
