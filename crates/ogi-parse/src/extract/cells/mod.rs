//! Cell text → values. Knows how the template writes numbers: digits with an
//! optional unit, zero as 0/—/-///无, glued digit runs, thousands separators, and
//! how a line splits into cells (tabs and pipes keep empty cells, spaces do not).

use crate::template::template;
use regex::Regex;
use std::sync::OnceLock;

/// The unit written with a number: none, or money (its factor to yuan, template.toml
/// `[cells] money`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Unit {
    None,
    Money(f64),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// A written number; `digits` is its text when it is a bare run of digits, which
    /// may be several cells glued together.
    Value { value: f64, unit: Unit, digits: Option<String>, line: u32 },
    /// A written zero mark (—, -, /, 无).
    Zero { line: u32 },
    /// A cell present but empty (a kept empty cell or an empty-cell blank line).
    Empty { line: u32 },
}

/// The largest number a count table's cell may hold; anything larger is not a count.
pub const MAX_COUNT: f64 = 1e12;

/// A number as a count of requests or cases: whole, not negative, not absurd.
pub fn as_count(v: f64) -> Option<i64> {
    (v >= 0.0 && v.fract() == 0.0 && v <= MAX_COUNT).then_some(v as i64)
}

impl Tok {
    /// The cell as a count: a zero mark or an empty template cell is 0.
    pub fn count(&self) -> Option<i64> {
        match self {
            Tok::Value { value, .. } => as_count(*value),
            Tok::Zero { .. } | Tok::Empty { .. } => Some(0),
        }
    }

    pub fn line(&self) -> u32 {
        match self {
            Tok::Value { line, .. } | Tok::Zero { line } | Tok::Empty { line } => *line,
        }
    }
}

fn number_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // The units a written number may carry in a cell (template.toml [cells] units).
        let units = template().cells.units.join("|");
        Regex::new(&format!(r"^([+-]?)(\d{{1,3}}(?:,\d{{3}})+|\d+)(\.\d+)?\s*({units})?$"))
            .unwrap_or_else(|e| panic!("number pattern: {e}"))
    })
}

fn trailing_number_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let money = template().cells.money_pattern();
        Regex::new(&format!(r"^(.*?[^\d.,+-])([+-]?\d+(?:\.\d+)?(?:{money})?)$"))
            .unwrap_or_else(|e| panic!("trailing number pattern: {e}"))
    })
}

pub fn is_zero_mark(s: &str) -> bool {
    template().cells.zero_marks.iter().any(|z| z == s)
}

/// Parses one cell's text; None when it is not a number or zero mark (label text).
pub fn parse_piece(piece: &str, line: u32) -> Option<Tok> {
    let p = piece.trim();
    if p.is_empty() {
        return Some(Tok::Empty { line });
    }
    if is_zero_mark(p) {
        return Some(Tok::Zero { line });
    }
    // Most cells are plain digit runs: no need for the general pattern.
    if p.len() <= 18 && p.bytes().all(|b| b.is_ascii_digit()) {
        let value: f64 = p.parse().ok()?;
        return Some(Tok::Value { value, unit: Unit::None, digits: Some(p.to_string()), line });
    }
    let caps = number_re().captures(p)?;
    let sign = caps.get(1).map_or("", |m| m.as_str());
    let int = caps.get(2).map_or("", |m| m.as_str()).replace(',', "");
    let frac = caps.get(3).map_or("", |m| m.as_str());
    let unit = match caps.get(4).and_then(|m| template().cells.money.get(m.as_str())) {
        Some(f) => Unit::Money(*f),
        None => Unit::None,
    };
    let value: f64 = format!("{sign}{int}{frac}").parse().ok()?;
    let digits = (sign.is_empty() && frac.is_empty() && !p.contains(',') && caps.get(4).is_none())
        .then(|| int.clone());
    Some(Tok::Value { value, unit, digits, line })
}

/// How a line separates its cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// Tabs or pipes: every cell, empty ones too, has its slot.
    Positional(char),
    /// Runs of spaces: empty cells are lost.
    Spaces,
}

