//! The template's arithmetic, checked on what was extracted: every identity of
//! template.toml (the 勾稽关系 per column, each row's applicant columns adding up to
//! its 总计, the outcome rows adding up to (七)总计, table 四's blocks). A report that
//! breaks its own arithmetic is recorded as written and flagged, never corrected.

pub mod arithmetic;

use crate::model::{Diagnostic, Report, Status};
use crate::segment::Sections;
use crate::template::Per;
use arithmetic::{Arithmetic, Grid};

/// The identity whose result is the report's `identity_ok` (the 勾稽关系).
const BALANCE: &str = "balance";

/// The report's status, once everything is read: `failed` when nothing of its body was
/// recognised (no section, no fact), `partial` when a template table is missing (each
/// one named in a warning), `ok` otherwise.
pub fn decide_status(rep: &mut Report, sections: &Sections, is_template: bool, missing: &[&str]) {
    for s in missing {
        rep.diagnostics.push(Diagnostic::warn(
            "section_unreadable",
            None,
            format!("table {s} of the template was not found or not readable"),
        ));
    }
    rep.status = if rep.n_facts() == 0 && sections.found.is_empty() {
        rep.diagnostics.push(Diagnostic::error(
            "not_a_report",
            None,
            "no report sections or template tables found",
        ));
        Status::Failed
    } else if is_template && !missing.is_empty() {
        Status::Partial
    } else {
        Status::Ok
    };
}

pub fn check(rep: &mut Report) {
    let Some(crate::model::Era::Template(era)) = rep.era else { return };
    let a = Arithmetic::of_table3(era);
    let (grid, lines) = table3_grid(rep, a);
    let mut diags = Vec::new();
    let mut balance: Option<bool> = None;
    for c in a.checks(&grid) {
        if c.id == BALANCE {
            balance = Some(balance.unwrap_or(true) && c.holds());
        }
        if c.holds() {
            continue;
        }
        let (place, line) = match c.per {
            Per::Row => (
                format!("row {}", a.rows.get(c.at).copied().unwrap_or("?")),
                lines.get(c.at).copied().flatten(),
            ),
            Per::Column => {
                let line = lines.iter().flatten().next().copied();
                (format!("column {}", a.cols.get(c.at).copied().unwrap_or("?")), line)
            }
        };
        diags.push(failed("三", &place, &c, line));
    }
    rep.identity_ok = balance;
    let a4 = Arithmetic::of_table4();
    let (grid4, line4) = table4_grid(rep, a4);
    for c in a4.checks(&grid4).into_iter().filter(|c| !c.holds()) {
        let place = match c.per {
            Per::Row => a4.rows.get(c.at).copied().unwrap_or("?"),
            Per::Column => a4.cols.get(c.at).copied().unwrap_or("?"),
        };
        diags.push(failed("四", place, &c, line4));
    }
    rep.diagnostics.extend(diags);
}

/// The diagnostic for an identity the report breaks (its code says which).
fn failed(table: &str, place: &str, c: &arithmetic::Check, line: Option<u32>) -> Diagnostic {
    Diagnostic::warn(
        c.code,
        line,
        format!(
            "table {table} {place}: identity {} fails, {} on one side and {} on the other",
            c.id, c.lhs, c.rhs
        ),
    )
}

/// Table 三 as extracted, on the evaluator's grid, with each row's source line.
pub fn table3_grid(rep: &Report, a: &Arithmetic) -> (Grid, Vec<Option<u32>>) {
    let mut grid: Grid = vec![vec![None; a.cols.len()]; a.rows.len()];
    let mut lines = vec![None; a.rows.len()];
    let col = |applicant: &str| a.cols.iter().position(|c| *c == applicant);
    for r in &rep.requests {
        let Some(c) = col(&r.applicant) else { continue };
        for (id, v) in [
            ("new_received", r.new_received),
            ("carried_over", r.carried_over),
            ("carried_forward", r.carried_forward),
        ] {
            if let Some(row) = a.row_index(id) {
                if let Some(cell) = grid.get_mut(row).and_then(|g| g.get_mut(c)) {
                    *cell = v;
                }
                if v.is_some() {
                    if let Some(l) = lines.get_mut(row) {
                        *l = r.line;
                    }
                }
            }
        }
    }
    for o in &rep.outcomes {
        let (Some(row), Some(c)) = (a.row_index(&o.outcome), col(&o.applicant)) else { continue };
        if let Some(cell) = grid.get_mut(row).and_then(|g| g.get_mut(c)) {
            *cell = o.count;
        }
        if let Some(l) = lines.get_mut(row) {
            *l = o.line;
        }
    }
    (grid, lines)
}

