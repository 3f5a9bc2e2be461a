//! Candidate readings of table 三 and the choice between them.
//!
//! Real layouts break every rule about lines: a page exported as one line, PDF text in
//! column order, row labels detached from their numbers. So the table is read several
//! ways, each a hypothesis about the layout, applied only where the layout shows its
//! evidence: row order on lines (`grid`), row order in the stream of text (`stream`),
//! number rows in template order with detached labels (`detached`), cells column by
//! column (`columns`). The template's identities (validate::arithmetic) score each
//! reading; the readings that the arithmetic supports best survive, and a cell is
//! written only where every survivor that states it agrees. Never a guess.

pub mod columns;
pub mod detached;
mod runs;
pub mod stream;

use super::cells::{as_count, Tok};
use super::grid::LabelSet;
use super::settle::{settle, Settled};
use crate::model::Diagnostic;
use crate::normalise::Line;
use crate::template::Per;
use crate::validate::arithmetic::{Arithmetic, Grid, Score};

/// Table 三's section as each reading sees it: the report's lines and the section's
/// range of them, the era's arithmetic, and the labels of its value rows.
pub struct Section<'a> {
    pub lines: &'a [Line],
    pub range: std::ops::Range<usize>,
    pub a: &'a Arithmetic,
    pub labels: &'a [LabelSet<'a>],
}

impl<'a> Section<'a> {
    /// The section's lines (none when the range is out of the text).
    pub fn slice(&self) -> &'a [Line] {
        self.lines.get(self.range.clone()).unwrap_or_default()
    }
}

/// A row as a reading found it: its cells, or the splits of glued digits that satisfy
/// the row's own sum, and the line it was read from.
#[derive(Debug, Clone)]
pub enum RowCells {
    Known(Vec<Option<i64>>),
    Glued(Vec<Vec<i64>>),
}

#[derive(Debug, Clone)]
pub struct Reading {
    pub name: &'static str,
    pub grid: Grid,
    pub lines: Vec<Option<u32>>,
    pub diagnostics: Vec<Diagnostic>,
    /// Glued rows whose splits the arithmetic could not narrow to one.
    pub ambiguous: usize,
    /// Numbers inside the table that the reading gave to no row: evidence that its
    /// rows may be paired with the wrong numbers.
    pub orphans: usize,
}

/// A table read on its lines that breaks at most this many identity checks is kept as
/// printed (reports do misprint a cell or two; `validate` flags them). More failures
/// mean the layout was misread, and the cells are left null.
const MAX_PRINT_ERRORS: usize = 3;

/// Most joint combinations of glued rows' splits tried before giving up on the joint
/// search (the row-by-row narrowing has already run by then).
const MAX_JOINT: usize = 20_000;

impl Reading {
    pub fn empty(name: &'static str, a: &Arithmetic) -> Reading {
        Reading {
            name,
            grid: vec![vec![None; a.cols.len()]; a.rows.len()],
            lines: vec![None; a.rows.len()],
            diagnostics: Vec::new(),
            ambiguous: 0,
            orphans: 0,
        }
    }

    pub fn cells(&self) -> usize {
        self.grid.iter().flatten().filter(|c| c.is_some()).count()
    }

    /// A reading whose every row is read, with nothing ambiguous and nothing that
    /// contradicts the arithmetic: no other reading can improve on it.
    pub fn is_settled(&self, a: &Arithmetic) -> bool {
        self.ambiguous == 0
            && self.grid.iter().all(|r| r.iter().take(r.len().saturating_sub(1)).all(Option::is_some))
            && a.fails(&self.grid) == 0
    }

