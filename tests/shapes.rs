//! One fixture per table shape of the contract (tests/fixtures/shapes, generated with
//! their truth by make_fixtures.py), each checked cell by cell.

mod common;

use common::{compare, fixtures, load_truth, parse_file};

fn check(name: &str) -> ogi::model::Report {
    let truth = load_truth(&fixtures().join("shapes/truth.json"));
    let t = truth.get(name).unwrap_or_else(|| panic!("{name} not in truth"));
    let r = parse_file(&fixtures().join("shapes").join(name));
    let tally = compare(&r, t);
    assert!(
        tally.misses.is_empty(),
        "{name}: {} of {} wrong:\n{}",
        tally.misses.len(),
        tally.checked,
        tally.misses.join("\n")
    );
    assert!(tally.checked > 50, "{name}: only {} values checked", tally.checked);
    r
}

#[test]
fn cell_per_line_with_blank_lines() {
    check("01_cell_per_line_blank.txt");
}

#[test]
fn cell_per_line_without_blank_lines() {
    check("02_cell_per_line_noblank.txt");
}

#[test]
fn empty_cells_kept_as_blank_lines() {
    check("03_empty_cells_keep_blank.txt");
}

#[test]
fn rows_on_one_line_split_by_spaces() {
    check("04_row_spaces.txt");
}

#[test]
fn rows_split_by_tabs_with_empty_cells() {
    check("05_row_tabs_empty.txt");
}

#[test]
fn markdown_pipes() {
    check("06_markdown_pipes.txt");
}

#[test]
fn html_table_with_spans() {
    check("07_html_table.html");
}

#[test]
fn pdf_text_layout() {
    check("08_pdf_layout.txt");
}

#[test]
fn split_headers_and_fullwidth_digits() {
    check("09_split_headers_fullwidth.txt");
}

#[test]
fn zero_markers() {
    check("10_zero_markers.txt");
}

#[test]
fn total_only_rows() {
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
fn template_2019_amounts_in_wanyuan() {
    check("14_template2019_wanyuan.txt");
}

#[test]
fn gb18030_file() {
    let r = check("15_gb18030.txt");
    assert_eq!(r.encoding, Some("GB18030"));
}

#[test]
fn utf16_with_bom() {
    check("16_utf16le_bom.txt");
}

#[test]
fn broken_arithmetic_is_recorded_as_written() {
    let r = check("17_identity_broken.txt");
    assert_eq!(r.identity_ok, Some(false));
}

#[test]
fn whole_page_on_one_line_with_glued_cells() {
    check("18_one_line_glued.txt");
}

#[test]
fn pdfminer_column_order_with_page_numbers() {
    check("19_pdfminer_columns.txt");
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

#[test]
fn ocr_markdown_heading_then_one_row_table() {
    check("21_ocr_markdown.txt");
}
