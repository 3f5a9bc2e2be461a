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

use super::{row_cells, Reading, RowCells};
use crate::extract::cells::{is_furniture, is_zero_mark, Tok};
use crate::extract::grid::{automaton, LabelSet};
use crate::normalise::Line;
use crate::validate::arithmetic::Arithmetic;

/// Label text after an alias and before its cells is at most this many characters
/// (the longest 2021 label, 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请,
/// has 25 after its alias).
const MAX_LABEL_TAIL: usize = 60;

/// Characters that mark a number as prose ("34件"), not a cell.
const UNIT_CHARS: [char; 9] = ['件', '个', '条', '次', '人', '份', '项', '起', '%'];

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

/// The run of cells that follows a label: (start, end) in the text, or None when the
/// text after the label is a sentence.
pub(crate) fn cell_run(text: &str, from: usize) -> Option<(usize, usize)> {
    let rest = text.get(from..)?;
    let mut tail = 0;
    let mut start = None;
    let mut end = from;
    for (i, c) in rest.char_indices() {
        let at = from + i;
        if start.is_none() {
            let negative =
                c == '-' && rest.get(i + 1..).is_some_and(|r| r.starts_with(|d: char| d.is_ascii_digit()));
            if c.is_ascii_digit() || negative || zero_mark_at(rest, i) {
                start = Some(at);
                end = at + c.len_utf8();
                continue;
            }
            if c == '。' || c == ';' {
                return None;
            }
            tail += 1;
            if tail > MAX_LABEL_TAIL {
                return None;
            }
            continue;
        }
        let decimal_point = c == '.'
            && rest.get(..i).is_some_and(|b| b.ends_with(|d: char| d.is_ascii_digit()))
            && rest.get(i + 1..).is_some_and(|r| r.starts_with(|d: char| d.is_ascii_digit()));
        if c.is_ascii_digit()
            || decimal_point
            || matches!(c, ' ' | '\t' | '|' | '\n')
            || zero_mark_at(rest, i)
        {
            end = at + c.len_utf8();
            continue;
        }
        if UNIT_CHARS.contains(&c)
            && text.get(..at).is_some_and(|b| b.ends_with(|d: char| d.is_ascii_digit()))
        {
            return None;
        }
        break;
    }
    start.map(|s| (s, end))
}

/// A zero mark standing alone (between separators) at byte `i` of `s`.
fn zero_mark_at(s: &str, i: usize) -> bool {
    let sep = |c: Option<char>| c.is_none_or(|c| matches!(c, ' ' | '\t' | '|' | '\n'));
    let Some(rest) = s.get(i..) else { return false };
    // Most characters start no zero mark: decided without building the word.
    let first = rest.chars().next();
    if !first.is_some_and(|f| crate::template::template().cells.zero_marks.iter().any(|z| z.starts_with(f))) {
        return false;
    }
    let before = s.get(..i).and_then(|b| b.chars().next_back());
    let word: String = rest.chars().take_while(|c| !matches!(c, ' ' | '\t' | '|' | '\n')).collect();
    sep(before) && !word.is_empty() && is_zero_mark(&word)
}

/// The run's cells. A digit followed by '.' or '、' and a word is the next label's item
/// number ("00000002.其他法律…"), not a cell.
pub(crate) fn run_tokens(text: &str, (s, e): (usize, usize), line: u32) -> Vec<Tok> {
    let Some(run) = text.get(s..e) else { return Vec::new() };
    let after = text.get(e..).unwrap_or("");
    let item_number = {
        let mut it = after.chars();
        matches!(it.next(), Some('.' | '、')) && it.next().is_some_and(|c| !c.is_ascii_digit())
    };
    let mut pieces: Vec<String> =
        run.split([' ', '\t', '|', '\n']).filter(|p| !p.is_empty()).map(String::from).collect();
    if item_number && !run.ends_with([' ', '\t', '|', '\n']) {
        if let Some(last) = pieces.last_mut() {
            last.pop();
            if last.is_empty() {
                pieces.pop();
            }
        }
    }
    pieces
        .iter()
        .filter_map(|p| {
            if is_zero_mark(p) {
                return Some(Tok::Zero { line });
            }
            let value: f64 = p.parse().ok()?;
            let digits = p.bytes().all(|b| b.is_ascii_digit()).then(|| p.clone());
            Some(Tok::Value { value, unit: crate::extract::cells::Unit::None, digits, line })
        })
        .collect()
}

