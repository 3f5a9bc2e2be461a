//! Row order in the stream of text: the section's lines joined into one string, row
//! labels found anywhere in it (inside a line, glued to digits on either side, broken
//! across lines), and each row's cells taken from the run of numbers after its label.
//! This reads what line structure cannot: a whole page exported as one line, labels
//! wrapped around their numbers, cells glued together by a lost separator.
//!
//! Which label occurrences are the table's rows is chosen by dynamic programming: the
//! longest chain of occurrences in template order that are followed by numbers. Prose
//! mentions ("3件属于行政查询事项。") are not rows: their numbers carry units or end
//! in a sentence.

use super::runs::{cell_run, labelled_cells, plausible, run_before, run_tokens};
use super::{row_cells, Reading, RowCells, Section};
use crate::extract::cells::{is_furniture, Tok};
use crate::extract::grid::{automaton, LabelSet};
use crate::normalise::Line;
use crate::validate::arithmetic::Arithmetic;

struct Stream {
    text: String,
    /// (byte offset where a line starts in `text`, its line number)
    starts: Vec<(usize, u32)>,
}

impl Stream {
    fn new(lines: &[Line]) -> Stream {
        let mut text = String::new();
        let mut starts = Vec::new();
        for l in lines {
            let t = l.text.trim();
            if t.is_empty() || is_furniture(t) {
                continue;
            }
            // A label broken across lines joins up; anything else keeps a separator.
            let join = text.chars().next_back().is_some_and(|c| !c.is_ascii())
                && t.chars().next().is_some_and(|c| !c.is_ascii());
            if !text.is_empty() && !join {
                text.push('\n');
            }
            starts.push((text.len(), l.no));
            text.push_str(t);
        }
        Stream { text, starts }
    }

    fn line_at(&self, offset: usize) -> u32 {
        let i = self.starts.partition_point(|(s, _)| *s <= offset);
        self.starts.get(i.saturating_sub(1)).map_or(0, |(_, n)| *n)
    }
}

#[derive(Debug, Clone)]
struct Hit {
    start: usize,
    end: usize,
    row: usize,
    weak: bool,
    /// The cells after the label, when they look like a row's.
    weight: u32,
}

/// A row found in the stream: its label's index, its cells and the line they are on.
pub struct StreamRow {
    pub row: usize,
    pub toks: Vec<Tok>,
    /// Cells each written after its column's name ("自然人23,商业企业0,…总计23"), by
    /// column; None when the row's cells are not so labelled.
    pub labelled: Option<Vec<Option<i64>>>,
    pub line: u32,
}

/// The rows of a table in the stream of `lines[range]`: the chain of label occurrences
/// (of `labels`) followed by runs of cells; `width(row)` is the row's number of cells.
/// None unless at least two rows carry cells.
pub fn rows(
    lines: &[Line],
    range: std::ops::Range<usize>,
    labels: &[LabelSet],
    width: &dyn Fn(usize) -> usize,
    column_words: &[String],
) -> Option<Vec<StreamRow>> {
    rows_with(lines, range, labels, width, column_words, false)
}

fn rows_with(
    lines: &[Line],
    range: std::ops::Range<usize>,
    labels: &[LabelSet],
    width: &dyn Fn(usize) -> usize,
    column_words: &[String],
    before: bool,
) -> Option<Vec<StreamRow>> {
    let slice = lines.get(range)?;
    let stream = Stream::new(slice);
    let text = &stream.text;
    let mut hits: Vec<Hit> = automaton(labels)
        .matches(text)
        .into_iter()
        .map(|(start, end, row, weak)| Hit { start, end, row, weak, weight: 0 })
        .collect();
    hits.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
    // Overlapping occurrences of one row's aliases are one occurrence.
    hits.dedup_by(|later, kept| later.row == kept.row && later.start < kept.end);
    let mut valid: Vec<Hit> = Vec::new();
    for (k, h) in hits.iter().enumerate() {
        // The label's text runs to the next strong label of another row.
        let next = hits
            .iter()
            .skip(k + 1)
            .find(|n| !n.weak && n.row != h.row && n.start >= h.end)
            .map_or(text.len(), |n| n.start);
        let run = if before { run_before(text, h.start) } else { cell_run(text, h.end) };
        let Some(run) = run else { continue };
        let mut h = h.clone();
        if before || run.0 < next {
            let run = if before { run } else { (run.0, run.1.min(next)) };
            let toks = run_tokens(text, run, 0);
            // A row's own label outweighs a generic word (其他, 总计) that may be a
            // column's name inside another row.
            let strength = if h.weak { 1 } else { 2 };
            h.weight = strength * u32::from(!toks.is_empty() && plausible(&toks, width(h.row)));
        }
        valid.push(h);
    }
    // A heading that repeats the label of the row below it (### label, then the row).
    let mut collapsed: Vec<Hit> = Vec::new();
    for h in valid {
        if let Some(prev) = collapsed.last_mut() {
            if prev.row == h.row && !h.weak {
                // Numbers first: the row's first alias is the one next to its numbers.
                if !before {
                    *prev = h;
                }
                continue;
            }
        }
        collapsed.push(h);
    }
    let chain = best_chain(&collapsed);
    if chain.iter().filter(|h| h.weight > 0).count() < 2 {
        return None;
    }
    let mut out = Vec::new();
    for (k, h) in chain.iter().enumerate() {
        let next = chain.get(k + 1).map_or(text.len(), |n| n.start);
        if before {
            // This row's numbers end just before its label, after the label before it.
            let floor = k.checked_sub(1).and_then(|p| chain.get(p)).map_or(0, |p| p.end);
            let Some(run) = run_before(text, h.start).map(|r| (r.0.max(floor), r.1)).filter(|r| r.0 < r.1)
            else {
                continue;
            };
            let toks = run_tokens(text, run, stream.line_at(run.0));
            if !toks.is_empty() {
                out.push(StreamRow { row: h.row, toks, labelled: None, line: stream.line_at(h.start) });
            }
            continue;
        }
        let Some(run) = cell_run(text, h.end).filter(|r| r.0 < next) else { continue };
        let toks = run_tokens(text, (run.0, run.1.min(next)), stream.line_at(run.0));
        // The row's text up to the end of its last cell run before the next label.
        let region = text.get(h.end..next).unwrap_or("");
        let region = crate::normalise::sentences(region).next().unwrap_or("");
        let labelled = labelled_cells(region, column_words);
        if !toks.is_empty() {
            out.push(StreamRow { row: h.row, toks, labelled, line: stream.line_at(h.start) });
        }
    }
    Some(out)
}

