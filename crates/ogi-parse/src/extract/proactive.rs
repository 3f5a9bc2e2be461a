//! Table 二 (主动公开政府信息情况): the sub-tables of 第二十条 items, whose columns
//! differ by era (2019: 新制作/新公开/公开总数, 项目数量; 2021: 制发/废止/现行有效,
//! 处理决定数量). Amounts are converted to yuan using the unit in the cell, else the
//! sub-table header, else the template's default.

use super::cells::{Tok, Unit};
use super::grid::{read_rows, LabelSet};
use super::readings::stream;
use super::settle::{settle, Settled};
use crate::model::{Diagnostic, ProactiveFact};
use crate::normalise::Line;
use crate::template::{template, ProactiveRowSpec};

/// Rows with their numbers on their label's line, at least, for a bare row among them
/// to be a row of blank cells.
const MIN_INLINE_ROWS: usize = 2;

#[derive(Debug, Default)]
pub struct Table2 {
    pub facts: Vec<ProactiveFact>,
    pub diagnostics: Vec<Diagnostic>,
}

/// `blank_zeros`: the report's own arithmetic (table 三) shows it leaves zeros blank, so
/// a row printed with no number at all, among rows that carry theirs on their label's
/// line, is zeros.
/// `raw`: the text the lines came from, whose columns place the numbers of a row that
/// left some cells blank (`pdftotext -layout`).
pub fn extract(
    lines: &[Line],
    range: std::ops::Range<usize>,
    era: crate::template::TemplateEra,
    blank_zeros: bool,
    raw: &super::Raw,
) -> Table2 {
    let t = template();
    let specs = &t.proactive.row;
    let labels: Vec<LabelSet> = specs.iter().map(|r| LabelSet { aliases: &r.aliases, weak: &[] }).collect();
    let mut out = Table2::default();
    let hits = read_rows(lines, range.clone(), &labels);
    let unread = unread_numbers(lines, range.clone(), &hits);
    let written =
        |h: &super::grid::RowHit| h.tokens.iter().filter(|t| !matches!(t, Tok::Empty { .. })).count();
    let inline =
        hits.iter().filter(|h| written(h) > 0 && h.tokens.iter().all(|t| t.line() == h.line_no)).count();
    let bare_are_zeros = blank_zeros && !unread && inline >= MIN_INLINE_ROWS;
    for hit in &hits {
        let Some(spec) = specs.get(hit.row) else { continue };
        let n = spec.metrics(era).len();
        let count = written(hit);
        // (a row of as many empty cells as columns, as an HTML table has, is read as
        // such below: only a row whose cells left no trace is bare)
        if count == 0 && hit.tokens.len() != n && bare_are_zeros {
            let zeros = vec![Tok::Zero { line: hit.line_no }; n];
            row_facts(spec, era, &zeros, hit.line_no, None, false, &mut out);
            out.diagnostics.push(Diagnostic::info(
                "blank_rows_zero",
                Some(hit.line_no),
                format!("table 二 row {}: printed with no number, in a report whose table 三 leaves its zeros blank (its arithmetic holds so): read as zeros", spec.category),
            ));
            continue;
        }
        let header = header_unit(lines, hit.line_idx);
        if blank_zeros && !unread && (1..n).contains(&count) {
            if let Some(cells) = raw.lines().and_then(|r| placed_by_names(r, hit.line_no, spec.metrics(era)))
            {
                row_facts(spec, era, &cells, hit.line_no, header, false, &mut out);
                out.diagnostics.push(Diagnostic::info(
                    "cells_by_position",
                    Some(hit.line_no),
                    format!("table 二 row {}: its numbers placed under its columns' names, blank cells as zeros (the report leaves its zeros blank)", spec.category),
                ));
                continue;
            }
        }
        // Numbers the rows left unread (labels first, numbers after: PDF text in the
        // order of its text boxes): a label's blank lines are no empty cells then, and
        // the numbers after a label may be another row's.
        // Only a row written whole on its label's line is evidence then.
        let on_its_line =
            hit.tokens.iter().all(|t| t.line() == hit.line_no && !matches!(t, Tok::Empty { .. }));
        if unread && !(on_its_line && hit.tokens.len() == spec.metrics(era).len()) {
            continue;
        }
        row_facts(spec, era, &hit.tokens, hit.line_no, header, false, &mut out);
    }
    let known: std::collections::HashSet<String> = out.facts.iter().map(|f| f.category.clone()).collect();
    let unsettled = hits.iter().any(|h| specs.get(h.row).is_some_and(|s| !known.contains(&s.category)));
    if unread || unsettled {
        // Labels first, numbers after (PDF text in the order of its text boxes): read
        // only when every cell is written, so the count places each number.
        let widths: Vec<usize> = specs.iter().map(|s| s.metrics(era).len()).collect();
        let mut known = known.clone();
        for r in super::labels_first::read(lines, range.clone(), &labels, &widths) {
            let Some(spec) = specs.get(r.row).filter(|s| !known.contains(&s.category)) else { continue };
            let header = header_unit(lines, r.line_idx);
            row_facts(spec, era, &r.cells, r.line, header, false, &mut out);
            known.insert(spec.category.clone());
        }
        // … or each column under its name (pdfminer), each sub-table after its names.
        for r in super::metric_columns::read(lines, range.clone(), specs, era) {
            let Some(spec) = specs.get(r.row).filter(|s| !known.contains(&s.category)) else { continue };
            row_facts(spec, era, &r.cells, r.line, r.header, false, &mut out);
        }
    }
    if out.facts.is_empty() && !unread {
        // No row on the lines (a page exported as one line): read the stream. Numbers
        // on lines of their own that no row took are labels-first text, not a stream.
        let width = |row: usize| specs.get(row).map_or(0, |s| s.metrics(era).len());
        for r in stream::rows(lines, range, &labels, &width, &[]).unwrap_or_default() {
            let Some(spec) = specs.get(r.row) else { continue };
            row_facts(spec, era, &r.toks, r.line, None, true, &mut out);
        }
    }
    out
}

