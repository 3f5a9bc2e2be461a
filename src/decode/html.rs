//! HTML → text lines. Block elements become line breaks; each row of a data table
//! becomes one line of tab-separated cells with rowspan/colspan expanded, so the table
//! reader sees every cell in its column, empty ones included. Tables that contain
//! tables, or a cell of page-long text, are page layout, not data, and are read as
//! ordinary blocks.
//!
//! Hostile pages cost time linear in their size: container and formatting tags nested
//! deeper than MAX_NESTING are dropped before parsing (the HTML parser's scope checks
//! walk the open-element stack, so 10 000 nested `<div>`s would take quadratic time),
//! table grids are capped at MAX_COLUMNS, and every pass over the tree is iterative.

use std::borrow::Cow;

use ego_tree::iter::Edge;
use ego_tree::NodeRef;
use scraper::{Html, Node};
use std::collections::HashSet;

/// Marks the extra grid slots of a value cell with colspan; never real text.
const SPANNED: &str = "\u{1}spanned";

/// A span larger than this is markup damage; clamping keeps the grid small.
const MAX_SPAN: usize = 64;

/// Grid columns kept per table row (the template tables have at most 10). Cells beyond
/// are dropped, so a page of huge rowspans and colspans costs time linear in its size.
const MAX_COLUMNS: usize = 256;

/// A table cell with more text than this is a page laid out in a table, not data.
const MAX_DATA_CELL_CHARS: usize = 1000;

/// Deepest nesting of container and formatting tags kept; real pages stay far below.
const MAX_NESTING: usize = 256;

/// Tags that only group or style content: beyond MAX_NESTING their block kinds become
/// `<br>` (keeping the line break) and the rest are dropped.
const FLATTENED_BLOCK: &[&str] =
    &["div", "section", "article", "center", "blockquote", "main", "header", "footer", "nav", "form"];
const FLATTENED_INLINE: &[&str] = &[
    "span", "font", "a", "b", "i", "u", "s", "em", "strong", "small", "big", "code", "nobr", "strike", "tt",
    "sub", "sup", "label",
];

const SKIP: &[&str] = &["script", "style", "noscript", "head", "template", "svg", "iframe", "object"];
const BLOCK: &[&str] = &[
    "p",
    "div",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "hr",
    "dt",
    "dd",
    "td",
    "th",
    "form",
    "nav",
    "main",
    "title",
];

pub fn to_text(html: &str) -> String {
    let html = flatten_deep_nesting(html);
    let doc = Html::parse_document(&html);
    let layout = tables_with_nested_tables(&doc);
    let mut out = String::new();
    let mut skip_depth: Option<ego_tree::NodeId> = None;
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => {
                if skip_depth.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Text(t) => push_inline(&mut out, t),
                    Node::Element(e) => {
                        let name = e.name();
                        if SKIP.contains(&name) {
                            skip_depth = Some(node.id());
                        } else if name == "table" && !layout.contains(&node.id()) {
                            newline(&mut out);
                            render_table(node, &mut out);
                            skip_depth = Some(node.id());
                        } else if BLOCK.contains(&name) {
                            newline(&mut out);
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if skip_depth == Some(node.id()) {
                    skip_depth = None;
                    newline(&mut out);
                    continue;
                }
                if skip_depth.is_some() {
                    continue;
                }
                if let Node::Element(e) = node.value() {
                    if BLOCK.contains(&e.name()) {
                        newline(&mut out);
                    }
                }
            }
        }
    }
    out
}

fn push_inline(out: &mut String, text: &str) {
    for c in text.chars() {
        let c = if c.is_whitespace() { ' ' } else { c };
        if c == ' ' && (out.ends_with(' ') || out.ends_with('\n') || out.is_empty()) {
            continue;
        }
        out.push(c);
    }
}

fn newline(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
}

/// The layout tables, in one pass over the document (asking each table for its
/// descendants would be quadratic in deeply nested tables): those containing a table,
/// and those with a cell of more than MAX_DATA_CELL_CHARS characters. Each table marks
/// the nearest table around it; that one, if nested itself, was marked by its own inner
/// table, so every table with a table inside is marked.
fn tables_with_nested_tables(doc: &Html) -> HashSet<ego_tree::NodeId> {
    // (table, characters in its current cell)
    let mut open: Vec<(ego_tree::NodeId, usize)> = Vec::new();
    let mut marked = HashSet::new();
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(n) if is_element(n, "table") => {
                if let Some(&(outer, _)) = open.last() {
                    marked.insert(outer);
                }
                open.push((n.id(), 0));
            }
            Edge::Close(n) if is_element(n, "table") => {
                open.pop();
            }
            Edge::Open(n) if is_element(n, "td") || is_element(n, "th") => {
                if let Some(t) = open.last_mut() {
                    t.1 = 0;
                }
            }
            Edge::Open(n) => {
                if let (Node::Text(t), Some((table, chars))) = (n.value(), open.last_mut()) {
                    *chars += t.chars().count();
                    if *chars > MAX_DATA_CELL_CHARS {
                        marked.insert(*table);
                    }
                }
            }
            _ => {}
        }
    }
    marked
}

