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
