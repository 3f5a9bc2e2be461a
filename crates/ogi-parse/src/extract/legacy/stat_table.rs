//! The legacy 政府信息公开情况统计表: numbered indicator rows (序号 / 指标名称 / 单位 /
//! 本年度 [/ 历年累计]) flattened into text, one cell per line or one row per line.
//! Rows are found by their running numbers (1, 2, 3 …), which is what survives every
//! flattening; a blank statistics cell is unknown (null), never 0.

use crate::extract::cells::parse_piece;
use crate::extract::cells::Tok;
use crate::normalise::has_cjk;
use crate::normalise::Line;
use crate::template::template;

#[derive(Debug, Clone, PartialEq)]
pub struct StatRow {
    pub no: u32,
    pub label: String,
    /// The enclosing top-level row ("四、行政复议数量"), for labels that repeat.
    pub group: String,
    pub unit: Option<String>,
    pub values: Vec<f64>,
    /// The row's statistics glued into one run of digits after its unit ("主动公开文件数
    /// 条206912106": 本年度 and 历年累计 with nothing between them), split by the caller.
    pub glued: Option<String>,
    pub line: u32,
}

/// The ways to read a run of digits as 本年度 then 历年累计: two numbers without leading
/// zeros, this year's no more than all years'.
pub fn year_and_cumulative(digits: &str) -> Vec<(f64, f64)> {
    crate::extract::cells::glued_splits(digits, 2)
        .into_iter()
        .filter_map(|v| match v.as_slice() {
            [a, b] if a <= b => Some((*a as f64, *b as f64)),
            _ => None,
        })
        .collect()
}

/// Where the table starts: its title or its column header.
fn start(lines: &[Line]) -> Option<usize> {
    let words = &template().legacy.table.header_words;
    lines.iter().position(|l| {
        let t = l.text.trim();
        t.chars().count() <= 60 && !t.contains('。') && words.iter().any(|w| t.contains(w.as_str()))
    })
}

fn leading_int(t: &str) -> Option<(u32, &str)> {
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 3 {
        return None;
    }
    let rest = t.get(digits.len()..)?;
    // "2.政府网站…" is a label numbered inside its group, not a row number.
    if rest.starts_with('.') || rest.starts_with('、') {
        return None;
    }
    Some((digits.parse().ok()?, rest.trim()))
}

fn is_unit(s: &str) -> bool {
    template().legacy.table.units.iter().any(|u| u == s)
}

/// Whether the table has a 历年累计 column, which makes a lone number ambiguous.
pub fn has_cumulative_column(lines: &[Line]) -> bool {
    let word = &template().legacy.table.cumulative_word;
    start(lines).is_some_and(|s| lines.iter().skip(s).take(12).any(|l| l.text.contains(word.as_str())))
}

pub fn read(lines: &[Line]) -> Vec<StatRow> {
    let Some(s) = start(lines) else { return Vec::new() };
    let body = lines.get(s..).unwrap_or_default();
    let next_text = |i: usize| -> bool {
        body.iter()
            .skip(i + 1)
            .find(|l| !l.is_blank())
            .is_some_and(|l| has_cjk(&l.text) && leading_int(l.text.trim()).is_none())
    };
    let mut rows: Vec<StatRow> = Vec::new();
    let mut expected = 1u32;
    let mut group = String::new();
    for (i, l) in body.iter().enumerate() {
        let t = l.text.trim();
        if t.is_empty() {
            continue;
        }
        if let Some((n, rest)) = leading_int(t) {
            if n == expected && (has_cjk(rest) || (rest.is_empty() && next_text(i))) {
                rows.push(StatRow {
                    no: n,
                    label: String::new(),
                    group: group.clone(),
                    unit: None,
                    values: Vec::new(),
                    glued: None,
                    line: l.no,
                });
                expected += 1;
                if !rest.is_empty() {
                    take(rows.last_mut(), rest, l.no, &mut group);
                }
                continue;
            }
        }
        if rows.is_empty() {
            continue;
        }
        // Prose after the table ends it.
        if t.contains('。') && t.chars().count() > 40 {
            break;
        }
        take(rows.last_mut(), t, l.no, &mut group);
    }
    rows
}