/// The name (as written) of the tag starting at `bytes[0] == b'<'`, whether it is an end
/// tag, and where it ends (the byte after '>', or the end of `bytes`), relative to `bytes`.
fn scan_tag(bytes: &[u8]) -> Option<(&[u8], bool, usize)> {
    let mut i = 1;
    let end_tag = bytes.get(i) == Some(&b'/');
    if end_tag {
        i += 1;
    }
    let start = i;
    while bytes.get(i).is_some_and(|b| b.is_ascii_alphanumeric()) {
        i += 1;
    }
    if i == start {
        return None;
    }
    let name = bytes.get(start..i)?;
    let close = bytes.get(i..)?.iter().position(|&b| b == b'>').map_or(bytes.len(), |p| i + p + 1);
    Some((name, end_tag, close))
}

/// Drops container and formatting tags nested deeper than MAX_NESTING (block ones become
/// `<br>`), in one linear scan. Pages that stay within the limit are returned as they are.
fn flatten_deep_nesting(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let is = |list: &[&str], name: &[u8]| list.iter().any(|t| t.as_bytes().eq_ignore_ascii_case(name));
    let flattened = |name: &[u8]| is(FLATTENED_BLOCK, name) || is(FLATTENED_INLINE, name);
    // First pass: is the limit reached at all?
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    while let Some(off) = bytes.get(i..).and_then(|b| b.iter().position(|&c| c == b'<')) {
        let at = i + off;
        match bytes.get(at..).and_then(scan_tag) {
            Some((name, end, rel_close)) => {
                let close = at + rel_close;
                if flattened(name) {
                    if end {
                        depth = depth.saturating_sub(1);
                    } else if !bytes.get(..close).is_some_and(|b| b.ends_with(b"/>")) {
                        depth += 1;
                        deepest = deepest.max(depth);
                    }
                }
                i = close.max(at + 1);
            }
            None => i = at + 1,
        }
    }
    if deepest <= MAX_NESTING {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let (mut depth, mut i, mut copied) = (0usize, 0usize, 0usize);
    while let Some(off) = bytes.get(i..).and_then(|b| b.iter().position(|&c| c == b'<')) {
        let at = i + off;
        let Some((name, end, rel_close)) = bytes.get(at..).and_then(scan_tag) else {
            i = at + 1;
            continue;
        };
        let close = at + rel_close;
        i = close.max(at + 1);
        if !flattened(name) || bytes.get(..close).is_some_and(|b| b.ends_with(b"/>")) {
            continue;
        }
        let drop = if end {
            let deep = depth > MAX_NESTING;
            depth = depth.saturating_sub(1);
            deep
        } else {
            depth += 1;
            depth > MAX_NESTING
        };
        if drop {
            // Tags are ASCII, so `at` and `close` fall on character boundaries.
            out.push_str(html.get(copied..at).unwrap_or_default());
            if is(FLATTENED_BLOCK, name) {
                out.push_str("<br>");
            }
            copied = close;
        }
    }
    out.push_str(html.get(copied..).unwrap_or_default());
    Cow::Owned(out)
}

fn is_element(n: NodeRef<Node>, name: &str) -> bool {
    matches!(n.value(), Node::Element(e) if e.name() == name)
}

/// One cell's text: runs split by Word's spans and <p>s inside a cell are one label.
fn cell_text(cell: NodeRef<Node>) -> String {
    let mut s = String::new();
    let mut skipping: Option<ego_tree::NodeId> = None;
    for edge in cell.traverse() {
        match edge {
            Edge::Open(n) if skipping.is_none() => match n.value() {
                Node::Text(t) => s.push_str(t),
                Node::Element(e) if SKIP.contains(&e.name()) => skipping = Some(n.id()),
                _ => {}
            },
            Edge::Close(n) if skipping == Some(n.id()) => skipping = None,
            _ => {}
        }
    }
    let collapsed: Vec<&str> = s.split_whitespace().collect();
    collapsed.join(" ").replace('\t', " ")
}

fn span(cell: NodeRef<Node>, attr: &str) -> usize {
    let v = match cell.value() {
        Node::Element(e) => e.attr(attr),
        _ => None,
    };
    v.and_then(|s| s.trim().parse::<usize>().ok()).unwrap_or(1).clamp(1, MAX_SPAN)
}

/// Lays the rows out on a grid so a cell under a rowspan lands in its true column.
fn render_table(table: NodeRef<Node>, out: &mut String) {
    // Per column: (rows still to cover, text) of a cell spanning down from a row above.
    // One slot per column (a later span over the same slot replaces an earlier one), so
    // each row costs at most MAX_COLUMNS steps however the spans overlap.
    let mut pending: Vec<Option<(usize, String)>> = Vec::new();
    for tr in table.descendants().filter(|n| is_element(*n, "tr")) {
        let mut row: Vec<Option<String>> =
            pending.iter().map(|p| p.as_ref().map(|(_, text)| text.clone())).collect();
        for p in pending.iter_mut() {
            *p = p.take().and_then(|(left, text)| (left > 1).then(|| (left - 1, text)));
        }
        let mut col = 0;
        for cell in tr.children().filter(|n| is_element(*n, "td") || is_element(*n, "th")) {
            while row.get(col).is_some_and(|c| c.is_some()) {
                col += 1;
            }
            if col >= MAX_COLUMNS {
                break;
            }
            let text = cell_text(cell);
            let (cs, rs) = (span(cell, "colspan"), span(cell, "rowspan"));
            for c in col..(col + cs).min(MAX_COLUMNS) {
                if row.len() <= c {
                    row.resize(c + 1, None);
                }
                // A spanned slot repeats a label (harmless, deduplicated below) but is
                // left out for a value, which is one cell however wide it is drawn.
                let slot_text = if c == col || has_cjk(&text) { text.clone() } else { SPANNED.to_string() };
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
            if line.last().is_some_and(|l| *l == c && has_cjk(c)) {
                continue;
            }
            line.push(c);
        }
        if line.iter().any(|c| !c.is_empty()) {
            out.push_str(&line.join("\t"));
            out.push('\n');
        }
    }
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rowspan_and_colspan_keep_columns() {
        let html = "<html><body><p>三、收到和处理政府信息公开申请情况</p><table>\
            <tr><td colspan=2 rowspan=2>申请人情况</td><td rowspan=2>自然人</td><td colspan=2>法人</td><td rowspan=2>总计</td></tr>\
            <tr><td>商业企业</td><td>其他</td></tr>\
            <tr><td rowspan=2>三、本年度办理结果</td><td>(一)予以<span>公开</span></td><td>2</td><td></td><td>1</td><td>3</td></tr>\
            <tr><td>(二)部分公开</td><td>0</td><td>0</td><td></td><td>0</td></tr>\
            </table></body></html>";
        let text = to_text(html);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.contains(&"三、本年度办理结果\t(一)予以公开\t2\t\t1\t3"), "{text}");
        assert!(lines.contains(&"三、本年度办理结果\t(二)部分公开\t0\t0\t\t0"), "{text}");
    }

    #[test]
    fn deep_nesting_is_flattened_and_keeps_the_text() {
        let n = 20_000;
        let html = format!(
            "<html><body>{}<p>一、总体情况</p><p>正文</p>{}<p>二、主动公开政府信息情况</p></body></html>",
            "<div><span>".repeat(n),
            "</span></div>".repeat(n)
        );
        let flat = flatten_deep_nesting(&html);
        assert!(flat.len() < html.len());
        let text = to_text(&html);
        let lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(lines, vec!["一、总体情况", "正文", "二、主动公开政府信息情况"], "{text}");
        let shallow = "<div><b>x</b></div>";
        assert!(matches!(flatten_deep_nesting(shallow), Cow::Borrowed(_)));
    }

    #[test]
    fn huge_spans_and_wide_rows_stay_bounded() {
        let mut html = String::from("<table><tr>");
        for c in 0..500 {
            html += &format!("<td rowspan=1000 colspan=1000>{c}</td>");
        }
        html += "</tr>";
        for _ in 0..100 {
            html += &"<td colspan=64 rowspan=64>9</td>".repeat(50);
            html += "</tr><tr>";
        }
        html += "</tr></table>";
        let text = to_text(&html);
        assert!(text.lines().all(|l| l.split('\t').count() <= MAX_COLUMNS), "a row is wider than the cap");
    }

    #[test]
    fn a_page_in_one_table_cell_is_layout() {
        let body: String =
            (0..60).map(|i| format!("<p>第{i}段：政府信息公开工作稳步推进，成效明显。</p>")).collect();
        let html = format!("<table><tr><td><p>一、总体情况</p>{body}</td></tr></table>");
        let text = to_text(&html);
        assert!(text.lines().any(|l| l == "一、总体情况"), "{text}");
    }

    #[test]
    fn layout_tables_are_blocks_and_scripts_vanish() {
        let html = "<table><tr><td><script>var x=1;</script><p>一、总体情况</p><table><tr><td>a</td><td>5</td></tr></table></td></tr></table>";
        let text = to_text(html);
        assert!(text.contains("一、总体情况\n"), "{text}");
        assert!(text.contains("a\t5"), "{text}");
        assert!(!text.contains("var x"));
    }
}
