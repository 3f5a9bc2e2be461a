//! Legacy reports (2008–2018, under 国务院令第492号): facts from the prose and from the
//! 政府信息公开情况统计表 into the same tables as the templates. The table wins where
//! both state a value (a `prose_table_conflict` diagnostic records the difference);
//! prose fills what the table leaves blank.

pub mod numerals;
pub mod prose;
pub mod stat_table;

use crate::extract::cells::as_count as count;
use crate::model::{Diagnostic, FeeFact, LitigationFact, OutcomeFact, ProactiveFact, Report, RequestFact};
use crate::normalise::Line;
use crate::segment::Sections;
use crate::template::template;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
struct Value {
    value: f64,
    line: u32,
    evidence: String,
}

/// A 统计表 row whose statistics are glued into one run of digits that splits more
/// than one way: the prose may state this year's value and so pin the split.
struct Glued {
    fact: String,
    this_year: Vec<f64>,
    value: Value,
}

/// The 统计表's facts: one value per fact (parts summed when all are stated), and the
/// glued rows only the prose can settle.
fn table_facts(lines: &[Line], diags: &mut Vec<Diagnostic>) -> (BTreeMap<String, Value>, Vec<Glued>) {
    let mut glued: Vec<Glued> = Vec::new();
    let rows = stat_table::read(lines);
    let cumulative = stat_table::has_cumulative_column(lines);
    let specs = &template().legacy.table.row;
    let mut parts: BTreeMap<String, Vec<Option<Value>>> = BTreeMap::new();
    for row in &rows {
        let spec = specs.iter().find(|s| {
            s.within
                .as_ref()
                .is_none_or(|w| row.group.contains(w.as_str()) && !row.label.contains(w.as_str()))
                && s.labels.iter().any(|set| set.iter().all(|w| row.label.contains(w.as_str())))
        });
        let Some(spec) = spec else { continue };
        let scale = row.unit.as_deref().and_then(|u| template().cells.money.get(u)).copied().unwrap_or(1.0);
        let evidence = format!("{} {} {}", template().legacy.table.name, row.no, row.label);
        let from_glued = row.glued.as_deref().and_then(|d| {
            let this_year: Vec<f64> = if cumulative {
                stat_table::year_and_cumulative(d).into_iter().map(|(a, _)| a).collect()
            } else {
                d.parse().ok().into_iter().collect()
            };
            match this_year.as_slice() {
                [one] => Some(*one),
                _ => {
                    if !spec.part && !this_year.is_empty() {
                        let value = Value { value: 0.0, line: row.line, evidence: evidence.clone() };
                        glued.push(Glued { fact: spec.fact.clone(), this_year: this_year.clone(), value });
                    }
                    None
                }
            }
        });
        let value = match row.values.as_slice() {
            [] if row.glued.is_some() => {
                from_glued.map(|v| Value { value: v * scale, line: row.line, evidence: evidence.clone() })
            }
            [] => None,
            [_] if cumulative => {
                diags.push(Diagnostic::warn(
                    "cells_undetermined",
                    Some(row.line),
                    format!("统计表 row {} ({}): one number where 本年度 and 历年累计 are both columns; left null", row.no, row.label),
                ));
                None
            }
            [v, ..] => Some(Value { value: v * scale, line: row.line, evidence: evidence.clone() }),
        };
        let entry = parts.entry(spec.fact.clone()).or_default();
        if spec.part || entry.is_empty() {
            entry.push(value);
        }
    }
    let facts = parts
        .into_iter()
        .filter_map(|(fact, vals)| {
            // A total of parts is known only when every part is.
            let all: Option<Vec<Value>> = vals.into_iter().collect();
            let all = all?;
            let first = all.first()?.clone();
            let sum = all.iter().map(|v| v.value).sum();
            Some((fact, Value { value: sum, ..first }))
        })
        .collect();
    (facts, glued)
}

/// Each glued row's split that the prose pins (it states one of the row's possible
/// this-year values); the others stay null with a diagnostic.
fn settle_glued(
    glued: Vec<Glued>,
    stated: &[prose::Stated],
    facts: &mut BTreeMap<String, Value>,
    diags: &mut Vec<Diagnostic>,
) {
    for g in glued {
        let pinned = stated.iter().find(|s| s.fact == g.fact && g.this_year.contains(&s.value));
        match pinned {
            Some(s) if !facts.contains_key(&g.fact) => {
                facts.insert(g.fact.clone(), Value { value: s.value, evidence: format!("{} (split by line {})", g.value.evidence, s.line), ..g.value });
            }
            _ => diags.push(Diagnostic::warn(
                "glued_ambiguous",
                Some(g.value.line),
                format!("{}: the 统计表 row's digits split {} ways into 本年度 and 历年累计, and nothing in the text pins one; left null", g.value.evidence, g.this_year.len()),
            )),
        }
    }
}

