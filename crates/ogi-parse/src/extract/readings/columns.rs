//! Labels first, numbers after: PDF text extracted in the order of the page's text
//! boxes (pdfminer) gives a block of table 三's row labels, its header cells, then the
//! numbers one column at a time (the 自然人 column top to bottom, then 商业企业 …);
//! a table broken over pages repeats that per page. Other converters give the labels
//! first and then the numbers row by row. The evidence for these layouts is a block of
//! row labels with no number among them followed by rows × columns numbers; both
//! orders are read, and the arithmetic decides. A page number printed between two
//! columns is one number too many: each lone number that could be it is tried
//! without, and the block's row sums decide.

use super::{Reading, RowCells, Section};
use crate::extract::cells::{is_furniture, is_numeric_line, tokens_of};
use crate::extract::grid::{automaton, LabelSet};
use crate::normalise::Line;
use crate::template::template;
use crate::validate::arithmetic::Arithmetic;

/// At most this many page numbers are looked for among a block's numbers.
const MAX_PAGE_NUMBERS: usize = 2;

struct Number {
    value: Option<i64>,
    line: u32,
    /// Alone on its line between blank or non-number lines: it may be a page number.
    lone: bool,
}

/// A block of row labels and the numbers after it.
struct Block {
    /// Value rows first..=last of the template, in order.
    first: usize,
    last: usize,
    label_lines: Vec<(usize, u32)>,
    numbers: Vec<Number>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Order {
    /// The numbers column by column (pdfminer).
    Columns,
    /// The numbers row by row, after all the labels.
    Rows,
}

/// A header cell of table 三 (自然人, 申请人情况 …) or a piece of one broken over
/// lines (商业 / 企业), which may stand between columns. A row label that contains a
/// header word (2.其他法律行政法规禁止公开) is not one.
fn is_header_word(text: &str) -> bool {
    let r = &template().requests;
    let t = text.trim();
    !t.is_empty() && r.column_labels.iter().chain(&r.header_words).any(|w| w.contains(t))
}

fn blocks(lines: &[Line], labels: &[LabelSet]) -> Vec<Block> {
    let ac = automaton(labels);
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        // The label block: lines of words holding row labels in template order.
        let mut rows: Vec<(usize, u32)> = Vec::new();
        while let Some(l) = lines.get(i) {
            let t = l.text.trim();
            if !t.is_empty() && !is_furniture(t) && is_numeric_line(t) {
                break;
            }
            // Sentences mention row labels; they are not the table's.
            let prose = t.contains('。');
            for (_, _, row, weak) in ac.matches(t).into_iter().filter(|_| !prose) {
                if weak {
                    continue;
                }
                match rows.last() {
                    Some((r, _)) if *r == row => {}
                    Some((r, _)) if *r > row => {
                        // Labels start over: what came before was not this table's.
                        rows.clear();
                        rows.push((row, l.no));
                    }
                    _ => rows.push((row, l.no)),
                }
            }
            i += 1;
        }
        // The numbers: numeric lines, past header words, blank lines and page furniture.
        let mut numbers: Vec<Number> = Vec::new();
        let start = i;
        while let Some(l) = lines.get(i) {
            let t = l.text.trim();
            if t.is_empty() || is_furniture(t) || (!numbers.is_empty() && is_header_word(t)) {
                i += 1;
                continue;
            }
            if !is_numeric_line(t) {
                break;
            }
            let toks = tokens_of(t, l.no, false);
            let apart = |j: Option<usize>| {
                j.and_then(|j| lines.get(j)).is_none_or(|n| n.is_blank() || !is_numeric_line(&n.text))
            };
            let lone = toks.len() == 1 && apart(i.checked_sub(1)) && apart(Some(i + 1));
            numbers.extend(toks.iter().map(|tok| Number { value: tok.count(), line: l.no, lone }));
            i += 1;
        }
        let stuck = i == start && numbers.is_empty();
        if let (Some(&(first, _)), Some(&(last, _))) = (rows.first(), rows.last()) {
            if rows.len() >= 2 && !numbers.is_empty() {
                out.push(Block { first, last, label_lines: rows, numbers });
            }
        }
        if stuck {
            i += 1;
        }
    }
    out
}

/// The block's cells in `order`, for each way of leaving out its page numbers that
/// keeps every row sum; None when no way does, or the ways disagree on every cell.
fn read_block(b: &Block, order: Order, width: usize) -> Option<Vec<Vec<Option<i64>>>> {
    let m = b.last.checked_sub(b.first)? + 1;
    let extra = b.numbers.len().checked_sub(m * width)?;
    if extra > MAX_PAGE_NUMBERS {
        return None;
    }
    let lone: Vec<usize> = b.numbers.iter().enumerate().filter(|(_, n)| n.lone).map(|(i, _)| i).collect();
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
    let mut fits: Vec<Vec<Vec<Option<i64>>>> = Vec::new();
    for drop in drops {
        let kept: Vec<Option<i64>> =
            b.numbers.iter().enumerate().filter(|(i, _)| !drop.contains(i)).map(|(_, n)| n.value).collect();
        let cells: Vec<Vec<Option<i64>>> = (0..m)
            .map(|row| {
                (0..width)
                    .map(|col| {
                        let at = match order {
                            Order::Columns => col * m + row,
                            Order::Rows => row * width + col,
                        };
                        kept.get(at).copied().flatten()
                    })
                    .collect()
            })
            .collect();
        let sums_hold = cells.iter().all(|r| {
            let (total, parts) = r.split_last().unwrap_or((&None, &[]));
            parts.iter().try_fold(0i64, |acc, c| acc.checked_add((*c)?)) == *total
        });
        if sums_hold {
            fits.push(cells);
        }
    }
    let mut out = fits.pop()?;
    for other in &fits {
        for (row, orow) in out.iter_mut().zip(other) {
            for (cell, oc) in row.iter_mut().zip(orow) {
                if *cell != *oc {
                    *cell = None;
                }
            }
        }
    }
    Some(out)
}

