//! Table 二 as PDF text gives it in the order of its text boxes (pdfminer, plain
//! pdftotext): row labels first, then runs of numbers, each run the cells of the rows
//! whose labels came before it. Nothing but the count says which row a number is, so
//! this is read only when every cell of the table is written (as many numbers as the
//! template has cells: a blank cell would shift every number after it), and a run is
//! given to rows only when they are one column wide (a wider row's numbers may come
//! row by row or column by column). Anything else stays null.

use super::cells::{is_furniture, is_numeric_line, tokens_of, Tok};
use super::grid::{automaton, LabelSet};
use crate::normalise::Line;

/// A row of table 二 and the cells read for it, with the line of its first number.
pub struct Read {
    pub row: usize,
    pub cells: Vec<Tok>,
    pub line: u32,
    pub line_idx: usize,
}

/// A run of numbers: each cell with the index of its line.
type Run = Vec<(Tok, usize)>;

/// `widths[row]`: the row's number of cells in this era.
pub fn read(
    lines: &[Line],
    range: std::ops::Range<usize>,
    labels: &[LabelSet],
    widths: &[usize],
) -> Vec<Read> {
    let ac = automaton(labels);
    let Some(slice) = lines.get(range.clone()) else { return Vec::new() };
    // Events in order: a label line (words only), or a run of number lines.
    let mut pending: Vec<usize> = Vec::new();
    let mut runs: Vec<(Vec<usize>, Run)> = Vec::new();
    let mut run: Run = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (k, l) in slice.iter().enumerate() {
        if l.is_blank() || is_furniture(&l.text) {
            continue;
        }
        if is_numeric_line(&l.text) {
            let toks = tokens_of(&l.text, l.no, false);
            if toks.len() != 1 {
                return Vec::new();
            }
            run.extend(toks.into_iter().map(|t| (t, range.start + k)));
            continue;
        }
        if !run.is_empty() {
            runs.push((std::mem::take(&mut pending), std::mem::take(&mut run)));
        }
        if l.text.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        let rows: Vec<usize> = ac.matches(&l.text).into_iter().filter(|m| !m.3).map(|m| m.2).collect();
        if let [row] = rows.as_slice() {
            if seen.insert(*row) {
                pending.push(*row);
            }
        }
    }
    if !run.is_empty() {
        runs.push((pending, run));
    }
    let width = |r: &usize| widths.get(*r).copied().unwrap_or(0);
    // (the rows printed: a template row an era's table lacks has no label in it)
    let cells: usize = seen.iter().map(width).sum();
    let numbers: usize = runs.iter().map(|(_, r)| r.len()).sum();
    if numbers != cells {
        return Vec::new();
    }
    // Each run goes to the labels not yet served, in order, as far as its count reaches.
    let mut queue: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    for (labels, run) in runs {
        queue.extend(labels);
        let mut need = 0;
        let Some(take) = queue.iter().position(|r| {
            need += width(r);
            need >= run.len()
        }) else {
            return Vec::new();
        };
        if need != run.len() {
            return Vec::new();
        }
        let rows: Vec<usize> = queue.drain(..=take).collect();
        if rows.iter().all(|r| width(r) == 1) {
            for (row, (tok, idx)) in rows.into_iter().zip(run) {
                let line = tok.line();
                out.push(Read { row, cells: vec![tok], line, line_idx: idx });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::normalise;

    fn rows(text: &str) -> Vec<(usize, String)> {
        let words: Vec<Vec<String>> =
            ["规章", "行政规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费", "政府集中采购"]
                .iter()
                .map(|w| vec![w.to_string()])
                .collect();
        let labels: Vec<LabelSet> = words.iter().map(|a| LabelSet { aliases: a, weak: &[] }).collect();
        let lines = normalise(text);
        read(&lines, 0..lines.len(), &labels, &[3, 3, 1, 1, 1, 1, 2])
            .into_iter()
            .map(|r| {
                let v = match r.cells.first() {
                    Some(Tok::Value { value, .. }) => value.to_string(),
                    _ => "?".into(),
                };
                (r.row, v)
            })
            .collect()
    }

    #[test]
    fn single_column_rows_take_their_run() {
        // 淮安市 2024 as pdfminer gives it
        let text = "第二十条 第(一)项\n信息内容\n规章\n行政规范性文件\n第二十条 第(五)项\n信息内容\n行政许可\n本年制发件数\n1\n8\n0\n26\n11\n66\n本年处理决定数量\n447228\n- 3 -\n信息内容\n行政处罚\n行政强制\n第二十条 第(八)项\n本年处理决定数量\n3985758\n88283\n本年收费金额(单位:万元)\n行政事业性收费\n96171.6\n";
        let got = rows(text);
        let want: Vec<(usize, String)> =
            vec![(2, "447228".into()), (3, "3985758".into()), (4, "88283".into()), (5, "96171.6".into())];
        assert_eq!(got, want);
    }

    #[test]
    fn a_blank_cell_anywhere_leaves_the_table_unread() {
        // 规章's row blank: 7 numbers for 10 cells
        let text = "规章\n行政规范性文件\n行政许可\n行政处罚\n行政强制\n行政事业性收费\n第二十条第(一)项\n4\n2\n26\n第二十条第(五)项\n2938\n第二十条第(六)项\n42\n2\n第二十条第(八)项\n573.79\n";
        assert!(rows(text).is_empty());
    }
}
