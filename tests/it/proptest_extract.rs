//! Property tests (issue 6): `parse_report` never panics — on arbitrary bytes, on text
//! made of report vocabulary, and on real reports (data/reports, tests/fixtures/shapes)
//! with lines deleted, digits swapped, rows shuffled, junk lines inserted, or cut off
//! anywhere. Mutations that only delete blank lines or swap two digits in the body keep
//! the report's title and year. Every source line a fact cites exists.
//!
//! Bounded to a few seconds in the normal suite; `PROPTEST_CASES=5000 cargo test --test
//! proptest_extract` runs longer.

use crate::common::{fixtures, proptest_cases, repo};
use ogi::model::Report;
use ogi::parse::parse_report;
use proptest::prelude::*;
use std::sync::OnceLock;

/// The real reports mutated below: (file name, bytes).
fn corpus() -> &'static Vec<(String, Vec<u8>)> {
    static C: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    C.get_or_init(|| {
        let mut v = Vec::new();
        for dir in [repo().join("data/reports"), fixtures().join("shapes")] {
            let mut entries: Vec<_> =
                std::fs::read_dir(&dir).expect("ls").flatten().map(|e| e.path()).collect();
            entries.sort();
            for p in entries {
                let name = p.file_name().expect("name").to_string_lossy().into_owned();
                if name.ends_with(".txt") || name.ends_with(".html") {
                    v.push((name, std::fs::read(&p).expect("read")));
                }
            }
        }
        assert!(v.len() >= 20, "corpus: {} files", v.len());
        v
    })
}

/// Invariants of any report: it has an id; every cited line exists in the text read.
fn check_invariants(name: &str, bytes: &[u8], r: &Report) -> Result<(), TestCaseError> {
    prop_assert_eq!(r.report_id.len(), 16);
    prop_assert_eq!(r.source_path.as_str(), name);
    if name.ends_with(".txt") {
        if let Some(d) = ogi::decode::decode(bytes).ok().filter(|d| !ogi::decode::looks_like_html(&d.text)) {
            let n_lines = u32::try_from(d.text.split('\n').count()).unwrap_or(u32::MAX);
            for l in r.cited_lines() {
                prop_assert!(l >= 1 && l <= n_lines, "{}: line {} of {}", name, l, n_lines);
            }
        }
    }
    Ok(())
}

const VOCAB: &[&str] = &[
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
    "岐山县人民政府2022年政府信息公开工作年度报告",
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果",
    "（一）予以公开",
    "（二）部分公开",
    "（三）不予公开",
    "1.属于国家秘密",
    "（六）其他处理",
    "3.其他",
    "（七）总计",
    "四、结转下年度继续办理",
    "自然人",
    "法人或其他组织",
    "商业企业",
    "总计",
    "行政复议",
    "行政诉讼",
    "结果维持",
    "尚未审结",
    "规章",
    "行政许可",
    "本年制发件数",
    "万元",
    "收费",
    "信息处理费",
    "发布日期：2023-01-30",
    "\t",
    "\n",
    "\r\n",
    "\r",
    " ",
    "　",
    "|",
    "0",
    "1",
    "7",
    "12",
    "１２",
    "-",
    "—",
    "/",
    "无",
    "99999999999999999999999",
    "-5",
    "3.5",
    "年",
    "2019",
    "2021",
    "<table>",
    "<tr>",
    "<td rowspan=3>",
    "<td colspan=999>",
    "</td>",
    "</tr>",
    "</table>",
    "<div>",
    "<p>",
    "<br>",
    "<script>",
    "\u{0}",
    "\u{FEFF}",
    "\u{FFFD}",
];

fn vocab_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(VOCAB), 0..400).prop_map(|v| v.concat())
}

/// What is done to a real report.
#[derive(Debug, Clone)]
enum Mutation {
    /// Delete each line whose index hash falls under `per_mille`.
    DeleteLines { seed: u64, per_mille: u16 },
    /// Delete only whitespace-only lines (all or some).
    DeleteBlankLines { seed: u64, per_mille: u16 },
    /// Swap two digits that differ, both in the second half of the text.
    SwapDigits { a: usize, b: usize },
    /// Shuffle a run of lines.
    ShuffleRows { start: usize, len: usize, seed: u64 },
    /// Cut the file at a byte offset (maybe inside a character).
    Truncate { at: usize },
    /// Insert lines of junk at some positions.
    InsertJunk { at: Vec<usize>, junk: Vec<String> },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<u64>(), 1..600u16).prop_map(|(seed, per_mille)| Mutation::DeleteLines { seed, per_mille }),
        (any::<u64>(), 1..1001u16)
            .prop_map(|(seed, per_mille)| Mutation::DeleteBlankLines { seed, per_mille }),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapDigits { a, b }),
        (any::<usize>(), 2..40usize, any::<u64>()).prop_map(|(start, len, seed)| Mutation::ShuffleRows {
            start,
            len,
            seed
        }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
        (prop::collection::vec(any::<usize>(), 1..8), prop::collection::vec(vocab_text(), 1..8))
            .prop_map(|(at, junk)| Mutation::InsertJunk { at, junk }),
    ]
}

