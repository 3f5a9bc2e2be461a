//! Checks across reports, made once every report is read: what one report says about
//! the next year's (the requests it carried forward are the next report's carried
//! over) and jumps from one year to the next too large to take on trust. Their
//! diagnostics go to the later report, with the line of the number they question.

use crate::config::ChecksConfig;
use crate::model::{Diagnostic, Region, Report, Status};
use std::collections::BTreeMap;

/// What the checks keep of a report: who wrote it, for which year, its totals, and
/// enough of it to write a diagnostic row.
struct Seen {
    report_id: String,
    source_path: String,
    region: Region,
    year: i16,
    new_received: Option<i64>,
    carried_over: Option<i64>,
    carried_forward: Option<i64>,
    line: Option<u32>,
    /// A PDF's page starts, so the diagnostic's line is given on its page as every other is.
    page_starts: Vec<u32>,
}

#[derive(Default)]
pub struct CrossYear {
    /// (region code, agency) → year → the reports of that year.
    by_agency: BTreeMap<(String, String), BTreeMap<i16, Vec<Seen>>>,
}

impl CrossYear {
    /// Notes a report that counts (read, not a copy, with a region, an agency and a
    /// year, and table 三's totals).
    pub fn note(&mut self, r: &Report) {
        if r.status == Status::Failed || r.duplicate_of.is_some() {
            return;
        }
        let (Some(code), Some(agency), Some(year)) = (&r.region.code, &r.agency, r.year) else { return };
        let Some(total) = r.requests.iter().find(|q| q.applicant == "total") else { return };
        self.by_agency.entry((code.clone(), agency.clone())).or_default().entry(year).or_default().push(
            Seen {
                report_id: r.report_id.clone(),
                source_path: r.source_path.clone(),
                region: r.region.clone(),
                year,
                new_received: total.new_received,
                carried_over: total.carried_over,
                carried_forward: total.carried_forward,
                line: total.line,
                page_starts: r.page_starts.clone(),
            },
        );
    }

    /// One report per (agency, year) with diagnostics, for the reports a check
    /// questions, in a deterministic order.
    pub fn diagnostics(self, cfg: &ChecksConfig) -> Vec<Report> {
        let mut out = Vec::new();
        for years in self.by_agency.values() {
            for (year, reports) in years {
                // Two reports of one agency and year: which pairs with which is unknown.
                let ([this], Some([prev])) = (reports.as_slice(), years.get(&(year - 1)).map(Vec::as_slice))
                else {
                    continue;
                };
                let mut diags = Vec::new();
                if let (Some(co), Some(cf)) = (this.carried_over, prev.carried_forward) {
                    if co != cf {
                        diags.push(Diagnostic::warn(
                            "carried_over_mismatch",
                            this.line,
                            format!(
                                "carried over {co} from {}, but the same agency's {} report ({}) carried {cf} forward",
                                year - 1,
                                year - 1,
                                prev.source_path
                            ),
                        ));
                    }
                }
                if let (Some(new), Some(before)) = (this.new_received, prev.new_received) {
                    let base = new.min(before);
                    let jump = new.max(before) as f64 / base.max(1) as f64;
                    if new.max(before) >= cfg.yoy_min_base && jump > cfg.yoy_factor {
                        diags.push(Diagnostic::warn(
                            "yoy_jump",
                            this.line,
                            format!(
                                "new requests went from {before} ({}) to {new} ({year}), a factor of {jump:.1}: check both reports",
                                year - 1
                            ),
                        ));
                    }
                }
                if !diags.is_empty() {
                    let mut r = Report::empty(this.report_id.clone(), this.source_path.clone());
                    r.region = this.region.clone();
                    r.year = Some(this.year);
                    r.page_starts = this.page_starts.clone();
                    r.diagnostics = diags;
                    out.push(r);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RequestFact;

    fn report(id: &str, year: i16, new: i64, over: i64, forward: i64) -> Report {
        let mut r = Report::empty(id.into(), format!("{id}.txt"));
        r.status = Status::Ok;
        r.agency = Some("麟游县人民政府".into());
        r.region.code = Some("610329".into());
        r.year = Some(year);
        r.requests.push(RequestFact {
            applicant: "total".into(),
            new_received: Some(new),
            carried_over: Some(over),
            carried_forward: Some(forward),
            line: Some(40),
        });
        r
    }

    fn codes(out: &[Report]) -> Vec<(String, String)> {
        out.iter()
            .flat_map(|r| r.diagnostics.iter().map(move |d| (r.report_id.clone(), d.code.to_string())))
            .collect()
    }

    #[test]
    fn carried_over_must_be_last_years_carried_forward() {
        let mut c = CrossYear::default();
        c.note(&report("a", 2021, 10, 0, 2));
        c.note(&report("b", 2022, 12, 2, 1));
        c.note(&report("c", 2023, 11, 3, 0));
        let out = c.diagnostics(&ChecksConfig::default());
        assert_eq!(codes(&out), vec![("c".to_string(), "carried_over_mismatch".to_string())]);
        assert_eq!(out.first().and_then(|r| r.diagnostics.first()).and_then(|d| d.line), Some(40));
    }

    #[test]
    fn a_jump_on_a_real_base_is_flagged_a_small_one_is_not() {
        let cfg = ChecksConfig { yoy_factor: 10.0, yoy_min_base: 20 };
        let mut c = CrossYear::default();
        c.note(&report("a", 2021, 25, 0, 0));
        c.note(&report("b", 2022, 136_437, 0, 0));
        assert_eq!(codes(&c.diagnostics(&cfg)), vec![("b".to_string(), "yoy_jump".to_string())]);
        let mut c = CrossYear::default();
        c.note(&report("a", 2021, 1, 0, 0));
        c.note(&report("b", 2022, 9, 0, 0));
        assert!(c.diagnostics(&cfg).is_empty(), "1 → 9 is below the floor");
    }
}
