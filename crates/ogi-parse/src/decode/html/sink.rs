//! The token sink: html5ever's tokens → text lines and the head's metadata. It does what
//! a tree builder would repair (unclosed cells, text directly inside a table, an unclosed
//! head) and decides at a table's end whether it was data (a grid) or page layout
//! (blocks).

use std::cell::RefCell;

use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{Tag, TagKind, Token, TokenSink, TokenSinkResult};
use html5ever::LocalName;

use super::tags::{BLOCK, HEAD_CONTENT, SKIP};
use super::{PageMeta, MAX_DATA_CELL_CHARS};
use crate::decode::table_lines::{render_grid, Cell, MAX_SPAN};

/// Tables nested deeper than this are read as blocks (real pages nest two or three).
const MAX_TABLE_NESTING: usize = 32;

/// Longest meta value kept (a hostile page's attribute can be megabytes).
const MAX_META_CHARS: usize = 300;

/// A table being read: its cells for the grid, and the same content as blocks in
/// case it turns out to be page layout (a table inside, or a page-long cell), which is
/// only known at its end.
#[derive(Default)]
struct Frame {
    block: String,
    /// Text inside the table but outside its cells, which a browser shows before it.
    fostered: String,
    rows: Vec<Vec<Cell>>,
    row_open: bool,
    cell: Option<Cell>,
    cell_chars: usize,
    caption_depth: usize,
    layout: bool,
}

impl Frame {
    fn close_cell(&mut self) {
        if let Some(cell) = self.cell.take() {
            if !self.row_open {
                self.rows.push(Vec::new());
                self.row_open = true;
            }
            if let Some(row) = self.rows.last_mut() {
                row.push(cell);
            }
        }
    }

    fn close_row(&mut self) {
        self.close_cell();
        self.row_open = false;
    }

    /// The table as text: a grid line per row, or its blocks if it is layout.
    fn render(mut self) -> String {
        self.close_row();
        if self.layout {
            return self.block;
        }
        let mut out = String::new();
        if !self.fostered.trim().is_empty() {
            push_inline(&mut out, &self.fostered);
            newline(&mut out);
        }
        render_grid(&self.rows, &mut out);
        out
    }
}

#[derive(Default)]
struct State {
    out: String,
    tables: Vec<Frame>,
    /// Inside an element whose content is not text (script, style, …): its name and
    /// how many of it are open.
    skipping: Option<(LocalName, usize)>,
    in_head: bool,
    /// Tables open beyond MAX_TABLE_NESTING, read as plain blocks.
    deep_tables: usize,
    meta: PageMeta,
    /// The head's `<title>` text (skipped from the page text).
    title: String,
}

impl State {
    /// Where block text goes: the innermost table's blocks, or the page.
    fn target(&mut self) -> &mut String {
        match self.tables.last_mut() {
            Some(t) => &mut t.block,
            None => &mut self.out,
        }
    }

    fn text(&mut self, text: &str) {
        if let Some((skipped, _)) = &self.skipping {
            if &**skipped == "title" && self.title.chars().count() < MAX_META_CHARS {
                self.title.push_str(text);
            }
            return;
        }
        if self.in_head {
            if text.trim().is_empty() {
                return;
            }
            self.in_head = false;
        }
        match self.tables.last_mut() {
            Some(t) => {
                push_inline(&mut t.block, text);
                if t.caption_depth > 0 {
                    return;
                }
                match t.cell.as_mut() {
                    Some(cell) => {
                        cell.text.push_str(text);
                        t.cell_chars += text.chars().count();
                        if t.cell_chars > MAX_DATA_CELL_CHARS {
                            t.layout = true;
                        }
                    }
                    None => t.fostered.push_str(text),
                }
            }
            None => push_inline(&mut self.out, text),
        }
    }

    fn start(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        if let Some((skipped, depth)) = self.skipping.as_mut() {
            if *skipped == tag.name && !tag.self_closing {
                *depth += 1;
            }
            return TokenSinkResult::Continue;
        }
        if self.in_head && !HEAD_CONTENT.contains(&name) {
            self.in_head = false;
        }
        if name == "head" && !tag.self_closing {
            self.in_head = true;
            return TokenSinkResult::Continue;
        }
        // Text of the head (its title) is not report text; elements that only make
        // sense inside it are skipped there.
        let skip = SKIP.contains(&name) || (self.in_head && name == "title");
        if skip && !tag.self_closing {
            self.skipping = Some((tag.name.clone(), 1));
            return match name {
                "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                "style" | "iframe" | "noscript" => TokenSinkResult::RawData(RawKind::Rawtext),
                "title" => TokenSinkResult::RawData(RawKind::Rcdata),
                _ => TokenSinkResult::Continue,
            };
        }
        match name {
            "meta" => self.meta_tag(tag),
            "table" => {
                newline(self.target());
                if let Some(outer) = self.tables.last_mut() {
                    outer.layout = true;
                }
                // Each closed table's text is copied into the one around it, so deeper
                // tables are read as blocks of the deepest kept one: time stays linear.
                if self.tables.len() >= MAX_TABLE_NESTING {
                    self.deep_tables += 1;
                } else {
                    self.tables.push(Frame::default());
                }
            }
            "tr" if !self.tables.is_empty() => {
                if let Some(t) = self.tables.last_mut() {
                    t.close_row();
                    t.rows.push(Vec::new());
                    t.row_open = true;
                    newline(&mut t.block);
                }
            }
            "td" | "th" if !self.tables.is_empty() => {
                if let Some(t) = self.tables.last_mut() {
                    t.close_cell();
                    t.cell = Some(Cell {
                        text: String::new(),
                        colspan: span(tag, "colspan"),
                        rowspan: span(tag, "rowspan"),
                    });
                    t.cell_chars = 0;
                    newline(&mut t.block);
                }
            }
            "caption" => {
                if let Some(t) = self.tables.last_mut() {
                    t.caption_depth += 1;
                }
            }
            "textarea" | "title" => {
                newline(self.target());
                return TokenSinkResult::RawData(RawKind::Rcdata);
            }
            "xmp" | "noembed" | "noframes" => return TokenSinkResult::RawData(RawKind::Rawtext),
            "plaintext" => return TokenSinkResult::Plaintext,
            // Table parts outside any table are ignored, as browsers do.
            "tr" | "td" | "th" => {}
            _ if BLOCK.contains(&name) => newline(self.target()),
            _ => {}
        }
        TokenSinkResult::Continue
    }

