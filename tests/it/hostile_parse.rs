//! Hostile input at the parser (issue 6): deep markup and repeated tables read like the
//! plain report, extraction is not super-linear, and a file over its time limit is a
//! failed row with a `timeout`, never a stuck build.

use crate::common::hostile::{nested_divs, one_line, repeated_text, shape, with_table3_copies};
use crate::common::{assert_all_read, fixtures, load_truth};
use ogi::discover::Found;
use ogi::model::{Report, Status};
use ogi::parse::parse_report;
use ogi::pipeline::{process_file, Limits};
use std::path::Path;
use std::time::{Duration, Instant};

fn parse(name: &str, bytes: &[u8]) -> Report {
    let mut r = parse_report(name, bytes);
    ogi::region::resolve_region(&mut r);
    r
}

/// 10 000 nested <div>s around a report, parsed on a thread with a small stack: the
/// HTML path is iterative (and flattens the nesting), and the report reads in full.
/// So does a report with 1000 copies of its table 三.
#[test]
fn deep_markup_and_repeated_tables_read_like_the_plain_report() {
    let truth = load_truth(&fixtures().join("shapes/truth.json"));
    let html = nested_divs(10_000);
    let r = std::thread::Builder::new()
        .stack_size(512 * 1024)
        .spawn(move || parse("nested.html", html.as_bytes()))
        .expect("thread")
        .join()
        .expect("no stack overflow, no panic");
    assert_all_read("nested divs", &r, &truth["01_cell_per_line_blank.txt"]);
    let r = parse("many.txt", with_table3_copies(1000).as_bytes());
    assert_all_read("1000 tables", &r, &truth["05_row_tabs_empty.txt"]);
}

/// Best of five timings of parse_report on `bytes` (a busy machine only ever adds).
fn time_parse(name: &str, bytes: &[u8]) -> Duration {
    (0..5)
        .map(|_| {
            let t = Instant::now();
            let r = parse_report(name, bytes);
            let e = t.elapsed();
            assert!(!r.report_id.is_empty());
            e
        })
        .min()
        .unwrap_or_default()
}

/// Not a speed target: 4 times the input must not take anywhere near 16 times as long
/// (quadratic); the bound is 12× so that a loaded machine does not fail a linear parser.
/// Covers table 三 repeated, markup nested deeper and deeper, a huge-span table growing
/// row by row, and prose on a single line.
#[test]
fn extraction_is_not_super_linear() {
    let n = 4;
    let span_table = |rows: usize| {
        let mut h = String::from("<html><body><p>表</p><table>");
        h += &"<td rowspan=1000 colspan=1000>1</td>".repeat(40);
        for _ in 0..rows {
            h += "<tr>";
            h += &"<td colspan=64 rowspan=64>9</td><td>一</td>".repeat(40);
            h += "</tr>";
        }
        h + "</table></body></html>"
    };
    let cases: Vec<(&str, String, String)> = vec![
        ("table 三 copies", with_table3_copies(n), with_table3_copies(4 * n)),
        ("nested <div>s", nested_divs(500 * n), nested_divs(2000 * n)),
        ("span table rows", span_table(5 * n), span_table(20 * n)),
        ("one long line", one_line(4_000 * n), one_line(16_000 * n)),
    ];
    let mut report = Vec::new();
    for (what, small, big) in &cases {
        let name = if small.starts_with("<html") { "x.html" } else { "x.txt" };
        let (a, b) = (time_parse(name, small.as_bytes()), time_parse(name, big.as_bytes()));
        let ratio = b.as_secs_f64() / a.as_secs_f64().max(1e-6);
        report.push(format!("{what}: {:?} → {:?} (×{ratio:.1})", a, b));
        assert!(ratio < 12.0, "{what}: 4× the input took {ratio:.1}× the time ({a:?} → {b:?})");
    }
    eprintln!("{}", report.join("\n"));
}

fn found(path: &Path, rel: &str) -> Found {
    Found { path: path.to_path_buf(), rel: rel.into(), lossy_name: false, problem: None }
}

#[test]
fn a_file_over_the_time_limit_is_failed_with_a_timeout() {
    let tmp = tempfile::tempdir().expect("tmp");
    let big = tmp.path().join("big.txt");
    std::fs::write(&big, repeated_text(1 << 20)).expect("write");
    let limits = Limits { max_bytes: u64::MAX, max_time: Some(Duration::from_millis(1)) };
    let t = Instant::now();
    let r = process_file(&found(&big, "big.txt"), &limits);
    assert!(t.elapsed() < Duration::from_secs(2), "the watchdog did not return in time");
    assert_eq!(r.status, Status::Failed);
    assert!(r.diagnostics.iter().any(|d| d.code == "timeout"), "{:?}", r.diagnostics);
    assert_eq!(r.report_id.len(), 16, "a timed-out file still has its id");
    // Without a limit (0 in the pipeline file) the same file is read to the end.
    let off = Limits::from_config(&ogi::config::BuildConfig { max_file_mb: 64, max_seconds_per_file: 0.0 });
    assert!(off.max_time.is_none() && off.time_for(1 << 30).is_none());
    // The limit is per MiB begun.
    let on = Limits::from_config(&ogi::config::BuildConfig { max_file_mb: 64, max_seconds_per_file: 30.0 });
    assert_eq!(on.time_for(0), Some(Duration::from_secs(30)));
    assert_eq!(on.time_for(1 << 20), Some(Duration::from_secs(30)));
    assert_eq!(on.time_for(3_000_000), Some(Duration::from_secs(90)));
    let small = tmp.path().join("small.txt");
    std::fs::write(&small, shape("01_cell_per_line_blank.txt")).expect("write");
    let r =
        process_file(&found(&small, "small.txt"), &Limits { max_time: Some(Duration::from_secs(60)), ..off });
    assert_eq!(r.status, Status::Ok);
}
