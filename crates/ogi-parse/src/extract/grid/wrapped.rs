//! Row labels wrapped inside their cells ("5.要求行政机关确认或重新出" / numbers /
//! "具已获取信息"), a page break and a repeated header between the two parts.

use super::{is_header_line, Hit, Labels};
use crate::extract::cells::{is_furniture, is_numeric_line};
use crate::normalise::Line;

/// Lines after a label cut by its cell's width that are looked at for its end.
const WRAP_LOOKAHEAD: usize = 3;
/// Lines of a table header repeated after a page break, at most, that a wrapped label's
/// end may stand after.
const MAX_WRAP_HEADER: usize = 40;

/// A line of a table header: pieces of its column names and nothing else ("自然",
/// "人", "自然 社会 法律", "法人或其他组织"; pdftotext -layout puts the pieces of several
/// names on one line), or its note.
fn is_header_fragment(text: &str) -> bool {
    let words = super::header_words();
    let mut cjk = text.chars().filter(|c| crate::normalise::is_cjk(*c)).peekable();
    cjk.peek().is_some() && {
        let pieces_of_names = cjk.all(|c| words.has_char(c));
        pieces_of_names || words.distinct_in(text, 1) >= 1
    }
}

/// Characters of the next line tried as the end of a wrapped label: the longest
/// alias of the template is shorter.
const MAX_WRAP_TAIL: usize = 16;
/// Characters of a merged group label (三、本年度办理结果, (六)其他处理) that normalising
/// may glue to the start of a wrapped label's end on one line: at most this many.
const MAX_GLUED_GROUP_CHARS: usize = 3;
/// CJK characters on the first line of a wrapped label at least: a zero mark (无)
/// before a group label (无法提供) is not one.
const MIN_WRAP_HEAD: usize = 2;

/// A row label wrapped in its cell ("5.要求行政机关确认或重新出" / numbers / "具已获取信息"):
/// the line ends in words that start a label, and the words that start a line within
/// the next few lines end it. The hit is on the first line, its cells after it.
pub(super) fn wrapped_label(lines: &[Line], idx: usize, automaton: &Labels, cursor: usize) -> Option<Hit> {
    let line = lines.get(idx)?;
    // The label's first part, and the row's cells after it on the line, if any
    // ("2.申请人逾期未按收费    2  -  -  2").
    let last = line.text.char_indices().rfind(|(_, c)| crate::normalise::is_cjk(*c))?;
    // (its end must pair with the next part's first character: most lines cannot)
    if !automaton.pair_firsts.contains(&last.1) {
        return None;
    }
    let text = line.text.get(..last.0 + last.1.len_utf8())?;
    let cells = line.text.get(text.len()..).unwrap_or("");
    // A label's first part has words enough to be one (not a zero mark like 无).
    let words = text.chars().filter(|c| crate::normalise::is_cjk(*c)).count();
    if words < MIN_WRAP_HEAD || !(cells.trim().is_empty() || is_numeric_line(cells)) || is_header_line(text) {
        return None;
    }
    let rest = lines.get(idx + 1..)?.iter().filter(|l| !l.is_blank() && !is_furniture(&l.text));
    // A page break between the two parts repeats the table's header (its names, a
    // character or two a line) before the end: header lines are looked past.
    let mut others = 0;
    let rest = rest.take(MAX_WRAP_HEADER).take_while(|l| {
        // (a merged group label beside the rows prints a character a line)
        let header = is_header_fragment(&l.text) || l.text.trim().chars().count() == 1;
        others += usize::from(!header);
        others <= WRAP_LOOKAHEAD
    });
    // The label's end: the last run of words on one of the next lines of words, before
    // its cells ("正、行政机关不再处理其政府信  67  3 …" ends "逾期不补" with 正); words
    // before it are another column's (a merged group label, a character a line).
    let cut = text.len();
    let (start, row) = rest
        .filter(|l| !is_numeric_line(&l.text))
        .find_map(|l| label_end(text, l.text.trim(), automaton, cursor))?;
    Some(Hit { row, line_idx: idx, start, end: cut })
}

/// The row whose label starts at the end of `text` and ends in the last run of words of
/// `next`: (where it starts, row). Normalising joins a group label's character to the
/// run ("办止公开", "其他处期不补正"), so the run is tried without its first few
/// characters too, the longest first.
fn label_end(text: &str, next: &str, automaton: &Labels, cursor: usize) -> Option<(usize, usize)> {
    let words_end = next.char_indices().rfind(|(_, c)| crate::normalise::is_cjk(*c))?;
    let words = next.get(..words_end.0 + words_end.1.len_utf8())?;
    let run = words.get(words.rfind(char::is_whitespace).map_or(0, |p| p + 1)..)?;
    let cut = text.len();
    let last = text.chars().next_back()?;
    run.char_indices().take(MAX_GLUED_GROUP_CHARS + 1).find_map(|(i, first)| {
        if !automaton.pairs.contains(&(last, first)) {
            return None;
        }
        let tail: String = run.get(i..)?.chars().take(MAX_WRAP_TAIL).collect();
        let joined = format!("{text}{tail}");
        automaton
            .matches(&joined)
            .into_iter()
            .filter(|(s, e, row, weak)| *s < cut && *e > cut && *row >= cursor && !weak)
            .min_by_key(|(s, e, row, _)| (*s, *row, std::cmp::Reverse(*e)))
            .map(|(s, _, row, _)| (s, row))
    })
}
