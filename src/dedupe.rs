//! Input files that say what another input already said. Scraped corpora hold the same
//! file twice (identical bytes: the same report_id), and the same report in two forms
//! (a saved page and its text export: same agency, year and table 三). The first in
//! input order represents the report; every other copy names it in `duplicate_of`, so
//! county_year and the rankings count it once.

use crate::compact::{Id, Words};
use crate::model::{Diagnostic, Report, Status};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// Held for every input until the end of the build, so small (`crate::compact`): ids as
/// numbers, files by their place in the input list.
#[derive(Default)]
pub struct Copies {
    /// report_id → the first file with those bytes.
    by_bytes: HashMap<Id, u32>,
    /// (agency, year, table 三) → (report_id, file) of the first report stating it.
    by_content: HashMap<(Arc<str>, i16, u64), (Id, u32)>,
    agencies: Words,
}

impl Copies {
    /// Marks `r` (the input list's file `file`) if an earlier input said the same;
    /// `path_of` gives an input file's path.
    pub fn check<'a>(&mut self, r: &mut Report, file: u32, path_of: impl Fn(u32) -> &'a str) {
        if r.status == Status::Failed {
            return;
        }
        let id = Id::of(&r.report_id);
        if let Some(first) = self.by_bytes.get(&id) {
            r.mark_duplicate(path_of(*first));
            return;
        }
        self.by_bytes.insert(id.clone(), file);
        let Some((agency, year, table)) = content_key(r) else { return };
        let key = (self.agencies.get(agency), year, table);
        match self.by_content.get(&key) {
            Some((id, first)) => {
                r.duplicate_of = Some(id.to_string());
                r.diagnostics.push(Diagnostic::info(
                    "same_report_other_form",
                    None,
                    format!(
                        "the same agency, year and table 三 as {}, which represents the report; this one keeps its facts but is not counted again in county_year",
                        path_of(*first)
                    ),
                ));
            }
            None => {
                self.by_content.insert(key, (id, file));
            }
        }
    }
}

/// What makes two files one report: agency, year and every cell of table 三.
fn content_key(r: &Report) -> Option<(&str, i16, u64)> {
    let agency = r.agency.as_deref()?;
    let year = r.year?;
    if r.outcomes.is_empty() && r.requests.is_empty() {
        return None;
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for q in &r.requests {
        (&q.applicant, q.new_received, q.carried_over, q.carried_forward).hash(&mut h);
    }
    for o in &r.outcomes {
        (&o.outcome, &o.applicant, o.count).hash(&mut h);
    }
    Some((agency, year, h.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RequestFact;

    fn report(id: &str, agency: &str, new: i64) -> Report {
        let mut r = Report::empty(id.into(), format!("{id}.txt"));
        r.status = Status::Ok;
        r.agency = Some(agency.into());
        r.year = Some(2022);
        r.requests.push(RequestFact {
            applicant: "total".into(),
            new_received: Some(new),
            ..RequestFact::default()
        });
        r
    }

    fn path(file: u32) -> &'static str {
        ["a.html", "b.html", "a.txt", "o.txt", "n.txt"].get(file as usize).copied().unwrap_or("")
    }

    #[test]
    fn identical_bytes_and_other_forms() {
        let mut c = Copies::default();
        let mut a = report("a", "麟游县人民政府", 5);
        c.check(&mut a, 0, path);
        assert_eq!(a.duplicate_of, None);
        // the same bytes: no facts, names the first
        let mut b = report("a", "麟游县人民政府", 5);
        c.check(&mut b, 1, path);
        assert_eq!((b.duplicate_of.as_deref(), b.requests.len()), (Some("a"), 0));
        // the text export of the page: keeps its facts
        let mut t = report("t", "麟游县人民政府", 5);
        c.check(&mut t, 2, path);
        assert_eq!((t.duplicate_of.as_deref(), t.requests.len()), (Some("a"), 1));
        // another agency, or another table, is another report
        let mut o = report("o", "麟游县人民政府办公室", 5);
        c.check(&mut o, 3, path);
        let mut n = report("n", "麟游县人民政府", 6);
        c.check(&mut n, 4, path);
        assert_eq!((o.duplicate_of, n.duplicate_of), (None, None));
    }
}
