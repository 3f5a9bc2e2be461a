//! One fixture per table shape of the contract (tests/fixtures/shapes, generated with
//! their truth by make_fixtures.py), each checked cell by cell.

use crate::common::{assert_all_read, fixtures, load_truth, parse_file};

fn check(name: &str) -> ogi::model::Report {
    check_against(name, &truth())
}

fn truth() -> serde_json::Map<String, serde_json::Value> {
    load_truth(&fixtures().join("shapes/truth.json"))
}

fn check_against(name: &str, truth: &serde_json::Map<String, serde_json::Value>) -> ogi::model::Report {
    let t = truth.get(name).unwrap_or_else(|| panic!("{name} not in truth"));
    let r = parse_file(&fixtures().join("shapes").join(name));
    let tally = assert_all_read(name, &r, t);
    assert!(tally.checked > 50, "{name}: only {} values checked", tally.checked);
    r
}

/// Every fixture of the folder, each against its truth; the tests below add what some
/// of them must also show.
#[test]
fn every_shape_reads_back_its_truth() {
    let truth = truth();
    let mut names: Vec<String> = std::fs::read_dir(fixtures().join("shapes"))
        .expect("shapes folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt") || n.ends_with(".html"))
        .collect();
    names.sort();
    assert!(names.len() >= 21, "only {} shape fixtures", names.len());
    let mut keys: Vec<&String> = truth.keys().collect();
    keys.sort();
    assert_eq!(names.iter().collect::<Vec<_>>(), keys, "fixtures and truth.json name the same files");
    for name in &names {
        check_against(name, &truth);
    }
}

#[test]
fn total_only_rows_guess_no_applicant_cells() {
    let r = check("11_total_only.txt");
    assert!(
        !r.outcomes.iter().any(|o| o.outcome == "granted" && o.applicant != "total"),
        "no guessed applicant cells"
    );
}

#[test]
fn glued_row_decided_by_arithmetic() {
    let r = check("12_glued_decided.txt");
    assert!(!r.diagnostics.iter().any(|d| d.code == "glued_ambiguous"));
}

#[test]
fn glued_row_not_decided_stays_null() {
    let r = check("13_glued_undecided.txt");
    assert!(r.diagnostics.iter().any(|d| d.code == "glued_ambiguous"), "ambiguity must be reported");
    let np = r.requests.iter().find(|q| q.applicant == "natural_person").and_then(|q| q.new_received);
    assert_eq!(np, None, "10 or 1: not determined, so null");
}

#[test]
fn gb18030_file_says_its_encoding() {
    let r = check("15_gb18030.txt");
    assert_eq!(r.encoding.as_deref(), Some("GB18030"));
}

#[test]
fn broken_arithmetic_is_recorded_as_written() {
    let r = check("17_identity_broken.txt");
    assert_eq!(r.identity_ok, Some(false));
}

#[test]
fn html_empty_cells_and_a_blank_total_column() {
    let r = check("20_html_empty_cells.html");
    // a blank 总计 beside nonzero cells is not a 0
    assert!(
        !r.outcomes.iter().any(|o| o.outcome == "granted" && o.applicant == "total"),
        "the blank 总计 of 予以公开 must stay null"
    );
}