    /// Builds the reading from its rows (indexed like `a.rows`), splitting glued rows
    /// by the identities: first row by row while that decides something, then jointly
    /// when few combinations remain. Cells the surviving splits disagree on stay null.
    pub fn from_rows(name: &'static str, a: &Arithmetic, rows: Vec<Option<(RowCells, u32)>>) -> Reading {
        let mut r = Reading::empty(name, a);
        let width = a.cols.len();
        let mut glued: Vec<(usize, Vec<Vec<i64>>)> = Vec::new();
        for (i, row) in rows.into_iter().enumerate() {
            let Some((cells, line)) = row else { continue };
            if let Some(l) = r.lines.get_mut(i) {
                *l = Some(line);
            }
            match cells {
                RowCells::Known(c) => {
                    if let Some(g) = r.grid.get_mut(i) {
                        *g = c;
                        g.resize(width, None);
                    }
                }
                RowCells::Glued(c) if c.len() == 1 => {
                    if let Some(g) = r.grid.get_mut(i) {
                        *g = c.into_iter().flatten().map(Some).collect();
                        g.resize(width, None);
                    }
                }
                RowCells::Glued(c) => glued.push((i, c)),
            }
        }
        r.settle_glued(a, glued);
        r
    }

    fn settle_glued(&mut self, a: &Arithmetic, mut glued: Vec<(usize, Vec<Vec<i64>>)>) {
        // Row by row: keep the splits that break no identity whose other terms are known.
        for _ in 0..8 {
            let mut changed = false;
            for (row, cands) in glued.iter_mut() {
                let before = cands.len();
                let grid = &mut self.grid;
                let saved = grid.get(*row).cloned().unwrap_or_default();
                if let Some(g) = grid.get_mut(*row) {
                    g.resize(a.cols.len(), None);
                }
                cands.retain(|cand| {
                    if let Some(g) = grid.get_mut(*row) {
                        for (cell, v) in g.iter_mut().zip(cand) {
                            *cell = Some(*v);
                        }
                    }
                    a.fails_touching(grid, *row) == 0
                });
                if let Some(g) = grid.get_mut(*row) {
                    *g = saved;
                }
                if cands.len() == 1 {
                    if let (Some(g), Some(only)) = (self.grid.get_mut(*row), cands.first()) {
                        *g = only.iter().copied().map(Some).collect();
                    }
                }
                changed |= cands.len() != before;
            }
            glued.retain(|(row, cands)| {
                if cands.is_empty() {
                    self.diagnostics.push(Diagnostic::warn(
                        "cells_undetermined",
                        self.lines.get(*row).copied().flatten(),
                        format!(
                            "table 三 row {}: no split of its glued digits fits the table's arithmetic",
                            name_of(a, *row)
                        ),
                    ));
                }
                cands.len() > 1
            });
            if !changed || glued.is_empty() {
                break;
            }
        }
        if glued.is_empty() {
            return;
        }
        // Jointly: every combination of the remaining splits that breaks nothing.
        let combos = glued.iter().try_fold(1usize, |acc, (_, c)| acc.checked_mul(c.len()));
        let solutions: Option<Vec<Vec<usize>>> = combos.filter(|n| *n <= MAX_JOINT).map(|n| {
            let mut sols = Vec::new();
            let mut scratch = self.grid.clone();
            for (row, _) in &glued {
                if let Some(g) = scratch.get_mut(*row) {
                    g.resize(a.cols.len(), None);
                }
            }
            for k in 0..n {
                let mut rest = k;
                let pick: Vec<usize> = glued
                    .iter()
                    .map(|(_, c)| {
                        let p = rest % c.len().max(1);
                        rest /= c.len().max(1);
                        p
                    })
                    .collect();
                // Written into the scratch grid in place: no allocation per combination.
                for ((row, c), p) in glued.iter().zip(&pick) {
                    if let (Some(g), Some(cand)) = (scratch.get_mut(*row), c.get(*p)) {
                        for (cell, v) in g.iter_mut().zip(cand) {
                            *cell = Some(*v);
                        }
                    }
                }
                if a.fails(&scratch) == 0 {
                    sols.push(pick);
                }
            }
            sols
        });
        for (k, (row, cands)) in glued.iter().enumerate() {
            let kept: Vec<&Vec<i64>> = match &solutions {
                Some(s) if !s.is_empty() => {
                    s.iter().filter_map(|p| p.get(k).and_then(|i| cands.get(*i))).collect()
                }
                _ => cands.iter().collect(),
            };
            let agreed: Vec<Option<i64>> = (0..a.cols.len())
                .map(|col| {
                    let first = kept.first().and_then(|v| v.get(col).copied());
                    first.filter(|f| kept.iter().all(|v| v.get(col) == Some(f)))
                })
                .collect();
            let distinct = {
                let mut d: Vec<&&Vec<i64>> = kept.iter().collect();
                d.sort();
                d.dedup();
                d.len()
            };
            if distinct > 1 {
                self.ambiguous += 1;
                self.diagnostics.push(Diagnostic::warn(
                    "glued_ambiguous",
                    self.lines.get(*row).copied().flatten(),
                    format!(
                        "table 三 row {}: glued cells split {distinct} ways that all add up; the cells they disagree on are left null",
                        name_of(a, *row)
                    ),
                ));
            }
            if let Some(g) = self.grid.get_mut(*row) {
                *g = agreed;
            }
        }
    }
}

