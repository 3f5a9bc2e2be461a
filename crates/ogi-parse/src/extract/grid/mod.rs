//! Finds a template table's rows in flattened text and collects each row's cells.
//!
//! Rows are found by walking the template's row labels forward through the lines, so
//! a label only competes with the rows after the last one found; several labels may
//! share a line (tables collapsed onto one line). A row's cells are what follows its
//! label up to the next label: inline on the label's line (rows on one line, tabs,
//! pipes, PDF text) or on the following lines (cell per line). In cell-per-line text
//! a blank line is an empty cell or a separator; which one is decided once per table
//! from how its numbers are laid out (see `Convention`).

use super::cells::{is_furniture, is_numeric_line, split_kind, tokens_of, Split, Tok};
use crate::normalise::Line;

/// The labels of one row, as the walker needs them.
#[derive(Debug, Clone)]
pub struct LabelSet<'a> {
    pub aliases: &'a [String],
    /// Generic words that count only when this row is the next one expected.
    pub weak: &'a [String],
}

#[derive(Debug, Clone, PartialEq)]
pub struct RowHit {
    /// Index into the label list.
    pub row: usize,
    pub line_idx: usize,
    pub line_no: u32,
    pub tokens: Vec<Tok>,
}

/// How blank lines in a cell-per-line table are to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Convention {
    /// Every written cell is followed by one blank line; a lone blank line is an empty
    /// cell (HTML pages saved as text, where <p> adds a blank line and empty cells don't).
    Separated,
    /// Cells on consecutive lines; a blank line is an empty cell.
    Dense,
}

struct Hit {
    row: usize,
    line_idx: usize,
    start: usize,
    end: usize,
}

/// Prose mentions row labels ("3件属于行政查询事项。"); sentences are not table text.
fn is_prose(text: &str) -> bool {
    text.contains('。') || text.contains("。")
}

/// The start of a sentence wrapped by a PDF line box ("…共收到政府信息公开申请 12 件，上年
///结转 2" / "件，均已依法按期答复。"): a line with a clause break whose sentence ends on
/// the next line. A label's comma ("（区分处理的，" / "只计这一情形…）") ends no sentence.
fn wrapped_sentence(lines: &[Line], idx: usize) -> bool {
    let Some(line) = lines.get(idx) else { return false };
    if !line.text.contains(',') {
        return false;
    }
    let next = lines.get(idx + 1..).unwrap_or_default().iter().find(|l| !l.is_blank());
    next.is_some_and(|n| is_prose(&n.text) && !n.text.trim_start().starts_with(|c: char| c.is_ascii_digit()))
}

/// A line holding two or more of table 三's header words (自然人 … 总计, 类别) is its
/// header, whose 总计 and 其他 are column names, not the rows those words also label.
fn is_header_line(text: &str) -> bool {
    header_words().distinct_in(text, 2) >= 2
}

/// Table 三's column names and header words, searched at once: the header tests run on
/// most lines of a table near a wrapped label, and a search per word was a tenth of
/// the build.
pub(super) struct HeaderWords {
    ac: Option<aho_corasick::AhoCorasick>,
    /// Every character of those words.
    chars: std::collections::HashSet<char>,
}

impl HeaderWords {
    /// How many different words `text` holds, counting up to `enough`.
    pub(super) fn distinct_in(&self, text: &str, enough: usize) -> usize {
        let Some(ac) = &self.ac else { return 0 };
        let mut seen: Vec<usize> = Vec::new();
        for m in ac.find_overlapping_iter(text) {
            let id = m.pattern().as_usize();
            if !seen.contains(&id) {
                seen.push(id);
                if seen.len() >= enough {
                    break;
                }
            }
        }
        seen.len()
    }

    pub(super) fn has_char(&self, c: char) -> bool {
        self.chars.contains(&c)
    }
}

pub(super) fn header_words() -> &'static HeaderWords {
    static WORDS: std::sync::OnceLock<HeaderWords> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        let r = &crate::template::template().requests;
        let words: Vec<&str> = r.column_labels.iter().chain(&r.header_words).map(String::as_str).collect();
        HeaderWords {
            ac: aho_corasick::AhoCorasick::new(&words).ok(),
            chars: words.iter().flat_map(|w| w.chars()).collect(),
        }
    })
}

/// One automaton over every alias of every row: each line is scanned once, however
/// many labels the table has.
pub(crate) struct Labels {
    ac: Option<aho_corasick::AhoCorasick>,
    /// Per pattern: (row, weak).
    owner: Vec<(usize, bool)>,
    /// Every label holds a non-ASCII character, so a line of ASCII alone (the cell
    /// lines, after NFKC) cannot hold one and need not be scanned: most lines of a
    /// table are such.
    skip_ascii_lines: bool,
    /// Each pair of adjacent characters in a (strong) alias: where a label wraps, the
    /// last character of one line and the first of its end are such a pair, which
    /// rules out most lines (column names, headings) before any search.
    pairs: std::collections::HashSet<(char, char)>,
    /// The first characters of those pairs: a line ending in another cannot start a
    /// wrapped label.
    pair_firsts: std::collections::HashSet<char>,
}

