//! PDF and Word files read directly (issue 21): the rendered corpus as LibreOffice made
//! its .docx and .pdf, and a published PDF, each value compared with the truth; a PDF's
//! values carry their page. Files ogi cannot read are in tests/it/hostile.rs.

use crate::common::{compare, fixtures, load_truth, parse_file, Tally};
use std::path::Path;

fn read_all(dir: &Path, truth: &Path) -> Vec<(String, Tally)> {
    load_truth(truth)
        .iter()
        .filter(|(name, _)| !name.starts_with('_'))
        .map(|(name, want)| (name.clone(), compare(&parse_file(&dir.join(name)), want)))
        .collect()
}

fn assert_read(what: &str, tallies: &[(String, Tally)], per_mille: usize) {
    let checked: usize = tallies.iter().map(|(_, t)| t.checked).sum();
    let read: usize = tallies.iter().map(|(_, t)| t.read()).sum();
    let wrong: Vec<String> =
        tallies.iter().flat_map(|(n, t)| t.wrong.iter().map(move |w| format!("{n}: {w}"))).collect();
    assert!(wrong.is_empty(), "{what}: {} wrong:\n{}", wrong.len(), wrong.join("\n"));
    eprintln!("{what}: {read} of {checked} values read, 0 wrong");
    let misses: Vec<String> =
        tallies.iter().flat_map(|(n, t)| t.misses.iter().map(move |m| format!("{n}: {m}"))).collect();
    assert!(
        read * 1000 >= checked * per_mille,
        "{what}: {read} of {checked} read; missed:\n{}",
        misses.join("\n")
    );
}

#[test]
fn rendered_word_and_pdf_files_are_read_directly() {
    let root = fixtures().join("rendered");
    for form in ["docx", "pdf"] {
        let tallies = read_all(&root.join(form), &root.join(format!("truth/{form}.json")));
        assert_eq!(tallies.len(), 48, "{form}");
        assert_read(form, &tallies, 995);
    }
}

#[test]
fn a_published_pdf_is_read_directly() {
    let dir = fixtures().join("real/huaian_2024");
    let truth = load_truth(&dir.join("truth.json"));
    let want = truth.get("huaian_shi_2024.pdf").expect("the PDF's truth");
    let r = parse_file(&dir.join("huaian_shi_2024.pdf"));
    assert_eq!((r.format.as_ref(), r.pages), ("pdf", Some(6)));
    let t = compare(&r, want);
    assert_read("huaian_shi_2024.pdf", &[("huaian_shi_2024.pdf".into(), t)], 990);
}

#[test]
fn a_pdf_value_carries_its_page_and_its_line_on_the_page() {
    let r = parse_file(&fixtures().join("real/huaian_2024/huaian_shi_2024.pdf"));
    let granted =
        r.outcomes.iter().find(|o| o.outcome == "granted" && o.applicant == "total").expect("granted");
    let (page, line) = r.page_of(granted.line);
    let (page, line) = (page.expect("a page"), line.expect("a line"));
    // Table 三 of this report is on its fourth page (pdftotext -layout agrees).
    assert_eq!(page, 4);
    let lines = ogi::parse::read_lines(
        &std::fs::read(fixtures().join("real/huaian_2024/huaian_shi_2024.pdf")).expect("read"),
        "huaian_shi_2024.pdf",
    )
    .expect("text");
    let start = lines.page_starts[(page - 1) as usize];
    let text = &lines.lines[(start + line - 2) as usize].text;
    assert!(text.contains("予以公开") && text.contains("1362"), "page {page} line {line}: {text}");
}

fn lines_of(name: &str) -> Vec<String> {
    let bytes = std::fs::read(fixtures().join("documents").join(name)).expect("read");
    let text = ogi::parse::read_lines(&bytes, name).unwrap_or_else(|e| panic!("{name}: {}", e.message));
    text.lines.into_iter().map(|l| l.text).filter(|t| !t.is_empty()).collect()
}

#[test]
fn a_word_table_keeps_its_merged_cells_in_their_columns() {
    // A vMerge run is a rowspan: the label stands beside both rows; a gridSpan is one
    // cell however wide; paragraphs of a cell are one label.
    assert_eq!(
        lines_of("tiny_merged.docx"),
        [
            "甲县人民政府2024年政府信息公开工作年度报告",
            "三、本年度办理结果\t(一)予以公开",
            "三、本年度办理结果\t1\t2&3",
            "end"
        ]
    );
}

#[test]
fn a_pdf_table_is_rebuilt_from_its_ruling_lines() {
    // The top row is one cell (no line under its middle); the bottom row's two cells are
    // told apart by the line between them, and the minus sign stays with its number. A
    // watermark written at 45° across the table is not text of its cells.
    assert_eq!(lines_of("tiny_table.pdf"), ["Total", "12\t-3"]);
}

#[test]
fn a_pdf_protected_against_copying_reads_as_its_original() {
    // Owner password only (copying forbidden): opens with the empty user password.
    let original = parse_file(&fixtures().join("rendered/pdf/001_411103_2021.pdf"));
    let protected = parse_file(&fixtures().join("documents/protected.pdf"));
    assert_eq!(protected.status, original.status);
    assert!(!original.outcomes.is_empty());
    assert_eq!(protected.outcomes, original.outcomes);
    assert_eq!(protected.requests, original.requests);
    assert_eq!((protected.title.as_deref(), protected.year), (original.title.as_deref(), original.year));
}
