//! Table 四 (行政复议、行政诉讼): fifteen cells in three blocks of five (复议, 直接起诉,
//! 复议后起诉; each 维持/纠正/其他/尚未审结/总计). Header cells carry no digits, so the
//! numbers of the section, in order, are the cells. A glued run is split by the block
//! sums; a report that replaces the table with "无…行政复议和行政诉讼" states zeros.

use super::cells::{is_numeric_line, tokens_of, Tok};
use super::grid::{cells_below, convention, Convention};
use super::litigation_labels::Labelled;
use crate::model::{Diagnostic, LitigationFact};
use crate::normalise::Line;
use crate::template::template;
use crate::validate::arithmetic::Arithmetic;
use regex::Regex;
use std::sync::OnceLock;

#[derive(Debug, Default)]
pub struct Table4 {
    pub facts: Vec<LitigationFact>,
    pub diagnostics: Vec<Diagnostic>,
    /// The cells were found, and what stands between them says their order is not
    /// known: no other reading of the section is tried.
    pub undetermined: bool,
}

/// Cells of the table (15: the template's proceedings × results).
fn cells() -> usize {
    template().litigation.cells()
}

/// Cells of one proceeding's block (5).
fn block() -> usize {
    template().litigation.block()
}

fn arithmetic() -> &'static Arithmetic {
    Arithmetic::of_table4()
}