impl Labels {
    fn new(labels: &[LabelSet]) -> Labels {
        let mut pats: Vec<&str> = Vec::new();
        let mut owner = Vec::new();
        for (j, set) in labels.iter().enumerate() {
            for a in set.aliases {
                pats.push(a);
                owner.push((j, false));
            }
            for w in set.weak {
                pats.push(w);
                owner.push((j, true));
            }
        }
        let skip_ascii_lines = pats.iter().all(|p| !p.is_ascii());
        let pairs: std::collections::HashSet<(char, char)> = labels
            .iter()
            .flat_map(|set| set.aliases.iter())
            .flat_map(|a| a.chars().zip(a.chars().skip(1)).collect::<Vec<_>>())
            .collect();
        let pair_firsts = pairs.iter().map(|(a, _)| *a).collect();
        // The contiguous NFA, not the DFA the builder picks for this few patterns: the
        // DFA of 50 CJK labels is a table too large for the cache, and the scan took
        // twice as long with it (sampled share of the build, 10 000 reports). Every
        // kind finds the same overlapping matches.
        let ac = aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
            .build(&pats)
            .ok();
        Labels { ac, owner, skip_ascii_lines, pairs, pair_firsts }
    }

    /// Every alias occurrence in `text`: (start, end, row, weak).
    pub(crate) fn matches(&self, text: &str) -> Vec<(usize, usize, usize, bool)> {
        let Some(ac) = &self.ac else { return Vec::new() };
        if self.skip_ascii_lines && text.is_ascii() {
            return Vec::new();
        }
        ac.find_overlapping_iter(text)
            .filter_map(|m| {
                let (row, weak) = *self.owner.get(m.pattern().as_usize())?;
                Some((m.start(), m.end(), row, weak))
            })
            .collect()
    }
}

/// The automaton for a label list, built once per distinct list (one per table and
/// era): building it costs more than scanning a whole report. The few lists are kept
/// with their words and found by comparing them, which allocates nothing.
pub(crate) fn automaton(labels: &[LabelSet]) -> std::sync::Arc<Labels> {
    use std::sync::{Arc, Mutex, OnceLock};
    type Words = Vec<(Vec<String>, Vec<String>)>;
    type Built = Vec<(Words, Arc<Labels>)>;
    static BUILT: OnceLock<Mutex<Built>> = OnceLock::new();
    let same = |words: &Words| {
        words.len() == labels.len()
            && words.iter().zip(labels).all(|((a, w), l)| a.as_slice() == l.aliases && w.as_slice() == l.weak)
    };
    let list = BUILT.get_or_init(|| Mutex::new(Vec::new()));
    let mut guard = match list.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    };
    if let Some((_, built)) = guard.iter().find(|(words, _)| same(words)) {
        return Arc::clone(built);
    }
    let built = Arc::new(Labels::new(labels));
    // Lists made up on the fly (tests) are not kept once there are many.
    if guard.len() < 64 {
        let words = labels.iter().map(|l| (l.aliases.to_vec(), l.weak.to_vec())).collect();
        guard.push((words, Arc::clone(&built)));
    }
    built
}

fn find_hits(lines: &[Line], labels: &[LabelSet]) -> Vec<Hit> {
    let automaton = automaton(labels);
    let mut hits = Vec::new();
    let mut cursor = 0;
    for (idx, line) in lines.iter().enumerate() {
        if is_prose(&line.text) || wrapped_sentence(lines, idx) || cursor >= labels.len() {
            continue;
        }
        let found = automaton.matches(&line.text);
        // A label cut by its cell's width, where the line holds no label of a row ahead.
        let usable = found.iter().any(|(_, _, row, weak)| *row >= cursor && (!weak || *row == cursor));
        if !usable {
            if let Some(hit) = wrapped_label(lines, idx, &automaton, cursor) {
                cursor = hit.row + 1;
                hits.push(hit);
            }
            continue;
        }
        // (the header test only for the few lines that hold a label)
        if is_header_line(&line.text) {
            continue;
        }
        let mut offset = 0;
        loop {
            // The earliest label of a row still ahead; weak words only for the next row.
            let best = found
                .iter()
                .filter(|(s, _, row, weak)| *s >= offset && *row >= cursor && (!weak || *row == cursor))
                .min_by_key(|(s, e, row, _)| (*s, *row, std::cmp::Reverse(*e)));
            let Some(&(start, end, row, _)) = best else { break };
            hits.push(Hit { row, line_idx: idx, start, end });
            cursor = row + 1;
            offset = end;
            if cursor >= labels.len() {
                break;
            }
        }
    }
    hits
}

