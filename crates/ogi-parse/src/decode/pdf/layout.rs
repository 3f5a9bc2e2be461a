//! A page's glyphs → lines of text in reading order. Glyphs inside a bordered table go
//! to the cell that encloses them, and the table becomes one tab-separated line per
//! row through the grid renderer HTML and Word tables use; the rest become lines by
//! their baselines. A page number in the page's margin is furniture, not text.

use super::page::{Glyph, Page};
use super::table::{tables, Table};
use crate::decode::table_lines::{render_grid, Cell};
use crate::normalise::is_cjk;

/// Glyphs whose baselines differ by less than this share a line (fraction of the size).
const SAME_LINE: f64 = 0.45;

/// A gap wider than this between glyphs of a line is a space (fraction of the size).
const SPACE_GAP: f64 = 0.25;

/// The top and bottom bands of a page where page numbers stand (fraction of its height).
const MARGIN_BAND: f64 = 0.1;

/// What a page holds, top to bottom: lines of text, and tables as rows of cells.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A line of text, and whether it stands in the page's top band (where a running
    /// header is printed).
    Line {
        text: String,
        top_band: bool,
    },
    Table(Vec<Vec<String>>),
}

/// The page's blocks, top to bottom.
pub fn page_blocks(page: &Page) -> Vec<Block> {
    let tables = tables(&page.rules);
    // A table that encloses no glyph is a drawn frame (a box around the page, a rule).
    let mut in_table: Vec<Vec<&Glyph>> = vec![Vec::new(); tables.len()];
    let mut free: Vec<&Glyph> = Vec::new();
    for g in &page.glyphs {
        match tables.iter().position(|t| t.contains(g.centre())) {
            Some(i) => {
                if let Some(list) = in_table.get_mut(i) {
                    list.push(g);
                }
            }
            None => free.push(g),
        }
    }
    // (y, block), merged in order of their top.
    let mut blocks: Vec<(f64, Block)> = Vec::new();
    for (t, glyphs) in tables.iter().zip(in_table) {
        if glyphs.is_empty() {
            continue;
        }
        blocks.push((t.top(), Block::Table(table_rows(t, &glyphs))));
    }
    for line in lines_of(free) {
        let y = line.first().map_or(0.0, |g| g.y);
        let text = line_text(&line);
        if is_page_number(&text) && in_margin(y, page.height) {
            continue;
        }
        let top_band = page.height > 0.0 && y < page.height * MARGIN_BAND;
        blocks.push((y, Block::Line { text, top_band }));
    }
    blocks.sort_by(|a, b| a.0.total_cmp(&b.0));
    blocks.into_iter().map(|(_, b)| b).collect()
}

/// Glyphs grouped into lines by baseline, each line left to right, lines top to bottom.
fn lines_of(mut glyphs: Vec<&Glyph>) -> Vec<Vec<&Glyph>> {
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y));
    let mut lines: Vec<Vec<&Glyph>> = Vec::new();
    let mut base = f64::NEG_INFINITY;
    for g in glyphs {
        match lines.last_mut() {
            Some(line) if g.y - base <= SAME_LINE * g.size.max(1.0) => line.push(g),
            _ => {
                base = g.y;
                lines.push(vec![g]);
            }
        }
    }
    for line in &mut lines {
        line.sort_by(|a, b| a.x.total_cmp(&b.x));
    }
    lines
}

/// A line's text: a space where the gap between two glyphs is a space's width or more.
/// A glyph drawn twice at the same place (fake bold) is written once.
fn line_text(line: &[&Glyph]) -> String {
    let mut s = String::new();
    let mut prev: Option<&Glyph> = None;
    for g in line {
        if let Some(p) = prev {
            let gap = g.x - p.right();
            if g.text == p.text && (g.x - p.x).abs() < p.size * 0.2 {
                continue;
            }
            if gap > SPACE_GAP * g.size.max(p.size) {
                s.push(' ');
            }
        }
        s.push_str(&g.text);
        prev = Some(g);
    }
    s
}

fn in_margin(y: f64, height: f64) -> bool {
    height > 0.0 && (y < height * MARGIN_BAND || y > height * (1.0 - MARGIN_BAND))
}

/// `3`, `- 3 -`, `—3—`, `第3页`, `第 3 页 共 9 页`, `3/9`: a page number and nothing else.
fn is_page_number(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let core = t.trim_matches(|c: char| matches!(c, '-' | '—' | '–' | '－' | '·' | '•'));
    if core.is_empty() {
        return false;
    }
    let digits_only =
        |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
    if digits_only(core) {
        return core.chars().count() <= 4;
    }
    if let Some((a, b)) = core.split_once('/') {
        return digits_only(a) && digits_only(b);
    }
    let w = &crate::template::template().words;
    let marks: Vec<char> = [&w.ordinal, &w.page, &w.page_total].iter().flat_map(|m| m.chars()).collect();
    let pieces: Vec<&str> = core.split(|c| marks.contains(&c)).filter(|p| !p.is_empty()).collect();
    core.starts_with(w.ordinal.as_str())
        && core.contains(w.page.as_str())
        && !pieces.is_empty()
        && pieces.iter().all(|p| digits_only(p))
}

/// A table's rows as the grid renderer lays them out, its cells' text read from the
/// glyphs they enclose (a label wrapped over lines in its cell is one label again).
fn table_rows(t: &Table, glyphs: &[&Glyph]) -> Vec<Vec<String>> {
    let mut per_cell: Vec<Vec<&Glyph>> = vec![Vec::new(); t.cells.len()];
    for g in glyphs {
        if let Some(list) = t.cell_at(g.centre()).and_then(|i| per_cell.get_mut(i)) {
            list.push(g);
        }
    }
    let rows = t.ys.len().saturating_sub(1);
    let mut grid: Vec<Vec<Cell>> = (0..rows).map(|_| Vec::new()).collect();
    for (span, glyphs) in t.cells.iter().zip(per_cell) {
        let text = cell_text(glyphs);
        if let Some(row) = grid.get_mut(span.r0) {
            row.push(Cell { text, colspan: span.c1 - span.c0 + 1, rowspan: span.r1 - span.r0 + 1 });
        }
    }
    let mut out = String::new();
    render_grid(&grid, &mut out);
    out.lines().map(|l| l.split('\t').map(str::to_string).collect()).collect()
}

/// The text of one cell: its lines joined, directly between two CJK characters (a
/// label wrapped in a narrow cell, or written one character per line), else by a space.
fn cell_text(glyphs: Vec<&Glyph>) -> String {
    let mut s = String::new();
    for line in lines_of(glyphs) {
        let text = line_text(&line);
        let joins = s.chars().last().is_some_and(|c| is_cjk(c) || !c.is_ascii())
            && text.chars().next().is_some_and(|c| is_cjk(c) || !c.is_ascii());
        if !s.is_empty() && !joins {
            s.push(' ');
        }
        s.push_str(&text);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_are_told_from_numbers() {
        for p in ["3", "- 3 -", "—12—", "第3页", "第 3 页 共 9 页", "3/9"] {
            assert!(is_page_number(p), "{p}");
        }
        for p in ["12345", "第三章", "3个", "一、总体情况", "3.5"] {
            assert!(!is_page_number(p), "{p}");
        }
    }
}