pub fn extract(lines: &[Line], range: std::ops::Range<usize>) -> Table4 {
    let mut out = Table4::default();
    let Some(slice) = lines.get(range.clone()) else { return out };
    let first_numeric = slice.iter().position(|l| is_cell_line(&l.text));
    let mut toks: Vec<Tok> = Vec::new();
    if let Some(first) = first_numeric {
        let last = slice.iter().rposition(|l| is_cell_line(&l.text)).unwrap_or(first);
        let conv = convention(slice, first, last + 1);
        // Empty cells before the first written one hang off the header's last line.
        let header_end =
            slice.get(..first).and_then(|h| h.iter().rposition(|l| !l.is_blank())).map_or(first, |p| p + 1);
        let without: Vec<Tok> = slice
            .get(first..=last)
            .unwrap_or_default()
            .iter()
            .filter(|l| is_cell_line(&l.text))
            .flat_map(|l| tokens_of(&l.text, l.no, false))
            .collect();
        // Blank lines are cells only if reading them so gives the template's 15. With
        // few written cells the table's convention cannot be told from its numbers, so
        // each reading is tried, the one the numbers suggest first.
        // Empty cells after the last written one are the blank lines before the next
        // words (as many as the table still lacks).
        let blank_tail = slice.iter().skip(last + 1).take_while(|l| l.is_blank()).count();
        let separated = || trim_to(cells_below(slice, header_end..last + 1, Convention::Separated));
        let dense = || trim_to(cells_below(slice, first..last + 1, Convention::Dense));
        let dense_tail = || {
            let d = cells_below(slice, first..last + 1, Convention::Dense);
            let tail = blank_tail.min(cells().saturating_sub(d.len()));
            trim_to(cells_below(slice, first..last + 1 + tail, Convention::Dense))
        };
        // … and before the first written one, the blank lines after the header (or both).
        let dense_head = || trim_to(cells_below(slice, header_end..last + 1, Convention::Dense));
        let dense_both = || {
            let d = cells_below(slice, header_end..last + 1, Convention::Dense);
            let tail = blank_tail.min(cells().saturating_sub(d.len()));
            trim_to(cells_below(slice, header_end..last + 1 + tail, Convention::Dense))
        };
        toks = if without.len() == cells() {
            without
        } else {
            let tries: [&dyn Fn() -> Vec<Tok>; 5] = if conv == Convention::Separated {
                [&separated, &dense, &dense_tail, &dense_head, &dense_both]
            } else {
                [&dense, &dense_tail, &dense_head, &dense_both, &separated]
            };
            let fifteen: Vec<Vec<Tok>> = tries.iter().map(|f| f()).filter(|t| t.len() == cells()).collect();
            // Of the readings that give 15 cells, the first whose blocks add up; else
            // the first (a report may break its own sums: `validate` says so).
            let fits = |t: &Vec<Tok>| {
                let cells: Option<Vec<i64>> = t.iter().map(Tok::count).collect();
                cells.is_some_and(|c| {
                    let grid: Vec<Vec<Option<i64>>> =
                        c.chunks(block()).map(|b| b.iter().copied().map(Some).collect()).collect();
                    arithmetic().score(&grid).fails == 0
                })
            };
            let pick = fifteen.iter().position(fits).or((!fifteen.is_empty()).then_some(0));
            pick.and_then(|i| fifteen.into_iter().nth(i)).unwrap_or(without)
        };
    }
    let line = toks.first().map(Tok::line);
    match super::litigation_labels::read(slice, &toks) {
        Labelled::Unlabelled => {}
        Labelled::Cells(by_name) => toks = by_name,
        Labelled::Undetermined => {
            out.undetermined = true;
            out.diagnostics.push(Diagnostic::warn(
                "cells_undetermined",
                line,
                "table 四: each number follows a result's name, but the names do not split them into the three blocks in order; left null",
            ));
            return out;
        }
    }
    let cells: Option<Vec<i64>> = match toks.as_slice() {
        [] => None,
        [Tok::Value { digits: Some(d), .. }] if d.len() >= cells() => {
            let splits = split_blocks(d);
            match splits.len() {
                1 => splits.into_iter().next(),
                0 => {
                    out.diagnostics.push(Diagnostic::warn(
                        "cells_undetermined",
                        line,
                        format!("table 四: glued digits {d} split into no three blocks that add up"),
                    ));
                    None
                }
                k => {
                    out.diagnostics.push(Diagnostic::warn(
                        "glued_ambiguous",
                        line,
                        format!("table 四: glued digits {d} split {k} ways that add up; left null"),
                    ));
                    None
                }
            }
        }
        t if t.len() == cells() => t.iter().map(Tok::count).collect(),
        t => {
            out.diagnostics.push(Diagnostic::warn(
                "cells_undetermined",
                line,
                format!("table 四: {} cells where the template has 15", t.len()),
            ));
            None
        }
    };
    if let Some(cells) = cells {
        out.facts = facts_of(&cells, line);
        keep_blocks_that_add_up(&mut out, &cells, line);
        return out;
    }
    if let Some((line, admin, lawsuit)) = stated_none(slice) {
        if admin {
            out.facts.push(LitigationFact {
                proceeding: "admin_review".into(),
                result: "total".into(),
                count: Some(0),
                line: Some(line),
            });
        }
        if lawsuit {
            out.facts.push(LitigationFact {
                proceeding: "lawsuit".into(),
                result: "total".into(),
                count: Some(0),
                line: Some(line),
            });
        }
    }
    out
}

/// The 15 cells as fact rows, block by block. Blocks that do not add up are flagged
/// by `validate`.
/// A block whose results do not add up to its 总计 is a misprint, or its cells were read
/// in an order or a place that is not the table's (PDF text column by column, blank cells
/// taken for zeros): it is left null, the others kept. Two or more such blocks mean the
/// reading is wrong, and all are null.
fn keep_blocks_that_add_up(out: &mut Table4, cells: &[i64], line: Option<u32>) {
    let grid: Vec<Vec<Option<i64>>> =
        cells.chunks(block()).map(|b| b.iter().copied().map(Some).collect()).collect();
    let broken: Vec<usize> = arithmetic().checks(&grid).iter().filter(|c| !c.holds()).map(|c| c.at).collect();
    let proceedings = &template().litigation.proceedings;
    let names: Vec<&str> = broken.iter().map(|b| proceedings.get(*b).map_or("?", String::as_str)).collect();
    match broken.len() {
        0 => {}
        1 => {
            out.facts.retain(|f| !names.contains(&f.proceeding.as_str()));
            out.diagnostics.push(Diagnostic::warn(
                "table_breaks_own_checks",
                line,
                format!("table 四: the {} block does not add up to its total; its cells are left null, the others kept", names.join("")),
            ));
        }
        _ => {
            out.facts.clear();
            out.diagnostics.push(Diagnostic::warn(
                "table_inconsistent",
                line,
                format!("table 四: the blocks {} do not add up to their totals, so its cells were not read in the table's order; left null", names.join(", ")),
            ));
        }
    }
}