pub fn extract(rep: &mut Report, lines: &[Line], sections: &Sections) {
    let mut diags = Vec::new();
    let (mut facts, glued) = table_facts(lines, &mut diags);
    let breakdown_positive = |facts: &BTreeMap<String, Value>, proceeding: &str| {
        facts.iter().any(|(k, v)| k.starts_with(&format!("litigation.{proceeding}.")) && v.value > 0.0)
    };
    let scan = prose::scan(lines, sections);
    for c in &scan.conflicts {
        let said: Vec<String> = c.values.iter().map(|(v, l)| format!("{v} (line {l})")).collect();
        diags.push(Diagnostic::warn(
            "prose_conflict",
            c.values.first().map(|v| v.1),
            format!("{}: the text states {}; left null", c.fact, said.join(" and ")),
        ));
    }
    let mut stated = scan.stated;
    settle_glued(glued, &stated, &mut facts, &mut diags);
    if let Some((line, admin, lawsuit)) = crate::extract::litigation::stated_none(lines) {
        for (p, s) in [("admin_review", admin), ("lawsuit", lawsuit)] {
            let fact = format!("litigation.{p}.total");
            // "None" against a number elsewhere: the text contradicts itself.
            if let Some(pos) = stated.iter().position(|x| s && x.fact == fact && x.value > 0.0) {
                let x = stated.remove(pos);
                diags.push(Diagnostic::warn(
                    "prose_conflict",
                    Some(x.line),
                    format!(
                        "{fact}: the text states none (line {line}) and {} (line {}); left null",
                        x.value, x.line
                    ),
                ));
                continue;
            }
            if s && !stated.iter().any(|x| x.fact == fact) {
                stated.push(prose::Stated {
                    fact,
                    value: 0.0,
                    line,
                    evidence: "no review / lawsuit stated".into(),
                });
            }
        }
    }
    for s in stated {
        match facts.get(&s.fact) {
            Some(t) if (t.value - s.value).abs() > 1e-9 => diags.push(Diagnostic::warn(
                "prose_table_conflict",
                Some(s.line),
                format!(
                    "{}: the prose says {} (line {}), the 统计表 says {} (line {}); kept the table's",
                    s.fact, s.value, s.line, t.value, t.line
                ),
            )),
            Some(_) => {}
            None => {
                let proceeding = s.fact.strip_prefix("litigation.").and_then(|r| r.split('.').next());
                if let Some(p) = proceeding.filter(|p| s.value == 0.0 && breakdown_positive(&facts, p)) {
                    // Either the prose or the table is wrong, and nothing says which:
                    // the proceeding's cells are all left null.
                    let prefix = format!("litigation.{p}.");
                    facts.retain(|f, _| !f.starts_with(&prefix));
                    diags.push(Diagnostic::warn(
                        "prose_table_conflict",
                        Some(s.line),
                        format!(
                            "{}: the prose says none, but the 统计表 counts cases; the proceeding's cells are left null",
                            s.fact
                        ),
                    ));
                    continue;
                }
                facts.insert(s.fact.clone(), Value { value: s.value, line: s.line, evidence: s.evidence });
            }
        }
    }
    for (fact, v) in &facts {
        emit(rep, fact, v);
    }
    rep.diagnostics.extend(diags);
}

fn emit(rep: &mut Report, fact: &str, v: &Value) {
    let mut it = fact.splitn(3, '.');
    let (Some(table), Some(a), Some(b)) = (it.next(), it.next(), it.next()) else { return };
    let line = Some(v.line);
    match table {
        "requests" => {
            let row = match rep.requests.iter_mut().find(|r| r.applicant == a) {
                Some(r) => r,
                None => {
                    rep.requests.push(RequestFact {
                        applicant: a.to_string().into(),
                        line,
                        ..RequestFact::default()
                    });
                    let Some(r) = rep.requests.last_mut() else { return };
                    r
                }
            };
            match b {
                "new_received" => row.new_received = count(v.value),
                "carried_over" => row.carried_over = count(v.value),
                "carried_forward" => row.carried_forward = count(v.value),
                _ => {}
            }
        }
        "outcomes" => {
            let group = outcome_group(a);
            rep.outcomes.push(OutcomeFact {
                outcome: a.to_string().into(),
                outcome_group: group.into(),
                applicant: b.to_string().into(),
                count: count(v.value),
                line,
            });
        }
        "litigation" => {
            rep.litigation.push(LitigationFact {
                proceeding: a.to_string(),
                result: b.to_string(),
                count: count(v.value),
                line,
            });
        }
        "proactive" => rep.proactive.push(ProactiveFact {
            category: a.to_string(),
            metric: b.to_string(),
            value: Some(v.value),
            unit: "count".into(),
            line,
        }),
        "fees" => {
            let fee = match rep.fees.iter_mut().find(|f| f.fee_kind == "legacy_fee") {
                Some(f) => f,
                None => {
                    rep.fees.push(FeeFact {
                        fee_kind: "legacy_fee".into(),
                        notices_issued: None,
                        amount_billed_yuan: None,
                        amount_collected_yuan: None,
                        amount_waived_yuan: None,
                        evidence: String::new(),
                        line,
                    });
                    let Some(f) = rep.fees.last_mut() else { return };
                    f
                }
            };
            match b {
                "amount_collected_yuan" => fee.amount_collected_yuan = Some(v.value),
                "amount_waived_yuan" => fee.amount_waived_yuan = Some(v.value),
                "amount_billed_yuan" => fee.amount_billed_yuan = Some(v.value),
                _ => {}
            }
            if !fee.evidence.is_empty() {
                fee.evidence.push_str(" / ");
            }
            fee.evidence.push_str(&v.evidence);
        }
        _ => {}
    }
}

