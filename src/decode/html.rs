//! HTML → text lines. Block elements become line breaks; each row of a data table
//! becomes one line of tab-separated cells with rowspan/colspan expanded, so the table
//! reader sees every cell in its column, empty ones included. Tables that contain
//! tables are page layout, not data, and are read as ordinary blocks.

use ego_tree::iter::Edge;
use ego_tree::NodeRef;
use scraper::{Html, Node};

/// Marks the extra grid slots of a value cell with colspan; never real text.
const SPANNED: &str = "\u{1}spanned";

/// A span larger than this is markup damage; clamping keeps the grid small.
const MAX_SPAN: usize = 64;

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
    let doc = Html::parse_document(html);
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
                        } else if name == "table" && !has_nested_table(node) {
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

fn has_nested_table(table: NodeRef<Node>) -> bool {
    table.descendants().skip(1).any(|n| is_element(n, "table"))
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
    // (column, remaining rows, text) of cells spanning down from rows above.
    let mut pending: Vec<(usize, usize, String)> = Vec::new();
    for tr in table.descendants().filter(|n| is_element(*n, "tr")) {
        let mut row: Vec<Option<String>> = Vec::new();
        for (col, _, text) in pending.iter() {
            if row.len() <= *col {
                row.resize(*col + 1, None);
            }
            if let Some(slot) = row.get_mut(*col) {
                *slot = Some(text.clone());
            }
        }
        let mut next_pending = Vec::new();
        for (col, left, text) in pending.drain(..) {
            if left > 1 {
                next_pending.push((col, left - 1, text));
            }
        }
        let mut col = 0;
        for cell in tr.children().filter(|n| is_element(*n, "td") || is_element(*n, "th")) {
            while row.get(col).is_some_and(|c| c.is_some()) {
                col += 1;
            }
            let text = cell_text(cell);
            let (cs, rs) = (span(cell, "colspan"), span(cell, "rowspan"));
            for c in col..col + cs {
                if row.len() <= c {
                    row.resize(c + 1, None);
                }
                // A spanned slot repeats a label (harmless, deduplicated below) but is
                // left out for a value, which is one cell however wide it is drawn.
                let slot_text = if c == col || has_cjk(&text) { text.clone() } else { SPANNED.to_string() };
                if let Some(slot) = row.get_mut(c) {
                    *slot = Some(slot_text.clone());
                }
                if rs > 1 {
                    next_pending.push((c, rs - 1, slot_text));
                }
            }
            col += cs;
        }
        pending = next_pending;
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
    fn layout_tables_are_blocks_and_scripts_vanish() {
        let html = "<table><tr><td><script>var x=1;</script><p>一、总体情况</p><table><tr><td>a</td><td>5</td></tr></table></td></tr></table>";
        let text = to_text(html);
        assert!(text.contains("一、总体情况\n"), "{text}");
        assert!(text.contains("a\t5"), "{text}");
        assert!(!text.contains("var x"));
    }
}