pub fn facts_of(cells: &[i64], line: Option<u32>) -> Vec<LitigationFact> {
    let t = template();
    let mut out = Vec::with_capacity(t.litigation.cells());
    let mut k = 0;
    for p in &t.litigation.proceedings {
        for r in &t.litigation.results {
            out.push(LitigationFact {
                proceeding: p.clone(),
                result: r.clone(),
                count: cells.get(k).copied(),
                line,
            });
            k += 1;
        }
    }
    out
}

fn trim_to(mut toks: Vec<Tok>) -> Vec<Tok> {
    while toks.len() > cells() && matches!(toks.last(), Some(Tok::Empty { .. })) {
        toks.pop();
    }
    toks
}

/// A line of cells: numbers, or tab or pipe slots holding at least one number, or a
/// full row of empty slots (an HTML row of empty cells, each a 0).
fn is_cell_line(text: &str) -> bool {
    let positional = text.contains('\t') || text.matches('|').count() >= 2;
    if is_numeric_line(text) {
        return true;
    }
    if !positional {
        return false;
    }
    let toks = tokens_of(text, 0, false);
    toks.iter().any(|t| !matches!(t, Tok::Empty { .. })) || (toks.len() == cells() && text.trim().is_empty())
}

fn none_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let words: Vec<String> = template().litigation.none_words.iter().map(|w| regex::escape(w)).collect();
        Regex::new(&format!("({})", words.join("|"))).unwrap_or_else(|e| panic!("{e}"))
    })
}

/// A sentence saying there were no reviews / lawsuits, and giving no other numbers.
pub fn stated_none(lines: &[Line]) -> Option<(u32, bool, bool)> {
    let spec = &template().litigation;
    let phrases = &spec.none_phrases;
    for l in lines {
        for sentence in crate::normalise::sentences(&l.text) {
            let fixed = phrases.iter().any(|p| sentence.contains(p.as_str()));
            let digits_other_than_years =
                sentence.split(|c: char| !c.is_ascii_digit()).any(|d| !d.is_empty() && d.len() != 4);
            if digits_other_than_years {
                continue;
            }
            if fixed || none_re().is_match(sentence) {
                let admin = sentence.contains(spec.review_word.as_str());
                let lawsuit = sentence.contains(spec.lawsuit_word.as_str());
                if admin || lawsuit {
                    return Some((l.no, admin, lawsuit));
                }
            }
        }
    }
    None
}

/// Splits of a digit run into 3 blocks of 5 where each block's 4 parts sum to its 5th.
fn split_blocks(digits: &str) -> Vec<Vec<i64>> {
    let mut out = Vec::new();
    let mut cur = Vec::with_capacity(cells());
    let mut budget = 2_000_000u32;
    rec(digits.as_bytes(), &mut cur, &mut out, &mut budget);
    out
}