fn table4_grid(rep: &Report, a: &Arithmetic) -> (Grid, Option<u32>) {
    let mut grid: Grid = vec![vec![None; a.cols.len()]; a.rows.len()];
    let mut line = None;
    for f in &rep.litigation {
        let (Some(r), Some(c)) =
            (a.row_index(&f.proceeding), a.cols.iter().position(|c| *c == f.result.as_str()))
        else {
            continue;
        };
        if let Some(cell) = grid.get_mut(r).and_then(|g| g.get_mut(c)) {
            *cell = f.count;
            line = line.or(f.line);
        }
    }
    (grid, line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{OutcomeFact, RequestFact};

    /// A 2019 report whose table 三 adds up: 2 requests, both granted.
    fn report_2019() -> Report {
        let mut rep = Report::empty("r".into(), "f.txt".into());
        rep.era = Some(crate::model::Era::Template(crate::template::TemplateEra::Y2019));
        let a = Arithmetic::table3(crate::template::TemplateEra::Y2019);
        for app in crate::template::template().requests.columns.iter().map(String::as_str) {
            let v = if matches!(app, "natural_person" | "total") { 2 } else { 0 };
            rep.requests.push(RequestFact {
                applicant: app.into(),
                new_received: Some(v),
                carried_over: Some(0),
                carried_forward: Some(0),
                line: Some(10),
            });
            for row in
                a.rows.iter().filter(|r| !matches!(**r, "new_received" | "carried_over" | "carried_forward"))
            {
                let count = if matches!(*row, "granted" | "total_handled") { v } else { 0 };
                rep.outcomes.push(OutcomeFact {
                    outcome: (*row).into(),
                    outcome_group: "".into(),
                    applicant: app.into(),
                    count: Some(count),
                    line: Some(20),
                });
            }
        }
        rep
    }

    fn codes(rep: &Report) -> Vec<&str> {
        rep.diagnostics.iter().map(|d| d.code.as_ref()).collect()
    }

    #[test]
    fn a_consistent_2019_table_raises_nothing() {
        let mut rep = report_2019();
        check(&mut rep);
        assert_eq!(codes(&rep), Vec::<&str>::new());
        assert_eq!(rep.identity_ok, Some(true));
    }

    /// 2019 has 19 outcome rows: the outcome sum must be checked there too.
    #[test]
    fn outcome_sum_mismatch_fires_for_a_2019_report() {
        let mut rep = report_2019();
        for o in rep.outcomes.iter_mut() {
            if o.outcome == "other" && matches!(o.applicant.as_ref(), "natural_person" | "total") {
                o.count = Some(1);
            }
        }
        check(&mut rep);
        assert_eq!(
            codes(&rep).iter().filter(|c| **c == "outcome_sum_mismatch").count(),
            2,
            "{:?}",
            codes(&rep)
        );
        assert_eq!(rep.identity_ok, Some(true));
    }

    #[test]
    fn broken_balance_sets_identity_ok_false() {
        let mut rep = report_2019();
        for r in rep.requests.iter_mut().filter(|r| r.applicant == "total") {
            r.carried_forward = Some(3);
        }
        check(&mut rep);
        assert_eq!(rep.identity_ok, Some(false));
        assert!(codes(&rep).contains(&"identity_broken"));
        assert!(codes(&rep).contains(&"row_sum_mismatch"));
    }
}
