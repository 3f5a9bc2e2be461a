//! Legacy prose → facts. Each fact of the template's `[[legacy.prose]]` list is looked
//! for sentence by sentence, only in sentences that may state it: a request or outcome
//! fact in its section, or elsewhere in a sentence naming the subject (政府信息公开申请),
//! and never in a sentence about an approval hall, a hotline or a proposal
//! (`[legacy.guards]`). Sentences that state different values leave the fact null.
//! Approximate figures ("5530余条", "100多件") are not values and are skipped.

use super::numerals::{self, NUMBER};
use crate::normalise::Line;
use crate::segment::Sections;
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

/// Sentences that state different values for one fact: (value, line) each.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub fact: String,
    pub values: Vec<(f64, u32)>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scan {
    pub stated: Vec<Stated>,
    pub conflicts: Vec<Conflict>,
}

struct Compiled {
    fact: String,
    section: Option<String>,
    subject: Vec<String>,
    heading: Vec<String>,
    needs: Vec<String>,
    patterns: Vec<Regex>,
    zero: Vec<Regex>,
    sum_parts: bool,
    unless: Vec<String>,
}

fn compiled() -> &'static [Compiled] {
    static C: OnceLock<Vec<Compiled>> = OnceLock::new();
    C.get_or_init(|| {
        let build = |p: &String| {
            let p =
                p.replace("{N}", &format!("(?P<n>{})", NUMBER.trim_start_matches('(').trim_end_matches(')')));
            let wan = &template().legacy.ten_thousand;
            let p = p.replace(
                wan.as_str(),
                &format!("(?P<wan>{})", wan.trim_start_matches('(').trim_end_matches(')')),
            );
            Regex::new(&p).ok()
        };
        template()
            .legacy
            .prose
            .iter()
            .map(|s| Compiled {
                fact: s.fact.clone(),
                section: s.section.clone(),
                subject: s.subject.clone(),
                heading: s.heading.clone(),
                needs: s.needs.clone(),
                patterns: s.patterns.iter().filter_map(build).collect(),
                zero: s.zero.iter().filter_map(build).collect(),
                sum_parts: s.sum_parts,
                unless: s.unless.clone(),
            })
            .collect()
    })
}