/// Modern reports often restate the requests total in prose ("全年共收到申请N件"):
/// a difference from table 三 is worth a look. Where table 三 gives nothing (its cells
/// could not be placed: PDF text in column order), the prose's total is the report's.
pub fn cross_check(rep: &mut Report, lines: &[Line], sections: &Sections) {
    let fact = "requests.total.new_received";
    let prose = prose::scan_facts(lines, sections, |f| f == fact).stated.into_iter().next();
    let total = rep.requests.iter_mut().find(|r| r.applicant == "total");
    match (total.as_ref().and_then(|r| r.new_received), prose) {
        (Some(table), Some(s)) if count(s.value) != Some(table) => {
            rep.diagnostics.push(Diagnostic::warn(
                "prose_table_conflict",
                Some(s.line),
                format!("the prose says {} requests were received, table 三 says {table}", s.value),
            ));
        }
        // (only where the table gave nothing: a total column left blank is the table's)
        (None, Some(s)) if total.is_none() && rep.requests.is_empty() => {
            let Some(n) = count(s.value) else { return };
            rep.requests.push(crate::model::RequestFact {
                applicant: "total".into(),
                new_received: Some(n),
                carried_over: None,
                carried_forward: None,
                line: Some(s.line),
            });
            rep.diagnostics.push(Diagnostic::info(
                "total_from_prose",
                Some(s.line),
                format!("table 三 gives no total of requests received; the text states {n} ({})", s.evidence),
            ));
        }
        _ => {}
    }
}

/// The contract's outcome group of a legacy outcome fact: its table 三 row's group
/// (template.toml), or the group it names itself (outcomes.denied.total), else other.
fn outcome_group(outcome: &str) -> &'static str {
    let rows = &template().requests.row;
    rows.iter()
        .find(|r| r.id == outcome)
        .and_then(|r| r.group.as_deref())
        .or_else(|| rows.iter().filter_map(|r| r.group.as_deref()).find(|g| *g == outcome))
        .unwrap_or("other")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::normalise;

    #[test]
    fn the_total_stated_in_prose_where_table_three_gives_none() {
        // PDF text: spaces between words and numbers, the sentence wrapped
        let text = "三、收到和处理政府信息公开申请情况\n2021 年，共收到政府信息公开申请 17 件，上年结转 1\n件，均已依法按期答复。\n";
        let lines = normalise(text);
        let sections = crate::segment::find_sections(&lines);
        let mut rep = Report::empty("r".into(), "f.txt".into());
        cross_check(&mut rep, &lines, &sections);
        let total = rep.requests.iter().find(|r| r.applicant == "total");
        assert_eq!(total.and_then(|r| r.new_received), Some(17));
        assert_eq!(total.and_then(|r| r.carried_over), None, "the prose is not read for it");
        assert!(rep.diagnostics.iter().any(|d| d.code == "total_from_prose"));
        // where the table gives one, the table's stays and a difference is flagged
        let mut rep = Report::empty("r".into(), "f.txt".into());
        rep.requests.push(crate::model::RequestFact {
            applicant: "total".into(),
            new_received: Some(18),
            ..Default::default()
        });
        cross_check(&mut rep, &lines, &sections);
        assert_eq!(rep.requests.first().and_then(|r| r.new_received), Some(18));
        assert!(rep.diagnostics.iter().any(|d| d.code == "prose_table_conflict"));
    }

    #[test]
    fn a_number_against_a_stated_none_is_a_conflict() {
        let text = "五、政府信息公开行政复议、行政诉讼情况\n本年度未发生因政府信息公开引起的行政复议。\n全县行政复议81件。\n";
        let lines = normalise(text);
        let mut rep = Report::empty("r".into(), "f.txt".into());
        extract(&mut rep, &lines, &crate::segment::find_sections(&lines));
        assert!(rep.litigation.iter().all(|l| l.proceeding != "admin_review"), "{:?}", rep.litigation);
        assert!(rep.diagnostics.iter().any(|d| d.code == "prose_conflict"));
    }
}
