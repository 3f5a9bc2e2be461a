//! Page furniture in text extracted from a PDF: the running header printed on every page
//! and bare page numbers ("2", "3" …) end up among a table's rows, where a header's year
//! or a page number reads as a cell. Both are recognised from the document as a whole —
//! a title-like line repeated, numbers counting pages one by one far apart between lines
//! of words — and rewritten to the template's page-number form, which every reader
//! already skips. Line numbers are kept.

use crate::normalise::Line;
use crate::template::template;

/// Lines between two page numbers at least: a page holds more than this.
const MIN_PAGE_LINES: usize = 15;
/// Bare numbers counting pages: at least this many in a row (1, 2, 3), or a lone
/// number could be a table's cell by chance.
const MIN_BARE_CHAIN: usize = 3;

/// `text` is what `lines` were normalised from (one for one): its form feeds, which
/// normalising turns into spaces, say where pdftotext's and pdfminer's pages end.
pub fn mark(lines: &mut [Line], text: &str) {
    // Page numbers first: a running header is a line of words beside them.
    mark_numbers_before_page_breaks(lines, text);
    mark_bare_page_numbers(lines);
    let repeats = mark_running_headers(lines);
    mark_numbers_before_headers(lines, &repeats);
}

/// Pages joined without a form feed (pypdfium2): a bare number that is the last line
/// before the k-th copy of the running header, and reads k (or k - 1, after an
/// unnumbered cover), is page k's number.
fn mark_numbers_before_headers(lines: &mut [Line], repeats: &[usize]) {
    for (k, at) in repeats.iter().enumerate() {
        let before = last_written_before(lines, *at);
        mark_if_page_number(lines, before, k + 1);
    }
}

/// The last non-blank line before line `i`.
fn last_written_before(lines: &[Line], i: usize) -> Option<usize> {
    (0..i).rev().find(|i| lines.get(*i).is_some_and(|l| !l.is_blank()))
}

/// Line `at` as page furniture when it is a bare number reading `page` (or `page - 1`,
/// after an unnumbered cover); any other number there is a cell that ends the page.
fn mark_if_page_number(lines: &mut [Line], at: Option<usize>, page: usize) {
    if let Some(l) = at.and_then(|i| lines.get_mut(i)) {
        if let Some(n) = bare_number(&l.text).filter(|n| *n == page || *n + 1 == page) {
            l.text = furniture(n);
        }
    }
}

/// A bare number that is the last line of page k (a form feed follows it) and reads k
/// (or k - 1, after an unnumbered cover) is its page number; any other number there is
/// a cell that happens to end the page.
fn mark_numbers_before_page_breaks(lines: &mut [Line], text: &str) {
    if !text.contains('\u{c}') {
        return;
    }
    let breaks: Vec<usize> =
        text.split('\n').enumerate().filter(|(_, l)| l.contains('\u{c}')).map(|(i, _)| i).collect();
    for (k, b) in breaks.into_iter().enumerate() {
        let page = k + 1;
        // The form feed ends the page: the last non-blank line before it, or the line
        // itself when the number precedes the form feed on it.
        let own = lines.get(b).and_then(|l| bare_number(&l.text));
        let at = if own.is_some() { Some(b) } else { last_written_before(lines, b) };
        mark_if_page_number(lines, at, page);
    }
}

fn furniture(no: usize) -> String {
    format!("- {no} -")
}

/// A title-like line (it holds every `title_all` word of the template, no 。) printed
/// again further down: every later copy is a running header. Returns where they are.
fn mark_running_headers(lines: &mut [Line]) -> Vec<usize> {
    let words = &template().header.title_all;
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut repeats = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        // (most lines fail the word test: tested before anything is built)
        if l.text.contains('。') || !words.iter().all(|w| l.text.contains(w.as_str())) {
            continue;
        }
        let t: String = l.text.split_whitespace().collect();
        if t.chars().count() < 8 {
            continue;
        }
        match seen.get(&t) {
            Some(_) => repeats.push(i),
            None => {
                seen.insert(t, i);
            }
        }
    }
    for i in &repeats {
        if let Some(l) = lines.get_mut(*i) {
            l.text = furniture(0);
        }
    }
    repeats
}

