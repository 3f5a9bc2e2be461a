//! The template's arithmetic, checked on what was extracted: the 勾稽关系 (new +
//! carried over = handled + carried forward) per column, each row's applicant
//! columns adding up to its 总计, and the outcome rows adding up to (七)总计. A report
//! that breaks its own arithmetic is recorded as written and flagged, never corrected.

use crate::model::{Diagnostic, Report};
use std::collections::BTreeMap;

pub fn check(rep: &mut Report) {
    let mut diags = Vec::new();
    rep.identity_ok = balance(rep, &mut diags);
    row_sums(rep, &mut diags);
    outcome_sums(rep, &mut diags);
    rep.diagnostics.extend(diags);
}

/// 勾稽关系 for every applicant column where all four numbers are known.
fn balance(rep: &Report, diags: &mut Vec<Diagnostic>) -> Option<bool> {
    let handled: BTreeMap<&str, i64> = rep
        .outcomes
        .iter()
        .filter(|o| o.outcome == "total_handled")
        .filter_map(|o| Some((o.applicant, o.count?)))
        .collect();
    let mut checked = 0;
    let mut ok = true;
    for r in &rep.requests {
        let (Some(n), Some(c), Some(f), Some(h)) =
            (r.new_received, r.carried_over, r.carried_forward, handled.get(r.applicant))
        else {
            continue;
        };
        checked += 1;
        if n + c != h + f {
            ok = false;
            diags.push(Diagnostic::warn(
                "identity_broken",
                r.line,
                format!("勾稽关系 fails for {}: new {n} + carried over {c} = {} but handled {h} + carried forward {f} = {}", r.applicant, n + c, h + f),
            ));
        }
    }
    (checked > 0).then_some(ok)
}

/// (sum of applicant cells, 总计, applicant cells seen, line) of one row.
type RowSum = (i64, Option<i64>, usize, Option<u32>);

fn row_sums(rep: &Report, diags: &mut Vec<Diagnostic>) {
    let mut by_row: BTreeMap<&str, RowSum> = BTreeMap::new();
    for o in &rep.outcomes {
        let e = by_row.entry(o.outcome).or_insert((0, None, 0, o.line));
        match (o.applicant, o.count) {
            ("total", t) => e.1 = t,
            (_, Some(c)) => {
                e.0 += c;
                e.2 += 1;
            }
            _ => {}
        }
    }
    for (row, (sum, total, parts, line)) in by_row {
        if let Some(t) = total {
            if parts == 6 && sum != t {
                diags.push(Diagnostic::warn(
                    "row_sum_mismatch",
                    line,
                    format!("table 三 row {row}: applicant columns add up to {sum}, 总计 says {t}"),
                ));
            }
        }
    }
    let cols = [("new_received", 0usize), ("carried_over", 1), ("carried_forward", 2)];
    for (name, k) in cols {
        let get = |r: &crate::model::RequestFact| {
            [r.new_received, r.carried_over, r.carried_forward].get(k).copied().flatten()
        };
        let parts: Vec<i64> =
            rep.requests.iter().filter(|r| r.applicant != "total").filter_map(get).collect();
        let total = rep.requests.iter().find(|r| r.applicant == "total").and_then(get);
        if let Some(t) = total {
            if parts.len() == 6 && parts.iter().sum::<i64>() != t {
                let line = rep.requests.first().and_then(|r| r.line);
                diags.push(Diagnostic::warn(
                    "row_sum_mismatch",
                    line,
                    format!(
                        "table 三 {name}: applicant columns add up to {}, 总计 says {t}",
                        parts.iter().sum::<i64>()
                    ),
                ));
            }
        }
    }
}

fn outcome_sums(rep: &Report, diags: &mut Vec<Diagnostic>) {
    let mut sums: BTreeMap<&str, (i64, usize)> = BTreeMap::new();
    let mut totals: BTreeMap<&str, (i64, Option<u32>)> = BTreeMap::new();
    for o in &rep.outcomes {
        let Some(c) = o.count else { continue };
        if o.outcome == "total_handled" {
            totals.insert(o.applicant, (c, o.line));
        } else {
            let e = sums.entry(o.applicant).or_insert((0, 0));
            e.0 += c;
            e.1 += 1;
        }
    }
    for (app, (total, line)) in totals {
        if let Some((sum, n)) = sums.get(app) {
            if *n >= 20 && *sum != total {
                diags.push(Diagnostic::warn(
                    "outcome_sum_mismatch",
                    line,
                    format!("table 三 column {app}: outcome rows add up to {sum}, (七)总计 says {total}"),
                ));
            }
        }
    }
}
