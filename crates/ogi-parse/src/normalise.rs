//! Text → normalised lines, one for one with the decoded text so every number keeps its
//! source line. NFKC folds full-width digits and punctuation to ASCII; dash variants
//! become '-'; spaces that PDF conversion put inside CJK labels are removed, so that
//! "三、本年度 办理结果" matches the template's label.

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based line in the decoded text.
    pub no: u32,
    pub text: String,
}

impl Line {
    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

pub fn normalise(text: &str) -> Vec<Line> {
    text.split('\n')
        .enumerate()
        .map(|(i, raw)| Line {
            no: u32::try_from(i + 1).unwrap_or(u32::MAX),
            text: normalise_line(raw.trim_end_matches('\r')),
        })
        .collect()
}

pub fn normalise_line(raw: &str) -> String {
    // Lines of cells are ASCII: NFKC, the folds and the CJK squeeze leave them alone
    // but for the control characters fold_char turns into spaces.
    if raw.bytes().all(|b| b.is_ascii() && !matches!(b, b'\r' | 0x0b | 0x0c)) {
        return trim_end_keep_tabs(raw).to_string();
    }
    if let Some(folded) = fold_plain(raw) {
        return squeeze_cjk_spaces(trim_end_keep_tabs(&folded));
    }
    let kept = || {
        raw.chars().filter(|c| !matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' | '\u{00AD}'))
    };
    // Lines already in NFKC skip the decomposition, which dominates otherwise.
    let folded: String = if is_nfkc_quick(kept()) == IsNormalized::Yes {
        kept().map(fold_char).collect()
    } else {
        kept().nfkc().map(fold_char).collect()
    };
    squeeze_cjk_spaces(trim_end_keep_tabs(&folded))
}

/// Trailing whitespace goes, trailing tabs stay: they are the empty cells at the end of
/// a row (an HTML row whose last cells, 总计 among them, are blank).
fn trim_end_keep_tabs(s: &str) -> &str {
    s.trim_end_matches(|c: char| c.is_whitespace() && c != '\t')
}

/// The common case without the Unicode tables: a line of ASCII, CJK ideographs, CJK
/// punctuation and full-width ASCII forms. NFKC maps a full-width form (U+FF01–U+FF5E)
/// to its ASCII character and leaves the others alone, so the result is the same as
/// the general path's; any other character returns None and takes that path.
fn fold_plain(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        let c = match c {
            '\0'..='\u{7f}' | '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' => c,
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(u32::from(c) - 0xfee0)?,
            // CJK punctuation that NFKC keeps (、。〇〈〉《》「」『』【】〔〕“”‘’·—): folded
            // by fold_char like the general path does.
            '\u{3001}'
            | '\u{3002}'
            | '\u{3007}'
            | '\u{3008}'..='\u{3011}'
            | '\u{3014}'
            | '\u{3015}'
            | '\u{201c}'
            | '\u{201d}'
            | '\u{2018}'
            | '\u{2019}'
            | '\u{00b7}'
            | '\u{2014}' => c,
            '\u{3000}' => ' ',
            _ => return None,
        };
        out.push(fold_char(c));
    }
    Some(out)
}

fn fold_char(c: char) -> char {
    match c {
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{2500}' => '-',
        '\u{3000}' | '\u{00A0}' | '\u{2002}'..='\u{200A}' => ' ',
        '\u{3001}' => '、',
        '\u{FF5E}' | '\u{301C}' => '~',
        '\u{3014}' | '\u{3010}' => '(',
        '\u{3015}' | '\u{3011}' => ')',
        '\r' | '\u{000B}' | '\u{000C}' => ' ',
        _ => c,
    }
}

/// A Chinese character (the unified ideographs, extension A, and 〇): the one test of
/// what is a word in a line of numbers and words.
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '〇')
}

/// Whether the text holds a Chinese character.
pub fn has_cjk(s: &str) -> bool {
    s.chars().any(is_cjk)
}

