//! Table 四 where each cell follows its own column name. pdfminer gives the table as text
//! boxes, each a column's name (结/果/纠/正, a character a line) with the number under
//! it, in an order set by the boxes' distances, not the table's: "其他结果 1" may come
//! before "结果纠正 0". Read in order those numbers are the wrong cells; read by their
//! names they are the right ones, when each name is there three times.

use super::cells::Tok;
use crate::normalise::{is_cjk, Line};
use crate::template::template;

/// What the names before the numbers say.
#[derive(Debug, PartialEq)]
pub enum Labelled {
    /// Not every number follows a result's name: the text is in the table's order.
    Unlabelled,
    /// The fifteen cells in the template's order.
    Cells(Vec<Tok>),
    /// Every number follows a name, and the names are not three of each result:
    /// nothing says which cell a number is.
    Undetermined,
}

/// `cells`: the section's numbers in text order; `slice`: its lines.
pub fn read(slice: &[Line], cells: &[Tok]) -> Labelled {
    let spec = &template().litigation;
    let block = spec.block();
    if cells.len() != spec.cells() || cells.iter().any(|t| matches!(t, Tok::Empty { .. })) {
        return Labelled::Unlabelled;
    }
    // The words since the previous number, for each number (a line of numbers: one
    // name before its first number only).
    let mut names: Vec<Option<usize>> = Vec::with_capacity(cells.len());
    let mut words = String::new();
    let mut next = cells.iter().peekable();
    for l in slice {
        let line_cells: Vec<&Tok> = std::iter::from_fn(|| next.next_if(|t| t.line() == l.no)).collect();
        if line_cells.is_empty() {
            words.extend(l.text.chars().filter(|c| is_cjk(*c)));
            continue;
        }
        for _ in line_cells {
            names.push(result_named(&words, &spec.result_words));
            words.clear();
        }
    }
    if names.len() != cells.len() || names.iter().any(Option::is_none) {
        return Labelled::Unlabelled;
    }
    // The table is one row of fifteen cells, three blocks of the same five names: the
    // k-th number under a name, left to right, is block k's. pdfminer's boxes of one
    // name keep that order even where boxes of different names cross between blocks
    // (a block's 维持 before the previous block's 总计); the block sums check it.
    let mut blocks: Vec<Vec<Option<&Tok>>> = vec![vec![None; block]; spec.proceedings.len()];
    let mut seen = vec![0usize; block];
    for (name, tok) in names.iter().flatten().zip(cells) {
        let Some(n) = seen.get_mut(*name) else { continue };
        if let Some(slot) = blocks.get_mut(*n).and_then(|b| b.get_mut(*name)) {
            *slot = Some(tok);
        }
        *n += 1;
    }
    if seen.iter().any(|n| *n != spec.proceedings.len()) {
        return Labelled::Undetermined;
    }
    Labelled::Cells(blocks.into_iter().flatten().flatten().cloned().collect())
}

/// The result whose name ends latest in `words`.
fn result_named(words: &str, result_words: &[Vec<String>]) -> Option<usize> {
    result_words
        .iter()
        .enumerate()
        .filter_map(|(k, ws)| {
            Some((k, ws.iter().filter_map(|w| words.rfind(w.as_str()).map(|i| i + w.len())).max()?))
        })
        .max_by_key(|(_, end)| *end)
        .map(|(k, _)| k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::cells::tokens_of;
    use crate::normalise::normalise;

    fn run(text: &str) -> Labelled {
        let lines = normalise(text);
        let toks: Vec<Tok> = lines
            .iter()
            .filter(|l| crate::extract::cells::is_numeric_line(&l.text))
            .flat_map(|l| tokens_of(&l.text, l.no, false))
            .collect();
        read(&lines, &toks)
    }

    fn counts(l: Labelled) -> Option<Vec<i64>> {
        match l {
            Labelled::Cells(c) => c.iter().map(Tok::count).collect(),
            _ => None,
        }
    }

    #[test]
    fn cells_follow_their_names_out_of_order() {
        // pdfminer.six of a rendered report (014): 其他 before 纠正 in the last block
        let text = "行政复议\n结\n果\n维\n持\n1\n结\n果\n纠\n正\n2\n其\n他\n结\n果\n–\n尚\n未\n审\n结\n–\n总\n计\n3\n\
                    结\n果\n维\n持\n–\n未经复议直接起诉\n其\n他\n结\n果\n–\n结\n果\n纠\n正\n–\n尚\n未\n审\n结\n–\n总\n计\n–\n\
                    复议后起诉\n结\n果\n维\n持\n–\n其\n他\n结\n果\n1\n结\n果\n纠\n正\n–\n尚\n未\n审\n结\n–\n总\n计\n1\n";
        assert_eq!(counts(run(text)), Some(vec![1, 2, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1]));
    }

    #[test]
    fn names_that_cross_between_blocks() {
        // pdfminer.six of a rendered report (014) as it is: block 二's 维持 before its
        // name, block 三's 维持 before block 二's 总计
        let text = "行政复议\n维持\n1\n纠正\n2\n其他\n–\n尚未审结\n–\n总计\n3\n维持\n–\n未经复议直接起诉\n其他\n–\n纠正\n–\n尚未审结\n–\n\
                    行政诉讼\n维持\n–\n总计\n–\n复议后起诉\n其他\n1\n纠正\n–\n尚未审结\n–\n总计\n1\n";
        assert_eq!(counts(run(text)), Some(vec![1, 2, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1]));
    }

    #[test]
    fn a_name_missing_decides_nothing() {
        let text = "维持\n1\n纠正\n2\n其他\n0\n尚未审结\n0\n总计\n3\n维持\n0\n纠正\n0\n其他\n0\n尚未审结\n0\n总计\n0\n\
                    维持\n0\n纠正\n0\n其他\n1\n总计\n0\n总计\n1\n";
        assert_eq!(run(text), Labelled::Undetermined);
    }

    #[test]
    fn numbers_after_the_whole_header_are_in_the_tables_order() {
        let text = "行政复议 行政诉讼\n维持 纠正 其他 尚未审结 总计\n1 2 0 0 3 0 0 0 0 0 0 0 0 0 0\n";
        assert_eq!(run(text), Labelled::Unlabelled);
    }
}
