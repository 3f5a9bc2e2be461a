//! The 信息处理费 statement (2021 template, section 六): "未收取" / "未发出收费通知"
//! state zeros; "发出收费通知N件，金额X元，实际收取Y元" states values.

use crate::model::FeeFact;
use crate::normalise::Line;
use crate::template::template;
use regex::Regex;
use std::sync::OnceLock;

struct Patterns {
    notices: Regex,
    billed: Regex,
    collected: Regex,
    no_notice: Regex,
    not_collected: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let re = |s: &str| Regex::new(s).unwrap_or_else(|e| panic!("fee pattern {s}: {e}"));
        let f = &template().fees;
        Patterns {
            notices: re(&f.notices),
            billed: re(&f.billed),
            collected: re(&f.collected),
            no_notice: re(&f.no_notice),
            not_collected: re(&f.not_collected),
        }
    })
}

fn amount(caps: &regex::Captures) -> Option<f64> {
    let v: f64 = caps.get(1)?.as_str().parse().ok()?;
    Some(if caps.get(2).is_some() { v * 10_000.0 } else { v })
}

/// The sentences of `lines`, each with the line it begins on. A line that does not end
/// its sentence runs on into the next (a PDF's text wraps at the page's width:
/// "实际收取600" / "元。"); a blank line or a table row ends a paragraph.
fn sentences(lines: &[Line]) -> Vec<(u32, String)> {
    let mut out: Vec<(u32, String)> = Vec::new();
    let mut open: Option<(u32, String)> = None;
    for l in lines {
        let text = l.text.trim();
        if text.is_empty() || l.text.contains('\t') {
            out.extend(open.take());
            continue;
        }
        // A numbered heading (六、其他需要报告的事项) begins a sentence of its own and, with
        // no 。, ends it: it does not run on into the text below it.
        let heading = numbered(text);
        if heading {
            out.extend(open.take());
        }
        let mut rest = text;
        while let Some(end) = rest.find('。') {
            let (head, tail) = rest.split_at(end);
            let (no, mut s) = open.take().unwrap_or((l.no, String::new()));
            s.push_str(head);
            out.push((no, s));
            rest = tail.get('。'.len_utf8()..).unwrap_or_default();
        }
        if !rest.trim().is_empty() {
            let (no, mut s) = open.take().unwrap_or((l.no, String::new()));
            s.push_str(rest);
            if heading && !text.contains('。') {
                out.push((no, s));
            } else {
                open = Some((no, s));
            }
        }
    }
    out.extend(open);
    out
}

/// `六、…`, `(六)…`: a line that begins with a section's or an item's number.
fn numbered(text: &str) -> bool {
    let numeral = |c: char| "一二三四五六七八九十".contains(c);
    let mut chars = text.chars();
    match chars.next() {
        Some('(' | '\u{FF08}') => chars.next().is_some_and(numeral),
        Some(c) if numeral(c) => chars.find(|&c| !numeral(c)) == Some('、'),
        _ => false,
    }
}

/// Looks for the fee statement in `lines`, sentence by sentence.
pub fn extract(lines: &[Line]) -> Option<FeeFact> {
    let p = patterns();
    let spec = &template().fees;
    let mut fact: Option<FeeFact> = None;
    for (no, sentence) in sentences(lines) {
        let sentence = sentence.as_str();
        {
            if !sentence.contains(spec.marker.as_str()) {
                continue;
            }
            // Fees of administrative services (行政事业性收费) are table 二, not this.
            if spec.not_this.iter().any(|w| sentence.contains(w.as_str())) {
                continue;
            }
            let notices = p.notices.captures(sentence).and_then(|c| c.get(1)?.as_str().parse::<i64>().ok());
            let billed = p.billed.captures(sentence).and_then(|c| amount(&c));
            let collected = p.collected.captures(sentence).and_then(|c| amount(&c));
            let no_notice = p.no_notice.is_match(sentence);
            let none = p.not_collected.is_match(sentence);
            if notices.is_none() && billed.is_none() && collected.is_none() && !no_notice && !none {
                continue;
            }
            let f = fact.get_or_insert_with(|| FeeFact {
                fee_kind: "processing_fee".into(),
                notices_issued: None,
                amount_billed_yuan: None,
                amount_collected_yuan: None,
                amount_waived_yuan: None,
                evidence: String::new(),
                line: Some(no),
            });
            if notices.is_some() {
                f.notices_issued = notices;
            } else if no_notice {
                // No notice says how many notices, not what was billed: that stays null.
                f.notices_issued = f.notices_issued.or(Some(0));
            }
            if billed.is_some() {
                f.amount_billed_yuan = billed;
            }
            if collected.is_some() {
                f.amount_collected_yuan = collected;
            } else if none || no_notice {
                f.amount_collected_yuan = f.amount_collected_yuan.or(Some(0.0));
            }
            if !f.evidence.is_empty() {
                f.evidence.push('。');
            }
            f.evidence.push_str(sentence.trim());
        }
    }
    fact
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::normalise;

    #[test]
    fn none_stated() {
        let l = normalise("2022年金平县未发出政府信息处理费收费的通知,不存在收取信息处理费的情况。");
        let f = extract(&l).expect("fee");
        assert_eq!(f.notices_issued, Some(0));
        assert_eq!(f.amount_collected_yuan, Some(0.0));
        assert_eq!(f.amount_billed_yuan, None, "the amount billed is not stated");
    }

    #[test]
    fn the_fee_named_between_verb_and_amount() {
        // 淮安市 2024, as pdftotext gives it
        let l = normalise("办法》，全年收取政府信息公开信息处理费 3940 元。");
        assert_eq!(extract(&l).and_then(|f| f.amount_collected_yuan), Some(3940.0));
    }

    #[test]
    fn values_stated() {
        let l = normalise("本年度发出收费通知2件,金额200元,实际收取100元。");
        let f = extract(&l).expect("fee");
        assert_eq!(f.notices_issued, Some(2));
        assert_eq!(f.amount_billed_yuan, Some(200.0));
        assert_eq!(f.amount_collected_yuan, Some(100.0));
    }

    #[test]
    fn a_sentence_wrapped_at_the_page_width() {
        // (PDF text: spaces between the digits and the words)
        let l = normalise("本年度共发出收费通知 2 件，金额 600 元，实际收取 600\n元。本年度共办理建议12件。");
        let f = extract(&l).expect("fee");
        assert_eq!(f.notices_issued, Some(2));
        assert_eq!(f.amount_billed_yuan, Some(600.0));
        assert_eq!(f.amount_collected_yuan, Some(600.0));
        assert_eq!(f.line, Some(1));
    }

    #[test]
    fn a_heading_does_not_run_on_into_the_sentence_below_it() {
        let l = normalise("六、其他需要报告的事项\n本年度未收取信息处理费。");
        let f = extract(&l).expect("fee");
        assert_eq!((f.line, f.evidence.as_str()), (Some(2), "本年度未收取信息处理费"));
    }

    #[test]
    fn silence_is_no_row() {
        assert!(extract(&normalise("无其他需要报告的事项。")).is_none());
    }
}
