//! The same file twice in the input (scraped corpora are full of them): one copy
//! counts, the other keeps its `reports` row with `duplicate_of`, and county_year keeps
//! exactly one row per (region_code, year) with nothing counted twice.

use crate::common::{read_table, repo};
use polars::prelude::*;
use std::path::Path;

fn build(input: &Path, out: &Path) {
    crate::common::build(input, out, &["--quiet", "--no-cache"]);
}

#[test]
fn a_file_given_twice_counts_once() {
    let tmp = tempfile::tempdir().expect("tmp");
    let input = tmp.path().join("in");
    for sub in ["a", "b", "c"] {
        std::fs::create_dir_all(input.join(sub)).expect("mkdir");
    }
    let samples = repo().join("data/reports");
    let sample = "000_ecc1fc1fff3214b5.txt";
    for sub in ["a", "b", "c"] {
        std::fs::copy(samples.join(sample), input.join(sub).join(sample)).expect("copy");
    }
    std::fs::copy(samples.join("001_65ea80a590272765.txt"), input.join("a/001.txt")).expect("copy");
    let single = tmp.path().join("single");
    std::fs::create_dir_all(&single).expect("mkdir");
    std::fs::copy(samples.join(sample), single.join(sample)).expect("copy");
    std::fs::copy(samples.join("001_65ea80a590272765.txt"), single.join("001.txt")).expect("copy");

    let (out, out1) = (tmp.path().join("ds"), tmp.path().join("ds1"));
    build(&input, &out);
    build(&single, &out1);

    let reports = read_table(&out, "reports");
    assert_eq!(reports.height(), 4, "every input file keeps its row");
    let dup = reports.column("duplicate_of").expect("duplicate_of");
    assert_eq!(dup.null_count(), 2, "the first copy and the other file are not duplicates");
    let paths = reports.column("source_path").expect("path").str().expect("str");
    for (p, d) in paths.iter().zip(dup.str().expect("str").iter()) {
        let p = p.unwrap_or_default();
        assert_eq!(d.is_some(), p.starts_with("b/") || p.starts_with("c/"), "{p}: {d:?}");
    }
    // the fact tables and county_year are those of the input without copies
    for name in ["requests", "outcomes", "litigation", "proactive", "county_year"] {
        let (got, want) = (read_table(&out, name), read_table(&out1, name));
        assert_eq!(got.height(), want.height(), "{name}");
        assert!(got.equals_missing(&want), "{name}: differs from the build without copies");
    }
    let cy = read_table(&out, "county_year");
    let keys = cy.select(["region_code", "year"]).expect("keys");
    assert_eq!(
        keys.unique_stable(None, UniqueKeepStrategy::Any, None).expect("unique").height(),
        cy.height()
    );
    let handled = |df: &DataFrame| df.column("handled").expect("handled").i64().expect("i64").sum();
    assert_eq!(handled(&cy), handled(&read_table(&out1, "county_year")), "handled counted once");
}