fn reading(name: &'static str, blocks: &[Block], order: Order, a: &Arithmetic) -> Option<Reading> {
    let width = a.cols.len();
    let mut rows: Vec<Option<(RowCells, u32)>> = vec![None; a.rows.len()];
    let mut any = false;
    for b in blocks {
        let Some(cells) = read_block(b, order, width) else { continue };
        for (k, cells) in cells.into_iter().enumerate() {
            let row = b.first + k;
            let line = b
                .label_lines
                .iter()
                .find(|(r, _)| *r == row)
                .map(|(_, l)| *l)
                .or_else(|| b.numbers.first().map(|n| n.line))
                .unwrap_or(0);
            if let Some(slot) = rows.get_mut(row) {
                *slot = Some((RowCells::Known(cells), line));
                any = true;
            }
        }
    }
    any.then(|| Reading::from_rows(name, a, rows))
}

/// The column-order and the row-order readings of the label blocks, where they read.
pub fn read(section: &Section) -> Vec<Reading> {
    let (slice, a) = (section.slice(), section.a);
    let found = blocks(slice, section.labels);
    if found.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<Reading> = Vec::new();
    out.extend(reading("columns", &found, Order::Columns, a));
    out.extend(reading("labels_then_rows", &found, Order::Rows, a));
    out
}

/// Whether a grid has any cell (for tests).
#[cfg(test)]
fn cells(g: &[Vec<Option<i64>>]) -> usize {
    g.iter().flatten().filter(|c| c.is_some()).count()
}

#[cfg(test)]
mod tests {
    use super::super::testing::{labels, value_rows};
    use super::*;
    use crate::normalise::normalise;

    fn setup(era: crate::template::TemplateEra) -> (Arithmetic, Vec<&'static crate::template::RowSpec>) {
        (Arithmetic::table3(era), value_rows(era))
    }

    /// 自然人: 3 new, 3 granted, 3 handled; 商业企业: 1 new, 1 carried forward.
    fn columns(a: &Arithmetic) -> Vec<Vec<i64>> {
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
        columns
    }

    #[test]
    fn labels_first_then_columns_with_a_page_number_between() {
        let (a, specs) = setup(crate::template::TemplateEra::Y2019);
        let labels = labels(&specs);
        let mut text: String =
            specs.iter().map(|s| format!("{}\n", s.aliases.first().map_or("", |x| x))).collect();
        text.push_str("申请人情况\n自然人\n");
        for (k, col) in columns(&a).iter().enumerate() {
            for v in col {
                text.push_str(&format!("{v}\n"));
            }
            text.push('\n');
            if k == 2 {
                text.push_str("3\n\n");
            }
            if k == 4 {
                text.push_str("其他\n");
            }
        }
        text.push_str("四、政府信息公开行政复议、行政诉讼情况\n");
        let lines = normalise(&text);
        let all = read(&Section { lines: &lines, range: 0..lines.len(), a: &a, labels: &labels });
        let r = all.iter().find(|r| r.name == "columns").expect("a column reading");
        let idx = |id: &str| a.row_index(id).unwrap_or(0);
        assert_eq!(
            r.grid.get(idx("new_received")).cloned(),
            Some(vec![Some(3), Some(1), Some(0), Some(0), Some(0), Some(0), Some(4)])
        );
        assert_eq!(r.grid.get(idx("carried_forward")).and_then(|g| g.get(1).copied()), Some(Some(1)));
        assert_eq!(a.score(&r.grid).fails, 0);
        // the same numbers read row by row break the row sums: no reading
        assert!(all.iter().all(|r| r.name != "labels_then_rows" || cells(&r.grid) < 7 * a.rows.len()));
    }

    #[test]
    fn a_table_broken_over_two_pages_is_two_blocks() {
        let (a, specs) = setup(crate::template::TemplateEra::Y2021);
        let labels = labels(&specs);
        let cols = columns(&a);
        let half = 12;
        let mut text = String::new();
        for (from, to) in [(0, half), (half, specs.len())] {
            for s in specs.iter().take(to).skip(from) {
                text.push_str(&format!("{}\n", s.aliases.first().map_or("", |x| x)));
            }
            for col in &cols {
                for v in col.iter().take(to).skip(from) {
                    text.push_str(&format!("{v}\n"));
                }
                text.push('\n');
            }
            text.push_str("- 5 -\n");
        }
        let lines = normalise(&text);
        let all = read(&Section { lines: &lines, range: 0..lines.len(), a: &a, labels: &labels });
        let r = all.iter().find(|r| r.name == "columns").expect("a column reading");
        assert_eq!(cells(&r.grid), 7 * a.rows.len());
        assert_eq!(a.score(&r.grid).fails, 0);
        let granted = a.row_index("granted").unwrap_or(0);
        assert_eq!(r.grid.get(granted).and_then(|g| g.first().copied()), Some(Some(3)));
    }
}
