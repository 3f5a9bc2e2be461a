//! A row's tokens → its cells, for a row of `n` columns whose last column may be the
//! row's total. Decides what each written thing means: empty template cells are 0,
//! a lone number is the row total, a digit run longer than the row is glued cells
//! (every split that the row sum allows is kept as a candidate for the table-level
//! arithmetic to choose from), and anything else undetermined stays null.

use super::cells::{glued_splits, Tok, MAX_GLUED_DIGITS};
use crate::validate::arithmetic::Arithmetic;

#[derive(Debug, Clone, PartialEq)]
pub enum Settled {
    /// One value per column (None = not determined).
    Cells(Vec<Option<f64>>),
    /// Glued digits: each candidate is a full row satisfying the row sum.
    Glued(Vec<Vec<i64>>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct RowRead {
    pub settled: Settled,
    /// Why the row is not fully determined, for a diagnostic.
    pub problem: Option<String>,
}

fn value_of(t: &Tok) -> Option<f64> {
    match t {
        Tok::Value { value, .. } => Some(*value),
        Tok::Zero { .. } | Tok::Empty { .. } => Some(0.0),
    }
}

/// `rows`: the table's identities, whose per-row ones (the applicant columns add up to
/// the last, 总计) decide between ways of reading a row; None for a table without them
/// (table 二). `glued_runs`: the layout lost its cell separators (a page exported as one
/// line), so several digit runs that hold fewer pieces than columns are cells glued
/// together, split every way the row's identities allow.
pub fn settle(tokens: &[Tok], n: usize, rows: Option<&Arithmetic>, glued_runs: bool) -> RowRead {
    // The row's total is its last column when the identities say so.
    let rows = rows.filter(|a| a.total_col() == Some(n.saturating_sub(1)));
    let has_total = rows.is_some();
    let holds = |c: &[i64]| rows.is_none_or(|a| a.row_holds(c));
    let holds_f = |c: &[f64]| {
        let ints: Option<Vec<i64>> = c.iter().map(|v| (v.fract() == 0.0).then_some(*v as i64)).collect();
        ints.is_some_and(|i| holds(&i))
    };
    let mut toks: Vec<&Tok> = tokens.iter().collect();
    // Trailing empties past the row's width are blank lines after the table.
    while toks.len() > n && matches!(toks.last(), Some(Tok::Empty { .. })) {
        toks.pop();
    }
    let all_empty = toks.iter().all(|t| matches!(t, Tok::Empty { .. }));
    if toks.is_empty() {
        return RowRead { settled: Settled::Cells(vec![None; n]), problem: Some("no cells found".into()) };
    }
    if all_empty && toks.len() == n {
        return RowRead { settled: Settled::Cells(vec![Some(0.0); n]), problem: None };
    }
    let written: Vec<&Tok> = toks.iter().copied().filter(|t| !matches!(t, Tok::Empty { .. })).collect();
    if toks.len() == n {
        let mut cells: Vec<Option<f64>> = toks.iter().map(|t| value_of(t)).collect();
        if has_total {
            blank_total_rule(&toks, &mut cells);
        }
        return RowRead { settled: Settled::Cells(cells), problem: None };
    }
    if written.len() == 1 && n > 1 {
        if let Some(Tok::Value { digits: Some(d), .. }) = written.first() {
            if d.len() >= n && d.len() <= MAX_GLUED_DIGITS {
                return glued(d, n, has_total, &holds);
            }
        }
        if has_total {
            // A row giving only its 总计: the applicant columns are not stated.
            let mut cells = vec![None; n];
            if let Some(last) = cells.last_mut() {
                *last = written.first().and_then(|t| value_of(t));
            }
            return RowRead { settled: Settled::Cells(cells), problem: None };
        }
    }
    if written.len() == n {
        let cells = written.iter().map(|t| value_of(t)).collect();
        return RowRead { settled: Settled::Cells(cells), problem: None };
    }
    if written.len() > n {
        return too_many(&written, n, has_total, &holds_f);
    }
    if glued_runs && !has_total && written.len() > 1 {
        // Without a total, only the digits decide: a split is kept when it is the only one.
        if let Some(runs) = digit_runs(&written) {
            if let [only] = glued_run_splits(&runs, n).as_slice() {
                return RowRead {
                    settled: Settled::Cells(only.iter().map(|v| Some(*v as f64)).collect()),
                    problem: None,
                };
            }
        }
    }
    if glued_runs && has_total && written.len() > 1 {
        if let Some(runs) = digit_runs(&written) {
            let digits: usize = runs.iter().map(|r| r.len()).sum();
            if digits >= n && digits <= MAX_GLUED_DIGITS {
                let cands: Vec<Vec<i64>> =
                    glued_run_splits(&runs, n).into_iter().filter(|c| holds(c)).collect();
                if !cands.is_empty() {
                    return RowRead { settled: Settled::Glued(cands), problem: None };
                }
            }
        }
    }
    // Fewer cells than columns and no positions: only the total (last) is certain,
    // and only if the others add up to it.
    let mut cells = vec![None; n];
    if has_total {
        // The written cells, with the missing ones as zeros before the total, add up.
        let vals: Vec<f64> = written.iter().filter_map(|t| value_of(t)).collect();
        if let Some((last, rest)) = vals.split_last() {
            let mut padded = rest.to_vec();
            padded.resize(n.saturating_sub(1), 0.0);
            padded.push(*last);
            if rest.len() < n && holds_f(&padded) {
                if let Some(c) = cells.last_mut() {
                    *c = Some(*last);
                }
            }
        }
    }
    RowRead {
        settled: Settled::Cells(cells),
        problem: Some(format!("{} cells for {} columns; their columns are not evident", written.len(), n)),
    }
}

/// Contract: a blank 总计 in a row whose other cells are not all zero was left
/// uncomputed by the report, so it is unknown rather than 0.
fn blank_total_rule(toks: &[&Tok], cells: &mut [Option<f64>]) {
    let Some((last_tok, rest)) = toks.split_last() else { return };
    let others_nonzero = rest.iter().any(|t| matches!(t, Tok::Value { value, .. } if *value != 0.0));
    if matches!(last_tok, Tok::Empty { .. }) && others_nonzero {
        if let Some(c) = cells.last_mut() {
            *c = None;
        }
    }
}

/// The written cells as runs of digits (a zero mark is "0"); None if one is not.
fn digit_runs<'a>(written: &[&'a Tok]) -> Option<Vec<&'a str>> {
    written
        .iter()
        .map(|t| match t {
            Tok::Value { digits: Some(d), .. } => Some(d.as_str()),
            Tok::Zero { .. } => Some("0"),
            _ => None,
        })
        .collect()
}

