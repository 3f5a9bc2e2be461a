//! Cells column by column: PDF text extracted in reading order of the page's text
//! boxes (pdfminer) gives table 三's row labels first, then its header cells, then its
//! numbers one column at a time (the 自然人 column top to bottom, then 商业企业 …).
//! The evidence for this layout is a block of row labels with no number among them,
//! followed by about rows × columns numbers. A page number printed between two
//! columns is one number too many: each lone number that could be it is tried
//! without, and the arithmetic decides.

use super::{Reading, RowCells};
use crate::extract::cells::{is_furniture, is_numeric_line, tokens_of, Tok};
use crate::extract::grid::{automaton, LabelSet};
use crate::normalise::Line;
use crate::validate::arithmetic::Arithmetic;

/// At most this many page numbers are looked for among the numbers.
const MAX_PAGE_NUMBERS: usize = 2;

struct Number {
    value: Option<i64>,
    line: u32,
    /// Alone on its line between blank or non-number lines: it may be a page number.
    lone: bool,
}

fn count(t: &Tok) -> Option<i64> {
    match t {
        Tok::Value { value, .. } if *value >= 0.0 && value.fract() == 0.0 && *value <= 1e12 => {
            Some(*value as i64)
        }
        Tok::Value { .. } => None,
        Tok::Zero { .. } | Tok::Empty { .. } => Some(0),
    }
}

pub fn read(
    lines: &[Line],
    range: std::ops::Range<usize>,
    a: &Arithmetic,
    labels: &[LabelSet],
) -> Option<Reading> {
    let slice = lines.get(range)?;
    let ac = automaton(labels);
    // The label block: label lines with no numeric line among them.
    let mut seen_rows: Vec<usize> = Vec::new();
    let mut label_lines: Vec<(usize, u32)> = Vec::new();
    let mut block_end = None;
    for (i, l) in slice.iter().enumerate() {
        let t = l.text.trim();
        if t.is_empty() || is_furniture(t) {
            continue;
        }
        if is_numeric_line(t) {
            if seen_rows.len() * 2 >= a.rows.len() {
                block_end = Some(i);
                break;
            }
            seen_rows.clear();
            label_lines.clear();
            continue;
        }
        for (_, _, row, weak) in ac.matches(t) {
            if !weak && seen_rows.last().is_none_or(|r| *r < row) {
                seen_rows.push(row);
                label_lines.push((row, l.no));
            }
        }
    }
    let start = block_end?;
    // The numbers: every numeric line from there to the first line of words after them.
    let mut nums: Vec<Number> = Vec::new();
    let rest = slice.get(start..)?;
    for (k, l) in rest.iter().enumerate() {
        let t = l.text.trim();
        if t.is_empty() || is_furniture(t) {
            continue;
        }
        if !is_numeric_line(t) {
            break;
        }
        let toks = tokens_of(t, l.no, false);
        let apart = |j: Option<usize>| {
            j.and_then(|j| rest.get(j)).is_none_or(|n| n.is_blank() || !is_numeric_line(&n.text))
        };
        let lone = toks.len() == 1 && apart(k.checked_sub(1)) && apart(Some(k + 1));
        nums.extend(toks.iter().map(|tok| Number { value: count(tok), line: l.no, lone }));
    }
    let (r, c) = (a.rows.len(), a.cols.len());
    let extra = nums.len().checked_sub(r * c)?;
    if extra > MAX_PAGE_NUMBERS {
        return None;
    }
    let lone: Vec<usize> = nums.iter().enumerate().filter(|(_, n)| n.lone).map(|(i, _)| i).collect();
    let mut drops: Vec<Vec<usize>> = Vec::new();
    match extra {
        0 => drops.push(Vec::new()),
        1 => drops.extend(lone.iter().map(|&i| vec![i])),
        _ => {
            for (x, &i) in lone.iter().enumerate() {
                drops.extend(lone.iter().skip(x + 1).map(|&j| vec![i, j]));
            }
        }
    }
    let line_of = |row: usize| label_lines.iter().find(|(r, _)| *r == row).map(|(_, l)| *l);
    let mut best: Vec<Reading> = Vec::new();
    let mut best_holds = 0;
    for drop in drops {
        let kept: Vec<&Number> =
            nums.iter().enumerate().filter(|(i, _)| !drop.contains(i)).map(|(_, n)| n).collect();
        let mut rows: Vec<Option<(RowCells, u32)>> = vec![None; r];
        for (row, slot) in rows.iter_mut().enumerate() {
            let cells: Vec<Option<i64>> =
                (0..c).map(|col| kept.get(col * r + row).and_then(|n| n.value)).collect();
            let line = line_of(row).or_else(|| kept.get(row).map(|n| n.line)).unwrap_or(0);
            *slot = Some((RowCells::Known(cells), line));
        }
        let reading = Reading::from_rows("columns", a, rows);
        let score = a.score(&reading.grid);
        if score.fails > 0 {
            continue;
        }
        if score.holds > best_holds {
            best_holds = score.holds;
            best.clear();
        }
        if score.holds == best_holds {
            best.push(reading);
        }
    }
    // Several page-number choices that fit: keep only the cells they agree on.
    let mut out = best.pop()?;
    for other in &best {
        for (g, o) in out.grid.iter_mut().zip(&other.grid) {
            for (cell, oc) in g.iter_mut().zip(o) {
                if *cell != *oc {
                    *cell = None;
                }
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::normalise;
    use crate::template::{template, RowKind};

    #[test]
    fn labels_first_then_columns_with_a_page_number_between() {
        let a = Arithmetic::table3("2019");
        let t = template();
        let specs: Vec<_> =
            t.requests.row.iter().filter(|r| r.in_era("2019") && r.kind != RowKind::Header).collect();
        let labels: Vec<LabelSet> =
            specs.iter().map(|r| LabelSet { aliases: &r.aliases, weak: &r.weak }).collect();
        let mut text: String =
            specs.iter().map(|s| format!("{}\n", s.aliases.first().map_or("", |x| x))).collect();
        text.push_str("申请人情况\n自然人\n");
        // 自然人: 3 new, 3 granted, 3 handled; 商业企业: 1 new, 1 carried forward
        let rows = a.rows.len();
        let mut columns = vec![vec![0i64; rows]; 7];
        let idx = |id: &str| a.row_index(id).unwrap_or(0);
        for (col, id, v) in [
            (0, "new_received", 3),
            (0, "granted", 3),
            (0, "total_handled", 3),
            (1, "new_received", 1),
            (1, "carried_forward", 1),
        ] {
            columns[col][idx(id)] = v;
        }
        let totals: Vec<i64> = (0..rows).map(|row| columns.iter().take(6).map(|c| c[row]).sum()).collect();
        columns[6] = totals;
        for (k, col) in columns.iter().enumerate() {
            for v in col {
                text.push_str(&format!("{v}\n"));
            }
            text.push('\n');
            if k == 2 {
                text.push_str("3\n\n");
            }
        }
        text.push_str("四、政府信息公开行政复议、行政诉讼情况\n");
        let lines = normalise(&text);
        let r = read(&lines, 0..lines.len(), &a, &labels).expect("a reading");
        assert_eq!(
            r.grid.get(idx("new_received")).cloned(),
            Some(vec![Some(3), Some(1), Some(0), Some(0), Some(0), Some(0), Some(4)])
        );
        assert_eq!(r.grid.get(idx("carried_forward")).and_then(|g| g.get(1).copied()), Some(Some(1)));
        assert_eq!(a.score(&r.grid).fails, 0);
    }
}