/// Table 三 in the stream (see the module doc).
pub fn read(section: &Section) -> Option<Reading> {
    read_in_order(section, false)
}

/// Table 三 in the stream, each row's numbers printed before its label (a label
/// column on the right, numbers above their labels): the arithmetic decides whether
/// this or the ordinary reading is the layout's.
pub fn read_numbers_first(section: &Section) -> Option<Reading> {
    read_in_order(section, true)
}

fn read_in_order(section: &Section, before: bool) -> Option<Reading> {
    let a = section.a;
    let width = a.cols.len();
    let words = &crate::template::template().requests.column_labels;
    let found = rows_with(section.lines, section.range.clone(), section.labels, &|_| width, words, before)?;
    let mut cells_of: Vec<Option<(RowCells, u32)>> = vec![None; a.rows.len()];
    let mut diags = Vec::new();
    for r in found {
        let (cells, problem) = match r.labelled {
            Some(by_column) => (RowCells::Known(by_column), None),
            None => row_cells(&r.toks, a, true),
        };
        if let Some(p) = problem {
            diags.push(crate::model::Diagnostic::warn(
                "cells_undetermined",
                Some(r.line),
                format!("table 三 row {}: {p}", a.rows.get(r.row).copied().unwrap_or("?")),
            ));
        }
        if let Some(slot) = cells_of.get_mut(r.row) {
            *slot = Some((cells, r.line));
        }
    }
    let mut reading = Reading::from_rows(if before { "numbers_first" } else { "stream" }, a, cells_of);
    reading.diagnostics.extend(diags);
    Some(reading)
}

/// The heaviest chain of occurrences in text order with strictly increasing rows; a
/// weak word (总计, 其他) may only follow the row just before its own.
fn best_chain(hits: &[Hit]) -> Vec<Hit> {
    let n = hits.len();
    let mut best: Vec<(u32, Option<usize>)> = Vec::with_capacity(n);
    for (j, h) in hits.iter().enumerate() {
        let mut top: (u32, Option<usize>) = (if h.weak { 0 } else { h.weight }, None);
        if h.weak {
            top = (0, None);
        }
        for i in 0..j {
            let (Some(p), Some((score, _))) = (hits.get(i), best.get(i)) else { continue };
            if p.end > h.start || p.row >= h.row || (h.weak && p.row + 1 != h.row) {
                continue;
            }
            let s = score + h.weight;
            if s > top.0 || (s == top.0 && top.1.is_none()) {
                top = (s, Some(i));
            }
        }
        if h.weak && top.1.is_none() {
            top = (0, None);
        }
        best.push(top);
    }
    let Some(mut at) = (0..n).max_by_key(|&j| (best.get(j).map_or(0, |b| b.0), std::cmp::Reverse(j))) else {
        return Vec::new();
    };
    let mut chain = Vec::new();
    while let Some(h) = hits.get(at) {
        let weak_alone = h.weak && best.get(at).is_some_and(|b| b.1.is_none());
        if !weak_alone {
            chain.push(h.clone());
        }
        match best.get(at).and_then(|b| b.1) {
            Some(p) => at = p,
            None => break,
        }
    }
    chain.reverse();
    chain
}