/// Every way to cut each run into at least one number, `n` numbers in all.
pub(crate) fn glued_run_splits(runs: &[&str], n: usize) -> Vec<Vec<i64>> {
    fn rec(runs: &[&str], n: usize, cur: &mut Vec<i64>, out: &mut Vec<Vec<i64>>) {
        let Some((first, rest)) = runs.split_first() else {
            if n == 0 {
                out.push(cur.clone());
            }
            return;
        };
        let min_rest = rest.len();
        for k in 1..=first.len().min(n.saturating_sub(min_rest)) {
            for split in glued_splits(first, k) {
                if out.len() > 100_000 {
                    return;
                }
                let len = cur.len();
                cur.extend(split);
                rec(rest, n - k, cur, out);
                cur.truncate(len);
            }
        }
    }
    let mut out = Vec::new();
    rec(runs, n, &mut Vec::with_capacity(n), &mut out);
    out
}

fn glued(digits: &str, n: usize, has_total: bool, holds: &dyn Fn(&[i64]) -> bool) -> RowRead {
    if !has_total {
        // Without a total nothing checks a split: the run is its digits only when no
        // other reading exists ("000", "003": every digit but the last a 0, which no
        // number starts with). "14" may be one number with a blank cell beside it.
        let forced = digits.bytes().rev().skip(1).all(|b| b == b'0');
        if digits.len() == n && forced {
            let cells = digits.chars().map(|c| c.to_digit(10).map(f64::from)).collect();
            return RowRead { settled: Settled::Cells(cells), problem: None };
        }
        return RowRead {
            settled: Settled::Cells(vec![None; n]),
            problem: Some(format!("glued digits {digits} cannot be split without arithmetic")),
        };
    }
    let cands: Vec<Vec<i64>> = glued_splits(digits, n).into_iter().filter(|c| holds(c)).collect();
    if cands.is_empty() {
        return RowRead {
            settled: Settled::Cells(vec![None; n]),
            problem: Some(format!("glued digits {digits}: no split adds up to its total")),
        };
    }
    RowRead { settled: Settled::Glued(cands), problem: None }
}

