//! Checks across reports: 麟游县人民政府's 2020 report (shape fixture 11) carries one
//! request forward, its 2021 report (fixture 01) says it carried two over. The build
//! flags the later report, with the line of its number, and counts the diagnostic in
//! that report's n_warnings (the reports table is written last, from rows that waited
//! in a spill file, which is gone from the dataset).

use crate::common::{build, fixtures, read_table};
use polars::prelude::*;

#[test]
fn carried_over_is_checked_against_last_years_report() {
    let tmp = tempfile::tempdir().expect("tmp");
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    for name in ["01_cell_per_line_blank.txt", "11_total_only.txt"] {
        std::fs::copy(fixtures().join("shapes").join(name), input.join(name)).expect("copy");
    }
    let out = tmp.path().join("ds");
    build(&input, &out, &["--quiet", "--no-cache"]);
    let diags = read_table(&out, "diagnostics");
    let code = diags.column("code").expect("code").str().expect("str").clone();
    let path = diags.column("source_path").expect("path").str().expect("str").clone();
    let line = diags.column("source_line").expect("line").clone();
    let hits: Vec<(String, bool)> = code
        .iter()
        .zip(path.iter())
        .enumerate()
        .filter(|(_, (c, _))| *c == Some("carried_over_mismatch"))
        .map(|(i, (_, p))| {
            (p.unwrap_or_default().to_string(), line.get(i).map(|v| !v.is_null()).unwrap_or(false))
        })
        .collect();
    assert_eq!(
        hits,
        vec![("01_cell_per_line_blank.txt".to_string(), true)],
        "on the 2021 report, with a line"
    );
    // n_warnings still counts every diagnostic row of the report
    let reports = read_table(&out, "reports");
    assert_eq!(reports.column("n_warnings").expect("n").dtype(), &DataType::Int32);
    let ids = reports.column("report_id").expect("id").str().expect("str").clone();
    let n = reports.column("n_warnings").expect("n").i32().expect("i32").clone();
    let diag_ids = diags.column("report_id").expect("id").str().expect("str").clone();
    for (id, n) in ids.iter().zip(n.iter()) {
        let rows = diag_ids.iter().filter(|d| *d == id).count();
        assert_eq!(n.map(|n| n as usize), Some(rows), "n_warnings of {id:?}");
    }
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .expect("ls")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    files.sort();
    assert_eq!(files, Vec::<String>::new(), "no hidden file (a spill) is left in the dataset");
}