/// Adds one piece of a row's text: label words, a unit, or values.
fn take(row: Option<&mut StatRow>, text: &str, line: u32, group: &mut String) {
    let Some(row) = row else { return };
    let pieces: Vec<&str> = text.split_whitespace().collect();
    for (k, &piece) in pieces.iter().enumerate() {
        // "收到申请数 件 12" loses its space to normalisation ("收到申请数件 12"): a
        // unit glued to the label's end, with numbers after it, is the unit column.
        let next_is_number = pieces.get(k + 1).is_some_and(|p| !has_cjk(p) && parse_piece(p, line).is_some());
        let glued_unit = template().legacy.table.units.iter().find(|u| {
            next_is_number && piece.ends_with(u.as_str()) && piece.len() > u.len() && has_cjk(piece)
        });
        let piece = match glued_unit {
            Some(u) => {
                row.unit = Some(u.clone());
                piece.get(..piece.len() - u.len()).unwrap_or(piece)
            }
            None => piece,
        };
        // Label, unit and statistics glued together: "主动公开文件数条206912106".
        if let Some((label, unit, digits)) = label_unit_digits(piece) {
            row.label.push_str(label);
            row.unit = Some(unit.to_string());
            row.glued = Some(digits.to_string());
            continue;
        }
        if is_unit(piece) {
            row.unit = Some(piece.to_string());
            continue;
        }
        if !has_cjk(piece) {
            if let Some(Tok::Value { value, .. }) = parse_piece(piece, line) {
                row.values.push(value);
                continue;
            }
            if matches!(parse_piece(piece, line), Some(Tok::Zero { .. })) {
                row.values.push(0.0);
                continue;
            }
        }
        if row.values.is_empty() {
            row.label.push_str(piece);
            if is_top_level(&row.label) {
                *group = row.label.clone();
                row.group = group.clone();
            }
        }
    }
}

/// A piece that is words, then a unit of the table, then digits, with nothing between.
fn label_unit_digits(piece: &str) -> Option<(&str, &str, &str)> {
    let split = piece.find(|c: char| c.is_ascii_digit())?;
    let (head, digits) = piece.split_at(split);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 24 {
        return None;
    }
    let unit =
        template().legacy.table.units.iter().find(|u| head.ends_with(u.as_str()) && head.len() > u.len())?;
    let label = head.get(..head.len() - unit.len())?;
    has_cjk(label).then_some((label, unit.as_str(), digits))
}

/// "四、行政复议数量": a Chinese numeral and 、 start a top-level row.
fn is_top_level(label: &str) -> bool {
    let mut chars = label.chars();
    matches!(chars.next(), Some('一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'))
        && label.chars().take(3).any(|c| c == '、')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::normalise;

    #[test]
    fn numbered_rows_one_cell_per_line() {
        let text = "统计表\n序号\n统计目标\n单位\n统计\n1\n一、主动公开情况\n2\n(一)主动公开政府信息数\n条\n1727\n3\n四、行政复议数量\n件\n4\n(一)维持具体行政行为数\n件\n4\n5\n(二)被依法纠错数\n";
        let rows = read(&normalise(text));
        assert_eq!(rows.len(), 5);
        assert_eq!(rows[1].values, vec![1727.0]);
        assert_eq!(rows[1].unit.as_deref(), Some("条"));
        assert!(rows[2].values.is_empty(), "a blank statistic is unknown");
        assert_eq!(rows[3].values, vec![4.0], "a value equal to the next row number is a value");
        assert_eq!(rows[3].group, "四、行政复议数量");
    }

    #[test]
    fn statistics_glued_to_the_unit() {
        let text = "政府信息公开情况统计表\n指标名称计量单位本年度历年累计\n1一、主动公开情况\n2主动公开文件数条206912106\n3对申请的答复总数条00\n";
        let rows = read(&normalise(text));
        assert_eq!(rows[1].glued.as_deref(), Some("206912106"));
        assert_eq!(rows[1].unit.as_deref(), Some("条"));
        assert_eq!(rows[1].label, "主动公开文件数");
        let splits = year_and_cumulative("206912106");
        assert!(splits.contains(&(2069.0, 12106.0)) && splits.len() > 1, "{splits:?}");
        assert_eq!(year_and_cumulative("00"), vec![(0.0, 0.0)]);
    }

    #[test]
    fn rows_on_one_line() {
        let text = "政府信息公开情况统计表\n指标名称 计量单位 本年度 历年累计\n1 一、主动公开情况\n2 (一)主动公开政府信息数 条 320 4000\n3 (二)收到申请数 件 12 40\n";
        let lines = normalise(text);
        let rows = read(&lines);
        assert_eq!(rows[1].values, vec![320.0, 4000.0]);
        assert_eq!(rows[2].label, "(二)收到申请数");
        assert!(has_cumulative_column(&lines));
    }
}
