//! The binary end to end: `ogi build` over the sample corpus and over a directory
//! mixing the samples with hostile input, `ogi rank`, `ogi parse`, and the exit codes.

use crate::common::{fixtures, ogi, repo};
use std::path::Path;

fn build(input: &Path, out: &Path) -> std::process::Output {
    ogi().arg("build").arg(input).arg("--out").arg(out).arg("--quiet").output().expect("runs")
}

fn manifest(out: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(out.join("manifest.json")).expect("manifest");
    serde_json::from_str(&text).expect("json")
}

/// (source_path, status, n_warnings) of every report, read back with the parquet crate.
fn report_rows(out: &Path) -> Vec<(String, String, i32)> {
    use arrow::array::{Array, Int32Array, StringArray};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let f = std::fs::File::open(out.join("reports.parquet")).expect("reports.parquet");
    let reader = ParquetRecordBatchReaderBuilder::try_new(f).expect("parquet").build().expect("reader");
    let mut rows = Vec::new();
    for batch in reader {
        let b = batch.expect("batch");
        let col = |n: &str| b.column(b.schema().index_of(n).expect(n)).clone();
        let paths = col("source_path");
        let paths = paths.as_any().downcast_ref::<StringArray>().expect("utf8");
        let status = col("status");
        let status = status.as_any().downcast_ref::<StringArray>().expect("utf8");
        let warn = col("n_warnings");
        let warn = warn.as_any().downcast_ref::<Int32Array>().expect("int32");
        for i in 0..b.num_rows() {
            rows.push((paths.value(i).to_string(), status.value(i).to_string(), warn.value(i)));
        }
    }
    rows
}

#[test]
fn builds_the_sample_corpus() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("dataset");
    let o = build(&repo().join("data/reports"), &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for t in
        ["reports", "proactive", "requests", "outcomes", "litigation", "fees", "diagnostics", "county_year"]
    {
        assert!(out.join(format!("{t}.parquet")).is_file(), "{t}.parquet missing");
    }
    for c in ["rank_request_volume", "rank_disclosure_rate", "rank_yoy_change"] {
        assert!(out.join(format!("summary/{c}.csv")).is_file(), "{c}.csv missing");
    }
    // The samples as text, a published PDF, rendered Word and PDF files, a web page: all read.
    let n = std::fs::read_dir(repo().join("data/reports")).expect("ls").count();
    assert_eq!(n, 9);
    let m = manifest(&out);
    assert_eq!(m["input_files"], n);
    assert_eq!(m["row_counts"]["reports"], n);
    assert_eq!(m["status"]["ok"], n);
    let csv = std::fs::read_to_string(out.join("summary/rank_request_volume.csv")).expect("csv");
    // 麟游县 2019 (5 requests) is the only county-level report of its year: rank 1.
    assert!(csv.lines().any(|l| l.starts_with("2019,1,610329,麟游县,陕西省,county,national,5")), "{csv}");
    // No temp or backup directories are left beside the output.
    let litter: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("ls")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(litter.is_empty(), "{litter:?}");
}