fn name_of(a: &Arithmetic, row: usize) -> &'static str {
    a.rows.get(row).copied().unwrap_or("?")
}

/// A row's tokens → its cells, as `settle` reads them (glued runs kept as splits).
pub fn row_cells(tokens: &[Tok], a: &Arithmetic, glued_runs: bool) -> (RowCells, Option<String>) {
    let read = settle(tokens, a.cols.len(), Some(a), glued_runs);
    let cells = match read.settled {
        Settled::Cells(c) => RowCells::Known(c.into_iter().map(|v| v.and_then(as_count)).collect()),
        Settled::Glued(c) => RowCells::Glued(c),
    };
    (cells, read.problem)
}

/// The chosen table: the readings the arithmetic supports best, merged cell by cell.
pub fn choose(a: &Arithmetic, readings: Vec<Reading>) -> Reading {
    // Row sums hold whichever label a row of numbers is paired with; only an identity
    // down a column (the 勾稽关系, the outcome sum) confirms the pairing. So a reading
    // is evidence only when one such identity holds in it, or it is the plain reading
    // of lines and left no number of the table unread.
    let confirmed = |r: &Reading| a.checks(&r.grid).iter().any(|c| c.per == Per::Column && c.holds());
    let (eligible, rejected): (Vec<Reading>, Vec<Reading>) =
        readings.into_iter().partition(|r| (r.name == "lines" && r.orphans == 0) || confirmed(r));
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
    if best_score.fails > 0 && !(best_reading.name == "lines" && best_score.fails <= MAX_PRINT_ERRORS) {
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

/// What the readings' unit tests share: the 2021 template's value rows and a reading
/// of a whole text as table 三.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use crate::template::{template, RowKind, RowSpec};

    /// The value rows of the era's table 三 and their labels, as `requests` hands them over.
    pub fn value_rows(era: &str) -> Vec<&'static RowSpec> {
        template().requests.row.iter().filter(|r| r.in_era(era) && r.kind != RowKind::Header).collect()
    }

    pub fn labels(specs: &[&'static RowSpec]) -> Vec<LabelSet<'static>> {
        specs.iter().map(|r| LabelSet { aliases: &r.aliases, weak: &r.weak }).collect()
    }

    /// `read` over all of `text`, as table 三 of a 2021 report.
    pub fn read_2021<T>(text: &str, read: impl Fn(&Section) -> T) -> T {
        let a = Arithmetic::table3("2021");
        let labels = labels(&value_rows("2021"));
        let lines = crate::normalise::normalise(text);
        read(&Section { lines: &lines, range: 0..lines.len(), a: &a, labels: &labels })
    }
}
