//! `ogi rank` as a dataset operation: without `--pipeline` it re-ranks with the
//! configuration the build recorded (byte-identical CSVs), it records each run in the
//! manifest, a change of thresholds makes the next build rebuild, and a run killed at
//! any moment leaves the dataset either as it was or as the run would have left it.

use crate::common::{ogi, repo};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn build(out: &Path) {
    let ok = ogi()
        .args(["build", &repo().join("data/reports").to_string_lossy(), "--out", &out.to_string_lossy()])
        .args([
            "--quiet",
            "--no-cache",
            "--pipeline",
            &repo().join("pipelines/default.toml").to_string_lossy(),
        ])
        .status()
        .expect("run ogi build");
    assert!(ok.success());
}

fn rank(dataset: &Path, pipeline: Option<&Path>) {
    let mut c = ogi();
    c.args(["rank", "--dataset", &dataset.to_string_lossy()]);
    if let Some(p) = pipeline {
        c.args(["--pipeline", &p.to_string_lossy()]);
    }
    assert!(c.output().expect("run ogi rank").status.success());
}

/// The rankings' files (county_year and the CSVs): relative path → bytes.
fn rankings(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut m = BTreeMap::new();
    for rel in [
        "county_year.parquet",
        "summary/rank_request_volume.csv",
        "summary/rank_disclosure_rate.csv",
        "summary/rank_yoy_change.csv",
    ] {
        if let Ok(b) = std::fs::read(dir.join(rel)) {
            m.insert(PathBuf::from(rel), b);
        }
    }
    m
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).expect("manifest"))
        .expect("json")
}

fn strict_pipeline(dir: &Path) -> PathBuf {
    let p = dir.join("strict.toml");
    std::fs::write(&p, "[rank]\nmin_handled_for_rate = 1000000\n").expect("write pipeline");
    p
}

#[test]
fn a_plain_rank_reproduces_the_build_and_is_recorded() {
    let tmp = tempfile::tempdir().expect("tmp");
    let ds = tmp.path().join("ds");
    build(&ds);
    let before = rankings(&ds);
    assert_eq!(before.len(), 4);
    let fingerprint = manifest(&ds)["input_fingerprint"].clone();
    rank(&ds, None);
    assert_eq!(rankings(&ds), before, "ogi rank with no flags changed the rankings");
    let m = manifest(&ds);
    assert_eq!(m["reranked"].as_array().map(Vec::len), Some(1));
    assert_eq!(m["input_fingerprint"], fingerprint, "same configuration: the build stays up to date");
    // the dataset's tables are untouched (hard links into the staged copy, then swapped)
    assert!(ds.join("reports.parquet").is_file() && ds.join("outcomes.parquet").is_file());
}

#[test]
fn other_thresholds_are_recorded_and_become_the_default() {
    let tmp = tempfile::tempdir().expect("tmp");
    let ds = tmp.path().join("ds");
    build(&ds);
    let strict = strict_pipeline(tmp.path());
    rank(&ds, Some(&strict));
    let rate = |ds: &Path| std::fs::read_to_string(ds.join("summary/rank_disclosure_rate.csv")).expect("csv");
    assert_eq!(rate(&ds).lines().count(), 1, "only the header: nobody handled a million requests");
    let m = manifest(&ds);
    assert_eq!(m["config"]["rank"]["min_handled_for_rate"], 1000000);
    assert!(m["input_fingerprint"].is_null(), "the next build must not take this dataset as up to date");
    // no flags now means the recorded thresholds, not the built-in ones
    rank(&ds, None);
    assert_eq!(rate(&ds).lines().count(), 1);
    assert_eq!(manifest(&ds)["reranked"].as_array().map(Vec::len), Some(2));
}

#[test]
fn a_killed_rank_leaves_the_previous_or_the_new_rankings_never_a_mix() {
    let tmp = tempfile::tempdir().expect("tmp");
    let ds = tmp.path().join("ds");
    build(&ds);
    let old = rankings(&ds);
    let strict = strict_pipeline(tmp.path());
    let done = tmp.path().join("done");
    build(&done);
    rank(&done, Some(&strict));
    let new = rankings(&done);
    assert_ne!(old, new);
    for delay_ms in [0u64, 5, 10, 20, 30, 50, 80, 120, 200] {
        let mut child = ogi()
            .args(["rank", "--dataset", &ds.to_string_lossy(), "--pipeline", &strict.to_string_lossy()])
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("spawn ogi rank");
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        if !ds.exists() {
            // killed between the swap's two renames: the next run puts the old one back
            rank(&ds, Some(&strict));
        }
        let now = rankings(&ds);
        assert!(now == old || now == new, "after a kill at {delay_ms} ms the rankings are torn");
        if now == new {
            // restore the old state for the next round
            std::fs::remove_dir_all(&ds).expect("rm");
            build(&ds);
        }
        assert!(manifest(&ds).is_object());
    }
}

#[test]
fn the_build_writes_the_excel_flavour_when_the_pipeline_says_so() {
    let tmp = tempfile::tempdir().expect("tmp");
    let pipeline = tmp.path().join("excel.toml");
    std::fs::write(&pipeline, "[rank]\nexcel = true\n").expect("write pipeline");
    let ds = tmp.path().join("ds");
    let ok = ogi()
        .args(["build", &repo().join("data/reports").to_string_lossy(), "--out", &ds.to_string_lossy()])
        .args(["--quiet", "--no-cache", "--pipeline", &pipeline.to_string_lossy()])
        .status()
        .expect("run ogi build");
    assert!(ok.success());
    let csv = std::fs::read(ds.join("summary/rank_request_volume.csv")).expect("csv");
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "no byte-order mark");
    // and a plain `ogi rank` keeps the flavour the build recorded
    rank(&ds, None);
    let csv = std::fs::read(ds.join("summary/rank_request_volume.csv")).expect("csv");
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "ogi rank dropped the byte-order mark");
}