/// Decides the table's blank-line convention from its single-cell lines: if nearly
/// every one is followed by a blank line, blanks after cells are separators.
pub fn convention(lines: &[Line], from: usize, to: usize) -> Convention {
    let mut followed_by_blank = 0;
    let mut single = 0;
    for i in from..to {
        let Some(l) = lines.get(i) else { break };
        if l.is_blank() || !is_numeric_line(&l.text) {
            continue;
        }
        single += 1;
        if lines.get(i + 1).is_some_and(Line::is_blank) {
            followed_by_blank += 1;
        }
    }
    if single >= 3 && followed_by_blank * 10 >= single * 8 {
        Convention::Separated
    } else {
        Convention::Dense
    }
}

/// Walks `labels` through `lines[range]` and returns each found row with its cells.
pub fn read_rows(lines: &[Line], range: std::ops::Range<usize>, labels: &[LabelSet]) -> Vec<RowHit> {
    let Some(slice) = lines.get(range.clone()) else { return Vec::new() };
    let hits = find_hits(slice, labels);
    let end_of_table = hits.last().map_or(slice.len(), |h| {
        // The last row's cells run to the first line of words after it.
        let mut e = h.line_idx + 1;
        while let Some(l) = slice.get(e) {
            if !l.is_blank()
                && !is_numeric_line(&l.text)
                && !is_furniture(&l.text)
                && !is_header_line(&l.text)
            {
                break;
            }
            e += 1;
        }
        e
    });
    let conv = convention(slice, hits.first().map_or(0, |h| h.line_idx), end_of_table);
    let mut out = Vec::with_capacity(hits.len());
    for (k, hit) in hits.iter().enumerate() {
        let next = hits.get(k + 1);
        let line = match slice.get(hit.line_idx) {
            Some(l) => l,
            None => continue,
        };
        let inline_end = match next {
            Some(n) if n.line_idx == hit.line_idx => n.start,
            _ => line.text.len(),
        };
        let inline = line.text.get(hit.end..inline_end).unwrap_or("");
        let mut tokens = tokens_of(inline, line.no, true);
        let stop = next.map_or(end_of_table, |n| n.line_idx);
        let following = (hit.line_idx + 1)..stop.max(hit.line_idx + 1);
        let inline_has_cells = tokens.iter().any(|t| !matches!(t, Tok::Empty { .. }));
        // A row of empty slots between tabs or pipes is a row of empty cells (zeros).
        let empty_slots = !tokens.is_empty() && matches!(split_kind(inline), Split::Positional(_));
        if !inline_has_cells && !empty_slots {
            tokens.retain(|t| !matches!(t, Tok::Empty { .. }));
            tokens.extend(cells_below(slice, following.clone(), conv));
        } else {
            // Cells may continue on the next lines (a row wrapped by PDF conversion).
            for i in following {
                if let Some(l) = slice.get(i) {
                    if is_numeric_line(&l.text) {
                        tokens.extend(tokens_of(&l.text, l.no, false));
                    }
                }
            }
        }
        // Cells written before the next label on its own line belong to this row.
        if let Some(n) = next {
            if n.line_idx != hit.line_idx {
                if let Some(nl) = slice.get(n.line_idx) {
                    let before = nl.text.get(..n.start).unwrap_or("");
                    if is_numeric_line(before) {
                        tokens.extend(tokens_of(before, nl.no, false));
                    }
                }
            }
        }
        out.push(RowHit { row: hit.row, line_idx: range.start + hit.line_idx, line_no: line.no, tokens });
    }
    out
}

pub fn cells_below(lines: &[Line], range: std::ops::Range<usize>, conv: Convention) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut i = range.start;
    // In the separated convention the label itself is followed by a separator.
    if conv == Convention::Separated && lines.get(i).is_some_and(Line::is_blank) {
        i += 1;
    }
    while i < range.end {
        let Some(l) = lines.get(i) else { break };
        if l.is_blank() {
            toks.push(Tok::Empty { line: l.no });
            i += 1;
            continue;
        }
        let cells = tokens_of(&l.text, l.no, false);
        let wrote = !cells.is_empty();
        toks.extend(cells);
        i += 1;
        if wrote && conv == Convention::Separated && lines.get(i).is_some_and(Line::is_blank) && i < range.end
        {
            i += 1;
        }
    }
    toks
}

mod wrapped;
use wrapped::wrapped_label;

#[cfg(test)]
mod tests;
