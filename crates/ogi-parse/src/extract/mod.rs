//! One report's text → its `Report`: header facts, era, and the template tables.
//! Each step adds diagnostics instead of failing, so a damaged report still yields
//! whatever it does state.

pub mod cells;
pub mod fees;
pub mod grid;
pub mod header;
pub mod labels_first;
pub mod legacy;
pub mod litigation;
pub mod litigation_columns;
pub mod litigation_labels;
pub mod metric_columns;
pub mod proactive;
pub mod readings;
pub mod requests;
pub mod settle;

use crate::decode;
use crate::model::{Diagnostic, Report};
use crate::normalise::Line;
use crate::segment::Sections;

/// Characters of the opening text kept for the region resolver's hints.
const CONTEXT_CHARS: usize = 3000;

/// The header's facts into the report: title, agency, region name, year and date, from
/// a web page's head metadata first; and the opening text the region resolver reads.
pub fn header_facts(rep: &mut Report, lines: &[Line], meta: Option<&decode::html::PageMeta>) {
    rep.context = opening_text(lines, CONTEXT_CHARS);
    let mut h = header::extract(lines);
    if let Some(m) = meta {
        header::apply_page_meta(&mut h, m);
        rep.site_code =
            m.site_code.clone().filter(|c| c.len() == 10 && c.bytes().all(|b| b.is_ascii_digit()));
    }
    rep.title = h.title;
    rep.agency = h.agency;
    rep.agency_kind = h.agency_kind.into();
    rep.region_name = h.region_name;
    rep.year = h.year;
    rep.published_on = h.published_on.and_then(|(y, m, d)| days_from_civil(y, m, d));
}

/// Warnings for a header without a title or a year.
pub fn note_missing_header(rep: &mut Report) {
    if rep.title.is_none() {
        rep.diagnostics.push(Diagnostic::warn(
            "no_title",
            None,
            "no title line naming an information-disclosure report",
        ));
    }
    if rep.year.is_none() {
        rep.diagnostics.push(Diagnostic::warn(
            "no_year",
            rep.diagnostics.first().and_then(|d| d.line),
            "the year the report covers is not stated",
        ));
    }
}

/// The text the lines were normalised from, split into its lines once, when a reading
/// that needs where glyphs stand first asks (most reports never do).
pub struct Raw<'a> {
    text: Option<&'a str>,
    lines: std::cell::OnceCell<Vec<&'a str>>,
}

impl<'a> Raw<'a> {
    pub fn new(text: Option<&'a str>) -> Raw<'a> {
        Raw { text, lines: std::cell::OnceCell::new() }
    }

    /// Line n of the text at n - 1; None without a text.
    pub fn lines(&self) -> Option<&[&'a str]> {
        let text = self.text?;
        Some(self.lines.get_or_init(|| text.split('\n').collect()))
    }
}

/// Tables 二, 三 and 四 (and the fees of the 2021 template) of a template-era report.
/// Returns the tables that were not found or not readable.
pub fn tables(
    rep: &mut Report,
    lines: &[Line],
    sections: &Sections,
    era: crate::template::TemplateEra,
    raw: &Raw,
) -> Vec<&'static str> {
    let all = 0..lines.len();
    let section = |id: &str| sections.get(id);
    let mut missing: Vec<&'static str> = Vec::new();
    // (table 三 first: its arithmetic says whether the report leaves zeros blank)
    let t3_range = section("requests")
        .map_or(all.clone(), |r| r.start..section("litigation").map_or(lines.len(), |l| l.start.max(r.end)));
    let t3 = requests::extract(lines, t3_range, era, raw);
    rep.requests = t3.requests;
    rep.outcomes = t3.outcomes;
    rep.diagnostics.extend(t3.diagnostics);
    if t3.rows_found == 0 {
        missing.push("三");
    } else if !t3.rows_missing.is_empty() {
        rep.diagnostics.push(Diagnostic::warn(
            "rows_missing",
            None,
            format!("table 三 rows not found: {}", t3.rows_missing.join(", ")),
        ));
    }
    let t2_range = section("proactive")
        .map_or(all.clone(), |r| r.start..section("requests").map_or(r.end, |q| q.start.max(r.end)));
    let t2 = proactive::extract(lines, t2_range, era, t3.blank_zeros, raw);
    rep.proactive = t2.facts;
    rep.diagnostics.extend(t2.diagnostics);
    if rep.proactive.is_empty() {
        missing.push("二");
    }
    let t4_range = section("litigation").unwrap_or(0..0);
    let mut t4 = litigation::extract(lines, t4_range.clone());
    if t4.facts.is_empty() && !t4.undetermined {
        // Text that keeps each glyph's column: the cells by where they stand.
        let a4 = crate::validate::arithmetic::Arithmetic::of_table4();
        if let Some((cells, line)) =
            raw.lines().and_then(|r| litigation_columns::read(lines, t4_range.clone(), r, a4))
        {
            t4.facts = litigation::facts_of(&cells, Some(line));
            t4.diagnostics.push(Diagnostic::info(
                "cells_by_position",
                Some(line),
                "table 四: its cells placed by where they stand under its column names (blank cells are zeros; each block adds up)",
            ));
        }
    }
    if t4.facts.is_empty() && !t4.undetermined {
        // No table on the lines (a page exported as one line): read the stream.
        let from = section("requests").map_or(0, |r| r.start);
        if let Some((cells, line)) = readings::stream::table4(lines, from..lines.len()) {
            t4.facts = litigation::facts_of(&cells, Some(line));
        }
    }
    rep.litigation = t4.facts;
    rep.diagnostics.extend(t4.diagnostics);
    if rep.litigation.is_empty() {
        missing.push("四");
    }
    if era == crate::template::TemplateEra::Y2021 {
        rep.fees.extend(fees::extract(lines));
    }
    missing
}

/// The first `max` characters of the text, lines joined by '\n' (without joining the
/// whole report first).
fn opening_text(lines: &[Line], max: usize) -> String {
    let mut out = String::new();
    let mut left = max;
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            if left == 0 {
                break;
            }
            out.push('\n');
            left -= 1;
        }
        let n = l.text.chars().count();
        if n <= left {
            out.push_str(&l.text);
            left -= n;
        } else {
            out.extend(l.text.chars().take(left));
            break;
        }
    }
    out
}

/// Days since 1970-01-01 for a civil date (Parquet date32); None for impossible dates.
pub fn days_from_civil(y: i32, m: u32, d: u32) -> Option<i32> {
    let date = chrono::NaiveDate::from_ymd_opt(y, m, d)?;
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?;
    i32::try_from((date - epoch).num_days()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::normalise;

    #[test]
    fn opening_text_is_the_joined_text_cut_short() {
        let lines = normalise("一、总体情况\n\n麟游县人民政府\nab\n");
        let joined = lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join("\n");
        for max in 0..=joined.chars().count() + 2 {
            let naive: String = joined.chars().take(max).collect();
            assert_eq!(opening_text(&lines, max), naive, "max {max}");
        }
    }
}
