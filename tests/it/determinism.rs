//! Deterministic output (issue 6): two builds of the same input produce byte-identical
//! files — every Parquet table including county_year, every summary CSV — whatever the
//! number of worker threads, and whether reports come from the cache or are parsed.
//! manifest.json is identical except for its timings.

use crate::common::{fixtures, repo, snapshot};
use std::path::Path;

fn manifest_without_timings(bytes: &[u8]) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_slice(bytes).expect("manifest json");
    v.as_object_mut().expect("object").remove("timings_ms");
    v
}

#[test]
fn two_builds_of_the_same_input_are_identical_whatever_the_jobs() {
    let tmp = tempfile::tempdir().expect("tmp");
    let input = tmp.path().join("in");
    // Samples, table shapes and hostile fixtures, in subdirectories: rankings with ties,
    // several years and regions, failed and partial rows, every encoding.
    for (from, to) in [
        (repo().join("data/reports"), "samples"),
        (fixtures().join("shapes"), "shapes"),
        (fixtures().join("bad"), "bad"),
    ] {
        let dst = input.join(to);
        std::fs::create_dir_all(&dst).expect("mkdir");
        for e in std::fs::read_dir(&from).expect("ls").flatten() {
            std::fs::copy(e.path(), dst.join(e.file_name())).expect("copy");
        }
    }
    // From scratch twice with 2 workers and once with 1; then through a fresh cache
    // (cold) and again through the same cache (warm, every report read from it).
    let cache = tmp.path().join("cache");
    let cache = cache.to_str().expect("utf-8 path");
    let runs: [&[&str]; 5] = [
        &["--jobs", "2", "--no-cache"],
        &["--jobs", "2", "--no-cache"],
        &["--jobs", "1", "--no-cache"],
        &["--jobs", "2", "--cache-dir", cache],
        &["--jobs", "2", "--cache-dir", cache],
    ];
    let mut builds = Vec::new();
    for (i, flags) in runs.iter().enumerate() {
        let out = tmp.path().join(format!("out{i}"));
        let flags: Vec<&str> = ["--quiet"].into_iter().chain(flags.iter().copied()).collect();
        crate::common::build(&input, &out, &flags);
        builds.push(snapshot(&out));
    }
    let first = &builds[0];
    for f in [
        "reports.parquet",
        "proactive.parquet",
        "requests.parquet",
        "outcomes.parquet",
        "litigation.parquet",
        "fees.parquet",
        "diagnostics.parquet",
        "county_year.parquet",
        "summary/rank_request_volume.csv",
        "summary/rank_disclosure_rate.csv",
        "summary/rank_yoy_change.csv",
        "manifest.json",
    ] {
        assert!(first.contains_key(Path::new(f)), "{f} missing from the dataset");
    }
    for (i, other) in builds.iter().enumerate().skip(1) {
        assert_eq!(
            first.keys().collect::<Vec<_>>(),
            other.keys().collect::<Vec<_>>(),
            "build {i} wrote other files"
        );
        for (path, bytes) in first {
            let theirs = &other[path];
            if path == Path::new("manifest.json") {
                assert_eq!(
                    manifest_without_timings(bytes),
                    manifest_without_timings(theirs),
                    "manifest (build {i})"
                );
            } else {
                assert!(bytes == theirs, "{} differs between build 0 and build {i}", path.display());
            }
        }
    }
}