/// One row's cells → its facts; amounts in yuan by the cell's unit, else the sub-table
/// header's, else the template's default.
fn row_facts(
    spec: &ProactiveRowSpec,
    era: crate::template::TemplateEra,
    tokens: &[Tok],
    line: u32,
    header: Option<f64>,
    glued: bool,
    out: &mut Table2,
) {
    let t = template();
    let metrics = spec.metrics(era);
    // A row written whole on its label's line keeps those cells: a number on a line
    // of its own below it (a page number between two rows) is not one of them.
    // (the tokens are in line order: those on the label's line come first)
    let on_line = tokens.iter().take_while(|t| t.line() == line).count();
    let tokens = match tokens.get(..on_line) {
        Some(first) if tokens.len() > metrics.len() && on_line == metrics.len() => first,
        _ => tokens,
    };
    let read = settle(tokens, metrics.len(), None, glued);
    if let Some(p) = &read.problem {
        out.diagnostics.push(Diagnostic::warn(
            "cells_undetermined",
            Some(line),
            format!("table 二 row {}: {p}", spec.category),
        ));
    }
    let Settled::Cells(cells) = read.settled else { return };
    let units: Vec<Unit> = written_units(tokens, metrics.len());
    for (k, metric) in metrics.iter().enumerate() {
        let mut raw = cells.get(k).copied().flatten();
        if raw.is_some_and(|v| v < 0.0) && !t.proactive.signed.contains(metric) {
            // Only 本年增/减 may be negative: anything else is a misread, not a value.
            out.diagnostics.push(Diagnostic::warn(
                "not_a_count",
                Some(line),
                format!("table 二 row {}: {metric} is negative; left null", spec.category),
            ));
            raw = None;
        }
        let (value, unit) = match t.proactive.amounts.get(metric) {
            Some(default_unit) => {
                let unit = units.get(k).copied().unwrap_or(Unit::None);
                let factor = match (unit, header) {
                    (Unit::Money(f), _) => f,
                    (Unit::None, Some(f)) => f,
                    (Unit::None, None) => t.cells.money_factor(default_unit).unwrap_or(1.0),
                };
                (raw.map(|v| round2(v * factor)), "yuan")
            }
            None => (raw, "count"),
        };
        if let Some(v) = value {
            out.facts.push(ProactiveFact {
                category: spec.category.clone(),
                metric: metric.clone(),
                value: Some(v),
                unit: unit.into(),
                line: Some(line),
            });
        }
    }
}

/// Lines above a row that its sub-table's column names may stand on, at most.
const NAMES_ABOVE: u32 = 4;
/// Columns a number may stand off its column name's span.
const NAME_TOLERANCE: f64 = 1.0;
/// Columns between two names of a header that keeps its columns, more than.
const MIN_NAME_GAP: f64 = 2.0;

