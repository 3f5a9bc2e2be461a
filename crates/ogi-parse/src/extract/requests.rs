//! Table 三 (收到和处理政府信息公开申请情况): requests received, carried over and
//! forward, and how they were handled, per applicant column. The table is read on its
//! lines first; when that leaves rows unread or breaks the arithmetic, the other
//! readings of `readings` are tried and the arithmetic chooses (see there).

use super::cells::{is_furniture, is_numeric_line, Tok};
use super::grid::{read_rows, LabelSet, RowHit};
use super::readings::{self, columns, detached, positions, row_cells, stream, Reading, RowCells, Section};
use crate::model::{Diagnostic, OutcomeFact, RequestFact};
use crate::normalise::Line;
use crate::template::{template, RowKind, RowSpec};
use crate::validate::arithmetic::Arithmetic;

#[derive(Debug, Default)]
pub struct Table3 {
    pub requests: Vec<RequestFact>,
    pub outcomes: Vec<OutcomeFact>,
    pub diagnostics: Vec<Diagnostic>,
    /// Rows found (value rows only); 0 means the table is absent or unreadable.
    pub rows_found: usize,
    /// Value rows of the era's template that were not found.
    pub rows_missing: Vec<String>,
    /// The report leaves its zeros blank, and its arithmetic confirms it: a row the
    /// table printed with fewer numbers than columns was read whole, and every check
    /// holds. Evidence for the report's other tables (a bare row of table 二 is zeros).
    pub blank_zeros: bool,
}

/// `raw`: the text the lines were normalised from, when there is one: where its glyphs
/// stand places the cells of `pdftotext -layout` text (`readings::positions`).
pub fn extract(
    lines: &[Line],
    range: std::ops::Range<usize>,
    era: crate::template::TemplateEra,
    raw: &super::Raw,
) -> Table3 {
    let t = template();
    let a = Arithmetic::of_table3(era);
    let specs: Vec<&'static RowSpec> = t.requests.row.iter().filter(|r| r.in_era(era)).collect();
    let (lined, hits) = line_reading(lines, range.clone(), a, &specs);
    // The plain reading of lines is right for most layouts: when every row is read and
    // the arithmetic holds, no other reading can do better, and none is tried.
    let chosen = if lined.is_settled(a) {
        lined
    } else {
        let values: Vec<&'static RowSpec> =
            specs.iter().copied().filter(|s| s.kind != RowKind::Header).collect();
        let labels: Vec<LabelSet> =
            values.iter().map(|r| LabelSet { aliases: &r.aliases, weak: &r.weak }).collect();
        let section = Section { lines, range, a, labels: &labels };
        let mut all = Vec::new();
        if let Some(raw) = raw.lines() {
            let rows: Vec<(usize, &RowHit)> = hits
                .iter()
                .filter_map(|h| {
                    let spec = specs.get(h.row).filter(|s| s.kind != RowKind::Header)?;
                    Some((a.row_index(&spec.id)?, h))
                })
                .collect();
            let from = lines.get(section.range.start).map_or(1, |l| l.no);
            all.extend(positions::read(a, raw, from, &rows, &lined));
        }
        // (the plain reading first: the earliest wins ties)
        all.insert(0, lined);
        all.extend(stream::read(&section));
        all.extend(stream::read_numbers_first(&section));
        all.extend(detached::read(&section));
        all.extend(columns::read(&section));
        readings::choose(a, all)
    };
    let mut out = Table3 { rows_found: chosen.lines.iter().flatten().count(), ..Table3::default() };
    out.blank_zeros = blank_zeros(&chosen, a, &specs, &hits);
    out.rows_missing = a
        .rows
        .iter()
        .zip(&chosen.lines)
        .filter(|(_, l)| l.is_none())
        .map(|(id, _)| (*id).to_string())
        .collect();
    emit(&chosen, a, &specs, &mut out);
    out.diagnostics.extend(chosen.diagnostics);
    out
}