/// The marks that end a sentence, after NFKC (。 ; ! ?).
pub const SENTENCE_ENDS: [char; 4] = ['。', ';', '!', '?'];

/// The sentences of one line of text (a sentence wrapped over lines is not joined).
pub fn sentences(s: &str) -> std::str::Split<'_, [char; 4]> {
    s.split(SENTENCE_ENDS)
}

/// Removes runs of spaces between two CJK characters (or CJK and CJK punctuation),
/// which PDF text extraction inserts for justification. Tabs are kept: they separate
/// table cells.
fn squeeze_cjk_spaces(s: &str) -> String {
    if !s.contains(' ') {
        return s.to_string();
    }
    let joinable = |x: Option<char>| x.is_some_and(|x| is_cjk(x) || "、()“”\"".contains(x));
    let mut out = String::with_capacity(s.len());
    // The character before the current run of spaces, as written (not as kept).
    let mut before: Option<char> = None;
    let mut run = 0usize;
    for c in s.chars() {
        if c == ' ' {
            run += 1;
            continue;
        }
        if run > 0 {
            let after = Some(c);
            if !(joinable(before) && joinable(after) && (before.is_some_and(is_cjk) || is_cjk(c))) {
                out.extend(std::iter::repeat_n(' ', run));
            }
            run = 0;
        }
        out.push(c);
        before = Some(c);
    }
    // Trailing spaces: nothing after them to join with.
    out.extend(std::iter::repeat_n(' ', run));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fullwidth_and_spaces() {
        assert_eq!(normalise_line("（七）总计　５"), "(七)总计 5");
        assert_eq!(normalise_line("三、本年度 办理 结果"), "三、本年度办理结果");
        assert_eq!(normalise_line("结果   维持   0    0"), "结果维持   0    0");
        assert_eq!(normalise_line("－1"), "-1");
        assert_eq!(normalise_line("本年增/减\t—"), "本年增/减\t-");
    }

    #[test]
    fn the_plain_path_agrees_with_nfkc() {
        let samples = [
            "（一）本年新收政府信息公开申请数量：１２件。",
            "三、收到和处理政府信息公开申请情况\t总计\u{3000}5",
            "“本年度”《条例》【一】〔二〕「三」『四』…·—〇",
            "ABC abc 0123 ～！＠＃＄％＾＆＊＿＋＝｛｝｜＼：；＂＇＜＞？，．／",
            "\u{200B}含零宽字符\u{00AD}的行",
            "ｶﾀｶﾅ and ① and ㈠ and ﹝x﹞",
        ];
        for s in samples {
            let general: String = {
                let kept = s
                    .chars()
                    .filter(|c| !matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' | '\u{00AD}'));
                kept.nfkc().map(fold_char).collect()
            };
            assert_eq!(normalise_line(s), squeeze_cjk_spaces(trim_end_keep_tabs(&general)), "{s}");
        }
        assert!(fold_plain(samples[0]).is_some() && fold_plain(samples[5]).is_none());
    }

    #[test]
    fn squeezing_keeps_spaces_that_do_not_join_cjk() {
        assert_eq!(normalise_line("甲  乙 3 4 丙"), "甲乙 3 4 丙");
        assert_eq!(normalise_line("“甲” (乙)"), "“甲” (乙)");
        assert_eq!(normalise_line("甲 (乙)"), "甲(乙)");
        assert_eq!(normalise_line("() ()"), "() ()");
        assert_eq!(normalise_line("  首 尾  "), "  首尾");
        assert_eq!(normalise_line("a\u{3000}\u{3000}b"), "a  b");
        assert_eq!(normalise_line(" 12\t 3\u{000B}4 "), " 12\t 3 4");
    }

    #[test]
    fn line_numbers_survive_crlf() {
        let lines = normalise("a\r\n\r\nb\n");
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[2], Line { no: 3, text: "b".into() });
    }
}
