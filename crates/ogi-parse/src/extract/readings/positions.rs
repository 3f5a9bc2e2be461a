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
pub(crate) fn numbers(raw: &str, line: u32) -> Vec<(f64, Tok)> {
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

/// Candidate placements of the rows on pages without a header block, at most: each is
/// a reading the arithmetic scores.
const MAX_CANDIDATES: usize = 35;
/// Columns between the centres of two numbers that stand in different cells, at least
/// (a one-digit and a two-digit number in one cell stand half a column apart).
const CLUSTER_GAP: f64 = 2.0;

/// How a row's numbers are placed: under the names of the header block on its page,
/// or (a page the table ran onto without repeating its header) by their order.
#[derive(Clone, Copy, PartialEq)]
enum Frame {
    Header(usize),
    Page(usize),
}

struct Row<'h> {
    row: usize,
    hit: &'h RowHit,
    frame: Frame,
    found: Vec<(f64, Tok)>,
    written: usize,
}

/// `raw`: the report's raw lines (line n at n - 1); `from`: the section's first line;
/// `hits`: the line reading's rows, each with its row of the arithmetic; `lined`: that
/// reading, for the rows positions do not place.
///
/// `pdftotext -layout` lays out each page on its own character grid: the columns of a
/// page the table runs onto stand elsewhere than under the header's names, and not by
/// one shift. There the numbers' distinct columns are taken in order, and every way of
/// giving them to the table's columns in order is a reading: the arithmetic keeps the
/// ones that fit, and cells they disagree on stay null.
pub fn read(
    a: &Arithmetic,
    raw: &[&str],
    from: u32,
    hits: &[(usize, &RowHit)],
    lined: &Reading,
) -> Vec<Reading> {
    let raw_of = |no: u32| no.checked_sub(1).and_then(|k| raw.get(k as usize)).copied();
    let Some(last) = hits.last().map(|h| h.1.line_no) else { return Vec::new() };
    // page of line n: form feeds before it, its own included (a page's first line
    // starts with one)
    let page_of = {
        let mut pages = Vec::with_capacity(last as usize);
        let mut p = 0usize;
        for l in raw.iter().take(last as usize) {
            p += l.matches('\u{c}').count();
            pages.push(p);
        }
        move |no: u32| no.checked_sub(1).and_then(|k| pages.get(k as usize)).copied().unwrap_or(0)
    };
    // A table over a page break may repeat its header, often at other columns: each row
    // is placed by the header block before it on its page (from its first header word).
    let Some(first_word) = template().requests.header_words.first() else { return Vec::new() };
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
        return Vec::new();
    }
    let rows: Vec<Row> = hits
        .iter()
        .map(|(row, hit)| {
            let mut lines: Vec<u32> =
                hit.tokens.iter().filter(|t| !matches!(t, Tok::Empty { .. })).map(Tok::line).collect();
            lines.dedup();
            let page = page_of(hit.line_no);
            let frame = blocks
                .iter()
                .rposition(|(s, _)| *s < hit.line_no && page_of(*s) == page)
                .map_or(Frame::Page(page), Frame::Header);
            let found = lines
                .iter()
                .filter(|no| page_of(**no) == page)
                .flat_map(|no| numbers(raw_of(*no).unwrap_or(""), *no))
                .collect();
            let written = hit.tokens.iter().filter(|t| !matches!(t, Tok::Empty { .. })).count();
            Row { row: *row, hit, frame, found, written }
        })
        .collect();
    // The header's names place most numbers, or the text keeps no positions.
    let (mut seen, mut placed) = (0usize, 0usize);
    for r in rows.iter() {
        if let Frame::Header(b) = r.frame {
            for (x, _) in &r.found {
                seen += 1;
                placed += usize::from(blocks.get(b).and_then(|(_, c)| nearest(c, *x)).is_some());
            }
        }
    }
    if seen == 0 || (placed as f64) < MIN_PLACED * seen as f64 {
        return Vec::new();
    }
    // The pages without a header: their numbers' columns, and the ways to give them to
    // the table's columns in order.
    let mut pages: Vec<usize> = rows
        .iter()
        .filter_map(|r| match r.frame {
            Frame::Page(p) if !r.found.is_empty() => Some(p),
            _ => None,
        })
        .collect();
    pages.dedup();
    let clusters: Vec<(usize, Vec<f64>)> = pages
        .iter()
        .map(|p| {
            let xs =
                rows.iter().filter(|r| r.frame == Frame::Page(*p)).flat_map(|r| r.found.iter().map(|f| f.0));
            (*p, cluster(xs))
        })
        .collect();
    let options: Vec<Vec<Vec<usize>>> =
        clusters.iter().map(|(_, c)| in_order(c.len(), a.cols.len())).collect();
    let total: usize = options.iter().map(Vec::len).product();
    let combos: Vec<Vec<usize>> = if total == 0 || total > MAX_CANDIDATES {
        // too many ways (or none): those pages' rows stay as the lines read them
        vec![Vec::new()]
    } else {
        let mut out: Vec<Vec<usize>> = vec![Vec::new()];
        for o in &options {
            out = out
                .iter()
                .flat_map(|pick| (0..o.len()).map(move |k| [pick.as_slice(), &[k]].concat()))
                .collect();
        }
        out
    };
    combos
        .iter()
        .map(|pick| {
            let place = |frame: Frame, x: f64| -> Option<usize> {
                match frame {
                    Frame::Header(b) => nearest(&blocks.get(b)?.1, x),
                    Frame::Page(p) => {
                        let i = clusters.iter().position(|(q, _)| *q == p)?;
                        let (_, centres) = clusters.get(i)?;
                        let k = centres
                            .iter()
                            .enumerate()
                            .min_by(|p, q| (p.1 - x).abs().total_cmp(&(q.1 - x).abs()))
                            .map(|(k, _)| k)?;
                        options.get(i)?.get(*pick.get(i)?)?.get(k).copied()
                    }
                }
            };
            reading(a, &rows, &place, lined)
        })
        .collect()
}

