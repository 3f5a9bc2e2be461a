//! The choice between readings: the ones the arithmetic supports best survive and are
//! merged cell by cell; a reading that breaks a few checks is the report as printed.

use super::{name_of, Reading, MAX_PRINT_ERRORS};
use crate::model::Diagnostic;
use crate::template::Per;
use crate::validate::arithmetic::{Arithmetic, Score};

/// The chosen table: the readings the arithmetic supports best, merged cell by cell.
/// Rows the plain reading of lines reads at least to count without a column identity.
const MIN_PLAIN_ROWS: usize = 3;

pub fn choose(a: &Arithmetic, readings: Vec<Reading>) -> Reading {
    // Row sums hold whichever label a row of numbers is paired with; only an identity
    // down a column (the 勾稽关系, the outcome sum) confirms the pairing. So a reading
    // is evidence only when one such identity holds in it, or it is the plain reading
    // of lines and left no number of the table unread — and read a few rows: labels
    // first and numbers after give every number to the last label (pdfminer).
    let confirmed = |r: &Reading| a.checks(&r.grid).iter().any(|c| c.per == Per::Column && c.holds());
    let rows_read = |r: &Reading| r.grid.iter().filter(|row| row.iter().any(Option::is_some)).count();
    let plain = |r: &Reading| r.name == "lines" && r.orphans == 0 && rows_read(r) >= MIN_PLAIN_ROWS;
    let (eligible, rejected): (Vec<Reading>, Vec<Reading>) =
        readings.into_iter().partition(|r| plain(r) || confirmed(r));
    if eligible.is_empty() {
        let mut out = Reading::empty("none", a);
        if let Some(r) = rejected.iter().max_by_key(|r| r.cells()) {
            out.diagnostics.push(Diagnostic::warn(
                "table_inconsistent",
                r.lines.iter().flatten().next().copied(),
                format!(
                    "table 三: no reading's rows are confirmed by the identities down its columns (the plain reading left {} number(s) unread); its cells are left null",
                    r.orphans
                ),
            ));
        }
        return out;
    }
    let scored: Vec<(Score, Reading)> = eligible.into_iter().map(|r| (a.score(&r.grid), r)).collect();
    let merit = |s: &Score| s.holds as i64 - 2 * s.fails as i64;
    // The best by merit; the earliest reading (the plainest layout) wins ties.
    let Some(best) = scored.iter().enumerate().max_by(|(i, (s, r)), (j, (t, q))| {
        (merit(s), r.cells(), std::cmp::Reverse(*i)).cmp(&(merit(t), q.cells(), std::cmp::Reverse(*j)))
    }) else {
        return Reading::empty("none", a);
    };
    let (best_i, (best_score, best_reading)) = best;
    let best_score = *best_score;
    // A misprint or two breaks a few checks and leaves the rest holding; a misread
    // layout breaks many. A reading that keeps nearly all its checks, and every row's
    // own sum (a row of numbers paired with its label adds up, misprint or not), is the
    // report as printed, whatever layout it read.
    // The plain reading of lines may break a row's sum too (its rows are as printed).
    let rows_hold = a.checks(&best_reading.grid).iter().all(|c| c.holds() || c.per == Per::Column);
    // (cells placed by position are new evidence: they must fit every check)
    let misprinted = (rows_hold || best_reading.name == "lines")
        && best_reading.name != "positions"
        && best_score.fails <= MAX_PRINT_ERRORS
        && best_score.holds >= 4 * best_score.fails;
    if best_score.fails > 0 && !misprinted {
        // No reading fits: a hypothesis the arithmetic rejects is no evidence.
        let mut out = Reading::empty("none", a);
        out.diagnostics.push(Diagnostic::warn(
            "table_inconsistent",
            best_reading.lines.iter().flatten().next().copied(),
            format!(
                "no reading of table 三 fits its arithmetic (the best, {}, breaks {} of {} checks); its cells are left null",
                best_reading.name,
                best_score.fails,
                best_score.fails + best_score.holds
            ),
        ));
        return out;
    }
    let survivors: Vec<&Reading> = scored
        .iter()
        .enumerate()
        .filter(|(i, (s, _))| {
            *i == best_i
                || (best_score.fails == 0 && s.fails == 0 && s.holds == best_score.holds && s.holds > 0)
        })
        .map(|(_, (_, r))| r)
        .collect();
    let Some(first) = survivors.first() else { return Reading::empty("none", a) };
    let mut out = (*first).clone();
    if best_score.fails > 0 {
        out.diagnostics.push(broken_checks(a, &out));
    }
    if survivors.len() == 1 {
        return out;
    }
    let names: Vec<&str> = survivors.iter().map(|r| r.name).collect();
    out.name = "merged";
    for (row, cells) in out.grid.iter_mut().enumerate() {
        for (col, cell) in cells.iter_mut().enumerate() {
            let stated: Vec<(i64, &str)> = survivors
                .iter()
                .filter_map(|r| Some((r.grid.get(row)?.get(col).copied().flatten()?, r.name)))
                .collect();
            let agree = stated.windows(2).all(|w| w.first().map(|x| x.0) == w.get(1).map(|x| x.0));
            *cell = if agree { stated.first().map(|x| x.0) } else { None };
            if !agree {
                let line = survivors.iter().find_map(|r| r.lines.get(row).copied().flatten());
                let said: Vec<String> = stated.iter().map(|(v, n)| format!("{n} {v}")).collect();
                out.diagnostics.push(Diagnostic::warn(
                    "readings_disagree",
                    line,
                    format!(
                        "table 三 row {} column {}: the readings the arithmetic supports disagree ({}); left null",
                        name_of(a, row),
                        a.cols.get(col).copied().unwrap_or("?"),
                        said.join(", ")
                    ),
                ));
            }
        }
        if let Some(l) = out.lines.get_mut(row) {
            if l.is_none() {
                *l = survivors.iter().find_map(|r| r.lines.get(row).copied().flatten());
            }
        }
    }
    out.diagnostics.push(Diagnostic::info(
        "readings_merged",
        None,
        format!("table 三 read as {} alike; their cells merged", names.join(" and ")),
    ));
    out
}

/// One diagnostic naming every check the chosen reading breaks: the report's own
/// arithmetic, kept as printed (validate flags each one too).
fn broken_checks(a: &Arithmetic, r: &Reading) -> Diagnostic {
    let checks = a.checks(&r.grid);
    let broken: Vec<String> = checks
        .iter()
        .filter(|c| !c.holds())
        .map(|c| {
            let at = match c.per {
                Per::Row => a.rows.get(c.at).copied().unwrap_or("?"),
                Per::Column => a.cols.get(c.at).copied().unwrap_or("?"),
            };
            format!("{} at {at} ({} vs {})", c.id, c.lhs, c.rhs)
        })
        .collect();
    Diagnostic::warn(
        "table_breaks_own_checks",
        r.lines.iter().flatten().next().copied(),
        format!(
            "table 三 breaks {} of its {} checks as printed: {}; cells that depend on them are left null, the rest kept",
            broken.len(),
            checks.len(),
            broken.join(", ")
        ),
    )
}