/// A row's cells placed under its sub-table's column names, where the text keeps each
/// glyph's column (`raw`: line n at n - 1): every number under a distinct name, the
/// names not under a number blank (zeros). None when any number stands under no name.
fn placed_by_names(raw: &[&str], line: u32, metrics: &[String]) -> Option<Vec<Tok>> {
    let names = &template().proactive.metric_names;
    let raw_of = |no: u32| no.checked_sub(1).and_then(|k| raw.get(k as usize)).copied();
    let spans = (1..=NAMES_ABOVE).filter_map(|d| line.checked_sub(d)).find_map(|no| {
        let text = raw_of(no)?;
        let spans: Option<Vec<(f64, f64)>> = metrics
            .iter()
            .map(|m| {
                let (at, name) = names.get(m)?.iter().find_map(|n| Some((text.find(n.as_str())?, n)))?;
                let from = text.get(..at)?.chars().count() as f64;
                Some((from, from + name.chars().count() as f64 - 1.0))
            })
            .collect();
        // A text that keeps columns spaces its names apart; text joined with single
        // spaces (pypdfium2) keeps none, and nothing places its numbers.
        spans.filter(|s| s.windows(2).all(|w| matches!(w, [(_, b), (c, _)] if c - b > MIN_NAME_GAP)))
    })?;
    let mut cells: Vec<Option<Tok>> = vec![None; metrics.len()];
    for (x, tok) in super::readings::positions::numbers(raw_of(line)?, line) {
        let off = |(a, b): &(f64, f64)| {
            if x < *a {
                a - x
            } else if x > *b {
                x - b
            } else {
                0.0
            }
        };
        let (k, d) = spans.iter().map(off).enumerate().min_by(|p, q| p.1.total_cmp(&q.1))?;
        let slot = cells.get_mut(k).filter(|c| c.is_none() && d <= NAME_TOLERANCE)?;
        *slot = Some(tok);
    }
    Some(cells.into_iter().map(|c| c.unwrap_or(Tok::Zero { line })).collect())
}