/// Table 四 in the stream: the 15 numbers after its header words (the last of them,
/// 复议后起诉 and its five result words, come right before the cells), for a page whose
/// lines do not show the table (one line, no section headings). Glued runs are split
/// where the blocks' sums allow exactly one way; otherwise None.
pub fn table4(lines: &[Line], range: std::ops::Range<usize>) -> Option<(Vec<i64>, u32)> {
    let slice = lines.get(range)?;
    let stream = Stream::new(slice);
    let text = &stream.text;
    let t = crate::template::template();
    let a = Arithmetic::of_table4();
    let width = a.rows.len() * a.cols.len();
    let anchor = &t.litigation.header_last;
    let mut from = 0;
    while let Some(p) = text.get(from..).and_then(|r| r.find(anchor.as_str())) {
        let end = from + p + anchor.len();
        from = end;
        let Some(run) = cell_run(text, end) else { continue };
        let toks = run_tokens(text, run, stream.line_at(run.0));
        let line = stream.line_at(run.0);
        let runs: Option<Vec<&str>> = toks
            .iter()
            .map(|t| match t {
                Tok::Value { digits: Some(d), .. } => Some(d.as_str()),
                Tok::Zero { .. } => Some("0"),
                _ => None,
            })
            .collect();
        let runs = runs?;
        let digits: usize = runs.iter().map(|r| r.len()).sum();
        if runs.len() > width || digits < width || digits > 60 {
            continue;
        }
        let fits: Vec<Vec<i64>> = crate::extract::settle::glued_run_splits(&runs, width)
            .into_iter()
            .filter(|c| {
                let grid: Vec<Vec<Option<i64>>> =
                    c.chunks(a.cols.len()).map(|b| b.iter().copied().map(Some).collect()).collect();
                a.score(&grid).fails == 0
            })
            .collect();
        if let [only] = fits.as_slice() {
            return Some((only.clone(), line));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::normalise;

    fn read_2021(text: &str) -> Reading {
        super::super::testing::read_2021(text, read).expect("a reading")
    }

    fn row(r: &Reading, id: &str) -> Vec<Option<i64>> {
        let a = Arithmetic::table3(crate::template::TemplateEra::Y2021);
        a.row_index(id).and_then(|i| r.grid.get(i).cloned()).unwrap_or_default()
    }

    fn all(v: &[i64]) -> Vec<Option<i64>> {
        v.iter().copied().map(Some).collect()
    }

    #[test]
    fn a_page_on_one_line_with_glued_cells() {
        let text = "2024年,共收到政府信息公开申请23件。申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他\
            一、本年新收政府信息公开申请数量230 000023二、上年结转政府信息公开申请数量0000000三、本年度办理结果\
            (一)予以公开220000022(二)部分公开(区分处理的,只计这一情形,不计其他情形)1000001(三)不予公开1.属于国家秘密0000000\
            2.其他法律行政法规禁止公开00000003.危及“三安全一稳定”0000000(七)总计23 0 00 0 023四、结转下年度继续办理 0 0 00 00 0 \
            四、政府信息公开行政复议、行政诉讼情况。";
        let r = read_2021(text);
        assert_eq!(row(&r, "new_received"), all(&[23, 0, 0, 0, 0, 0, 23]));
        // 220000022 is 22,0,… or 2,20,…: the rows missing from this excerpt cannot
        // decide, so the cells the splits disagree on stay null
        assert_eq!(row(&r, "granted"), vec![None, None, Some(0), Some(0), Some(0), Some(0), Some(22)]);
        assert_eq!(row(&r, "partially_granted"), all(&[1, 0, 0, 0, 0, 0, 1]));
        // the item number 3. glued to the row before is not a cell
        assert_eq!(row(&r, "denied_prohibited_by_law"), all(&[0; 7]));
        assert_eq!(row(&r, "total_handled"), all(&[23, 0, 0, 0, 0, 0, 23]));
        assert_eq!(row(&r, "carried_forward"), all(&[0; 7]));
        // the sentence before the table is not its first row
        assert_eq!(r.lines.iter().flatten().count(), 9);
        let t4 = "四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉\
            结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计1000 10000000000 五、存在的主要问题";
        let lines = normalise(t4);
        let (cells, _) = table4(&lines, 0..lines.len()).expect("table 四");
        assert_eq!(cells, vec![1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    }

    #[test]
    fn cells_written_after_their_column_names() {
        let text = "一、本年新收政府信息公开申请数量:自然人20,商业企业3,总计23;二、上年结转政府信息公开申请数量:自然人1,总计1;\
                    (一)予以公开:自然人12,商业企业3,总计15;";
        let r = read_2021(text);
        // 20 is the 自然人 cell, not the row's only number taken for its 总计
        assert_eq!(row(&r, "new_received"), vec![Some(20), Some(3), None, None, None, None, Some(23)]);
        assert_eq!(row(&r, "carried_over"), vec![Some(1), None, None, None, None, None, Some(1)]);
        assert_eq!(row(&r, "granted"), vec![Some(12), Some(3), None, None, None, None, Some(15)]);
    }

    #[test]
    fn prose_numbers_with_units_are_not_rows() {
        let text = "本年新收政府信息公开申请5件,予以公开3件。\n一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1\n(一)予以公开 1 0 0 0 0 0 1\n";
        let r = read_2021(text);
        assert_eq!(row(&r, "new_received"), all(&[1, 0, 0, 0, 0, 0, 1]));
        assert_eq!(row(&r, "granted"), all(&[1, 0, 0, 0, 0, 0, 1]));
    }
}
