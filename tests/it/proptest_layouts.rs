//! Property test of the table 三 reader (issue 13): any table that satisfies the
//! template's identities, rendered in any of the layouts real reports come in, is read
//! back with every cell the layout determines, and never a wrong value. The layouts
//! are written here from the table, independently of the reader: labels detached from
//! their number rows, all labels then all number rows, pdfminer order page by page,
//! comma-separated rows, cells after their column names, OCR Markdown without the row
//! label, group headings with subtotals, numbers before their labels, labels on the
//! right. The layouts the corpus generator also draws (rows on lines, tabs with zeros
//! left empty, pdfminer's columns with page numbers, OCR Markdown, the page on one line)
//! are drawn once, by `ogi_fixtures.shapes`, and checked the same way by
//! `bench/layout_accuracy.py --check` in `./just test` (random tables, every layout).
//!
//! Bounded to a few seconds in the normal suite; `PROPTEST_CASES=2000 cargo test --test
//! proptest_layouts` runs longer.

use crate::common::proptest_cases;
use crate::layouts::{layout, render, table, Table, APPLICANTS};
use ogi::model::Report;
use ogi::parse::parse_report;
use proptest::prelude::*;
use std::collections::BTreeMap;

/// (wrong cells, missing cells) of table 三.
fn compare(t: &Table, r: &Report) -> (Vec<String>, Vec<String>) {
    let mut got: BTreeMap<(&str, &str), i64> = BTreeMap::new();
    for o in &r.outcomes {
        if let Some(c) = o.count {
            got.insert((o.outcome.as_ref(), o.applicant.as_ref()), c);
        }
    }
    for q in &r.requests {
        for (id, v) in [
            ("new_received", q.new_received),
            ("carried_over", q.carried_over),
            ("carried_forward", q.carried_forward),
        ] {
            if let Some(v) = v {
                got.insert((id, q.applicant.as_ref()), v);
            }
        }
    }
    let (mut wrong, mut missing) = (Vec::new(), Vec::new());
    for (id, row) in &t.cells {
        for (j, want) in row.iter().enumerate() {
            let app = APPLICANTS[j];
            match got.get(&(*id, app)) {
                Some(v) if v != want => wrong.push(format!("{id}|{app}: want {want}, got {v}")),
                None => missing.push(format!("{id}|{app}")),
                _ => {}
            }
        }
    }
    (wrong, missing)
}

proptest! {
    #![proptest_config(proptest_cases(96))]

    #[test]
    fn every_layout_reads_back_its_table(
        t in table(),
        layout in layout(),
    ) {
        let text = render(&t, layout);
        let r = parse_report("t.txt", text.as_bytes());
        let (wrong, missing) = compare(&t, &r);
        prop_assert!(wrong.is_empty(), "{layout:?} {}: wrong {wrong:?}\n{text}", t.era);
        prop_assert!(missing.is_empty(), "{layout:?} {}: missing {missing:?}\n{text}", t.era);
    }
}
