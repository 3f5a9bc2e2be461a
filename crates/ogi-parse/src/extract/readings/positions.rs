//! Cells placed by where they stand. `pdftotext -layout` keeps each glyph's column, so a
//! row whose blank cells left no trace among its numbers still says, by each number's
//! column under the header's names (自然人 … 总计), which cell it is. Positions are the
//! raw text's: normalising squeezes the spaces between CJK characters. A text that keeps
//! no positions (its numbers do not stand under the names) is not read this way.

use super::{Reading, RowCells};
use crate::extract::cells::{parse_piece, pieces_at, Tok};
use crate::extract::grid::RowHit;
use crate::template::template;
use crate::validate::arithmetic::Arithmetic;

/// Columns a number may stand off its column's name (names and numbers are centred
/// in their cells, and rounding to a character grid moves either by one).
const TOLERANCE: f64 = 2.5;
/// Lines of a header block at most.
const HEADER_LINES: u32 = 12;
/// Share of the table's numbers that must stand under a name, or the text keeps no
/// positions.
const MIN_PLACED: f64 = 0.9;

fn col(s: &str, byte: usize) -> usize {
    s.get(..byte).map_or(0, |p| p.chars().count())
}

/// The numbers at the end of a raw line, after its words: (centre column, cell).
fn numbers(raw: &str, line: u32) -> Vec<(f64, Tok)> {
    let mut out = Vec::new();
    for (at, piece) in pieces_at(raw).into_iter().rev() {
        match parse_piece(piece, line) {
            Some(t @ (Tok::Value { .. } | Tok::Zero { .. })) => {
                let width = piece.chars().count().saturating_sub(1) as f64;
                out.push((at as f64 + width / 2.0, t));
            }
            _ => break,
        }
    }
    out.reverse();
    out
}

/// The centre column of each applicant column's name in the header (the lines before
/// the first row), from its first two characters; None unless all are found in order.
fn centres(header: &[&str]) -> Option<Vec<f64>> {
    let r = &template().requests;
    let mut out = Vec::new();
    for label in &r.column_labels {
        let probe: String = label.chars().take(2).collect();
        let at = header.iter().find_map(|l| {
            l.match_indices(probe.as_str())
                .find(|(i, _)| {
                    // not inside another header word (其他 of 法人或其他组织)
                    !r.header_words.iter().any(|w| {
                        w != label
                            && w.contains(probe.as_str())
                            && l.match_indices(w.as_str()).any(|(j, _)| j <= *i && *i < j + w.len())
                    })
                })
                .map(|(i, _)| col(l, i) as f64 + 0.5)
        })?;
        out.push(at);
    }
    out.windows(2).all(|w| matches!(w, [a, b] if a < b)).then_some(out)
}