/// A small deterministic hash (splitmix64) so a seed picks lines reproducibly.
fn mix(seed: u64, i: usize) -> u64 {
    let mut z = seed.wrapping_add((i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Applies `m` to the text of a report (decoded, so that digits and lines are
/// characters whatever the file's encoding); `Truncate` cuts the raw bytes.
fn apply(bytes: &[u8], m: &Mutation) -> Vec<u8> {
    let text = ogi::decode::decode(bytes).map(|d| d.text).unwrap_or_default();
    let lines: Vec<&str> = text.split('\n').collect();
    let keep_where = |pred: &dyn Fn(usize, &str) -> bool| -> Vec<u8> {
        lines
            .iter()
            .enumerate()
            .filter(|(i, l)| pred(*i, l))
            .map(|(_, l)| *l)
            .collect::<Vec<_>>()
            .join("\n")
            .into_bytes()
    };
    match m {
        Mutation::DeleteLines { seed, per_mille } => {
            keep_where(&|i, _| mix(*seed, i) % 1000 >= u64::from(*per_mille))
        }
        Mutation::DeleteBlankLines { seed, per_mille } => {
            keep_where(&|i, l| !l.trim().is_empty() || mix(*seed, i) % 1000 >= u64::from(*per_mille))
        }
        Mutation::SwapDigits { a, b } => {
            let mut chars: Vec<char> = text.chars().collect();
            let half = chars.len() / 2;
            let digits: Vec<usize> = (half..chars.len()).filter(|&i| chars[i].is_ascii_digit()).collect();
            if digits.len() >= 2 {
                let (i, j) = (digits[a % digits.len()], digits[b % digits.len()]);
                chars.swap(i, j);
            }
            chars.into_iter().collect::<String>().into_bytes()
        }
        Mutation::ShuffleRows { start, len, seed } => {
            let mut v = lines.clone();
            if !v.is_empty() {
                let s = start % v.len();
                let e = (s + len).min(v.len());
                let run = &mut v[s..e];
                // Fisher-Yates with the seeded hash.
                for k in (1..run.len()).rev() {
                    let r = (mix(*seed, k) % (k as u64 + 1)) as usize;
                    run.swap(k, r);
                }
            }
            v.join("\n").into_bytes()
        }
        Mutation::Truncate { at } => bytes[..at % (bytes.len() + 1)].to_vec(),
        Mutation::InsertJunk { at, junk } => {
            let mut v: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
            for (k, j) in junk.iter().enumerate() {
                let pos = at.get(k).copied().unwrap_or(0) % (v.len() + 1);
                v.insert(pos, j.clone());
            }
            v.join("\n").into_bytes()
        }
    }
}

proptest! {
    #![proptest_config(proptest_cases(64))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048), html in any::<bool>()) {
        let name = if html { "x.html" } else { "x.txt" };
        let r = parse_report(name, &bytes);
        check_invariants(name, &bytes, &r)?;
    }

    #[test]
    fn report_vocabulary_never_panics(text in vocab_text(), html in any::<bool>()) {
        let name = if html { "x.html" } else { "x.txt" };
        let r = parse_report(name, text.as_bytes());
        check_invariants(name, text.as_bytes(), &r)?;
    }
}

proptest! {
    #![proptest_config(proptest_cases(48))]

    #[test]
    fn mutated_real_reports_never_panic(pick in any::<prop::sample::Index>(), m in mutation()) {
        let (name, bytes) = pick.get(corpus());
        let mutated = apply(bytes, &m);
        let r = parse_report(name, &mutated);
        // Mutations re-encode the text as UTF-8 (Truncate keeps the original bytes).
        check_invariants(name, &mutated, &r)?;
    }

    #[test]
    fn blank_lines_and_swapped_digits_keep_title_and_year(
        pick in any::<prop::sample::Index>(),
        seed in any::<u64>(),
        per_mille in 1..1001u16,
        a in any::<usize>(),
        b in any::<usize>(),
        swap in any::<bool>(),
    ) {
        let (name, bytes) = pick.get(corpus());
        let original = parse_report(name, bytes);
        prop_assume!(original.title.is_some() && original.year.is_some());
        let m = if swap { Mutation::SwapDigits { a, b } } else { Mutation::DeleteBlankLines { seed, per_mille } };
        let r = parse_report(name, &apply(bytes, &m));
        prop_assert!(r.title.is_some(), "{}: {:?} lost the title", name, m);
        prop_assert_eq!(r.year, original.year, "{}: {:?} changed the year", name, m);
    }
}

/// PDF and Word files: tiny hand-made tables (tests/fixtures/documents) and a rendered
/// report in both forms.
fn documents() -> &'static [(&'static str, Vec<u8>)] {
    static D: OnceLock<Vec<(&'static str, Vec<u8>)>> = OnceLock::new();
    D.get_or_init(|| {
        let f = fixtures();
        [
            ("tiny_table.pdf", f.join("documents/tiny_table.pdf")),
            ("tiny_merged.docx", f.join("documents/tiny_merged.docx")),
            ("r.pdf", f.join("rendered/pdf/001_411103_2021.pdf")),
            ("r.docx", f.join("rendered/docx/001_411103_2021.docx")),
        ]
        .into_iter()
        .map(|(name, path)| (name, std::fs::read(path).expect("fixture")))
        .collect()
    })
}

proptest! {
    #![proptest_config(proptest_cases(32))]

    /// Bytes overwritten anywhere, and the file cut short: the engine may fail on a page
    /// or the whole file, but the reader never panics and always gives its report.
    #[test]
    fn damaged_pdf_and_word_files_never_panic(
        pick in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<usize>(), any::<u8>()), 1..24),
        cut in any::<Option<usize>>(),
    ) {
        let (name, original) = pick.get(documents());
        let mut bytes = original.clone();
        for (at, v) in edits {
            let i = at % bytes.len();
            bytes[i] = v;
        }
        if let Some(c) = cut {
            bytes.truncate(c % (bytes.len() + 1));
        }
        let r = parse_report(name, &bytes);
        prop_assert_eq!(r.report_id.len(), 16);
        prop_assert!(matches!(r.format.as_ref(), "pdf" | "docx" | "text" | "unknown" | "zip"), "{}", r.format);
    }
}
