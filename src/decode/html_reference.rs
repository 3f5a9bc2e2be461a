//! The reference the HTML reader is tested against: the same rules applied to a full
//! DOM (scraper/html5ever's tree builder), as the reader did before it moved to the
//! tokenizer alone for speed. Test-only.
//!
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

use ego_tree::iter::Edge;
use ego_tree::NodeRef;
use scraper::{Html, Node};
use std::collections::HashSet;

use super::html::{
    flatten_deep_nesting, newline, push_inline, render_grid, Cell, BLOCK, MAX_DATA_CELL_CHARS, MAX_SPAN, SKIP,
};

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

fn is_element(n: NodeRef<Node>, name: &str) -> bool {
    matches!(n.value(), Node::Element(e) if e.name() == name)
}

/// A cell's raw text (the grid collapses its whitespace).
fn raw_text(cell: NodeRef<Node>) -> String {
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
    s
}

fn span(cell: NodeRef<Node>, attr: &str) -> usize {
    let v = match cell.value() {
        Node::Element(e) => e.attr(attr),
        _ => None,
    };
    v.and_then(|s| s.trim().parse::<usize>().ok()).unwrap_or(1).clamp(1, MAX_SPAN)
}

/// The table's rows from the tree, laid out by the reader's own grid.
fn render_table(table: NodeRef<Node>, out: &mut String) {
    let rows: Vec<Vec<Cell>> = table
        .descendants()
        .filter(|n| is_element(*n, "tr"))
        .map(|tr| {
            tr.children()
                .filter(|n| is_element(*n, "td") || is_element(*n, "th"))
                .map(|c| Cell { text: raw_text(c), colspan: span(c, "colspan"), rowspan: span(c, "rowspan") })
                .collect()
        })
        .collect();
    render_grid(&rows, out);
}
