//! `ogi parse FILE`: one report, every extracted value with its source line, and its
//! diagnostics in words. For checking the reader on a file without building a dataset.

use crate::extract::parse_report;
use crate::model::Report;
use anyhow::{Context, Result};
use std::path::PathBuf;

/// Parse one report and show what was extracted, with source lines.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The report file (.txt, .html, .htm).
    pub file: PathBuf,
    /// Print the whole extraction as JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Print the normalised text lines the reader sees (HTML already turned into text).
    #[arg(long)]
    pub lines: bool,
}

pub fn run(args: &Args) -> Result<()> {
    let bytes = std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let name = args.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if args.lines {
        let lower = name.to_ascii_lowercase();
        let html = lower.ends_with(".html") || lower.ends_with(".htm");
        match crate::extract::read_lines(&bytes, html) {
            Ok((lines, _, _)) => lines.iter().for_each(|l| println!("{:>5}: {}", l.no, l.text)),
            Err(e) => println!("{e}"),
        }
        return Ok(());
    }
    let mut rep = parse_report(&name, &bytes);
    crate::pipeline::resolve_region(&mut rep);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&rep)?);
    } else {
        print!("{}", explain(&rep));
    }
    Ok(())
}

fn opt<T: std::fmt::Display>(v: &Option<T>) -> String {
    v.as_ref().map_or("-".to_string(), ToString::to_string)
}

fn at(line: Option<u32>) -> String {
    line.map_or(String::new(), |l| format!("  (line {l})"))
}

pub fn explain(r: &Report) -> String {
    let mut s = String::new();
    s += &format!("{}  report_id {}  status {}\n", r.source_path, r.report_id, r.status.as_str());
    s += &format!("title       {}\n", opt(&r.title));
    s += &format!("agency      {} ({})\n", opt(&r.agency), r.agency_kind);
    s += &format!("region      {} → {} {}\n", opt(&r.region_name), opt(&r.region.code), opt(&r.region.name));
    s += &format!(
        "year        {}   era {}   identity_ok {}\n",
        opt(&r.year),
        r.era.unwrap_or("-"),
        opt(&r.identity_ok)
    );
    for p in &r.proactive {
        s += &format!("proactive   {}|{} = {}{}\n", p.category, p.metric, opt(&p.value), at(p.line));
    }
    for q in &r.requests {
        s += &format!(
            "requests    {:<22} new {} carried_over {} carried_forward {}{}\n",
            q.applicant,
            opt(&q.new_received),
            opt(&q.carried_over),
            opt(&q.carried_forward),
            at(q.line)
        );
    }
    for o in &r.outcomes {
        s += &format!("outcomes    {}|{} = {}{}\n", o.outcome, o.applicant, opt(&o.count), at(o.line));
    }
    for l in &r.litigation {
        s += &format!("litigation  {}|{} = {}{}\n", l.proceeding, l.result, opt(&l.count), at(l.line));
    }
    for f in &r.fees {
        s += &format!(
            "fees        {} notices {} billed {} collected {}{}\n",
            f.fee_kind,
            opt(&f.notices_issued),
            opt(&f.amount_billed_yuan),
            opt(&f.amount_collected_yuan),
            at(f.line)
        );
    }
    if r.diagnostics.is_empty() {
        s += "no diagnostics\n";
    }
    for d in &r.diagnostics {
        s += &format!("{:<8} {:<22} {}{}\n", d.severity.as_str(), d.code, d.message, at(d.line));
    }
    s
}
