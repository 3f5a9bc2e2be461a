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

mod choose;
pub mod columns;
pub mod detached;
pub mod positions;
mod runs;

pub use choose::choose;
pub mod stream;

use super::cells::{as_count, Tok};
use super::grid::LabelSet;
use super::settle::{settle, Settled};
use crate::model::Diagnostic;
use crate::normalise::Line;
use crate::validate::arithmetic::{Arithmetic, Grid};

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
                // A check every split breaks is broken by the report itself (a
                // misprint elsewhere): it decides nothing, so the splits that break
                // the fewest checks are kept, not only those that break none.
                let fails: Vec<usize> = cands
                    .iter()
                    .map(|cand| {
                        if let Some(g) = grid.get_mut(*row) {
                            for (cell, v) in g.iter_mut().zip(cand) {
                                *cell = Some(*v);
                            }
                        }
                        a.fails_touching(grid, *row)
                    })
                    .collect();
                let least = fails.iter().copied().min().unwrap_or(0);
                let mut k = 0;
                cands.retain(|_| {
                    let keep = fails.get(k).is_some_and(|f| *f == least);
                    k += 1;
                    keep
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
            let mut least = usize::MAX;
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
                // The combinations that break the fewest checks: those the report
                // breaks whatever the split are no evidence against any of them.
                let f = a.fails(&scratch);
                if f < least {
                    least = f;
                    sols.clear();
                }
                if f == least {
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

/// What the readings' unit tests share: the 2021 template's value rows and a reading
/// of a whole text as table 三.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use crate::template::{template, RowKind, RowSpec};

    /// The value rows of the era's table 三 and their labels, as `requests` hands them over.
    pub fn value_rows(era: crate::template::TemplateEra) -> Vec<&'static RowSpec> {
        template().requests.row.iter().filter(|r| r.in_era(era) && r.kind != RowKind::Header).collect()
    }

    pub fn labels(specs: &[&'static RowSpec]) -> Vec<LabelSet<'static>> {
        specs.iter().map(|r| LabelSet { aliases: &r.aliases, weak: &r.weak }).collect()
    }

    /// `read` over all of `text`, as table 三 of a 2021 report.
    pub fn read_2021<T>(text: &str, read: impl Fn(&Section) -> T) -> T {
        let a = Arithmetic::table3(crate::template::TemplateEra::Y2021);
        let labels = labels(&value_rows(crate::template::TemplateEra::Y2021));
        let lines = crate::normalise::normalise(text);
        read(&Section { lines: &lines, range: 0..lines.len(), a: &a, labels: &labels })
    }
}
