//! Number rows in template order, labels detached. PDF-to-Markdown converters and OCR
//! move labels away from their numbers (a label stacked above two bare rows, a label
//! printed after its row) but keep the number rows in the template's order. Rows that
//! carry their label anchor the table; between two anchors, the bare number rows are
//! the template rows between them, when there are exactly as many of each. Labels
//! without cells (headings) are not rows here.

use super::{row_cells, Reading, RowCells, Section};
use crate::extract::cells::{is_furniture, tokens_of, Tok};
use crate::extract::grid::{automaton, LabelSet};
use crate::normalise::Line;
use crate::validate::arithmetic::Arithmetic;

#[derive(Debug)]
enum Piece {
    /// A line with one row's label and a row of cells after it.
    Anchor { row: usize, toks: Vec<Tok>, line: u32 },
    /// A line of numbers alone, as wide as a row.
    Bare { toks: Vec<Tok>, line: u32 },
}

/// Written cells (not empty slots).
fn written(toks: &[Tok]) -> usize {
    toks.iter().filter(|t| !matches!(t, Tok::Empty { .. })).count()
}

/// A line's cells, without the empty slots past the row's width (a table drawn wider
/// than its rows).
fn cells_of(text: &str, line: u32, label_residue: bool, width: usize) -> Vec<Tok> {
    let mut toks = tokens_of(text, line, label_residue);
    while toks.len() > width && matches!(toks.last(), Some(Tok::Empty { .. })) {
        toks.pop();
    }
    toks
}

fn units(lines: &[Line], a: &Arithmetic, labels: &[LabelSet]) -> Vec<Piece> {
    let width = a.cols.len();
    let ac = automaton(labels);
    let mut out = Vec::new();
    for l in lines {
        let t = l.text.trim();
        if t.is_empty() || is_furniture(t) {
            continue;
        }
        let found: Vec<(usize, usize, usize, bool)> = ac.matches(t).into_iter().filter(|m| !m.3).collect();
        if found.is_empty() {
            if crate::normalise::has_cjk(t) {
                continue;
            }
            let toks = cells_of(t, l.no, false, width);
            // As wide as a row: all its cells, or all but a blank 总计.
            if written(&toks) + 1 >= width && toks.len() <= width {
                out.push(Piece::Bare { toks, line: l.no });
            }
            continue;
        }
        let mut rows: Vec<usize> = found.iter().map(|m| m.2).collect();
        rows.dedup();
        let (Some(&row), true) = (rows.first(), rows.len() == 1) else { continue };
        let end = found.iter().map(|m| m.1).max().unwrap_or(0);
        let toks = cells_of(t.get(end..).unwrap_or(""), l.no, true, width);
        if written(&toks) + 1 >= width && toks.len() <= width {
            out.push(Piece::Anchor { row, toks, line: l.no });
        }
    }
    out
}

pub fn read(section: &Section) -> Option<Reading> {
    let a = section.a;
    let units = units(section.slice(), a, section.labels);
    // Evidence for this layout: rows of cells on lines of their own. With no bare row it
    // is still the reading that ignores labels without cells (a heading repeating the
    // row's label, as OCR Markdown writes each row).
    if units.len() < 2 {
        return None;
    }
    let mut rows: Vec<Option<(RowCells, u32)>> = vec![None; a.rows.len()];
    let mut put = |row: usize, toks: &[Tok], line: u32| {
        let (cells, _) = row_cells(toks, a, false);
        if let Some(slot) = rows.get_mut(row) {
            *slot = Some((cells, line));
        }
    };
    // Anchors in increasing row order; an out-of-order label is not an anchor.
    let mut last_row: Option<usize> = None;
    let mut bare: Vec<(&[Tok], u32)> = Vec::new();
    let mut anchored = 0;
    let fill = |from: Option<usize>,
                to: usize,
                bare: &mut Vec<(&[Tok], u32)>,
                put: &mut dyn FnMut(usize, &[Tok], u32)| {
        let first = from.map_or(0, |r| r + 1);
        let gap: Vec<usize> = (first..to).collect();
        if !bare.is_empty() && gap.len() == bare.len() {
            for (row, (toks, line)) in gap.into_iter().zip(bare.iter()) {
                put(row, toks, *line);
            }
        }
        bare.clear();
    };
    for u in &units {
        match u {
            Piece::Bare { toks, line } => bare.push((toks.as_slice(), *line)),
            Piece::Anchor { row, toks, line } => {
                if last_row.is_some_and(|r| r >= *row) {
                    continue;
                }
                fill(last_row, *row, &mut bare, &mut put);
                put(*row, toks, *line);
                last_row = Some(*row);
                anchored += 1;
            }
        }
    }
    fill(last_row, a.rows.len(), &mut bare, &mut put);
    if anchored == 0 {
        return None;
    }
    Some(Reading::from_rows("detached", a, rows))
}

#[cfg(test)]
mod tests {
    use super::super::testing::read_2021;
    use super::*;

    #[test]
    fn bare_rows_fill_the_rows_between_anchors() {
        let a = Arithmetic::table3(crate::template::TemplateEra::Y2021);
        // 部分公开's label printed after its row; two labels stacked above two bare rows
        let text = "| (一)予以公开 | 9 | 0 | 0 | 0 | 0 | 0 | 9 |\n| 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n(二)部分公开\n\
                    1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n2.其他法律行政法规禁\n止公开\n3.危及\n\
                    | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n| 4 | 0 | 0 | 0 | 0 | 0 | 4 |\n4.保护第三方合法权益 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n";
        let r = read_2021(text, read).expect("a reading");
        let row =
            |id: &str| a.row_index(id).and_then(|i| r.grid.get(i)).and_then(|c| c.first().copied().flatten());
        assert_eq!(row("granted"), Some(9));
        assert_eq!(row("partially_granted"), Some(2));
        assert_eq!(row("denied_prohibited_by_law"), Some(1));
        assert_eq!(row("denied_endangers_safety"), Some(4));
        assert_eq!(row("denied_third_party_rights"), Some(0));
        assert_eq!(row("new_received"), None);
    }
}