fn rec(rest: &[u8], cur: &mut Vec<i64>, out: &mut Vec<Vec<i64>>, budget: &mut u32) {
    if *budget == 0 || out.len() > 1000 {
        return;
    }
    *budget -= 1;
    // Each block, once complete, must satisfy the table's per-row identity (its
    // results add up to its 总计): checked as the digits are cut, to prune early.
    if cur.len().is_multiple_of(block()) && !cur.is_empty() {
        let block = cur.get(cur.len() - block()..).unwrap_or_default();
        if !arithmetic().row_holds(block) {
            return;
        }
    }
    if cur.len() == cells() {
        if rest.is_empty() {
            out.push(cur.clone());
        }
        return;
    }
    let left = cells() - cur.len();
    if rest.len() < left {
        return;
    }
    let max_len = if rest.first() == Some(&b'0') { 1 } else { (rest.len() - (left - 1)).min(9) };
    for len in 1..=max_len {
        let Some(v) =
            rest.get(..len).and_then(|h| std::str::from_utf8(h).ok()).and_then(|s| s.parse::<i64>().ok())
        else {
            break;
        };
        cur.push(v);
        rec(rest.get(len..).unwrap_or_default(), cur, out, budget);
        cur.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::normalise;

    #[test]
    fn fifteen_cells_on_one_line() {
        let lines =
            normalise("四、行政复议\n行政复议 行政诉讼\n结果维持 结果纠正\n1 0 0 0 1 0 0 0 0 0 2 0 0 1 3\n");
        let t = extract(&lines, 0..lines.len());
        let get = |p: &str, r: &str| {
            t.facts.iter().find(|f| f.proceeding == p && f.result == r).and_then(|f| f.count)
        };
        assert_eq!(get("admin_review", "total"), Some(1));
        assert_eq!(get("lawsuit_after_review", "pending"), Some(1));
        assert_eq!(get("lawsuit_after_review", "total"), Some(3));
    }

    #[test]
    fn few_written_cells_with_empty_cells_as_blank_lines() {
        // A written cell is followed by a separator; an empty cell is one blank line.
        let text = format!(
            "四、行政复议、行政诉讼情况\n\n尚未审结\n\n总计\n\n{}2\n\n{}3\n\n五、存在的主要问题",
            "\n".repeat(4),
            "\n".repeat(9)
        );
        let lines = normalise(&text);
        let t = extract(&lines, 0..lines.len());
        let get = |p: &str, r: &str| {
            t.facts.iter().find(|f| f.proceeding == p && f.result == r).and_then(|f| f.count)
        };
        // Read with blank lines as zeros, neither written block adds up to its total
        // (0 ≠ 2, 0 ≠ 3): that is no reading of the table, and nothing is stated.
        assert_eq!(get("admin_review", "total"), None);
        assert_eq!(get("admin_review", "pending"), None);
        assert_eq!(get("lawsuit_after_review", "total"), None);
        assert!(t.diagnostics.iter().any(|d| d.code == "table_inconsistent"), "{:?}", t.diagnostics);
    }

    #[test]
    fn empty_cells_as_blank_lines_before_between_and_after() {
        // zeros written as marks, empty cells as blank lines, one blank each side
        let text = "四、政府信息公开行政复议、行政诉讼情况\n尚未审结\n总计\n\n0\n-\n—\n/\n2\n\n-\n无\n2\n—\n-\n/\n无\n\n五、存在的主要问题";
        let lines = normalise(text);
        let t = extract(&lines, 0..lines.len());
        let get = |p: &str, r: &str| {
            t.facts.iter().find(|f| f.proceeding == p && f.result == r).and_then(|f| f.count)
        };
        assert_eq!(get("admin_review", "total"), Some(0));
        // the one reading whose blocks add up: 2 upheld, 2 in all
        assert_eq!(get("lawsuit_direct", "upheld"), Some(2));
        assert_eq!(get("lawsuit_direct", "total"), Some(2));
        assert_eq!(get("lawsuit_after_review", "total"), Some(0));
    }

    #[test]
    fn glued_blocks() {
        assert_eq!(split_blocks("100010000020013"), vec![vec![1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 0, 0, 1, 3]]);
    }

    #[test]
    fn prose_none() {
        let lines = normalise("2019年无因政府信息公开引起的行政复议和行政诉讼的情形。");
        let t = extract(&lines, 0..lines.len());
        assert_eq!(t.facts.len(), 2);
        let lines = normalise("本年度发生行政复议1件。");
        assert!(extract(&lines, 0..lines.len()).facts.is_empty());
    }
}
