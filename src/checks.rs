//! Checks across reports, made once every report is read: what one report says about
//! the next year's (the requests it carried forward are the next report's carried
//! over) and jumps from one year to the next too large to take on trust. Their
//! diagnostics go to the later report, with the line of the number they question.

use crate::compact::{Id, Regions, Words};
use crate::config::ChecksConfig;
use crate::model::{Diagnostic, Region, Report, Status};
use std::sync::Arc;

/// What the checks keep of a report (held for every report until the end, so small):
/// who wrote it, for which year, its totals, and enough to write a diagnostic row.
struct Seen {
    code: Arc<str>,
    agency: Arc<str>,
    year: i16,
    id: Id,
    /// The file's place in the input list (its path is the list's).
    file: u32,
    region: Arc<Region>,
    new_received: Option<i64>,
    carried_over: Option<i64>,
    carried_forward: Option<i64>,
    line: Option<u32>,
    /// A PDF's page starts, so the diagnostic's line is given on its page as every other is.
    page_starts: Box<[u32]>,
}

#[derive(Default)]
pub struct CrossYear {
    seen: Vec<Seen>,
    words: Words,
    regions: Regions,
}

impl CrossYear {
    /// Notes a report that counts (read, not a copy, with a region, an agency and a
    /// year, and table 三's totals), read from the input list's file `file`.
    pub fn note(&mut self, r: &Report, file: u32) {
        if r.status == Status::Failed || r.duplicate_of.is_some() {
            return;
        }
        let (Some(code), Some(agency), Some(year)) = (&r.region.code, &r.agency, r.year) else { return };
        let Some(total) = r.requests.iter().find(|q| q.applicant == "total") else { return };
        let seen = Seen {
            code: self.words.get(code),
            agency: self.words.get(agency),
            year,
            id: Id::of(&r.report_id),
            file,
            region: self.regions.get(&r.region),
            new_received: total.new_received,
            carried_over: total.carried_over,
            carried_forward: total.carried_forward,
            line: total.line,
            page_starts: r.page_starts.clone().into_boxed_slice(),
        };
        self.seen.push(seen);
    }

    /// One report per (agency, year) with diagnostics, for the reports a check
    /// questions, in a deterministic order; `path_of` gives an input file's path.
    pub fn diagnostics<'a>(mut self, cfg: &ChecksConfig, path_of: impl Fn(u32) -> &'a str) -> Vec<Report> {
        let mut out = Vec::new();
        // (agency, year) groups in order; the notes of one group keep their input order
        self.seen.sort_by(|a, b| (&a.code, &a.agency, a.year).cmp(&(&b.code, &b.agency, b.year)));
        let groups: Vec<&[Seen]> =
            self.seen.chunk_by(|a, b| (&a.code, &a.agency, a.year) == (&b.code, &b.agency, b.year)).collect();
        for pair in groups.windows(2) {
            // Two reports of one agency and year: which pairs with which is unknown.
            let [[prev], [this]] = pair else { continue };
            if (&prev.code, &prev.agency, prev.year.checked_add(1))
                != (&this.code, &this.agency, Some(this.year))
            {
                continue;
            }
            let (year, prev_path) = (this.year, path_of(prev.file));
            {
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
                                prev_path
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
                    let mut r = Report::empty(this.id.to_string(), path_of(this.file).to_string());
                    r.region = (*this.region).clone();
                    r.year = Some(this.year);
                    r.page_starts = this.page_starts.to_vec();
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

    fn path(file: u32) -> &'static str {
        ["a.txt", "b.txt", "c.txt", "d.txt"].get(file as usize).copied().unwrap_or("")
    }

    fn codes(out: &[Report]) -> Vec<(String, String)> {
        out.iter()
            .flat_map(|r| r.diagnostics.iter().map(move |d| (r.report_id.clone(), d.code.to_string())))
            .collect()
    }

    #[test]
    fn carried_over_must_be_last_years_carried_forward() {
        let mut c = CrossYear::default();
        c.note(&report("a", 2021, 10, 0, 2), 0);
        c.note(&report("b", 2022, 12, 2, 1), 1);
        c.note(&report("c", 2023, 11, 3, 0), 2);
        let out = c.diagnostics(&ChecksConfig::default(), path);
        assert_eq!(out.first().map(|r| r.source_path.as_str()), Some("c.txt"));
        assert_eq!(codes(&out), vec![("c".to_string(), "carried_over_mismatch".to_string())]);
        assert_eq!(out.first().and_then(|r| r.diagnostics.first()).and_then(|d| d.line), Some(40));
    }

    #[test]
    fn a_jump_on_a_real_base_is_flagged_a_small_one_is_not() {
        let cfg = ChecksConfig { yoy_factor: 10.0, yoy_min_base: 20 };
        let mut c = CrossYear::default();
        c.note(&report("a", 2021, 25, 0, 0), 0);
        c.note(&report("b", 2022, 136_437, 0, 0), 1);
        assert_eq!(codes(&c.diagnostics(&cfg, path)), vec![("b".to_string(), "yoy_jump".to_string())]);
        let mut c = CrossYear::default();
        c.note(&report("a", 2021, 1, 0, 0), 0);
        c.note(&report("b", 2022, 9, 0, 0), 1);
        assert!(c.diagnostics(&cfg, path).is_empty(), "1 → 9 is below the floor");
    }

    #[test]
    fn two_reports_of_one_year_pair_with_neither_neighbour() {
        let mut c = CrossYear::default();
        c.note(&report("a", 2021, 10, 0, 2), 0);
        c.note(&report("b", 2022, 12, 5, 1), 1);
        c.note(&report("c", 2022, 12, 5, 1), 2);
        c.note(&report("d", 2023, 11, 9, 0), 3);
        assert!(c.diagnostics(&ChecksConfig::default(), path).is_empty());
    }
}
