//! `ogi parse FILE`: one report, every extracted value with its source line, and its
//! diagnostics in words. For checking the reader on a file without building a dataset.

use crate::model::Report;
use crate::parse::parse_report;
use anyhow::{Context, Result};
use std::path::PathBuf;

/// Parse one report and show what was extracted, with source lines.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The report file: text, an HTML page, a PDF or a Word (.docx) document.
    pub file: PathBuf,
    /// Print the whole extraction as JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Print the normalised text lines the reader sees (an HTML page, a PDF or a Word
    /// document already turned into lines; a table's row is one line of tab-separated cells).
    #[arg(long)]
    pub lines: bool,
}

pub fn run(args: &Args) -> Result<()> {
    let bytes = std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let name = args.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if args.lines {
        match crate::parse::read_lines(&bytes, &name) {
            Ok(text) => {
                // A PDF's lines are numbered on their page, as source_line is.
                for l in &text.lines {
                    match crate::model::page_of(&text.page_starts, Some(l.no)) {
                        (Some(p), Some(n)) => println!("{p:>3}:{n:<4} {}", l.text),
                        _ => println!("{:>5}: {}", l.no, l.text),
                    }
                }
            }
            Err(e) => println!("{}: {}", e.code, e.message),
        }
        return Ok(());
    }
    let mut rep = parse_report(&name, &bytes);
    crate::region::resolve_region(&mut rep);
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

/// Where a value stands, as the dataset gives it: a PDF's page and line on that page.
fn at(r: &Report, line: Option<u32>) -> String {
    match r.page_of(line) {
        (Some(p), Some(l)) => format!("  (page {p} line {l})"),
        (None, Some(l)) => format!("  (line {l})"),
        _ => String::new(),
    }
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
        r.era.map_or("-", ogi_parse::model::Era::as_str),
        opt(&r.identity_ok)
    );
    for p in &r.proactive {
        s += &format!("proactive   {}|{} = {}{}\n", p.category, p.metric, opt(&p.value), at(r, p.line));
    }
    for q in &r.requests {
        s += &format!(
            "requests    {:<22} new {} carried_over {} carried_forward {}{}\n",
            q.applicant,
            opt(&q.new_received),
            opt(&q.carried_over),
            opt(&q.carried_forward),
            at(r, q.line)
        );
    }
    for o in &r.outcomes {
        s += &format!("outcomes    {}|{} = {}{}\n", o.outcome, o.applicant, opt(&o.count), at(r, o.line));
    }
    for l in &r.litigation {
        s += &format!("litigation  {}|{} = {}{}\n", l.proceeding, l.result, opt(&l.count), at(r, l.line));
    }
    for f in &r.fees {
        s += &format!(
            "fees        {} notices {} billed {} collected {}{}\n",
            f.fee_kind,
            opt(&f.notices_issued),
            opt(&f.amount_billed_yuan),
            opt(&f.amount_collected_yuan),
            at(r, f.line)
        );
    }
    if r.diagnostics.is_empty() {
        s += "no diagnostics\n";
    }
    for d in &r.diagnostics {
        s += &format!("{:<8} {:<22} {}{}\n", d.severity.as_str(), d.code, d.message, at(r, d.line));
    }
    let mut codes: Vec<&str> = r.diagnostics.iter().map(|d| d.code.as_ref()).collect();
    codes.sort_unstable();
    codes.dedup();
    if !codes.is_empty() {
        s += "\nwhat these diagnostics mean:\n";
    }
    for c in codes {
        s += &format!("  {c}: {}\n", explain_code(c).unwrap_or("(no explanation recorded for this code)"));
    }
    s
}

