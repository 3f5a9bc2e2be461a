//! Table 三 (收到和处理政府信息公开申请情况): requests received, carried over and
//! forward, and how they were handled, per applicant column. Cells that the layout
//! does not place (glued digit runs) are placed by the table's own arithmetic: the
//! row sums, the 勾稽关系 per column, and outcome rows adding up to (七)总计.

use super::grid::{read_rows, LabelSet};
use super::settle::{settle, Settled};
use crate::model::{Diagnostic, OutcomeFact, RequestFact};
use crate::normalise::Line;
use crate::template::{template, RowKind, RowSpec};
use std::collections::BTreeMap;

#[derive(Debug, Default)]
pub struct Table3 {
    pub requests: Vec<RequestFact>,
    pub outcomes: Vec<OutcomeFact>,
    pub diagnostics: Vec<Diagnostic>,
    /// Rows found (value rows only); 0 means the table is absent or unreadable.
    pub rows_found: usize,
    /// Value rows of the era's template that were not found.
    pub rows_missing: Vec<String>,
}

#[derive(Debug, Clone)]
enum RowVal {
    Known(Vec<Option<i64>>),
    Candidates(Vec<Vec<i64>>),
}

pub fn extract(lines: &[Line], range: std::ops::Range<usize>, era: &str) -> Table3 {
    let t = template();
    let specs: Vec<&'static RowSpec> = t.requests.row.iter().filter(|r| r.in_era(era)).collect();
    let labels: Vec<LabelSet> =
        specs.iter().map(|r| LabelSet { aliases: &r.aliases, weak: &r.weak }).collect();
    let n = t.requests.columns.len();
    let hits = read_rows(lines, range, &labels);
    let mut out = Table3::default();
    let mut vals: BTreeMap<&'static str, (RowVal, u32)> = BTreeMap::new();
    for hit in &hits {
        let Some(spec) = specs.get(hit.row) else { continue };
        if spec.kind == RowKind::Header {
            continue;
        }
        let read = settle(&hit.tokens, n, true);
        if let Some(p) = &read.problem {
            out.diagnostics.push(Diagnostic::warn(
                "cells_undetermined",
                Some(hit.line_no),
                format!("table 三 row {}: {p}", spec.id),
            ));
        }
        let val = match read.settled {
            Settled::Cells(c) => RowVal::Known(
                c.into_iter().map(|v| to_count(v, spec, hit.line_no, &mut out.diagnostics)).collect(),
            ),
            Settled::Glued(c) if c.len() == 1 => RowVal::Known(c.into_iter().flatten().map(Some).collect()),
            Settled::Glued(c) => RowVal::Candidates(c),
        };
        vals.insert(spec.id.as_str(), (val, hit.line_no));
    }
    out.rows_found = vals.len();
    out.rows_missing = specs
        .iter()
        .filter(|s| s.kind != RowKind::Header && !vals.contains_key(s.id.as_str()))
        .map(|s| s.id.clone())
        .collect();
    for (id, ways) in resolve_glued(&mut vals, &specs, n) {
        let line = vals.get(id).map(|(_, l)| *l);
        out.diagnostics.push(Diagnostic::warn(
            "glued_ambiguous",
            line,
            format!("table 三 row {id}: glued cells split {ways} ways that all add up; the cells they disagree on are left null"),
        ));
    }
    emit(&vals, &specs, &t.requests.columns, &mut out);
    out
}

fn to_count(v: Option<f64>, spec: &RowSpec, line: u32, diags: &mut Vec<Diagnostic>) -> Option<i64> {
    let v = v?;
    if v < 0.0 || v.fract() != 0.0 || v > 1e12 {
        diags.push(Diagnostic::warn(
            "not_a_count",
            Some(line),
            format!("table 三 row {}: {v} is not a count", spec.id),
        ));
        return None;
    }
    Some(v as i64)
}