/// The rows placed one way; rows not placed keep what the lines read of them (their
/// 总计, say), so the table's column identities can still be evaluated.
fn reading(
    a: &Arithmetic,
    rows: &[Row],
    place: &dyn Fn(Frame, f64) -> Option<usize>,
    lined: &Reading,
) -> Reading {
    let mut grid: Vec<Option<(RowCells, u32)>> = vec![None; a.rows.len()];
    for r in rows {
        // A blank cell of -layout text is an empty cell: zero.
        let mut cells: Vec<Option<i64>> = vec![Some(0); a.cols.len()];
        let mut filled = vec![false; a.cols.len()];
        // The raw line must show the numbers the line reading found, no more, no fewer
        // (none: a row of blank cells, zeros).
        let mut ok = r.found.len() == r.written;
        for (x, tok) in &r.found {
            match place(r.frame, *x).map(|k| (cells.get_mut(k), filled.get_mut(k))) {
                Some((Some(c), Some(f))) if !*f => {
                    *c = tok.count();
                    *f = true;
                }
                _ => ok = false,
            }
        }
        if ok
            && cells.iter().all(Option::is_some)
            && a.row_holds(&cells.iter().flatten().copied().collect::<Vec<_>>())
        {
            if let Some(slot) = grid.get_mut(r.row) {
                *slot = Some((RowCells::Known(cells), r.hit.line_no));
            }
        }
    }
    for (k, slot) in grid.iter_mut().enumerate() {
        if slot.is_none() {
            let line = lined.lines.get(k).copied().flatten();
            *slot = lined.grid.get(k).cloned().zip(line).map(|(g, l)| (RowCells::Known(g), l));
        }
    }
    Reading::from_rows("positions", a, grid)
}

/// The column whose name stands nearest, within the tolerance.
fn nearest(centres: &[f64], x: f64) -> Option<usize> {
    let (k, d) =
        centres.iter().enumerate().map(|(k, c)| (k, (c - x).abs())).min_by(|p, q| p.1.total_cmp(&q.1))?;
    (d <= TOLERANCE).then_some(k)
}

/// The distinct columns numbers stand at: their centres, left to right.
fn cluster(xs: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut xs: Vec<f64> = xs.collect();
    xs.sort_by(f64::total_cmp);
    let mut groups: Vec<Vec<f64>> = Vec::new();
    for x in xs {
        match groups.last_mut() {
            Some(g) if g.last().is_some_and(|l| x - l < CLUSTER_GAP) => g.push(x),
            _ => groups.push(vec![x]),
        }
    }
    groups.iter().map(|g| g.iter().sum::<f64>() / g.len() as f64).collect()
}

/// Every way to give m columns of numbers, in order, to n columns of the table.
fn in_order(m: usize, n: usize) -> Vec<Vec<usize>> {
    if m > n {
        return Vec::new();
    }
    if m == 0 {
        return vec![Vec::new()];
    }
    let mut out = Vec::new();
    for first in 0..=n - m {
        for rest in in_order(m - 1, n - first - 1) {
            out.push(std::iter::once(first).chain(rest.into_iter().map(|k| k + first + 1)).collect());
        }
    }
    out
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
    fn columns_of_a_page_without_a_header_and_the_ways_to_place_them() {
        // (七)总计 on the page after table 三's header (011 as pdftotext -layout gives
        // it): 10 and 16 stand half a column apart from 1 and 2 of the same columns
        let xs = [30.5, 36.0, 40.0, 49.0, 53.0, 58.5, 30.0, 58.0];
        assert_eq!(cluster(xs.into_iter()), vec![30.25, 36.0, 40.0, 49.0, 53.0, 58.25]);
        // six columns of numbers into seven columns: which one is blank
        let ways = in_order(6, 7);
        assert_eq!(ways.len(), 7);
        assert!(ways.iter().all(|w| w.windows(2).all(|p| matches!(p, [a, b] if a < b))));
        assert_eq!(ways.first(), Some(&vec![0, 1, 2, 3, 4, 5]));
        assert_eq!(in_order(2, 3), vec![vec![0, 1], vec![0, 2], vec![1, 2]]);
        assert!(in_order(8, 7).is_empty());
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
