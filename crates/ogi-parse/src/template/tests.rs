use super::*;
use std::collections::HashSet;

#[test]
fn every_era_the_template_names_is_one_of_the_two() {
    let t = template();
    let known: Vec<&str> = TemplateEra::ALL.iter().map(|e| e.as_str()).collect();
    for r in &t.requests.row {
        assert!(r.eras.iter().all(|e| known.contains(&e.as_str())), "{}: eras {:?}", r.id, r.eras);
    }
}

#[test]
fn table3_has_23_or_25_value_rows() {
    let t = template();
    for (era, n) in [(TemplateEra::Y2019, 23), (TemplateEra::Y2021, 25)] {
        let rows = t.requests.row.iter().filter(|r| r.in_era(era) && r.kind != RowKind::Header).count();
        assert_eq!(rows, n, "era {era:?}");
    }
    assert_eq!(t.requests.columns.len(), 7);
    assert_eq!(t.requests.column_labels.len(), 7);
    assert_eq!(t.requests.columns.last().map(String::as_str), Some("total"));
}

#[test]
fn row_ids_unique_and_outcomes_have_groups() {
    let t = template();
    let mut seen = HashSet::new();
    for r in &t.requests.row {
        assert!(seen.insert(r.id.clone()), "duplicate row {}", r.id);
        assert!(!r.aliases.is_empty(), "row {} has no alias", r.id);
        assert_eq!(r.kind == RowKind::Outcome, r.group.is_some(), "row {}", r.id);
    }
}

#[test]
fn legacy_prose_patterns_compile_and_name_known_facts() {
    let t = template();
    let known = ["requests", "outcomes", "litigation", "fees", "proactive"];
    for p in &t.legacy.prose {
        assert!(known.contains(&p.fact.split('.').next().unwrap_or("")), "{}", p.fact);
        assert_eq!(p.fact.split('.').count(), 3, "{}", p.fact);
        // The reader skips sentences without a numeral before trying `patterns`.
        assert!(p.patterns.iter().all(|re| re.contains("{N}")), "{}: a pattern without {{N}}", p.fact);
        for re in p.patterns.iter().chain(&p.zero) {
            let re = re.replace("{N}", "(\\d+)");
            assert!(regex::Regex::new(&re).is_ok(), "{} does not compile", re);
        }
    }
    for r in &t.legacy.table.row {
        assert_eq!(r.fact.split('.').count(), 3, "{}", r.fact);
        assert!(r.labels.iter().all(|set| !set.is_empty()), "{}", r.fact);
    }
}

#[test]
fn litigation_geometry_is_fifteen_cells() {
    let t = template();
    assert_eq!(t.litigation.proceedings.len() * t.litigation.results.len(), 15);
    assert_eq!(t.litigation.results.last().map(String::as_str), Some("total"));
}

#[test]
fn page_number_patterns_compile_and_do_not_eat_cells() {
    for p in &template().cells.page_numbers {
        let re = regex::Regex::new(p).expect("pattern compiles");
        assert!(!re.is_match("5"), "{p} would swallow a cell");
        assert!(!re.is_match("-1"), "{p} would swallow a negative cell");
    }
}

/// The Chinese literals the reader's code may hold: the number system and punctuation
/// (language, not template). Every other word is in template.toml.
const LANGUAGE: &[&str] = &[
    "〇",
    "零",
    "一",
    "二",
    "两",
    "三",
    "四",
    "五",
    "六",
    "七",
    "八",
    "九",
    "十",
    "百",
    "千",
    "万",
    "一二三四五六七八九十",
    "零〇一二两三四五六七八九十百千万",
    "、",
    "。",
    "《",
    "、()“”\\\"",
    "－",
    "０",
    "９",
];

/// String and char literals of one line of code, as written (escapes kept).
fn literals(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = code.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        match c {
            '"' => {
                let mut lit = String::new();
                while let Some((_, d)) = chars.next() {
                    match d {
                        '\\' => {
                            lit.push(d);
                            if let Some((_, e)) = chars.next() {
                                lit.push(e);
                            }
                        }
                        '"' => break,
                        _ => lit.push(d),
                    }
                }
                out.push(lit);
            }
            '/' if chars.peek().is_some_and(|(_, d)| *d == '/') => break,
            '\'' => {
                // a char literal: 'x' (a lifetime has no closing quote right after)
                let rest: String = chars.clone().take(2).map(|(_, d)| d).collect();
                let mut it = rest.chars();
                if let (Some(x), Some('\'')) = (it.next(), it.next()) {
                    out.push(x.to_string());
                    chars.next();
                    chars.next();
                }
            }
            _ => {}
        }
    }
    out
}

fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") && !p.ends_with("tests.rs") {
            out.push(p);
        }
    }
}

#[test]
fn the_template_words_live_in_template_toml() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    assert!(files.len() > 50, "{} files under {}", files.len(), root.display());
    let cjk = |s: &str| {
        s.chars().any(|c| {
            crate::normalise::is_cjk(c)
                || ('\u{3000}'..='\u{303f}').contains(&c)
                || ('\u{ff00}'..='\u{ffef}').contains(&c)
        })
    };
    let mut found = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        // (the code before a file's test module)
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (n, line) in code.lines().enumerate() {
            for lit in literals(line) {
                // messages (English with the report's own terms) may quote Chinese
                let message = lit.chars().any(|c| c.is_ascii_alphabetic());
                if cjk(&lit) && !message && !LANGUAGE.contains(&lit.as_str()) {
                    found.push(format!("{}:{}: {lit:?}", f.display(), n + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "Chinese words in the reader's code belong in template.toml:\n{}",
        found.join("\n")
    );
}