/// The identities of table 三, as (row, sign) terms that sum to zero in every column.
fn identities(specs: &[&'static RowSpec]) -> Vec<Vec<(&'static str, i64)>> {
    let balance =
        vec![("new_received", 1), ("carried_over", 1), ("total_handled", -1), ("carried_forward", -1)];
    let mut outcome_sum: Vec<(&'static str, i64)> = specs
        .iter()
        .filter(|s| s.kind == RowKind::Outcome && s.id != "total_handled")
        .map(|s| (s.id.as_str(), 1))
        .collect();
    outcome_sum.push(("total_handled", -1));
    vec![balance, outcome_sum]
}

/// Narrows glued rows' candidate splits with the identities in which every other row
/// is known; repeats while that decides something. Never picks among survivors.
fn resolve_glued(
    vals: &mut BTreeMap<&'static str, (RowVal, u32)>,
    specs: &[&'static RowSpec],
    n: usize,
) -> Vec<(&'static str, usize)> {
    let ids = identities(specs);
    for _ in 0..8 {
        let mut changed = false;
        let glued: Vec<&'static str> =
            vals.iter().filter(|(_, (v, _))| matches!(v, RowVal::Candidates(_))).map(|(k, _)| *k).collect();
        for row in glued {
            for identity in &ids {
                let Some(sign) = identity.iter().find(|(r, _)| *r == row).map(|(_, s)| *s) else { continue };
                let Some(others) = known_sum(vals, identity, row, n) else { continue };
                if let Some((RowVal::Candidates(c), _)) = vals.get_mut(row) {
                    let before = c.len();
                    c.retain(|cand| {
                        (0..n).all(|col| {
                            others.get(col).copied().unwrap_or(0) + sign * cand.get(col).copied().unwrap_or(0)
                                == 0
                        })
                    });
                    changed |= c.len() != before;
                }
            }
            if let Some((val, _)) = vals.get_mut(row) {
                if let RowVal::Candidates(c) = val {
                    if c.len() == 1 {
                        let only = c.first().cloned().unwrap_or_default();
                        *val = RowVal::Known(only.into_iter().map(Some).collect());
                        changed = true;
                    } else if c.is_empty() {
                        *val = RowVal::Known(vec![None; n]);
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
    // What every surviving split agrees on is determined; the rest stays null.
    let mut ambiguous = Vec::new();
    for (id, (val, _)) in vals.iter_mut() {
        if let RowVal::Candidates(c) = val {
            let agreed: Vec<Option<i64>> = (0..n)
                .map(|col| {
                    let first = c.first().and_then(|v| v.get(col).copied());
                    first.filter(|f| c.iter().all(|v| v.get(col) == Some(f)))
                })
                .collect();
            ambiguous.push((*id, c.len()));
            *val = RowVal::Known(agreed);
        }
    }
    ambiguous
}

/// Sum of the identity's other rows in each column, when all of them are known.
fn known_sum(
    vals: &BTreeMap<&'static str, (RowVal, u32)>,
    identity: &[(&'static str, i64)],
    except: &str,
    n: usize,
) -> Option<Vec<i64>> {
    let mut sum = vec![0i64; n];
    for (row, sign) in identity.iter().filter(|(r, _)| *r != except) {
        let (RowVal::Known(cells), _) = vals.get(row)? else { return None };
        for (col, s) in sum.iter_mut().enumerate() {
            *s += sign * (*cells.get(col)?)?;
        }
    }
    Some(sum)
}

fn emit(
    vals: &BTreeMap<&'static str, (RowVal, u32)>,
    specs: &[&'static RowSpec],
    columns: &'static [String],
    out: &mut Table3,
) {
    let cells = |id: &str| -> &[Option<i64>] {
        match vals.get(id) {
            Some((RowVal::Known(c), _)) => c,
            _ => &[],
        }
    };
    let cell = |id: &str, col: usize| -> Option<i64> { cells(id).get(col).copied().flatten() };
    let line_of = |id: &str| vals.get(id).map(|(_, l)| *l);
    for (col, applicant) in columns.iter().enumerate() {
        let fact = RequestFact {
            applicant,
            new_received: cell("new_received", col),
            carried_over: cell("carried_over", col),
            carried_forward: cell("carried_forward", col),
            line: line_of("new_received").or(line_of("carried_over")).or(line_of("carried_forward")),
        };
        if fact.new_received.is_some() || fact.carried_over.is_some() || fact.carried_forward.is_some() {
            out.requests.push(fact);
        }
    }
    for spec in specs.iter().filter(|s| s.kind == RowKind::Outcome) {
        let row = cells(&spec.id);
        let line = line_of(&spec.id);
        for (count, applicant) in row.iter().zip(columns) {
            if let Some(count) = *count {
                out.outcomes.push(OutcomeFact {
                    outcome: &spec.id,
                    outcome_group: spec.group.as_deref().unwrap_or_default(),
                    applicant,
                    count: Some(count),
                    line,
                });
            }
        }
    }
}