/// Whether `n` tokens look like a row of `width` cells (all, only the total, glued,
/// or all but a blank total).
fn plausible(toks: &[Tok], width: usize) -> bool {
    let digits: usize = toks
        .iter()
        .map(|t| match t {
            Tok::Value { digits: Some(d), .. } => d.len(),
            _ => 1,
        })
        .sum();
    matches!(toks.len(), 1) || toks.len() + 1 >= width && toks.len() <= width || digits >= width
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

/// Cells written after their column's name, in the text between two row labels: at
/// least two such pairs, each column at most once.
fn labelled_cells(region: &str, column_words: &[String]) -> Option<Vec<Option<i64>>> {
    let mut cells: Vec<Option<i64>> = vec![None; column_words.len()];
    let mut found = 0;
    for (j, w) in column_words.iter().enumerate() {
        for (p, _) in region.match_indices(w.as_str()) {
            let after = region.get(p + w.len()..).unwrap_or("");
            let after = after.trim_start_matches([':', ' ', '为']);
            let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
            if digits.is_empty() {
                continue;
            }
            // A count, not a run of digits too long to be one.
            let value: i64 = digits.parse::<f64>().ok().and_then(crate::extract::cells::as_count)?;
            let cell = cells.get_mut(j)?;
            if cell.is_some_and(|c| c != value) {
                return None;
            }
            *cell = Some(value);
            found += 1;
        }
    }
    (found >= 2).then_some(cells)
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

/// The run of cells that ends just before the label at `at` (its prefix — 一、, (一),
/// an item number 1. — skipped), for a layout that prints each row's numbers before
/// its label.
fn run_before(text: &str, at: usize) -> Option<(usize, usize)> {
    let before = text.get(..at)?;
    // Walked backwards without collecting the text: on a page exported as one line
    // the text before a label is the whole page.
    let mut it = before.char_indices().rev().peekable();
    let mut skipped = 0;
    let mut after: Option<char> = None;
    // The label's prefix: words and punctuation, and a digit followed by '.' or '、'.
    let end = loop {
        let (i, c) = it.next()?;
        let item_number = c.is_ascii_digit() && matches!(after, Some('.' | '、'));
        if c.is_ascii_digit() && !item_number {
            break i + c.len_utf8();
        }
        if c == '。' || skipped > 12 {
            return None;
        }
        skipped += 1;
        after = Some(c);
    };
    // "其中8件属于行政查询事项": a number with a unit is prose.
    if text.get(end..).is_some_and(|rest| rest.starts_with(UNIT_CHARS)) {
        return None;
    }
    let mut start = end;
    while let Some((i, c)) = it.peek().copied() {
        if !(c.is_ascii_digit() || matches!(c, ' ' | '\t' | '|' | '\n')) {
            break;
        }
        start = i;
        it.next();
    }
    // the run began at the last digit or separator seen; trim leading separators
    let run = text.get(start..end)?;
    let lead = run.len() - run.trim_start_matches([' ', '\t', '|', '\n']).len();
    Some((start + lead, end))
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
        let region = region.split(['。', ';']).next().unwrap_or("");
        let labelled = labelled_cells(region, column_words);
        if !toks.is_empty() {
            out.push(StreamRow { row: h.row, toks, labelled, line: stream.line_at(h.start) });
        }
    }
    Some(out)
}

/// Table 三 in the stream (see the module doc).
pub fn read(
    lines: &[Line],
    range: std::ops::Range<usize>,
    a: &Arithmetic,
    labels: &[LabelSet],
) -> Option<Reading> {
    read_in_order(lines, range, a, labels, false)
}

/// Table 三 in the stream, each row's numbers printed before its label (a label
/// column on the right, numbers above their labels): the arithmetic decides whether
/// this or the ordinary reading is the layout's.
pub fn read_numbers_first(
    lines: &[Line],
    range: std::ops::Range<usize>,
    a: &Arithmetic,
    labels: &[LabelSet],
) -> Option<Reading> {
    read_in_order(lines, range, a, labels, true)
}

fn read_in_order(
    lines: &[Line],
    range: std::ops::Range<usize>,
    a: &Arithmetic,
    labels: &[LabelSet],
    before: bool,
) -> Option<Reading> {
    let width = a.cols.len();
    let words = &crate::template::template().requests.column_labels;
    let found = rows_with(lines, range, labels, &|_| width, words, before)?;
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
    use crate::template::{template, RowKind};

    fn read_2021(text: &str) -> Reading {
        let a = Arithmetic::table3("2021");
        let t = template();
        let specs: Vec<_> =
            t.requests.row.iter().filter(|r| r.in_era("2021") && r.kind != RowKind::Header).collect();
        let labels: Vec<LabelSet> =
            specs.iter().map(|r| LabelSet { aliases: &r.aliases, weak: &r.weak }).collect();
        let lines = normalise(text);
        read(&lines, 0..lines.len(), &a, &labels).expect("a reading")
    }

    fn row(r: &Reading, id: &str) -> Vec<Option<i64>> {
        let a = Arithmetic::table3("2021");
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
        let lines = normalise(text);
        let t4 = "四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉\
            结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计1000 10000000000 五、存在的主要问题";
        let _ = lines;
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