/// Row order on lines: each label, then its cells on its line or the lines below.
fn line_reading(
    lines: &[Line],
    range: std::ops::Range<usize>,
    a: &Arithmetic,
    specs: &[&'static RowSpec],
) -> (Reading, Vec<RowHit>) {
    let labels: Vec<LabelSet> =
        specs.iter().map(|r| LabelSet { aliases: &r.aliases, weak: &r.weak }).collect();
    let hits = read_rows(lines, range.clone(), &labels);
    let mut rows: Vec<Option<(RowCells, u32)>> = vec![None; a.rows.len()];
    let mut diags = Vec::new();
    let bare = bare_rows(&hits, specs);
    for (k, hit) in hits.iter().enumerate() {
        let Some(spec) = specs.get(hit.row) else { continue };
        let Some(row) = a.row_index(&spec.id) else { continue };
        if bare.contains(&k) {
            // Read as zeros for now; kept only if the table's arithmetic agrees (below).
            if let Some(slot) = rows.get_mut(row) {
                *slot = Some((RowCells::Known(vec![Some(0); a.cols.len()]), hit.line_no));
            }
            continue;
        }
        let (cells, problem) = row_cells(&hit.tokens, a, false);
        if let Some(p) = problem {
            diags.push(Diagnostic::warn(
                "cells_undetermined",
                Some(hit.line_no),
                format!("table 三 row {}: {p}", spec.id),
            ));
        }
        if not_counts(&hit.tokens) {
            diags.push(Diagnostic::warn(
                "not_a_count",
                Some(hit.line_no),
                format!("table 三 row {}: a cell is not a count (negative, fractional or huge)", spec.id),
            ));
        }
        if let Some(slot) = rows.get_mut(row) {
            *slot = Some((cells, hit.line_no));
        }
    }
    let zeros_rows = rows.clone();
    let mut r = Reading::from_rows("lines", a, zeros_rows);
    if !bare.is_empty() && a.fails(&r.grid) > 0 {
        // The arithmetic does not confirm the bare rows as zeros: they stay unread.
        for k in &bare {
            let row = hits.get(*k).and_then(|h| specs.get(h.row)).and_then(|s| a.row_index(&s.id));
            if let Some(slot) = row.and_then(|i| rows.get_mut(i)) {
                *slot = None;
            }
        }
        r = Reading::from_rows("lines", a, rows);
    } else if !bare.is_empty() {
        diags.push(Diagnostic::info(
            "blank_rows_zero",
            hits.get(bare[0]).map(|h| h.line_no),
            format!(
                "table 三: {} row(s) printed with no number, in a table whose rows carry their numbers on their label's line, read as zeros (the arithmetic holds)",
                bare.len()
            ),
        ));
    }
    r.diagnostics.splice(0..0, diags);
    r.orphans = orphans(lines, range, &hits, specs);
    (r, hits)
}

/// Value rows printed with no number at all (every cell blank), in a table whose rows
/// carry their numbers on their label's line: the hits' indices. Where the rows' numbers
/// stand below or after their labels (cell per line, column order) a label without
/// numbers says nothing, and none is bare.
fn bare_rows(hits: &[RowHit], specs: &[&'static RowSpec]) -> Vec<usize> {
    let values: Vec<(usize, &RowHit)> = hits
        .iter()
        .enumerate()
        .filter(|(_, h)| specs.get(h.row).is_some_and(|s| s.kind != RowKind::Header))
        .collect();
    let written = |h: &RowHit| h.tokens.iter().any(|t| !matches!(t, Tok::Empty { .. }));
    let inline = values
        .iter()
        .filter(|(_, h)| h.tokens.first().is_some_and(|t| written(h) && t.line() == h.line_no))
        .count();
    let with_numbers = values.iter().filter(|(_, h)| written(h)).count();
    if with_numbers < 3 || inline * 2 < with_numbers {
        return Vec::new();
    }
    values.iter().filter(|(_, h)| !written(h)).map(|(k, _)| *k).collect()
}

/// Numeric lines inside the table (before its last cell) that gave no value row a cell:
/// numbers written under a heading row, or before the first label.
fn orphans(
    lines: &[Line],
    range: std::ops::Range<usize>,
    hits: &[RowHit],
    specs: &[&'static RowSpec],
) -> usize {
    let used: std::collections::HashSet<u32> = hits
        .iter()
        .filter(|h| specs.get(h.row).is_some_and(|s| s.kind != RowKind::Header))
        .flat_map(|h| h.tokens.iter().filter(|t| !matches!(t, Tok::Empty { .. })).map(Tok::line))
        .collect();
    let Some(&last) = used.iter().max() else { return 0 };
    lines
        .get(range)
        .unwrap_or_default()
        .iter()
        .filter(|l| {
            l.no < last && !used.contains(&l.no) && !is_furniture(&l.text) && is_numeric_line(&l.text)
        })
        .count()
}

/// Whether the chosen reading read whole a row printed with fewer numbers than
/// columns, and every check of the table holds.
fn blank_zeros(r: &Reading, a: &Arithmetic, specs: &[&'static RowSpec], hits: &[RowHit]) -> bool {
    a.fails(&r.grid) == 0
        && hits.iter().any(|h| {
            let written = h.tokens.iter().filter(|t| !matches!(t, Tok::Empty { .. })).count();
            let whole = specs
                .get(h.row)
                .filter(|s| s.kind != RowKind::Header)
                .and_then(|s| a.row_index(&s.id))
                .and_then(|i| r.grid.get(i))
                .is_some_and(|row| row.iter().all(Option::is_some));
            whole && written < a.cols.len()
        })
}

fn not_counts(toks: &[Tok]) -> bool {
    toks.iter().any(|t| t.count().is_none())
}

fn emit(r: &Reading, a: &Arithmetic, specs: &[&'static RowSpec], out: &mut Table3) {
    let cell = |id: &str, col: usize| -> Option<i64> {
        a.row_index(id).and_then(|i| r.grid.get(i)).and_then(|c| c.get(col).copied().flatten())
    };
    let line_of = |id: &str| a.row_index(id).and_then(|i| r.lines.get(i).copied().flatten());
    let columns = &template().requests.columns;
    for (col, applicant) in columns.iter().enumerate() {
        let fact = RequestFact {
            applicant: applicant.as_str().into(),
            new_received: cell("new_received", col),
            carried_over: cell("carried_over", col),
            carried_forward: cell("carried_forward", col),
            line: line_of("new_received").or(line_of("carried_over")).or(line_of("carried_forward")),
        };
        if fact.new_received.is_some() || fact.carried_over.is_some() || fact.carried_forward.is_some() {
            out.requests.push(fact);
        }
    }
    // (sized once: a report has ~150 outcome facts, and growing the list copied it
    // into fresh pages several times)
    let outcome_rows = specs.iter().filter(|s| s.kind == RowKind::Outcome);
    out.outcomes.reserve(outcome_rows.clone().count() * columns.len());
    for spec in outcome_rows {
        let line = line_of(&spec.id);
        let Some(cells) = a.row_index(&spec.id).and_then(|i| r.grid.get(i)) else { continue };
        for (col, applicant) in columns.iter().enumerate() {
            if let Some(count) = cells.get(col).copied().flatten() {
                out.outcomes.push(OutcomeFact {
                    outcome: spec.id.as_str().into(),
                    outcome_group: spec.group.as_deref().unwrap_or_default().into(),
                    applicant: applicant.as_str().into(),
                    count: Some(count),
                    line,
                });
            }
        }
    }
}