    fn end(&mut self, tag: &Tag) {
        let name: &str = &tag.name;
        if let Some((skipped, depth)) = self.skipping.as_mut() {
            if *skipped == tag.name {
                *depth -= 1;
                if *depth == 0 {
                    self.skipping = None;
                    if self.tables.is_empty() {
                        newline(&mut self.out);
                    }
                }
            }
            return;
        }
        match name {
            "head" => self.in_head = false,
            "table" if self.deep_tables > 0 => {
                self.deep_tables -= 1;
                newline(self.target());
            }
            "table" => self.close_table(),
            "tr" => {
                if let Some(t) = self.tables.last_mut() {
                    t.close_row();
                    newline(&mut t.block);
                }
            }
            "td" | "th" => {
                if let Some(t) = self.tables.last_mut() {
                    t.close_cell();
                    newline(&mut t.block);
                }
            }
            "caption" => {
                if let Some(t) = self.tables.last_mut() {
                    t.caption_depth = t.caption_depth.saturating_sub(1);
                }
            }
            _ if BLOCK.contains(&name) => newline(self.target()),
            _ => {}
        }
    }

    /// A `<meta name=… content=…>` of the national website standard; the first of each
    /// name counts.
    fn meta_tag(&mut self, tag: &Tag) {
        let attr = |n: &str| {
            tag.attrs.iter().find(|a| a.name.local.as_ref().eq_ignore_ascii_case(n)).map(|a| &a.value)
        };
        let (Some(name), Some(content)) = (attr("name"), attr("content")) else { return };
        let value: String = content.trim().chars().take(MAX_META_CHARS).collect();
        if value.is_empty() {
            return;
        }
        let slot = match name.to_ascii_lowercase().as_str() {
            "articletitle" => &mut self.meta.article_title,
            "pubdate" => &mut self.meta.pub_date,
            "contentsource" => &mut self.meta.content_source,
            "sitename" => &mut self.meta.site_name,
            "siteidcode" => &mut self.meta.site_code,
            _ => return,
        };
        slot.get_or_insert(value);
    }

    fn close_table(&mut self) {
        let Some(frame) = self.tables.pop() else { return };
        let text = frame.render();
        let target = self.target();
        newline(target);
        target.push_str(&text);
        newline(target);
    }

    fn finish(mut self) -> String {
        while !self.tables.is_empty() {
            self.close_table();
        }
        self.out
    }
}

/// Receives the tokens: no document tree is built, since only the text and the
/// table geometry matter (building the tree was half of the time spent on a page).
#[derive(Default)]
pub(super) struct Sink {
    state: RefCell<State>,
}

impl Sink {
    /// The text read and the head's metadata, `<title>` included.
    pub(super) fn finish(self) -> (String, PageMeta) {
        let mut state = self.state.into_inner();
        let mut meta = std::mem::take(&mut state.meta);
        meta.title =
            Some(state.title.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|t| !t.is_empty());
        (state.finish(), meta)
    }
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut st = self.state.borrow_mut();
        match token {
            Token::CharacterTokens(t) => st.text(&t),
            Token::TagToken(tag) => match tag.kind {
                TagKind::StartTag => return st.start(&tag),
                TagKind::EndTag => st.end(&tag),
            },
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

pub(super) fn push_inline(out: &mut String, text: &str) {
    for c in text.chars() {
        let c = if c.is_whitespace() { ' ' } else { c };
        if c == ' ' && (out.ends_with(' ') || out.ends_with('\n') || out.is_empty()) {
            continue;
        }
        out.push(c);
    }
}

pub(super) fn newline(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
}

fn span(tag: &Tag, attr: &str) -> usize {
    let v = tag.attrs.iter().find(|a| &*a.name.local == attr).map(|a| a.value.trim().to_string());
    v.and_then(|s| s.parse::<usize>().ok()).unwrap_or(1).clamp(1, MAX_SPAN)
}
