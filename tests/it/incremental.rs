//! The incremental cache: a rebuild with nothing changed leaves the dataset alone, a
//! rebuild after a change re-parses only what changed and writes exactly what a
//! full build writes, and `--no-cache` ignores the cache.

use crate::common::fixtures;
use std::path::Path;

fn build(input: &Path, out: &Path, cache: &Path, extra: &[&str]) -> String {
    let cache = cache.to_string_lossy();
    let flags: Vec<&str> = ["--cache-dir", cache.as_ref()].into_iter().chain(extra.iter().copied()).collect();
    let o = crate::common::build(input, out, &flags);
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("ls").flatten() {
        let name = e.file_name();
        let n = name.to_string_lossy();
        if n.ends_with(".txt") || n.ends_with(".html") {
            std::fs::copy(e.path(), to.join(&name)).expect("copy");
        }
    }
}

#[test]
fn unchanged_inputs_are_up_to_date_and_changes_match_a_full_build() {
    let tmp = tempfile::tempdir().expect("tmp");
    let input = tmp.path().join("in");
    copy_dir(&fixtures().join("shapes"), &input);
    let (out, cache) = (tmp.path().join("ds"), tmp.path().join("cache"));
    build(&input, &out, &cache, &[]);
    let before = std::fs::read(out.join("outcomes.parquet")).expect("read");
    let stamp = std::fs::metadata(out.join("manifest.json")).and_then(|m| m.modified()).expect("mtime");
    let said = build(&input, &out, &cache, &[]);
    assert!(said.contains("up to date"), "{said}");
    let stamp2 = std::fs::metadata(out.join("manifest.json")).and_then(|m| m.modified()).expect("mtime");
    assert_eq!(stamp, stamp2, "an up-to-date dataset is not rewritten");

    // Change one report's numbers: 新收 14 → 15 for 自然人 and 20 → 21 in 总计.
    let f = input.join("01_cell_per_line_blank.txt");
    let text = std::fs::read_to_string(&f).expect("read");
    assert!(text.contains("\n14\n"), "fixture layout changed");
    std::fs::write(&f, text.replacen("\n14\n", "\n15\n", 1).replacen("\n20\n", "\n21\n", 1)).expect("write");
    build(&input, &out, &cache, &[]);
    let full = tmp.path().join("full");
    build(&input, &full, &cache, &["--no-cache"]);
    for t in
        ["reports", "requests", "outcomes", "proactive", "litigation", "fees", "diagnostics", "county_year"]
    {
        let name = format!("{t}.parquet");
        assert_eq!(
            std::fs::read(out.join(&name)).expect("a"),
            std::fs::read(full.join(&name)).expect("b"),
            "{name}"
        );
    }
    assert_ne!(
        std::fs::read(out.join("outcomes.parquet")).expect("read"),
        before,
        "the change reached the dataset"
    );
}

#[test]
fn no_cache_builds_leave_no_cache_behind() {
    let tmp = tempfile::tempdir().expect("tmp");
    let cache = tmp.path().join("cache");
    build(&fixtures().join("legacy"), &tmp.path().join("ds"), &cache, &["--no-cache"]);
    assert!(!cache.exists());
}