/// `raw`: the report's raw lines (line n at n - 1); `from`: the section's first line;
/// `hits`: the line reading's rows, each with its row of the arithmetic; `lined`: that
/// reading, for the rows positions do not place.
pub fn read(
    a: &Arithmetic,
    raw: &[&str],
    from: u32,
    hits: &[(usize, &RowHit)],
    lined: &Reading,
) -> Option<Reading> {
    let raw_of = |no: u32| no.checked_sub(1).and_then(|k| raw.get(k as usize)).copied();
    let last = hits.last()?.1.line_no;
    // A table over a page break repeats its header, often at other columns: each row is
    // placed by the header block before it (from its first header word).
    let first_word = template().requests.header_words.first()?;
    let starts: Vec<u32> =
        (from..last).filter(|no| raw_of(*no).is_some_and(|l| l.contains(first_word.as_str()))).collect();
    let blocks: Vec<(u32, Vec<f64>)> = starts
        .iter()
        .filter_map(|s| {
            let end = hits.iter().map(|h| h.1.line_no).find(|n| n > s).unwrap_or(last);
            let header: Vec<&str> = (*s..end.min(s + HEADER_LINES)).filter_map(raw_of).collect();
            Some((*s, centres(&header)?))
        })
        .collect();
    if blocks.is_empty() {
        return None;
    }
    let place = |no: u32, x: f64| -> Option<usize> {
        let (_, centres) = blocks.iter().rev().find(|(s, _)| *s < no)?;
        let (k, d) =
            centres.iter().enumerate().map(|(k, c)| (k, (c - x).abs())).min_by(|p, q| p.1.total_cmp(&q.1))?;
        (d <= TOLERANCE).then_some(k)
    };
    let mut rows: Vec<Option<(RowCells, u32)>> = vec![None; a.rows.len()];
    let (mut seen, mut placed) = (0usize, 0usize);
    for (row, hit) in hits {
        let mut lines: Vec<u32> =
            hit.tokens.iter().filter(|t| !matches!(t, Tok::Empty { .. })).map(Tok::line).collect();
        lines.dedup();
        // A blank cell of -layout text is an empty cell: zero.
        let mut cells: Vec<Option<i64>> = vec![Some(0); a.cols.len()];
        let mut filled = vec![false; a.cols.len()];
        let written = hit.tokens.iter().filter(|t| !matches!(t, Tok::Empty { .. })).count();
        let found: Vec<(u32, f64, Tok)> = lines
            .iter()
            .flat_map(|no| numbers(raw_of(*no).unwrap_or(""), *no).into_iter().map(move |(x, t)| (*no, x, t)))
            .collect();
        // The raw line must show the numbers the line reading found, no more, no fewer
        // (none: a row of blank cells, zeros).
        let mut ok = found.len() == written;
        {
            for (no, x, tok) in found {
                seen += 1;
                let Some(k) = place(no, x) else {
                    ok = false;
                    continue;
                };
                placed += 1;
                match (cells.get_mut(k), filled.get_mut(k)) {
                    (Some(c), Some(f)) if !*f => {
                        *c = tok.count();
                        *f = true;
                    }
                    _ => ok = false,
                }
            }
        }
        if ok
            && cells.iter().all(Option::is_some)
            && a.row_holds(&cells.iter().flatten().copied().collect::<Vec<_>>())
        {
            if let Some(slot) = rows.get_mut(*row) {
                *slot = Some((RowCells::Known(cells), hit.line_no));
            }
        }
    }
    if seen == 0 || (placed as f64) < MIN_PLACED * seen as f64 {
        return None;
    }
    // A row whose numbers do not all stand under a name keeps what the lines read of it
    // (its 总计, say), so the table's column identities can still be evaluated.
    for (k, slot) in rows.iter_mut().enumerate() {
        if slot.is_none() {
            let line = lined.lines.get(k).copied().flatten();
            *slot = lined.grid.get(k).cloned().zip(line).map(|(g, l)| (RowCells::Known(g), l));
        }
    }
    Some(Reading::from_rows("positions", a, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_at_the_end_of_a_line_with_their_columns() {
        let got: Vec<(f64, Option<i64>)> = numbers("       3.危及“三安全一稳定”   3    12", 1)
            .into_iter()
            .map(|(x, t)| (x, t.count()))
            .collect();
        assert_eq!(got, vec![(22.0, Some(3)), (27.5, Some(12))]);
        assert!(numbers("（二）部分公开（区分处理的，", 1).is_empty());
    }

    #[test]
    fn header_names_give_the_columns_and_a_blank_cell_keeps_its_place() {
        // pdftotext -layout of a rendered report (004): 法律服务机构 is blank in every row
        let header = [
            "                                    申请人情况",
            "                                  法人或其他组织",
            "（本列数据的勾稽关系为：第一项加第",
            "                       自然             社会 法律",
            "二项之和，等于第三项加第四项之和）           商业   科研                   总计",
            "                        人             公益 服务      其他",
        ];
        let c = centres(&header).expect("all seven names");
        assert_eq!(c.len(), 7);
        let row = "一、本年新收政府信息公开申请数量        7    1    2    1         1    12";
        let cols: Vec<usize> = numbers(row, 1)
            .into_iter()
            .filter_map(|(x, _)| {
                c.iter().enumerate().min_by(|p, q| (p.1 - x).abs().total_cmp(&(q.1 - x).abs())).map(|p| p.0)
            })
            .collect();
        assert_eq!(cols, vec![0, 1, 2, 3, 5, 6], "{c:?}");
    }

    #[test]
    fn flat_text_has_no_header_columns() {
        assert_eq!(
            centres(&[
                "申请人情况",
                "自然人",
                "法人或其他组织",
                "商业企业 科研机构 社会公益组织 法律服务机构 其他 总计"
            ]),
            None
        );
    }
}
