//! Table 四 placed by where its cells stand. Offices print its fifteen column names
//! vertically, a character a line (结/果/维/持), so in text that keeps each glyph's column
//! (`pdftotext -layout`) the characters of those names stack at their columns' positions;
//! a blank cell leaves no number, and each number's position says which cell it is.
//! Taken only when the stacks give exactly the template's fifteen columns, every number
//! stands at one of them, and each block adds up with the blank cells as zeros.

use super::cells::{parse_piece, pieces_at, Tok};
use crate::normalise::{is_cjk, Line};
use crate::validate::arithmetic::Arithmetic;

/// Columns a number or a name's character may stand off its column.
const TOLERANCE: f64 = 1.5;
/// Single characters a header line holds at least to be a line of vertical names.
const MIN_STACKED: usize = 4;

/// The fifteen cells, when the section's raw lines place them (`raw`: the report's raw
/// lines, line n at n - 1).
pub fn read(
    lines: &[Line],
    range: std::ops::Range<usize>,
    raw: &[&str],
    a: &Arithmetic,
) -> Option<(Vec<i64>, u32)> {
    let slice = lines.get(range)?;
    let raw_of = |l: &Line| l.no.checked_sub(1).and_then(|k| raw.get(k as usize)).copied();
    // Column positions: single CJK characters standing alone, on lines that hold several.
    let mut xs: Vec<f64> = Vec::new();
    let mut values: Vec<(f64, Tok, u32)> = Vec::new();
    for l in slice {
        let Some(r) = raw_of(l) else { continue };
        let ps = pieces_at(r);
        let singles: Vec<f64> = ps
            .iter()
            .filter(|(_, p)| p.chars().count() == 1 && p.chars().all(is_cjk))
            .map(|(x, _)| *x as f64)
            .collect();
        if singles.len() >= MIN_STACKED && singles.len() == ps.len() {
            xs.extend(singles);
            continue;
        }
        let nums: Vec<(f64, Tok)> = ps
            .iter()
            .filter_map(|(x, p)| match parse_piece(p, l.no) {
                Some(t @ (Tok::Value { .. } | Tok::Zero { .. })) => {
                    Some((*x as f64 + p.chars().count().saturating_sub(1) as f64 / 2.0, t))
                }
                _ => None,
            })
            .collect();
        if !nums.is_empty() && nums.len() == ps.len() {
            values.extend(nums.into_iter().map(|(x, t)| (x, t, l.no)));
        }
    }
    xs.sort_by(f64::total_cmp);
    let mut columns: Vec<Vec<f64>> = Vec::new();
    for x in xs {
        match columns.last_mut() {
            Some(c) if c.last().is_some_and(|l| x - l <= 1.0) => c.push(x),
            _ => columns.push(vec![x]),
        }
    }
    let centres: Vec<f64> = columns.iter().map(|c| c.iter().sum::<f64>() / c.len() as f64).collect();
    let width = a.rows.len() * a.cols.len();
    if centres.len() != width || values.is_empty() {
        return None;
    }
    let mut cells = vec![0i64; width];
    let mut filled = vec![false; width];
    for (x, tok, _) in &values {
        let (k, d) =
            centres.iter().enumerate().map(|(k, c)| (k, (c - x).abs())).min_by(|p, q| p.1.total_cmp(&q.1))?;
        if d > TOLERANCE || filled.get(k).copied().unwrap_or(true) {
            return None;
        }
        *cells.get_mut(k)? = tok.count()?;
        *filled.get_mut(k)? = true;
    }
    let grid: Vec<Vec<Option<i64>>> =
        cells.chunks(a.cols.len()).map(|b| b.iter().copied().map(Some).collect()).collect();
    let holds = a.checks(&grid).iter().all(|c| c.holds());
    holds.then(|| (cells, values.first().map_or(0, |v| v.2)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::normalise;

    #[test]
    fn vertical_names_place_the_numbers() {
        // pdftotext -layout of a rendered report (004): blank cells are zeros
        let text = "四、政府信息公开行政复议、行政诉讼情况\n         行政复议                           行政诉讼\n                            未经复议直接起诉             复议后起诉\n结    结    其     尚\n                        结    结 其  尚         结   结  其  尚\n果    果    他     未   总\n                        果    果 他  未     总   果   果  他  未    总\n维    纠    结     审   计\n                        维    纠 结  审     计   维   纠  结  审    计\n持    正    果     结\n                        持    正 果  结         持   正  果  结\n 1   3          1   5   2               2              1    1\n";
        let lines = normalise(text);
        let raw: Vec<&str> = text.split('\n').collect();
        let (cells, line) = read(&lines, 0..lines.len(), &raw, Arithmetic::of_table4()).expect("placed");
        assert_eq!(cells, vec![1, 3, 0, 1, 5, 2, 0, 0, 0, 2, 0, 0, 0, 1, 1]);
        assert_eq!(line, 12);
    }
}