/// Whether a line of numbers in the section after the first row gave no row a cell.
fn unread_numbers(lines: &[Line], range: std::ops::Range<usize>, hits: &[super::grid::RowHit]) -> bool {
    let used: std::collections::HashSet<u32> =
        hits.iter().flat_map(|h| h.tokens.iter().map(Tok::line)).collect();
    let Some(first) = hits.first().map(|h| h.line_no) else { return false };
    lines
        .get(range)
        .unwrap_or_default()
        .iter()
        .any(|l| l.no > first && !used.contains(&l.no) && super::cells::is_numeric_line(&l.text))
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn written_units(tokens: &[Tok], n: usize) -> Vec<Unit> {
    let units: Vec<Unit> = tokens
        .iter()
        .map(|t| match t {
            Tok::Value { unit, .. } => *unit,
            _ => Unit::None,
        })
        .collect();
    if units.len() >= n {
        units
    } else {
        vec![Unit::None; n]
    }
}

/// The unit a sub-table's header states ("本年收费金额(单位:万元)"), looking back a
/// few lines from the row.
fn header_unit(lines: &[Line], row_idx: usize) -> Option<f64> {
    let from = row_idx.saturating_sub(12);
    let cells = &template().cells;
    for l in lines.get(from..=row_idx)?.iter().rev() {
        // (a unit in brackets or after 单位: 本年收费金额(单位:万元), (元), 单位:元)
        let stated = ["(", template().words.unit_label.as_str()]
            .into_iter()
            .filter_map(|w| l.text.find(w).and_then(|p| l.text.get(p..)));
        if let Some(f) = stated.filter_map(|b| cells.money_factor(b)).next() {
            return Some(f);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::normalise;

    fn read(text: &str) -> Vec<(String, String, f64)> {
        let lines = normalise(text);
        let t = extract(
            &lines,
            0..lines.len(),
            crate::template::TemplateEra::Y2019,
            false,
            &crate::extract::Raw::new(None),
        );
        t.facts.into_iter().filter_map(|f| Some((f.category, f.metric, f.value?))).collect()
    }

    #[test]
    fn a_bare_row_is_zeros_only_where_the_report_leaves_zeros_blank() {
        // pypdfium2 of a rendered report whose zeros are blank (004)
        let text = "第二十条第(一)项\n信息内容 本年新制作数量 本年新公开数量 对外公开总数量\n规章\n规范性文件 2 2 11\n\
                    第二十条第(五)项\n信息内容 上一年项目数量 本年增/减 处理决定数量\n行政许可 516 -9 339\n";
        let lines = normalise(text);
        let facts = |blank_zeros| {
            let t = extract(
                &lines,
                0..lines.len(),
                crate::template::TemplateEra::Y2019,
                blank_zeros,
                &crate::extract::Raw::new(None),
            );
            t.facts.into_iter().filter_map(|f| Some((f.category, f.metric, f.value?))).collect::<Vec<_>>()
        };
        let with = facts(true);
        assert_eq!(get(&with, "regulation", "new_made"), Some(0.0));
        assert_eq!(get(&with, "regulation", "total_published"), Some(0.0));
        assert_eq!(get(&with, "normative_document", "total_published"), Some(11.0));
        // nothing says the blank is a zero: nothing is stated
        let without = facts(false);
        assert_eq!(get(&without, "regulation", "new_made"), None);
        assert_eq!(get(&without, "normative_document", "total_published"), Some(11.0));
    }

    #[test]
    fn blank_cells_placed_under_the_column_names_where_the_text_keeps_columns() {
        let metrics = ["issued".to_string(), "repealed".to_string(), "in_force".to_string()];
        let counts = |cells: Option<Vec<Tok>>| cells.map(|c| c.iter().map(Tok::count).collect::<Vec<_>>());
        // pdftotext -layout of a rendered report (029): 本年废止件数 left blank
        let raw = [
            "   信息内容          本年制发件数    本年废止件数           现行有效件数",
            "    规章",
            "  行政规范性文件           14                        29",
        ];
        assert_eq!(counts(placed_by_names(&raw, 3, &metrics)), Some(vec![Some(14), Some(0), Some(29)]));
        // pypdfium2 of the same: single spaces keep no columns
        let raw = ["信息内容 本年制发件数 本年废止件数 现行有效件数", "规章", "行政规范性文件 14 29"];
        assert_eq!(counts(placed_by_names(&raw, 3, &metrics)), None);
        // a number under no name places nothing
        let raw = [
            "   信息内容          本年制发件数    本年废止件数           现行有效件数",
            "  行政规范性文件   7",
        ];
        assert_eq!(counts(placed_by_names(&raw, 2, &metrics)), None);
    }

    #[test]
    fn a_sub_tables_unit_from_its_header() {
        let unit = |text: &str| {
            let lines = normalise(text);
            header_unit(&lines, lines.len().saturating_sub(1))
        };
        assert_eq!(unit("信息内容 本年收费金额（单位：万元）\n行政事业性收费 48.11"), Some(10_000.0));
        assert_eq!(unit("信息内容 采购总金额(元)\n政府集中采购 19 2000"), Some(1.0));
        assert_eq!(unit("单位：元\n行政事业性收费 480"), Some(1.0));
        assert_eq!(unit("信息内容 本年收费金额\n行政事业性收费 48.11"), None, "the template's default then");
    }

    fn get(facts: &[(String, String, f64)], c: &str, m: &str) -> Option<f64> {
        facts.iter().find(|(x, y, _)| x == c && y == m).map(|f| f.2)
    }

    #[test]
    fn signs_belong_to_the_change_column_only() {
        // the whole table on one line, as a page whose line breaks are gone
        let f = read("第二十条第(五)项 信息内容 上一年项目数量 本年增/减 处理决定数量 行政许可 12 -3 456 行政处罚  234  -1  396 第二十条第(八)项 信息内容 上一年项目数量 本年增/减 行政事业性收费35-15");
        assert_eq!(get(&f, "administrative_penalty", "items_last_year"), Some(234.0));
        assert_eq!(get(&f, "administrative_penalty", "items_change"), Some(-1.0));
        assert_eq!(get(&f, "administrative_penalty", "decisions"), Some(396.0));
        assert_eq!(get(&f, "administrative_license", "items_change"), Some(-3.0));
        assert_eq!(get(&f, "administrative_fee", "items_last_year"), Some(35.0));
        assert_eq!(get(&f, "administrative_fee", "items_change"), Some(-15.0));
        // a row per line, a dash alone is a zero
        let f = read("行政许可\t5\t-\t7\n");
        assert_eq!(get(&f, "administrative_license", "items_change"), Some(0.0));
        // a negative number where the template has no sign is no value
        let f = read("行政许可 5 2 -7\n");
        assert_eq!(get(&f, "administrative_license", "decisions"), None);
        assert_eq!(get(&f, "administrative_license", "items_change"), Some(2.0));
        // glued so that nothing says where the signed number ends: nothing is stated
        let f = read("行政许可12-3456\n");
        assert!(f.iter().all(|(c, m, _)| c != "administrative_license" || m == "items_last_year"), "{f:?}");
    }
}
