//! Compares an extracted `Report` with a truth file entry (the format of
//! `shared/samples/expected.json`) cell by cell, so tests report exactly which
//! values are wrong rather than a bare pass/fail.
#![allow(dead_code)]

pub mod hostile;

use ogi::model::Report;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The `ogi` binary of this build.
pub fn ogi() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ogi"))
}

/// `ogi build INPUT --out OUT --quiet FLAGS…`, which must succeed; its output (stderr
/// holds the summary a build prints without --quiet).
pub fn build(input: &Path, out: &Path, flags: &[&str]) -> std::process::Output {
    let o = ogi().arg("build").arg(input).arg("--out").arg(out).args(flags).output().expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    o
}

/// Every file under `dir` (relative path → bytes).
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut m = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(dir).expect("under dir").to_path_buf();
            m.insert(rel, std::fs::read(e.path()).expect("read"));
        }
    }
    m
}

/// One table of a built dataset, read back with polars.
pub fn read_table(dir: &Path, name: &str) -> polars::prelude::DataFrame {
    use polars::prelude::*;
    let f = std::fs::File::open(dir.join(format!("{name}.parquet"))).expect("open");
    ParquetReader::new(f).finish().expect("parquet")
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A truth file, with `beyond_truth.json` beside it merged in when there is one: values
/// the text states that the hand-checked truth does not list, each with its sentence.
pub fn load_truth(path: &Path) -> serde_json::Map<String, Value> {
    let read = |path: &Path| {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        match serde_json::from_str(&text) {
            Ok(Value::Object(m)) => m,
            other => panic!("{}: not a JSON object: {other:?}", path.display()),
        }
    };
    let mut truth = read(path);
    let beyond = path.with_file_name("beyond_truth.json");
    if beyond.is_file() {
        for (file, extra) in read(&beyond) {
            let Some(entry) = truth.get_mut(&file) else { continue };
            for (table, cells) in extra.as_object().into_iter().flatten() {
                let Some(cells) = cells.as_object() else { continue };
                let slot = entry
                    .as_object_mut()
                    .expect("truth entry is an object")
                    .entry(table.clone())
                    .or_insert_with(|| Value::Object(Default::default()));
                if let Some(m) = slot.as_object_mut() {
                    m.extend(cells.clone());
                }
            }
        }
    }
    truth
}

/// Parses a file the way `ogi build` does (extraction + region resolution).
pub fn parse_file(path: &Path) -> Report {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut r = ogi::parse::parse_report(&name, &bytes);
    ogi::region::resolve_region(&mut r);
    r
}

#[derive(Debug, Default)]
pub struct Tally {
    pub checked: usize,
    pub misses: Vec<String>,
    /// Misses where the report states something else, or a value the truth does not list.
    pub wrong: Vec<String>,
}

impl Tally {
    fn check(&mut self, what: String, want: &Value, got: Option<f64>) {
        self.checked += 1;
        let ok = match (want.as_f64(), got) {
            (Some(w), Some(g)) => (w - g).abs() <= 0.011_f64.max(1e-6 * w.abs()),
            _ => false,
        };
        if !ok {
            self.miss(format!("{what}: want {want}, got {got:?}"), got.is_some());
        }
    }

    fn check_str(&mut self, what: &str, want: &Value, got: Option<&str>) {
        self.checked += 1;
        if want.as_str() != got {
            self.miss(format!("{what}: want {want}, got {got:?}"), got.is_some());
        }
    }

    fn miss(&mut self, what: String, stated: bool) {
        if stated {
            self.wrong.push(what.clone());
        }
        self.misses.push(what);
    }

    /// Values of the truth read right, out of those checked.
    pub fn read(&self) -> usize {
        self.checked.saturating_sub(self.misses.len() - self.unexpected())
    }

    fn unexpected(&self) -> usize {
        self.misses.iter().filter(|m| m.ends_with("not in the truth")).count()
    }
}

/// `compare`, asserting that every value of the truth entry was read and nothing the
/// report does not state was stated; the tally for further checks.
pub fn assert_all_read(what: &str, r: &Report, t: &Value) -> Tally {
    let tally = compare(r, t);
    assert!(
        tally.misses.is_empty(),
        "{what}: {} of {} wrong:\n{}",
        tally.misses.len(),
        tally.checked,
        tally.misses.join("\n")
    );
    tally
}

/// Every figure of the truth entry against the report.
pub fn compare(r: &Report, t: &Value) -> Tally {
    let mut tally = Tally::default();
    let s = |k: &str| t.get(k);
    if let Some(w) = s("year") {
        tally.check("year".into(), w, r.year.map(f64::from));
    }
    if let Some(w) = s("era") {
        tally.check_str("era", w, r.era.map(ogi::model::Era::as_str));
    }
    if let Some(w) = s("agency_kind") {
        tally.check_str("agency_kind", w, Some(&r.agency_kind));
    }
    if let Some(w) = s("region_code") {
        tally.check_str("region_code", w, r.region.code.as_deref());
    }
    if let Some(w) = s("province") {
        tally.check_str("province", w, r.region.province.as_deref());
    }
    if let Some(w) = s("prefecture") {
        tally.check_str("prefecture", w, r.region.prefecture.as_deref());
    }
    if let Some(w) = s("published_on") {
        let got = r.published_on.map(|d| {
            let date = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")
                + chrono::Duration::days(i64::from(d));
            date.format("%Y-%m-%d").to_string()
        });
        tally.check_str("published_on", w, got.as_deref());
    }
    if let Some(w) = s("identity_ok") {
        tally.checked += 1;
        if w.as_bool() != r.identity_ok {
            tally.miss(format!("identity_ok: want {w}, got {:?}", r.identity_ok), r.identity_ok.is_some());
        }
    }
    for (app, cols) in s("requests").and_then(Value::as_object).into_iter().flatten() {
        let row = r.requests.iter().find(|q| q.applicant == *app);
        for (k, w) in cols.as_object().into_iter().flatten() {
            let got = row.and_then(|q| match k.as_str() {
                "new_received" => q.new_received,
                "carried_over" => q.carried_over,
                "carried_forward" => q.carried_forward,
                _ => None,
            });
            tally.check(format!("requests {app}.{k}"), w, got.map(|v| v as f64));
        }
    }
    for (key, w) in s("outcomes").and_then(Value::as_object).into_iter().flatten() {
        let (o, a) = key.split_once('|').unwrap_or((key, ""));
        let got = r.outcomes.iter().find(|x| x.outcome == o && x.applicant == a).and_then(|x| x.count);
        tally.check(format!("outcomes {key}"), w, got.map(|v| v as f64));
    }
    for (key, w) in s("litigation").and_then(Value::as_object).into_iter().flatten() {
        let got = if key == "lawsuits_total" {
            let v: Vec<i64> = r
                .litigation
                .iter()
                .filter(|l| l.result == "total" && l.proceeding.starts_with("lawsuit"))
                .filter_map(|l| l.count)
                .collect();
            (!v.is_empty()).then(|| v.iter().sum::<i64>())
        } else {
            let (p, res) = key.split_once('|').unwrap_or((key, ""));
            r.litigation.iter().find(|l| l.proceeding == p && l.result == res).and_then(|l| l.count)
        };
        tally.check(format!("litigation {key}"), w, got.map(|v| v as f64));
    }
    for (key, w) in s("proactive").and_then(Value::as_object).into_iter().flatten() {
        let (c, m) = key.split_once('|').unwrap_or((key, ""));
        let got = r.proactive.iter().find(|p| p.category == c && p.metric == m).and_then(|p| p.value);
        tally.check(format!("proactive {key}"), w, got);
    }
    for (kind, cols) in s("fees").and_then(Value::as_object).into_iter().flatten() {
        let fee = r.fees.iter().find(|f| f.fee_kind == kind.as_str());
        for (k, w) in cols.as_object().into_iter().flatten() {
            let got = fee.and_then(|f| match k.as_str() {
                "notices_issued" => f.notices_issued.map(|v| v as f64),
                "amount_billed_yuan" => f.amount_billed_yuan,
                "amount_collected_yuan" => f.amount_collected_yuan,
                "amount_waived_yuan" => f.amount_waived_yuan,
                _ => None,
            });
            tally.check(format!("fees {kind}.{k}"), w, got);
        }
    }
    unexpected(r, t, &mut tally);
    tally
}

/// Every value the report states must be one the truth lists: a number in a cell the
/// truth leaves out (a cell the text does not determine) is a guess, and fails.
fn unexpected(r: &Report, t: &Value, tally: &mut Tally) {
    // The truth's `lawsuits_total` is the lawsuits' total however the report splits them.
    let listed = |table: &str, key: &str| {
        t.get(table).and_then(|v| v.get(key)).is_some()
            || (key == "lawsuit|total" && t.get(table).and_then(|v| v.get("lawsuits_total")).is_some())
    };
    for q in &r.requests {
        let listed_col = |k: &str| {
            t.get("requests").and_then(|v| v.get(q.applicant.as_ref())).and_then(|v| v.get(k)).is_some()
        };
        for (k, v) in [
            ("new_received", q.new_received),
            ("carried_over", q.carried_over),
            ("carried_forward", q.carried_forward),
        ] {
            if v.is_some() && !listed_col(k) {
                tally.miss(format!("requests {}.{k}: stated {v:?}, not in the truth", q.applicant), true);
            }
        }
    }
    let mut stated = |table: &str, key: String, v: Option<f64>| {
        if let Some(v) = v {
            if !listed(table, &key) {
                tally.miss(format!("{table} {key}: stated {v}, not in the truth"), true);
            }
        }
    };
    for o in &r.outcomes {
        stated("outcomes", format!("{}|{}", o.outcome, o.applicant), o.count.map(|v| v as f64));
    }
    for l in &r.litigation {
        stated("litigation", format!("{}|{}", l.proceeding, l.result), l.count.map(|v| v as f64));
    }
    for p in &r.proactive {
        stated("proactive", format!("{}|{}", p.category, p.metric), p.value);
    }
    for f in &r.fees {
        let listed_col =
            |k: &str| t.get("fees").and_then(|v| v.get(f.fee_kind.as_ref())).and_then(|v| v.get(k)).is_some();
        for (k, v) in [
            ("notices_issued", f.notices_issued.map(|v| v as f64)),
            ("amount_billed_yuan", f.amount_billed_yuan),
            ("amount_collected_yuan", f.amount_collected_yuan),
            ("amount_waived_yuan", f.amount_waived_yuan),
        ] {
            if v.is_some() && !listed_col(k) {
                tally.miss(format!("fees {}.{k}: stated {v:?}, not in the truth", f.fee_kind), true);
            }
        }
    }
}

/// Proptest cases: `n`, or $PROPTEST_CASES for longer runs.
pub fn proptest_cases(n: u32) -> proptest::test_runner::Config {
    let n = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(n);
    proptest::test_runner::Config { cases: n, ..proptest::test_runner::Config::default() }
}
