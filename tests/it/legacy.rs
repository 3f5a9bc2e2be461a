//! Legacy reports (2008–2018): the samples' legacy values and one fixture per prose
//! phrasing family and 统计表 layout (tests/fixtures/legacy, truth.json beside them).

use crate::common::{assert_all_read, fixtures, load_truth, parse_file, repo};

fn check(dir: &std::path::Path, truth: &str, name: &str) -> ogi::model::Report {
    let truth = load_truth(&dir.join(truth));
    let t = truth.get(name).unwrap_or_else(|| panic!("{name} not in truth"));
    let r = parse_file(&dir.join(name));
    assert_all_read(name, &r, t);
    r
}

#[test]
fn sample_003_prose_only() {
    let dir = repo().join("data/reports");
    let truth = fixtures().join("samples");
    let t = load_truth(&truth.join("expected.json"));
    let r = parse_file(&dir.join("003_ac653407c852e910.txt"));
    assert_all_read("003", &r, t.get("003_ac653407c852e910.txt").expect("truth"));
}

#[test]
fn sample_004_table_and_prose_disagree() {
    let t = load_truth(&fixtures().join("samples/expected.json"));
    let r = parse_file(&repo().join("data/reports/004_6f49365190336ac7.txt"));
    assert_all_read("004", &r, t.get("004_6f49365190336ac7.txt").expect("truth"));
    // The 统计表 counts one upheld lawsuit (and no lawsuits in all) while the prose
    // says there were none: nothing says which is right, so no lawsuit cell is stated.
    assert!(r.diagnostics.iter().any(|d| d.code == "prose_table_conflict"));
    let lawsuits: Vec<_> = r.litigation.iter().filter(|l| l.proceeding == "lawsuit").collect();
    assert!(lawsuits.is_empty(), "{lawsuits:?}");
}

#[test]
fn prose_with_arabic_numbers() {
    let r = check(&fixtures().join("legacy"), "truth.json", "01_prose_arabic.txt");
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}

#[test]
fn prose_with_chinese_numerals_and_no_fee_statement() {
    let r = check(&fixtures().join("legacy"), "truth.json", "02_prose_chinese_numerals.txt");
    assert!(r.fees.is_empty(), "a report silent on fees has no fee row: {:?}", r.fees);
}

#[test]
fn flattened_stat_table_one_cell_per_line() {
    let r = check(&fixtures().join("legacy"), "truth.json", "03_stat_table_cells.txt");
    // The overview says 10 requests, the table 12: the table wins, the conflict is recorded.
    let d = r.diagnostics.iter().find(|d| d.code == "prose_table_conflict").expect("conflict diagnostic");
    assert_eq!(d.line, Some(7));
    // 5.不属于本行政机关公开数 and 6.申请信息不存在数 are blank: unknown, not 0.
    assert!(!r.outcomes.iter().any(|o| o.outcome == "unable_not_held"));
}

#[test]
fn stat_table_rows_with_cumulative_column_use_this_year() {
    check(&fixtures().join("legacy"), "truth.json", "04_stat_table_rows.txt");
}

#[test]
fn stat_table_glued_on_its_lines_split_by_the_prose_and_by_its_own_digits() {
    // A site's pages with all whitespace gone: 主动公开文件数条206912106 splits many ways
    // into 本年度 ≤ 历年累计, and the prose's 2069条 pins 2069 | 12106; 答复总数条00 can
    // only be 0 | 0; 收到申请数件1530 (15 | 30, 1 | 530, 153 | 0 …) nothing pins: null.
    let r = check(&fixtures().join("legacy"), "truth.json", "07_stat_table_glued.txt");
    assert!(r.requests.iter().all(|q| q.new_received.is_none()), "{:?}", r.requests);
    assert!(r.diagnostics.iter().any(|d| d.code == "glued_ambiguous"), "{:?}", r.diagnostics);
}

#[test]
fn stated_zeros_and_silence_on_fees() {
    let r = check(&fixtures().join("legacy"), "truth.json", "05_zeros_no_fee_mention.txt");
    assert!(r.fees.is_empty());
    assert!(r.outcomes.is_empty(), "no outcome is stated");
}

#[test]
fn legacy_years_reach_county_year_and_the_yoy_ranking() {
    let tmp = tempfile::tempdir().expect("tmp");
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    let y2017 = std::fs::read_to_string(fixtures().join("legacy/04_stat_table_rows.txt")).expect("read");
    std::fs::write(input.join("fengxian-2017.txt"), &y2017).expect("write");
    let y2018 = y2017.replace("2017", "2018").replace("(一)收到申请数 件 25 130", "(一)收到申请数 件 31 161");
    assert_ne!(y2017, y2018);
    std::fs::write(input.join("fengxian-2018.txt"), y2018).expect("write");
    let out = tmp.path().join("ds");
    crate::common::build(&input, &out, &["--quiet", "--no-cache"]);
    let csv = std::fs::read_to_string(out.join("summary/rank_yoy_change.csv")).expect("csv");
    assert!(csv.lines().any(|l| l.starts_with("2018,1,610330,凤县,陕西省,county,national,6")), "{csv}");
}

/// The same report as 01 with sentences about other things in every section (an
/// approval hall's 136437 applications, a 12345 hotline, online approvals, proposals,
/// a service centre, visits and letters, another office's fees, county-wide reviews):
/// exactly 01's facts, and no other.
#[test]
fn distractor_sentences_in_every_section_state_nothing() {
    let dir = fixtures().join("legacy");
    let r = check(&dir, "truth.json", "06_distractors_every_section.txt");
    let plain = parse_file(&dir.join("01_prose_arabic.txt"));
    let facts = |r: &ogi::model::Report| {
        let mut v: Vec<String> = r
            .outcomes
            .iter()
            .map(|o| format!("{}|{}={:?}", o.outcome, o.applicant, o.count))
            .chain(r.requests.iter().map(|q| format!("{}={:?}", q.applicant, q.new_received)))
            .chain(r.litigation.iter().map(|l| format!("{}|{}={:?}", l.proceeding, l.result, l.count)))
            .chain(r.fees.iter().map(|f| format!("{:?}/{:?}", f.amount_collected_yuan, f.amount_waived_yuan)))
            .chain(r.proactive.iter().map(|p| format!("{}|{}={:?}", p.category, p.metric, p.value)))
            .collect();
        v.sort();
        v
    };
    assert_eq!(facts(&r), facts(&plain));
    assert!(r.diagnostics.iter().all(|d| d.code != "prose_conflict"), "{:?}", r.diagnostics);
}
