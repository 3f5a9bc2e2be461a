//! Golden test: the hand-checked values of the real samples (tests/fixtures/samples/
//! expected.json, a copy of shared/samples/expected.json) come out exactly.

use crate::common::{compare, fixtures, load_truth, parse_file, repo};

fn sample(name: &str) -> (ogi::model::Report, crate::common::Tally) {
    let truth = load_truth(&fixtures().join("samples/expected.json"));
    let t = truth.get(name).unwrap_or_else(|| panic!("{name} not in truth"));
    let r = parse_file(&repo().join("data/reports").join(name));
    let tally = compare(&r, t);
    (r, tally)
}

#[test]
fn sample_000_2019_template_with_empty_cells() {
    let (r, t) = sample("000_ecc1fc1fff3214b5.txt");
    assert!(t.misses.is_empty(), "{} of {} wrong:\n{}", t.misses.len(), t.checked, t.misses.join("\n"));
    assert!(t.checked > 150, "only {} values checked", t.checked);
    assert_eq!(r.identity_ok, Some(true));
    assert_eq!(r.region_name.as_deref(), Some("麟游县"));
}

#[test]
fn sample_001_2021_template_breaks_its_own_arithmetic() {
    let (r, t) = sample("001_65ea80a590272765.txt");
    assert!(t.misses.is_empty(), "{} of {} wrong:\n{}", t.misses.len(), t.checked, t.misses.join("\n"));
    assert_eq!(r.identity_ok, Some(false), "6 + 0 ≠ 6 + 1 in the 总计 column");
    assert!(r.diagnostics.iter().any(|d| d.code == "identity_broken"));
}

#[test]
fn sample_002_total_only_rows_leave_applicants_null() {
    let (r, t) = sample("002_a45a5235e71ad61b.txt");
    assert!(t.misses.is_empty(), "{} of {} wrong:\n{}", t.misses.len(), t.checked, t.misses.join("\n"));
    let np = r.requests.iter().find(|q| q.applicant == "natural_person");
    assert!(np.is_none(), "applicant columns the text does not state must be null: {np:?}");
    assert!(!r.outcomes.iter().any(|o| o.outcome == "granted" && o.applicant != "total"));
}

#[test]
fn legacy_samples_get_a_correct_reports_row() {
    for name in ["003_ac653407c852e910.txt", "004_6f49365190336ac7.txt"] {
        let truth = load_truth(&fixtures().join("samples/expected.json"));
        let t = truth.get(name).expect("in truth");
        let r = parse_file(&repo().join("data/reports").join(name));
        assert_eq!(r.era, Some(ogi::model::Era::Legacy), "{name}");
        assert_eq!(r.year.map(i64::from), t.get("year").and_then(|v| v.as_i64()), "{name}");
        assert_eq!(Some(r.agency_kind.as_ref()), t.get("agency_kind").and_then(|v| v.as_str()), "{name}");
        assert_eq!(r.region.code.as_deref(), t.get("region_code").and_then(|v| v.as_str()), "{name}");
        assert_eq!(r.status, ogi::model::Status::Ok, "{name}");
    }
}