fn bare_number(text: &str) -> Option<usize> {
    let t = text.trim();
    (!t.is_empty() && t.len() <= 3 && t.bytes().all(|b| b.is_ascii_digit())).then(|| t.parse().ok()).flatten()
}

/// Whether the nearest non-blank line on each side of `i` is a line of words.
fn between_words(lines: &[Line], i: usize) -> bool {
    let words = |l: &Line| !l.is_blank() && l.text.chars().any(crate::normalise::is_cjk);
    let before = lines.get(..i).unwrap_or_default().iter().rev().find(|l| !l.is_blank());
    let after = lines.get(i + 1..).unwrap_or_default().iter().find(|l| !l.is_blank());
    before.is_some_and(words) && after.is_none_or(words)
}

/// Bare numbers 1, 2, 3 … (or from 2), each alone between lines of words, each a page
/// further down: the page numbers of a text whose footer is just the number.
fn mark_bare_page_numbers(lines: &mut [Line]) {
    let candidates: Vec<(usize, usize)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| Some((i, bare_number(&l.text)?)))
        .filter(|(i, n)| *n >= 1 && between_words(lines, *i))
        .collect();
    // The longest chain n, n+1, … with a page's distance between members.
    let mut best: Vec<usize> = Vec::new();
    for (k, &(i0, n0)) in candidates.iter().enumerate() {
        if n0 > 2 {
            continue;
        }
        let mut chain = vec![i0];
        let (mut at, mut want) = (i0, n0 + 1);
        for &(i, n) in candidates.iter().skip(k + 1) {
            if n == want && i >= at + MIN_PAGE_LINES {
                chain.push(i);
                at = i;
                want += 1;
            }
        }
        if chain.len() > best.len() {
            best = chain;
        }
    }
    if best.len() < MIN_BARE_CHAIN {
        return;
    }
    for i in best {
        if let Some(l) = lines.get_mut(i) {
            let n = bare_number(&l.text).unwrap_or(0);
            l.text = furniture(n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::normalise;

    fn page(n: usize, body: &str) -> String {
        format!("某县人民政府2023年政府信息公开工作年度报告\n{body}\n{}\n{n}\n", "正文。\n".repeat(16))
    }

    #[test]
    fn running_headers_and_bare_page_numbers_are_furniture() {
        let text = [
            page(1, "一、总体情况"),
            page(2, "5.要求行政机关确认或\n重新出具已获取信息"),
            page(3, "(六)其他处理"),
        ]
        .concat();
        let mut lines = normalise(&text);
        mark(&mut lines, &text);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts.first(), Some(&"某县人民政府2023年政府信息公开工作年度报告"), "the title stays");
        assert!(!texts.iter().any(|t| *t == "2" || *t == "3"), "{texts:?}");
        assert_eq!(texts.iter().filter(|t| t.starts_with("- ")).count(), 5, "{texts:?}");
    }

    #[test]
    fn numbers_of_a_table_are_not_page_numbers() {
        // a cell per line: numbers next to numbers, and no chain a page apart
        let text = format!("甲\n1\n2\n3\n乙\n4\n{}", "正文。\n".repeat(40));
        let mut lines = normalise(&text);
        let before = lines.clone();
        mark(&mut lines, &text);
        assert_eq!(lines, before);
    }

    #[test]
    fn a_number_before_a_running_header_ends_its_page() {
        // pypdfium2 joins pages with a newline: page 1 ends in its number inside table
        // 二, where no chain of page numbers is seen; a cell before a header is no page
        // number unless it counts the page
        let title = "某县民政局2021年政府信息公开工作年度报告";
        let text = format!("{title}\n行政处罚 65\n1\n{title}\n行政强制 4\n7\n{title}\n正文");
        let mut lines = normalise(&text);
        mark(&mut lines, &text);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, [title, "行政处罚 65", "- 1 -", "- 0 -", "行政强制 4", "7", "- 0 -", "正文"]);
    }

    #[test]
    fn a_number_before_a_form_feed_ends_its_page() {
        // page 1 ends with a cell (14), page 2 with its number
        let text = "规章\n14\n\u{c}行政事业性收费\n2\n\u{c}第二十条第(八)项\n48.11\n";
        let mut lines = normalise(text);
        mark(&mut lines, text);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["规章", "14", " 行政事业性收费", "- 2 -", " 第二十条第(八)项", "48.11", ""]);
    }
}