pub fn split_kind(text: &str) -> Split {
    if text.contains('\t') {
        Split::Positional('\t')
    } else if text.matches('|').count() >= 2 {
        Split::Positional('|')
    } else if text.matches(',').count() >= MIN_CSV_COMMAS && !text.contains('。') {
        // A row exported as comma-separated values (a table 三 row has 7 cells).
        Split::Positional(',')
    } else {
        Split::Spaces
    }
}

/// Commas that make a line a comma-separated row rather than text with a thousands
/// separator or a clause.
const MIN_CSV_COMMAS: usize = 4;

/// Markdown rule rows (|---|:--:|) and page numbers are layout, never cells.
pub fn is_furniture(text: &str) -> bool {
    let t = text.trim();
    if t.contains("---") && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t' | '+')) {
        return true;
    }
    page_number_re().is_some_and(|re| re.is_match(t))
}

/// The template's page-number patterns as one alternation: one search per line, not
/// one per pattern (a pattern that does not compile is left out, as before).
fn page_number_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        let valid: Vec<String> = template()
            .cells
            .page_numbers
            .iter()
            .filter(|p| Regex::new(p).is_ok())
            .map(|p| format!("(?:{p})"))
            .collect();
        if valid.is_empty() {
            return None;
        }
        Regex::new(&valid.join("|")).ok()
    })
    .as_ref()
}

/// The cells of a piece of a line. `label_residue` says the text starts inside a label
/// cell (it follows a matched label), whose remaining text is not a cell.
pub fn tokens_of(text: &str, line: u32, label_residue: bool) -> Vec<Tok> {
    if is_furniture(text) {
        return Vec::new();
    }
    match split_kind(text) {
        Split::Positional(sep) => {
            // Trailing tabs are empty cells at the row's end (a blank 总计); spaces are not.
            let trimmed = text.trim_end_matches(|c: char| c.is_whitespace() && c != '\t');
            let trimmed = if sep == '|' { trimmed.strip_suffix('|').unwrap_or(trimmed) } else { trimmed };
            let mut pieces: Vec<&str> = trimmed.split(sep).collect();
            if (label_residue || (sep == '|' && trimmed.trim_start().starts_with('|'))) && !pieces.is_empty()
            {
                pieces.remove(0);
            }
            // Label cells (text) are dropped; a label spanning several slots leaves none.
            pieces.iter().filter_map(|p| parse_piece(p, line)).collect()
        }
        Split::Spaces => text.split_whitespace().flat_map(|p| space_pieces(p, line)).collect(),
    }
}

/// A piece of digits with minus signs inside ("35-15", "-3-2") as its numbers, each
/// minus sign kept with the digits it stands before; any other piece as it is.
pub fn split_signed(p: &str) -> Vec<&str> {
    let inner_minus = p.len() > 1 && p.get(1..).is_some_and(|r| r.contains('-'));
    let shape = p.bytes().all(|b| b.is_ascii_digit() || b == b'-')
        && !p.ends_with('-')
        && !p.contains("--")
        && p.bytes().any(|b| b.is_ascii_digit());
    if !(inner_minus && shape) {
        return vec![p];
    }
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in p.bytes().enumerate() {
        if b == b'-' && i > start {
            out.extend(p.get(start..i));
            start = i;
        }
    }
    out.extend(p.get(start..));
    out
}

/// The cells of one space-split piece: itself, its number after label text, or the
/// signed numbers glued in it ("行政事业性收费35-15" is 35 and -15).
fn space_pieces(p: &str, line: u32) -> Vec<Tok> {
    if let Some(t) = space_piece(p, line) {
        return vec![t];
    }
    let digits_from = p.find(|c: char| c.is_ascii_digit() || c == '-').unwrap_or(p.len());
    let (head, run) = p.split_at(digits_from);
    if after_ordinal(head) || run.is_empty() {
        return Vec::new();
    }
    let parts = split_signed(run);
    if parts.len() < 2 {
        return Vec::new();
    }
    let toks: Vec<Tok> = parts.iter().filter_map(|q| parse_piece(q, line)).collect();
    if toks.len() == parts.len() {
        toks
    } else {
        Vec::new()
    }
}

