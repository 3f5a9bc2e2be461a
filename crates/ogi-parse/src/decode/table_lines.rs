//! A data table's rows laid out on a grid: rowspan and colspan expanded so that every
//! cell, empty ones included, lands in its true column, one tab-separated line per row.
//! One path for every table, whatever file it came from: an HTML `<table>`, a Word
//! `w:tbl`, or the cells a PDF page's ruling lines enclose.

/// Marks the extra grid slots of a value cell with colspan; never real text.
const SPANNED: &str = "\u{1}spanned";

/// A span larger than this is markup damage; clamping keeps the grid small.
pub const MAX_SPAN: usize = 64;

/// Grid columns kept per table row (the template tables have at most 10). Cells beyond
/// are dropped, so a page of huge rowspans and colspans costs time linear in its size.
pub const MAX_COLUMNS: usize = 256;

/// A cell of a data table, as written.
pub struct Cell {
    pub text: String,
    pub colspan: usize,
    pub rowspan: usize,
}

/// One cell's text: runs split by Word's spans and <p>s inside a cell are one label.
fn cell_text(raw: &str) -> String {
    let collapsed: Vec<&str> = raw.split_whitespace().collect();
    collapsed.join(" ").replace('\t', " ")
}

/// Lays the rows out on a grid so a cell under a rowspan lands in its true column.
pub fn render_grid(rows: &[Vec<Cell>], out: &mut String) {
    // Per column: (rows still to cover, text) of a cell spanning down from a row above.
    // One slot per column (a later span over the same slot replaces an earlier one), so
    // each row costs at most MAX_COLUMNS steps however the spans overlap.
    let mut pending: Vec<Option<(usize, String)>> = Vec::new();
    for tr in rows {
        let mut row: Vec<Option<String>> =
            pending.iter().map(|p| p.as_ref().map(|(_, text)| text.clone())).collect();
        for p in pending.iter_mut() {
            *p = p.take().and_then(|(left, text)| (left > 1).then(|| (left - 1, text)));
        }
        let mut col = 0;
        for cell in tr {
            while row.get(col).is_some_and(|c| c.is_some()) {
                col += 1;
            }
            if col >= MAX_COLUMNS {
                break;
            }
            let text = cell_text(&cell.text);
            let (cs, rs) = (cell.colspan, cell.rowspan);
            for c in col..(col + cs).min(MAX_COLUMNS) {
                if row.len() <= c {
                    row.resize(c + 1, None);
                }
                // A spanned slot repeats a label (harmless, deduplicated below) but is
                // left out for a value, which is one cell however wide it is drawn.
                let slot_text = if c == col || crate::normalise::has_cjk(&text) {
                    text.clone()
                } else {
                    SPANNED.to_string()
                };
                if rs > 1 {
                    if pending.len() <= c {
                        pending.resize(c + 1, None);
                    }
                    if let Some(p) = pending.get_mut(c) {
                        *p = Some((rs - 1, slot_text.clone()));
                    }
                }
                if let Some(slot) = row.get_mut(c) {
                    *slot = Some(slot_text);
                }
            }
            col += cs;
        }
        let cells: Vec<String> = row.into_iter().map(Option::unwrap_or_default).collect();
        // Drop the repeats that colspan/rowspan made of the same label, keep values.
        let mut line: Vec<&str> = Vec::new();
        for c in cells.iter().filter(|c| *c != SPANNED) {
            if line.last().is_some_and(|l| *l == c && crate::normalise::has_cjk(c)) {
                continue;
            }
            line.push(c);
        }
        // A row of empty cells is kept (as its tabs): in a template table it is a row
        // of zeros, such as table 四's one data row when nothing was reviewed or sued.
        if line.iter().any(|c| !c.is_empty()) || line.len() >= 2 {
            out.push_str(&line.join("\t"));
            out.push('\n');
        }
    }
}