/// More cells than columns: take the one window of `n` that adds up, if exactly one does.
fn too_many(written: &[&Tok], n: usize, has_total: bool, holds: &dyn Fn(&[f64]) -> bool) -> RowRead {
    let vals: Vec<f64> = written.iter().filter_map(|t| value_of(t)).collect();
    let windows: Vec<Vec<f64>> = vals.windows(n).map(<[f64]>::to_vec).collect();
    let fitting: Vec<&Vec<f64>> = windows.iter().filter(|w| !has_total || holds(w)).collect();
    // A few stray numbers beside a row (a footnote mark, a page number) leave one run
    // that adds up; another row's worth of numbers means the numbers are not this row's
    // (labels first, numbers after), and a run that adds up among them is chance.
    if has_total && fitting.len() == 1 && vals.len() < 2 * n {
        if let Some(w) = fitting.first() {
            return RowRead {
                settled: Settled::Cells(w.iter().map(|v| Some(*v)).collect()),
                problem: Some(format!("{} cells for {} columns; kept the run that adds up", vals.len(), n)),
            };
        }
    }
    RowRead {
        settled: Settled::Cells(vec![None; n]),
        problem: Some(format!("{} cells for {} columns", vals.len(), n)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t3() -> Arithmetic {
        Arithmetic::table3(crate::template::TemplateEra::Y2021)
    }

    fn v(x: f64) -> Tok {
        Tok::Value { value: x, unit: super::super::cells::Unit::None, digits: Some(format!("{x}")), line: 1 }
    }
    const E: Tok = Tok::Empty { line: 1 };

    #[test]
    fn empty_cells_are_zero_and_blank_total_is_null() {
        let r = settle(&[v(3.0), E, E, E, E, E, v(3.0)], 7, Some(&t3()), false);
        assert_eq!(
            r.settled,
            Settled::Cells(vec![Some(3.0), Some(0.0), Some(0.0), Some(0.0), Some(0.0), Some(0.0), Some(3.0)])
        );
        let r = settle(&[v(3.0), E, E, E, E, E, E], 7, Some(&t3()), false);
        assert_eq!(
            r.settled,
            Settled::Cells(vec![Some(3.0), Some(0.0), Some(0.0), Some(0.0), Some(0.0), Some(0.0), None])
        );
    }

    #[test]
    fn lone_number_is_the_total() {
        let r = settle(&[v(9.0)], 7, Some(&t3()), false);
        assert_eq!(r.settled, Settled::Cells(vec![None, None, None, None, None, None, Some(9.0)]));
    }

    #[test]
    fn glued_keeps_candidates_that_add_up() {
        let t = Tok::Value {
            value: 452000047.0,
            unit: super::super::cells::Unit::None,
            digits: Some("452000047".into()),
            line: 1,
        };
        match settle(&[t], 7, Some(&t3()), false).settled {
            Settled::Glued(c) => assert_eq!(c, vec![vec![45, 2, 0, 0, 0, 0, 47]]),
            other => panic!("{other:?}"),
        }
    }

    fn run(d: &str) -> Tok {
        Tok::Value {
            value: d.parse().unwrap_or(0.0),
            unit: super::super::cells::Unit::None,
            digits: Some(d.into()),
            line: 1,
        }
    }

    #[test]
    fn glued_runs_split_within_each_run() {
        // "230 000023": 23,0 | 0,0,0,0,23 is the one split whose cells add up
        let toks = [run("230"), run("000023")];
        assert_eq!(
            settle(&toks, 7, Some(&t3()), true).settled,
            Settled::Glued(vec![vec![23, 0, 0, 0, 0, 0, 23]])
        );
        // without the flag the runs are two cells of seven
        assert!(matches!(settle(&toks, 7, Some(&t3()), false).settled, Settled::Cells(_)));
        // "23 0 00 0 023": a run never lends digits to its neighbour
        let toks = [run("23"), run("0"), run("00"), run("0"), run("023")];
        assert_eq!(
            settle(&toks, 7, Some(&t3()), true).settled,
            Settled::Glued(vec![vec![23, 0, 0, 0, 0, 0, 23]])
        );
    }

    #[test]
    fn dropped_empties_leave_columns_null() {
        let r = settle(&[v(2.0), v(1.0), v(3.0)], 7, Some(&t3()), false);
        assert_eq!(r.settled, Settled::Cells(vec![None, None, None, None, None, None, Some(3.0)]));
        assert!(r.problem.is_some());
    }
}