fn value_of(re: &Regex, sentence: &str) -> Option<f64> {
    for caps in re.captures_iter(sentence) {
        let (Some(whole), Some(n)) = (caps.get(0), caps.name("n")) else { continue };
        let after = sentence.get(whole.end()..).unwrap_or("");
        if template().legacy.guards.approximate.iter().any(|w| after.starts_with(w.as_str())) {
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

/// The sentence without the spaces PDF text puts between words and numbers ("共收到
/// 政府信息公开申请 17 件"): a space stays only between two numbers.
fn squeeze(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains(' ') {
        return std::borrow::Cow::Borrowed(s);
    }
    let word = |c: Option<char>| c.is_some_and(crate::normalise::is_cjk);
    let mut out = String::with_capacity(s.len());
    let mut before: Option<char> = None;
    let mut rest = s;
    // A run of spaces goes when a word stands on either side of it, else stays whole.
    while let Some(at) = rest.find(' ') {
        let (head, tail) = rest.split_at(at);
        out.push_str(head);
        before = head.chars().next_back().or(before);
        let run = tail.len() - tail.trim_start_matches(' ').len();
        let (spaces, after) = tail.split_at(run);
        if !(word(before) || word(after.chars().next())) {
            out.push_str(spaces);
        }
        rest = after;
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Whether the sentence holds a digit or a Chinese numeral (what NUMBER starts with).
fn has_numeral(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit() || numerals::CHINESE_NUMERALS.contains(c))
}

/// Every prose fact the text states, with the sentence it came from.
pub fn scan(lines: &[Line], sections: &Sections) -> Scan {
    scan_facts(lines, sections, |_| true)
}

/// Where a sentence is: its line's index and the heading above it.
struct Place<'a> {
    idx: usize,
    heading: &'a str,
}

/// Whether a sentence may state `spec`'s fact: in its section or under its heading, or
/// naming its subject, and never about a foreign subject (a fact with no subject and no
/// section is read anywhere).
fn may_state(spec: &Compiled, sentence: &str, at: &Place, sections: &Sections) -> bool {
    let g = &template().legacy.guards;
    let section = spec.section.as_deref();
    let subject =
        if spec.subject.is_empty() && section.is_some() { g.subject.as_slice() } else { &spec.subject };
    if subject.is_empty() {
        return true;
    }
    let names_subject = subject.iter().any(|w| sentence.contains(w.as_str()));
    if !names_subject && g.foreign_subjects.iter().any(|w| sentence.contains(w.as_str())) {
        return false;
    }
    let in_place = section.is_some_and(|s| sections.get(s).is_some_and(|r| r.contains(&at.idx)))
        || spec.heading.iter().any(|h| at.heading.contains(h.as_str()));
    names_subject || in_place
}

/// Only the facts `wanted` accepts (the modern cross-check needs one).
pub fn scan_facts(lines: &[Line], sections: &Sections, wanted: impl Fn(&str) -> bool) -> Scan {
    let specs: Vec<&Compiled> = compiled().iter().filter(|s| wanted(&s.fact)).collect();
    // A fact with `needs` is only read from sentences holding one of its words, so a
    // line holding none of any wanted fact's words is never split into sentences
    // (the modern cross-check wants one fact and would otherwise split every line).
    let every_line = specs.iter().any(|s| s.needs.is_empty());
    let useful =
        |l: &Line| every_line || specs.iter().any(|s| s.needs.iter().any(|n| l.text.contains(n.as_str())));
    // Sentences with the line (index, number) they are on; numbers never span a
    // sentence break.
    // The heading above each line, only when a wanted fact is placed by its heading
    // (the modern cross-check, run on every report, wants none).
    let mut heading = "";
    let headings: Vec<&str> = if specs.iter().any(|s| !s.heading.is_empty()) {
        lines
            .iter()
            .map(|l| {
                if crate::segment::is_heading_like(&l.text) {
                    heading = l.text.as_str();
                }
                heading
            })
            .collect()
    } else {
        Vec::new()
    };
    let place = |idx: usize| Place { idx, heading: headings.get(idx).copied().unwrap_or("") };
    let sentences: Vec<(usize, u32, std::borrow::Cow<str>)> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| useful(l))
        .flat_map(|(i, l)| crate::normalise::sentences(&l.text).map(move |s| (i, l.no, s)))
        .filter(|(_, _, s)| !s.trim().is_empty())
        .map(|(i, no, s)| (i, no, squeeze(s)))
        .collect();
    let mut out = Scan::default();
    for spec in specs {
        let relevant = |s: &str| {
            (spec.needs.is_empty() || spec.needs.iter().any(|n| s.contains(n.as_str())))
                && !spec.unless.iter().any(|w| s.contains(w.as_str()))
        };
        let allowed = |idx: usize, s: &str| may_state(spec, s, &place(idx), sections);
        let mut found: Vec<Stated> = Vec::new();
        // Every pattern holds a {N}: a sentence without a numeral cannot state the fact.
        for (idx, line, sentence) in sentences.iter().filter(|(_, _, s)| relevant(s) && has_numeral(s)) {
            let (idx, line, sentence) = (*idx, *line, sentence.as_ref());
            if !allowed(idx, sentence) {
                continue;
            }
            let values: Vec<f64> = spec.patterns.iter().filter_map(|re| value_of(re, sentence)).collect();
            let Some(first) = values.first() else { continue };
            let value = if spec.sum_parts { values.iter().sum() } else { *first };
            found.push(Stated {
                fact: spec.fact.clone(),
                value,
                line,
                evidence: sentence.trim().to_string(),
            });
        }
        // A sentence saying there were none counts as a value too: against a number
        // elsewhere, it is a conflict.
        let none_said = sentences
            .iter()
            .filter(|(idx, _, s)| (relevant(s) || spec.needs.is_empty()) && allowed(*idx, s))
            .filter(|(_, _, s)| !found.iter().any(|f| f.evidence == s.trim()))
            .find(|(_, _, s)| spec.zero.iter().any(|re| re.is_match(s)));
        found.extend(none_said.map(|(_, line, s)| Stated {
            fact: spec.fact.clone(),
            value: 0.0,
            line: *line,
            evidence: s.trim().to_string(),
        }));
        let Some(first) = found.first() else { continue };
        if found.iter().all(|f| (f.value - first.value).abs() < 1e-9) {
            out.stated.push(first.clone());
        } else {
            out.conflicts.push(Conflict {
                fact: spec.fact.clone(),
                values: found.iter().map(|f| (f.value, f.line)).collect(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::normalise;

    fn get(text: &str, fact: &str) -> Option<f64> {
        let lines = normalise(text);
        let sections = crate::segment::find_sections(&lines);
        scan(&lines, &sections).stated.into_iter().find(|s| s.fact == fact).map(|s| s.value)
    }

    #[test]
    fn information_sent_to_the_archives_is_not_the_information_published() {
        let text = "2016年,主动公开政府信息2337条,其中通过政府网站公开1869条。向县档案馆、图书馆报送主动公开信息135条,方便群众查阅。";
        assert_eq!(get(text, "proactive.all_information.published"), Some(2337.0));
    }

    #[test]
    fn spaces_of_pdf_text_between_words_and_numbers() {
        assert_eq!(squeeze("共收到申请 17 件，上年结转 1"), "共收到申请17件，上年结转1");
        assert_eq!(squeeze("12 34"), "12 34", "a space between two numbers stays");
        assert_eq!(get("全年共收到政府信息公开申请 12 件。", "requests.total.new_received"), Some(12.0));
    }

    #[test]
    fn phrasing_families() {
        assert_eq!(get("全年共收到政府信息公开申请12件。", "requests.total.new_received"), Some(12.0));
        assert_eq!(get("全年受理依申请公开十二件。", "requests.total.new_received"), Some(12.0));
        assert_eq!(get("2018年,我县无依申请公开办理。", "requests.total.new_received"), Some(0.0));
        assert_eq!(get("我县未收到政府信息公开申请。", "requests.total.new_received"), Some(0.0));
        let in_section = "三、依申请公开政府信息情况\n其中同意公开两件,属于已主动公开范围3件。";
        assert_eq!(get(in_section, "outcomes.granted.total"), Some(5.0));
        // outcomes are reported in the requests section, not elsewhere
        assert_eq!(get("其中同意公开两件,属于已主动公开范围3件。", "outcomes.granted.total"), None);
        let lit = "五、行政复议和行政诉讼情况\n2018年,我县行政复议20件,行政诉讼21件。";
        assert_eq!(get(lit, "litigation.admin_review.total"), Some(20.0));
        assert_eq!(get(lit, "litigation.lawsuit.total"), Some(21.0));
        // elsewhere, a review must be one about disclosure
        assert_eq!(
            get("2018年,全县行政复议机关收到行政复议申请81件。", "litigation.admin_review.total"),
            None
        );
        assert_eq!(get("2018年,因政府信息公开申请行政复议2件。", "litigation.admin_review.total"), Some(2.0));
        assert_eq!(get("收取检索费1.5万元。", "fees.legacy_fee.amount_collected_yuan"), Some(15000.0));
        // other services' fees are not disclosure fees
        assert_eq!(
            get("不动产登记窗口全年收取费用19.1万元。", "fees.legacy_fee.amount_collected_yuan"),
            None
        );
        assert_eq!(get("为困难群众办理业务减免费用170元。", "fees.legacy_fee.amount_waived_yuan"), None);
        assert_eq!(
            get("没有关于政府信息公开收取和减免任何费用。", "fees.legacy_fee.amount_collected_yuan"),
            Some(0.0)
        );
        assert_eq!(get("2016主动公开政府信息1727条。", "proactive.all_information.published"), Some(1727.0));
        assert_eq!(get("主动公开政府信息一百零三条。", "proactive.all_information.published"), Some(103.0));
    }

    /// Sentences about other things that are applied for, handled or answered: no fact.
    #[test]
    fn distractors_state_no_request_fact() {
        let distractors = [
            "建立窗口服务大厅,开设窗口24个,共受理申请136437件。",
            "12345热线共受理群众诉求15042件,办结15042件。",
            "全年网上审批办件9542件,全部按时办结。",
            "办理人大代表建议35件、政协提案42件,均已答复。",
            "接待来访咨询1200人次,受理咨询申请86件。",
            "便民服务中心全年受理各类申请3200件。",
        ];
        let facts = ["requests.total.new_received", "outcomes.total_handled.total", "outcomes.granted.total"];
        for d in distractors {
            for section in ["一、总体情况", "三、依申请公开政府信息情况"] {
                let text = format!("{section}\n{d}\n");
                for f in facts {
                    assert_eq!(get(&text, f), None, "{f} from {d:?} in {section}");
                }
            }
        }
        // the same report's own figure, in its section, is read
        let text = "一、总体情况\n建立窗口服务大厅,共受理申请136437件。\n三、依申请公开政府信息情况\n本年度共收到申请5件。\n";
        assert_eq!(get(text, "requests.total.new_received"), Some(5.0));
        // outside its section a sentence must name the subject
        assert_eq!(get("一、总体情况\n全年共受理申请7件。\n", "requests.total.new_received"), None);
        assert_eq!(
            get("一、总体情况\n全年共受理政府信息公开申请7件。\n", "requests.total.new_received"),
            Some(7.0)
        );
    }

    #[test]
    fn two_values_for_one_fact_are_a_conflict() {
        let lines = normalise(
            "全年共收到政府信息公开申请12件。\n三、依申请公开政府信息情况\n本年度共收到申请15件。\n",
        );
        let scan = scan(&lines, &crate::segment::find_sections(&lines));
        assert!(scan.stated.iter().all(|s| s.fact != "requests.total.new_received"));
        let c = scan.conflicts.iter().find(|c| c.fact == "requests.total.new_received").expect("a conflict");
        assert_eq!(c.values.iter().map(|v| v.0).collect::<Vec<_>>(), vec![12.0, 15.0]);
    }

    #[test]
    fn approximations_and_silence_are_not_values() {
        assert_eq!(get("主动公开政府信息5530余条。", "proactive.all_information.published"), None);
        assert_eq!(get("加强政府网站建设。", "fees.legacy_fee.amount_collected_yuan"), None);
    }
}
