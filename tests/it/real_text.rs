//! Real text read whole, with no wrong value (issue 20): a published PDF's text as three
//! extractors give it, generated reports rendered by LibreOffice and extracted by the real
//! tools, and a table that breaks two of its own checks. Every value the report states
//! must be one the truth lists: a number in a cell the text does not determine fails.

use crate::common::{compare, fixtures, load_truth, parse_file, Tally};
use std::path::Path;

/// Every text file of `dir` that `truth` lists, read and compared (the PDF itself is
/// tests/it/documents.rs'). With `document`, the truth of the document itself (every cell):
/// a value the extractor's truth leaves out (a cell its flat text does not place by
/// itself) that the report states as the document has it is right beyond the rule (the
/// arithmetic or the prose pinned it), not wrong.
fn read_all(dir: &Path, truth: &Path, document: Option<&Path>) -> Vec<(String, Tally)> {
    let t = load_truth(truth);
    let doc = document.map(load_truth);
    let cell = |m: &String| m.split(':').next().unwrap_or_default().to_string();
    let mut out: Vec<(String, Tally)> = t
        .iter()
        .filter(|(name, _)| !name.starts_with('_') && name.ends_with(".txt"))
        .map(|(name, want)| {
            let report = parse_file(&dir.join(name));
            let mut tally = compare(&report, want);
            let whole = doc.as_ref().and_then(|d| d.get(&name.replace(".txt", ".pdf")));
            if let Some(whole) = whole {
                let off: std::collections::HashSet<String> =
                    compare(&report, whole).misses.iter().map(cell).collect();
                let beyond = |m: &String| m.ends_with("not in the truth") && !off.contains(&cell(m));
                tally.wrong.retain(|m| !beyond(m));
                tally.misses.retain(|m| !beyond(m));
            }
            (name.clone(), tally)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn totals(tallies: &[(String, Tally)]) -> (usize, usize, Vec<String>) {
    let checked = tallies.iter().map(|(_, t)| t.checked).sum();
    let read = tallies.iter().map(|(_, t)| t.read()).sum();
    let wrong = tallies.iter().flat_map(|(n, t)| t.wrong.iter().map(move |w| format!("{n}: {w}"))).collect();
    (checked, read, wrong)
}

#[test]
fn a_published_pdfs_text_from_three_extractors() {
    let dir = fixtures().join("real/huaian_2024");
    let tallies = read_all(&dir, &dir.join("truth.json"), None);
    assert_eq!(tallies.len(), 3);
    for (name, t) in &tallies {
        assert!(t.wrong.is_empty(), "{name}: {} wrong:\n{}", t.wrong.len(), t.wrong.join("\n"));
        // the issuer on its own line above the title, a prefecture-level city
        for field in ["agency_kind", "region_code", "year", "prefecture"] {
            assert!(!t.misses.iter().any(|m| m.starts_with(field)), "{name}: {:?}", t.misses);
        }
    }
    let (checked, read, _) = totals(&tallies);
    // pdfminer gives table 二's multi-column rows as labels then numbers column by
    // column, which nothing in the text pins to a row: 6 of its cells stay null.
    assert!(read * 1000 >= checked * 990, "{read} of {checked} read");
    for (name, t) in &tallies {
        if !name.contains("pdfminer") {
            assert!(t.misses.is_empty(), "{name}: {}", t.misses.join("\n"));
        }
    }
}

#[test]
fn rendered_reports_as_pypdfium2_and_pdftotext_give_them() {
    let root = fixtures().join("rendered");
    // Plain pdftotext and pdfminer give tables column by column and drop blank cells:
    // little of table 三 is read, but nothing they state may be wrong.
    let floors = [("pypdfium2", 999), ("pdftotext_layout", 999), ("pdftotext", 130), ("pdfminer", 170)];
    for (extractor, at_least) in floors {
        let tallies = read_all(
            &root.join("text").join(extractor),
            &root.join(format!("truth/{extractor}.json")),
            Some(&root.join("truth/pdf.json")),
        );
        assert_eq!(tallies.len(), 48, "{extractor}");
        let (checked, read, wrong) = totals(&tallies);
        assert!(wrong.is_empty(), "{extractor}: {} wrong:\n{}", wrong.len(), wrong.join("\n"));
        assert!(read * 1000 >= checked * at_least, "{extractor}: {read} of {checked} read");
    }
}

#[test]
fn a_table_that_breaks_two_of_its_own_checks_keeps_what_the_others_decide() {
    // Table 三 on one line with its cells glued (tests/fixtures/shapes/18), one row
    // misprinted: 8.属于行政查询事项 1 … 1 adds up across, and breaks the outcome sums of
    // the 自然人 and 总计 columns. Every glued row is still pinned by its own row sum.
    let src = std::fs::read_to_string(fixtures().join("shapes/18_one_line_glued.txt")).expect("fixture");
    let misprinted = src.replace("8.属于行政查询事项 0 00 000 0", "8.属于行政查询事项 1 00 000 1");
    assert_ne!(src, misprinted, "the fixture changed: pick another row to misprint");
    let tmp = tempfile::tempdir().expect("tmp");
    let path = tmp.path().join("18_one_line_glued.txt");
    std::fs::write(&path, misprinted).expect("write");
    let r = parse_file(&path);
    let mut truth = load_truth(&fixtures().join("shapes/truth.json"));
    let want = truth.get_mut("18_one_line_glued.txt").expect("truth");
    for applicant in ["natural_person", "total"] {
        want["outcomes"][format!("denied_admin_query|{applicant}")] = 1.into();
    }
    want.as_object_mut().expect("object").remove("identity_ok");
    let t = compare(&r, want);
    assert!(t.wrong.is_empty(), "{}", t.wrong.join("\n"));
    assert!(t.misses.is_empty(), "every cell is pinned by its own row: {}", t.misses.join("\n"));
    let broken: Vec<&str> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == "table_breaks_own_checks")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(broken.len(), 1, "{:?}", r.diagnostics);
    let message = broken.first().copied().unwrap_or_default();
    assert!(
        message.contains("breaks 2 of") && message.contains("outcome_sum at natural_person"),
        "{message}"
    );
}
