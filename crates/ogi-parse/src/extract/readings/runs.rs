//! Runs of cells in the stream of text: where the cells after (or before) a row label
//! start and end, which of them are cells rather than prose ("34件", a sentence), and
//! cells written after their column's name.

use crate::extract::cells::{is_zero_mark, Tok};
use crate::template::template;

/// Label text after an alias and before its cells is at most this many characters
/// (the longest 2021 label, 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请,
/// has 25 after its alias).
const MAX_LABEL_TAIL: usize = 60;

/// Characters that mark a number as prose ("34件"), not a cell.
fn prose_units() -> &'static [char] {
    &template().cells.prose_units
}

/// The run of cells that follows a label: (start, end) in the text, or None when the
/// text after the label is a sentence.
pub(super) fn cell_run(text: &str, from: usize) -> Option<(usize, usize)> {
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
        // A minus sign right before digits starts a (negative) number: "35-15", "234 -1".
        let minus =
            c == '-' && rest.get(i + 1..).is_some_and(|r| r.starts_with(|d: char| d.is_ascii_digit()));
        if c.is_ascii_digit()
            || decimal_point
            || minus
            || matches!(c, ' ' | '\t' | '|' | '\n')
            || zero_mark_at(rest, i)
        {
            end = at + c.len_utf8();
            continue;
        }
        if prose_units().contains(&c)
            && text.get(..at).is_some_and(|b| b.ends_with(|d: char| d.is_ascii_digit()))
        {
            return None;
        }
        break;
    }
    start.map(|s| (s, end))
}

/// A zero mark standing alone (between separators) at byte `i` of `s`.
pub(super) fn zero_mark_at(s: &str, i: usize) -> bool {
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
pub(super) fn run_tokens(text: &str, (s, e): (usize, usize), line: u32) -> Vec<Tok> {
    let Some(run) = text.get(s..e) else { return Vec::new() };
    let after = text.get(e..).unwrap_or("");
    let item_number = {
        let mut it = after.chars();
        matches!(it.next(), Some('.' | '、')) && it.next().is_some_and(|c| !c.is_ascii_digit())
    };
    let mut pieces: Vec<String> = run
        .split([' ', '\t', '|', '\n'])
        .filter(|p| !p.is_empty())
        .flat_map(|p| crate::extract::cells::split_signed(p).into_iter().map(String::from))
        .collect();
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
pub(super) fn plausible(toks: &[Tok], width: usize) -> bool {
    let digits: usize = toks
        .iter()
        .map(|t| match t {
            Tok::Value { digits: Some(d), .. } => d.len(),
            _ => 1,
        })
        .sum();
    matches!(toks.len(), 1) || toks.len() + 1 >= width && toks.len() <= width || digits >= width
}

/// Cells written after their column's name, in the text between two row labels: at
/// least two such pairs, each column at most once.
pub(super) fn labelled_cells(region: &str, column_words: &[String]) -> Option<Vec<Option<i64>>> {
    let mut cells: Vec<Option<i64>> = vec![None; column_words.len()];
    let mut found = 0;
    let copula = crate::template::template().words.copula.as_str();
    for (j, w) in column_words.iter().enumerate() {
        for (p, _) in region.match_indices(w.as_str()) {
            let after = region.get(p + w.len()..).unwrap_or("");
            let after = after
                .trim_start_matches([':', ' '])
                .trim_start_matches(copula)
                .trim_start_matches([':', ' ']);
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

/// The run of cells that ends just before the label at `at` (its prefix — 一、, (一),
/// an item number 1. — skipped), for a layout that prints each row's numbers before
/// its label.
pub(super) fn run_before(text: &str, at: usize) -> Option<(usize, usize)> {
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
    if text.get(end..).is_some_and(|rest| rest.starts_with(prose_units())) {
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
