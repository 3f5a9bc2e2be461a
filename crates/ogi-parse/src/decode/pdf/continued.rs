//! A table that runs over a page break is one table. The engine gives two: the part
//! on the next page may repeat the header rows (Word's "repeat as header row"), and a
//! row cut by the break leaves its label's end, with no numbers, at the top of the next
//! page ("2.其他法律行政法规禁" / "止公开"). The repeat goes; the cut row is joined.

use super::layout::Block;

/// Joins each page's leading table to the table that ends the page before it.
pub fn join(pages: &mut [Vec<Block>]) {
    for k in 1..pages.len() {
        let (before, after) = pages.split_at_mut(k);
        let Some(prev) = before.last_mut().and_then(|p| last_table(p)) else { continue };
        let Some(next) = after.first_mut().and_then(|p| first_table(p)) else { continue };
        join_tables(prev, next);
    }
}

/// The table that ends a page (nothing but page furniture after it).
fn last_table(page: &mut [Block]) -> Option<&mut Vec<Vec<String>>> {
    match page.last_mut()? {
        Block::Table(rows) => Some(rows),
        Block::Line { .. } => None,
    }
}

/// The table that opens a page: only lines of the top band (a running header) before it.
fn first_table(page: &mut [Block]) -> Option<&mut Vec<Vec<String>>> {
    let at = page.iter().position(|b| !matches!(b, Block::Line { top_band: true, .. }))?;
    match page.get_mut(at)? {
        Block::Table(rows) => Some(rows),
        Block::Line { .. } => None,
    }
}

fn has_number(cell: &str) -> bool {
    cell.chars().any(|c| c.is_ascii_digit()) && !cell.chars().any(crate::normalise::is_cjk)
}

/// `(二)…`, `二、…`, `2.…`, `2、…`: the numbering a row label begins with.
fn starts_like_item(text: &str) -> bool {
    let numeral = |c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c);
    let mut chars = text.chars();
    match chars.next() {
        Some('(' | '\u{FF08}') => chars.next().is_some_and(numeral),
        Some(c) if numeral(c) => {
            let rest: String = chars.skip_while(|&c| numeral(c)).take(1).collect();
            matches!(rest.as_str(), "." | "、" | "\u{FF0E}" | ")" | "\u{FF09}")
        }
        _ => false,
    }
}

fn join_tables(prev: &mut [Vec<String>], next: &mut Vec<Vec<String>>) {
    // The header rows repeated.
    let repeated = prev.iter().zip(next.iter()).take_while(|(a, b)| a == b).count();
    if repeated > 0 && repeated < next.len() {
        next.drain(..repeated);
    }
    // A cut row: label text and no number, as wide as the row it ends, which has numbers.
    let Some(last) = prev.last_mut() else { return };
    let Some(first) = next.first() else { return };
    // Each tail ends a label of the row above, and none begins one of its own: a row
    // whose zeros are written blank ("(二)部分公开" with empty cells) is a row.
    let tails_of_labels = first.iter().zip(last.iter()).all(|(tail, head)| {
        let tail = tail.trim();
        tail.is_empty() || (!starts_like_item(tail) && !head.trim().is_empty() && !has_number(head))
    });
    let cut = first.len() == last.len()
        && first.iter().any(|c| !c.trim().is_empty())
        && !first.iter().any(|c| has_number(c))
        && last.iter().any(|c| has_number(c))
        && tails_of_labels;
    if !cut {
        return;
    }
    let tails = next.remove(0);
    let mut joined: Vec<(usize, String, String)> = Vec::new();
    for (j, (cell, tail)) in last.iter_mut().zip(&tails).enumerate() {
        if !tail.trim().is_empty() {
            cell.push_str(tail);
            joined.push((j, tail.clone(), cell.clone()));
        }
    }
    // A merged label cut by the break (三、本年度 / 办理结果) is printed again, as its
    // tail, beside the rows below: those copies are the whole label too.
    for row in next.iter_mut() {
        for (j, tail, whole) in &joined {
            if let Some(cell) = row.get_mut(*j).filter(|c| *c == tail) {
                *cell = whole.clone();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<Vec<String>> {
        text.lines().map(|l| l.split('|').map(str::to_string).collect()).collect()
    }

    #[test]
    fn a_repeated_header_goes_and_a_cut_row_is_joined() {
        let mut pages = vec![
            vec![Block::Table(rows(
                "项目|自然人|总计\n三、本年度|1.属于国家秘密|0|0\n三、本年度|2.其他法律行政法规禁|1|1",
            ))],
            vec![
                Block::Line {
                    text: "淮安市人民政府2024年政府信息公开工作年度报告".into(), top_band: true
                },
                Block::Table(rows("项目|自然人|总计\n办理结果|止公开||\n办理结果|3.危及“三安全一稳定”|0|0")),
            ],
        ];
        join(&mut pages);
        assert_eq!(
            pages[0][0],
            Block::Table(rows(
                "项目|自然人|总计\n三、本年度|1.属于国家秘密|0|0\n三、本年度办理结果|2.其他法律行政法规禁止公开|1|1"
            ))
        );
        assert_eq!(pages[1][1], Block::Table(rows("三、本年度办理结果|3.危及“三安全一稳定”|0|0")));
    }

    #[test]
    fn a_row_of_blank_zeros_is_a_row_not_a_cut() {
        let last = rows("三、本年度办理结果|(一)予以公开|8|8");
        let mut pages = vec![
            vec![Block::Table(last.clone())],
            vec![Block::Table(rows("三、本年度办理结果|\u{FF08}二\u{FF09}部分公开||"))],
        ];
        join(&mut pages);
        assert_eq!(pages[0][0], Block::Table(last));
    }

    #[test]
    fn a_table_after_text_is_not_a_continuation() {
        let first = Block::Table(rows("a|1\nb|2"));
        let mut pages = vec![
            vec![first.clone()],
            vec![Block::Line { text: "四、行政复议".into(), top_band: false }, Block::Table(rows("c|"))],
        ];
        join(&mut pages);
        assert_eq!(pages[0][0], first);
    }
}