/// Every diagnostic code in plain words: what happened and what the dataset does
/// about it. `ogi parse` prints these under a file's diagnostics.
pub const EXPLANATIONS: &[(&str, &str)] = &[
    ("block_sum_mismatch", "in table 四 (reviews and lawsuits), the results of one proceeding do not add up to its 总计 as printed; the numbers are kept as printed"),
    ("carried_over_mismatch", "the requests this report carries over from last year differ from those the same agency's report of last year carried forward; one of the two is wrong"),
    ("blank_rows_zero", "rows of table 三 were printed with no number at all in a table whose other rows carry their numbers on their label's line; they were read as zeros because the table's arithmetic then holds"),
    ("cells_by_position", "the table's cells were placed by where they stand under its column names (text that keeps each glyph's column), blank cells as zeros, and its sums hold"),
    ("cells_undetermined", "the layout did not say which column these numbers belong to; they are left empty rather than guessed"),
    ("docx_damaged", "the file is a Word document (.docx) whose zip or XML could not be read (truncated or damaged); nothing was extracted"),
    ("duplicate_file", "the file has the same bytes as an earlier input file, which is the one counted; this copy keeps its row in reports (duplicate_of) but states no facts"),
    ("empty_file", "the file is empty or holds only whitespace; there is nothing to read"),
    ("file_too_large", "the file is larger than build.max_file_mb allows, so it was not read at all"),
    ("glued_ambiguous", "digits were printed without separators and could be split into cells in several ways that all add up; the cells those splits disagree on are left empty"),
    ("html_text", "the file is an HTML page; line numbers refer to the text extracted from it, not to the HTML source"),
    ("identity_broken", "the 勾稽关系 fails: new requests plus those carried over do not equal those handled plus those carried forward; the numbers are kept as printed"),
    ("internal_error", "the reader itself failed on this file (a bug in ogi); the file is recorded as failed, please report it"),
    ("legacy_content_pending", "a pre-2019 report: only its header facts (title, region, year, date) are extracted"),
    ("malformed_bytes", "some bytes were not valid in the file's encoding (a damaged download or a stray control character); they were replaced or dropped and the rest was read"),
    ("no_text_layer", "the PDF has pages but no text on them, only images (a scanned report); run OCR on it and add the text"),
    ("no_title", "no line names the report as an information-disclosure annual report, so agency and region may be missing"),
    ("no_year", "the report does not say which year it covers; its rows have no year and it is left out of the rankings"),
    ("not_a_count", "a cell of a count table holds something that is not a whole number of requests; it is left empty"),
    ("not_a_report", "no section or table of an annual report was found: this is some other page or document"),
    ("not_text", "the bytes are not text in any encoding ogi reads (binary data, or a file of NUL bytes)"),
    ("outcome_sum_mismatch", "in table 三, the outcome rows of one applicant column do not add up to its (七)总计; the numbers are kept as printed"),
    ("path_not_utf8", "the file name is not valid UTF-8; source_path shows the bytes that are not as U+FFFD, so it may not name the file exactly"),
    ("pdf_damaged", "the PDF's structure could not be read (a truncated download, a damaged file); nothing was extracted"),
    ("pdf_encrypted", "the PDF is encrypted with a password; open it with the password and save an unprotected copy"),
    ("pdf_page_unreadable", "the PDF engine could not read some pages of the file; the others were read and what those pages hold is missing"),
    ("prose_conflict", "two sentences of the report state different values for the same fact; it is left empty rather than picking one"),
    ("total_from_prose", "table 三 gave no total of requests received (its cells could not be placed), and the report's text states it: that number is the total"),
    ("prose_table_conflict", "the report's text and its table state different numbers for the same thing; the table's number is kept, unless the text says there were none and the table counts some: then those cells are left empty"),
    ("readings_disagree", "the layout can be read more than one way, the table's arithmetic supports each reading equally, and they give this cell different values; it is left empty"),
    ("readings_merged", "the layout was read more than one way and the readings the table's arithmetic supports agree; their cells were merged"),
    ("region_confusable", "the place the report names matches no division as written, but does with a character OCR often confuses corrected (沐阳 → 沭阳); that division was taken"),
    ("region_from_site_code", "the report's words did not settle its region; the web page's site code (SiteIDCode) names a division whose name the report uses, and that division was taken"),
    ("region_special_zone", "the report is a special zone's (综合实验区, 新区); its region is the division the zone administers, per data/reference/special_zones.csv"),
    ("region_unresolved", "the region named in the report could not be matched to one division code; region_code is left empty"),
    ("row_sum_mismatch", "in table 三, the applicant columns of a row do not add up to its 总计; the numbers are kept as printed"),
    ("rows_missing", "some rows of table 三 were not found; their values are left empty"),
    ("same_report_other_form", "the same agency, year and table 三 as an earlier input file (a saved page and its text export): that one represents the report in county_year; this one keeps its facts, with duplicate_of naming it"),
    ("section_unreadable", "a table of the template was not found or could not be read, so the report is partial"),
    ("table_breaks_own_checks", "table 三 as printed breaks a few of its own checks (a misprint); the reading that keeps all the others was taken, each broken check is named, and only cells that depend on one are left empty"),
    ("table_inconsistent", "table 三 could be read, but no reading of its layout fits the table's arithmetic (more than a misprint or two); its cells are left empty rather than guessed"),
    ("unsupported_format", "a format ogi does not read (old binary Word .doc, WPS .wps, a spreadsheet, a zip archive, an image); the message says how to make it readable"),
    ("yoy_jump", "new requests changed from one year to the next by more than the pipeline's checks.yoy_factor on a real base: worth a look at both reports before ranking on it"),
    ("timeout", "reading the file took longer than build.max_seconds_per_file allows; it was abandoned and recorded as failed"),
    ("unreadable", "the file could not be opened or read (permissions, a broken or looping symbolic link, an I/O error)"),
];

pub fn explain_code(code: &str) -> Option<&'static str> {
    EXPLANATIONS.iter().find(|(c, _)| *c == code).map(|(_, e)| *e)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code the sources can emit (the first argument of a `Diagnostic` constructor,
    /// and the decode-error codes chosen in `parse_report`) has an explanation.
    #[test]
    fn every_diagnostic_code_is_explained() {
        let re = regex::Regex::new(r#"Diagnostic::(?:warn|error|info)\(\s*"([a-z0-9_]+)""#).expect("re");
        let mut missing = Vec::new();
        let mut seen = 0;
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let sources = walkdir::WalkDir::new(root.join("src"))
            .into_iter()
            .chain(walkdir::WalkDir::new(root.join("crates")));
        for entry in sources.flatten() {
            if entry.path().extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).expect("read");
            for c in re.captures_iter(&text) {
                seen += 1;
                let code = c.get(1).map_or("", |m| m.as_str());
                if explain_code(code).is_none() {
                    missing.push(format!("{code} ({})", entry.path().display()));
                }
            }
        }
        let chosen = [
            "empty_file",
            "not_text",
            "pdf_encrypted",
            "pdf_damaged",
            "no_text_layer",
            "docx_damaged",
            "unsupported_format",
        ];
        for code in chosen {
            if explain_code(code).is_none() {
                missing.push(code.to_string());
            }
        }
        assert!(seen > 15, "found only {seen} diagnostics in src");
        assert!(missing.is_empty(), "add these codes to EXPLANATIONS in src/cli/parse.rs: {missing:?}");
    }
}