/// Text before a number that makes it no cell: an ordinal (第3项) or a bracket.
fn after_ordinal(head: &str) -> bool {
    head.ends_with(template().words.ordinal.as_str()) || head.ends_with('(')
}

/// A space-split piece; label text glued to its number ("申请数量5") gives the number.
fn space_piece(p: &str, line: u32) -> Option<Tok> {
    if let Some(t) = parse_piece(p, line) {
        return Some(t);
    }
    let caps = trailing_number_re().captures(p)?;
    let head = caps.get(1)?.as_str();
    // "2019年" and "第3项" are words, not cells.
    if after_ordinal(head) {
        return None;
    }
    parse_piece(caps.get(2)?.as_str(), line)
}

/// Whether `c` can be part of a line of cells: digits, signs, separators, whitespace,
/// the template's zero marks and the characters of its cell units.
fn may_be_cell_char(c: char) -> bool {
    static MARKS: OnceLock<Vec<char>> = OnceLock::new();
    if c.is_ascii_digit() || c.is_whitespace() || matches!(c, '+' | '-' | '.' | ',' | '|') {
        return true;
    }
    let marks = MARKS.get_or_init(|| {
        let marks = template().cells.zero_marks.iter().flat_map(|m| m.chars());
        marks.chain(template().cells.units.iter().flat_map(|u| u.chars())).collect()
    });
    marks.contains(&c)
}

/// True when the line holds only cells (numbers, zero marks), no words.
pub fn is_numeric_line(text: &str) -> bool {
    let t = text.trim();
    // Most lines are words: one character no cell can hold settles it.
    !t.is_empty()
        && t.chars().all(may_be_cell_char)
        && !is_furniture(t)
        && match split_kind(t) {
            Split::Positional(sep) => {
                t.split(sep).all(|p| p.trim().is_empty() || parse_piece(p, 0).is_some())
            }
            Split::Spaces => t.split_whitespace().all(|p| parse_piece(p, 0).is_some()),
        }
}

/// The whitespace-separated pieces of a line, each with the column (in characters) it
/// starts at: where text that keeps its layout (`pdftotext -layout`) places a cell.
pub fn pieces_at(raw: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start: Option<(usize, usize)> = None;
    let ends = raw.char_indices().chain(std::iter::once((raw.len(), ' ')));
    for (column, (i, c)) in ends.enumerate() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some((i, column)),
            (true, Some((s, at))) => {
                out.extend(raw.get(s..i).map(|p| (at, p)));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Every way to cut a run of digits into `n` numbers without leading zeros.
/// Bounded: callers only pass runs up to `MAX_GLUED_DIGITS`.
pub fn glued_splits(digits: &str, n: usize) -> Vec<Vec<i64>> {
    let bytes = digits.as_bytes();
    let mut out = Vec::new();
    let mut cur = Vec::with_capacity(n);
    split_rec(bytes, n, &mut cur, &mut out);
    out
}

pub const MAX_GLUED_DIGITS: usize = 40;

fn split_rec(rest: &[u8], n: usize, cur: &mut Vec<i64>, out: &mut Vec<Vec<i64>>) {
    if out.len() > 100_000 {
        return;
    }
    if n == 0 {
        if rest.is_empty() {
            out.push(cur.clone());
        }
        return;
    }
    if rest.len() < n {
        return;
    }
    let max_len = if rest.first() == Some(&b'0') { 1 } else { (rest.len() - (n - 1)).min(12) };
    for len in 1..=max_len {
        let Some(head) = rest.get(..len) else { break };
        let Ok(s) = std::str::from_utf8(head) else { break };
        let Ok(v) = s.parse::<i64>() else { break };
        cur.push(v);
        split_rec(rest.get(len..).unwrap_or_default(), n - 1, cur, out);
        cur.pop();
    }
}

#[cfg(test)]
mod tests;
