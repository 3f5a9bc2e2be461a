//! Legacy prose → facts. Each fact of the template's `[[legacy.prose]]` list is looked
//! for sentence by sentence; the first sentence that states it wins. Approximate
//! figures ("5530余条", "100多件") are not values and are skipped.

use super::numerals::{self, NUMBER};
use crate::normalise::Line;
use crate::template::template;
use regex::Regex;
use std::sync::OnceLock;

#[derive(Debug, Clone, PartialEq)]
pub struct Stated {
    pub fact: String,
    pub value: f64,
    pub line: u32,
    pub evidence: String,
}

struct Compiled {
    fact: String,
    needs: Vec<String>,
    patterns: Vec<Regex>,
    zero: Vec<Regex>,
    sum_parts: bool,
}

fn compiled() -> &'static [Compiled] {
    static C: OnceLock<Vec<Compiled>> = OnceLock::new();
    C.get_or_init(|| {
        let build = |p: &String| {
            let p =
                p.replace("{N}", &format!("(?P<n>{})", NUMBER.trim_start_matches('(').trim_end_matches(')')));
            let p = p.replace("(万)", "(?P<wan>万)");
            Regex::new(&p).ok()
        };
        template()
            .legacy
            .prose
            .iter()
            .map(|s| Compiled {
                fact: s.fact.clone(),
                needs: s.needs.clone(),
                patterns: s.patterns.iter().filter_map(build).collect(),
                zero: s.zero.iter().filter_map(build).collect(),
                sum_parts: s.sum_parts,
            })
            .collect()
    })
}

fn value_of(re: &Regex, sentence: &str) -> Option<f64> {
    for caps in re.captures_iter(sentence) {
        let (Some(whole), Some(n)) = (caps.get(0), caps.name("n")) else { continue };
        let after = sentence.get(whole.end()..).unwrap_or("");
        if after.starts_with('余') || after.starts_with('多') || after.starts_with("左右") {
            continue;
        }
        let Some(mut v) = numerals::parse(n.as_str()) else { continue };
        if caps.name("wan").is_some() {
            v *= 10_000.0;
        }
        return Some(v);
    }
    None
}

/// Whether the sentence holds a digit or a Chinese numeral (what NUMBER starts with).
fn has_numeral(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit() || numerals::CHINESE_NUMERALS.contains(c))
}

/// Every prose fact the text states, with the sentence it came from.
pub fn scan(lines: &[Line]) -> Vec<Stated> {
    scan_facts(lines, |_| true)
}

/// Only the facts `wanted` accepts (the modern cross-check needs one).
pub fn scan_facts(lines: &[Line], wanted: impl Fn(&str) -> bool) -> Vec<Stated> {
    let specs: Vec<&Compiled> = compiled().iter().filter(|s| wanted(&s.fact)).collect();
    // A fact with `needs` is only read from sentences holding one of its words, so a
    // line holding none of any wanted fact's words is never split into sentences
    // (the modern cross-check wants one fact and would otherwise split every line).
    let every_line = specs.iter().any(|s| s.needs.is_empty());
    let useful =
        |l: &&Line| every_line || specs.iter().any(|s| s.needs.iter().any(|n| l.text.contains(n.as_str())));
    // Sentences with the line they are on; numbers never span a sentence break.
    let sentences: Vec<(u32, &str)> = lines
        .iter()
        .filter(useful)
        .flat_map(|l| l.text.split(['。', ';', '!', '?']).map(move |s| (l.no, s)))
        .filter(|(_, s)| !s.trim().is_empty())
        .collect();
    let mut out = Vec::new();
    for spec in specs {
        let relevant = |s: &str| spec.needs.is_empty() || spec.needs.iter().any(|n| s.contains(n.as_str()));
        let mut found: Option<Stated> = None;
        // Every pattern holds a {N}: a sentence without a numeral cannot state the fact.
        for &(line, sentence) in sentences.iter().filter(|(_, s)| relevant(s) && has_numeral(s)) {
            let values: Vec<f64> = spec.patterns.iter().filter_map(|re| value_of(re, sentence)).collect();
            let Some(first) = values.first() else { continue };
            let value = if spec.sum_parts { values.iter().sum() } else { *first };
            found =
                Some(Stated { fact: spec.fact.clone(), value, line, evidence: sentence.trim().to_string() });
            break;
        }
        if found.is_none() {
            found = sentences
                .iter()
                .filter(|(_, s)| relevant(s) || spec.needs.is_empty())
                .find(|(_, s)| spec.zero.iter().any(|re| re.is_match(s)))
                .map(|&(line, s)| Stated {
                    fact: spec.fact.clone(),
                    value: 0.0,
                    line,
                    evidence: s.trim().to_string(),
                });
        }
        out.extend(found);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::normalise;

    fn get(text: &str, fact: &str) -> Option<f64> {
        scan(&normalise(text)).into_iter().find(|s| s.fact == fact).map(|s| s.value)
    }

    #[test]
    fn phrasing_families() {
        assert_eq!(get("全年共收到政府信息公开申请12件。", "requests.total.new_received"), Some(12.0));
        assert_eq!(get("全年受理依申请公开十二件。", "requests.total.new_received"), Some(12.0));
        assert_eq!(get("2018年,我县无依申请公开办理。", "requests.total.new_received"), Some(0.0));
        assert_eq!(get("我县未收到政府信息公开申请。", "requests.total.new_received"), Some(0.0));
        assert_eq!(get("其中同意公开两件,属于已主动公开范围3件。", "outcomes.granted.total"), Some(5.0));
        assert_eq!(
            get("2018年,我县行政复议20件,行政诉讼21件。", "litigation.admin_review.total"),
            Some(20.0)
        );
        assert_eq!(get("2018年,我县行政复议20件,行政诉讼21件。", "litigation.lawsuit.total"), Some(21.0));
        assert_eq!(get("收取检索费1.5万元。", "fees.legacy_fee.amount_collected_yuan"), Some(15000.0));
        assert_eq!(
            get("没有关于政府信息公开收取和减免任何费用。", "fees.legacy_fee.amount_collected_yuan"),
            Some(0.0)
        );
        assert_eq!(get("2016主动公开政府信息1727条。", "proactive.all_information.published"), Some(1727.0));
        assert_eq!(get("主动公开政府信息一百零三条。", "proactive.all_information.published"), Some(103.0));
    }

    #[test]
    fn approximations_and_silence_are_not_values() {
        assert_eq!(get("主动公开政府信息5530余条。", "proactive.all_information.published"), None);
        assert_eq!(get("加强政府网站建设。", "fees.legacy_fee.amount_collected_yuan"), None);
    }
}