#[test]
fn hostile_input_is_recorded_and_good_reports_are_unaffected() {
    let tmp = tempfile::tempdir().expect("tmp");
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    for e in std::fs::read_dir(repo().join("data/reports")).expect("ls").flatten() {
        std::fs::copy(e.path(), input.join(e.file_name())).expect("copy");
    }
    let bad = fixtures().join("bad");
    let expect: std::collections::BTreeMap<String, String> =
        serde_json::from_str(&std::fs::read_to_string(bad.join("expect_status.json")).expect("status"))
            .expect("json");
    for name in expect.keys() {
        std::fs::copy(bad.join(name), input.join(name)).expect("copy");
    }
    let out = tmp.path().join("dataset");
    let o = build(&input, &out);
    assert!(o.status.success(), "bad files must not fail the build: {}", String::from_utf8_lossy(&o.stderr));
    let rows = report_rows(&out);
    let samples = std::fs::read_dir(repo().join("data/reports")).expect("ls").count();
    assert_eq!(rows.len(), samples + expect.len());
    for (name, want) in &expect {
        let (_, status, warnings) =
            rows.iter().find(|r| r.0 == *name).unwrap_or_else(|| panic!("{name} has no row"));
        assert_eq!(status, want, "{name}");
        if want != "ok" {
            assert!(*warnings > 0, "{name} must say why it is {status}");
        }
    }
    // The good reports come out exactly as when built alone.
    let alone = tmp.path().join("alone");
    assert!(build(&repo().join("data/reports"), &alone).status.success());
    let good = |p: &Path| -> Vec<(String, String, i32)> {
        report_rows(p).into_iter().filter(|r| r.0.starts_with("00")).collect()
    };
    assert_eq!(good(&out), good(&alone));
    let m = manifest(&out);
    let with_bad = m["row_counts"]["outcomes"].as_u64().expect("n");
    let alone_n = manifest(&alone)["row_counts"]["outcomes"].as_u64().expect("n");
    assert!(
        with_bad >= alone_n + 22 * 7,
        "the GB18030 report adds its 22 outcome rows × 7 columns: {with_bad} vs {alone_n}"
    );
}

#[test]
fn run_failures_exit_nonzero_and_keep_the_previous_dataset() {
    let tmp = tempfile::tempdir().expect("tmp");
    let o = build(&tmp.path().join("does-not-exist"), &tmp.path().join("out"));
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("does not exist"));
    // An output path under a regular file cannot be written.
    let file = tmp.path().join("plain-file");
    std::fs::write(&file, "x").expect("write");
    let o = build(&repo().join("data/reports"), &file.join("dataset"));
    assert_eq!(o.status.code(), Some(2));
    // A failed build leaves an existing dataset as it was.
    let out = tmp.path().join("dataset");
    assert!(build(&repo().join("data/reports"), &out).status.success());
    let before = std::fs::read(out.join("reports.parquet")).expect("read");
    let bad_cfg = tmp.path().join("bad.toml");
    std::fs::write(&bad_cfg, "[rank]\nno_such_key = 1\n").expect("write");
    let o = ogi()
        .args(["build", "--quiet", "--pipeline"])
        .arg(&bad_cfg)
        .arg(repo().join("data/reports"))
        .arg("--out")
        .arg(&out)
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2), "a typo in the pipeline file is an error");
    assert_eq!(std::fs::read(out.join("reports.parquet")).expect("read"), before);
}

#[test]
fn output_does_not_depend_on_jobs() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for (out, jobs) in [(&a, "1"), (&b, "2")] {
        let o = ogi()
            .args(["build", "--quiet", "--jobs", jobs])
            .arg(fixtures().join("shapes"))
            .arg("--out")
            .arg(out)
            .output()
            .expect("runs");
        assert!(o.status.success());
    }
    for t in ["reports", "outcomes", "requests", "proactive", "diagnostics", "county_year"] {
        let f = format!("{t}.parquet");
        assert_eq!(
            std::fs::read(a.join(&f)).expect("a"),
            std::fs::read(b.join(&f)).expect("b"),
            "{f} differs between --jobs 1 and 2"
        );
    }
}

#[test]
fn rank_reruns_on_an_existing_dataset_and_parse_explains_a_file() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("dataset");
    assert!(build(&fixtures().join("shapes"), &out).status.success());
    std::fs::remove_file(out.join("summary/rank_request_volume.csv")).expect("rm");
    let o = ogi().arg("rank").arg("--dataset").arg(&out).output().expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.join("summary/rank_request_volume.csv").is_file());
    let o =
        ogi().arg("parse").arg(repo().join("data/reports/001_65ea80a590272765.txt")).output().expect("runs");
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("identity_broken"), "{text}");
    assert!(text.contains("requests    total                  new 6"), "{text}");
    let o = ogi()
        .args(["parse", "--json"])
        .arg(repo().join("data/reports/000_ecc1fc1fff3214b5.txt"))
        .output()
        .expect("runs");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["region"]["code"], "610329");
}
