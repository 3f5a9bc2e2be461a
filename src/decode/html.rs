//! HTML → text lines. Block elements become line breaks; each row of a data table
//! becomes one line of tab-separated cells with rowspan/colspan expanded, so the table
//! reader sees every cell in its column, empty ones included. Tables that contain
//! tables, or a cell of page-long text, are page layout, not data, and are read as
//! ordinary blocks.
//!
//! Only html5ever's tokenizer runs: no tree is built, since the text and the table
//! geometry are all the reader needs, and building the DOM was half the time spent on
//! a page. What a tree builder would repair (unclosed cells, text directly inside a
//! table, an unclosed head) is handled in the token sink; `html_reference.rs` applies
//! the same rules to a full DOM and the tests hold the two to the same output.
//!
//! Hostile pages cost time linear in their size: container and formatting tags nested
//! deeper than MAX_NESTING are dropped before tokenizing (as the DOM reference needs,
//! whose tree builder would take quadratic time on 10 000 nested `<div>`s), tables
//! nested deeper than MAX_TABLE_NESTING are read as blocks, and table grids are capped
//! at MAX_COLUMNS.

use std::borrow::Cow;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::LocalName;
use std::cell::RefCell;

/// Marks the extra grid slots of a value cell with colspan; never real text.
pub(super) const SPANNED: &str = "\u{1}spanned";

/// A span larger than this is markup damage; clamping keeps the grid small.
pub(super) const MAX_SPAN: usize = 64;

/// Grid columns kept per table row (the template tables have at most 10). Cells beyond
/// are dropped, so a page of huge rowspans and colspans costs time linear in its size.
pub(super) const MAX_COLUMNS: usize = 256;

/// A table cell with more text than this is a page laid out in a table, not data.
pub(super) const MAX_DATA_CELL_CHARS: usize = 1000;

/// Tables nested deeper than this are read as blocks (real pages nest two or three).
const MAX_TABLE_NESTING: usize = 32;

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

pub(super) const SKIP: &[&str] =
    &["script", "style", "noscript", "head", "template", "svg", "iframe", "object"];
pub(super) const BLOCK: &[&str] = &[
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
    to_text_and_meta(html).0
}

/// What a government site's page says about itself in its `<head>`: the national
/// website standard's meta tags (ArticleTitle, PubDate, ContentSource, SiteName,
/// SiteIDCode) and `<title>`. Read before the body, whose navigation menus are text too.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageMeta {
    pub title: Option<String>,
    pub article_title: Option<String>,
    pub pub_date: Option<String>,
    pub content_source: Option<String>,
    pub site_name: Option<String>,
    /// The site's 10-digit identifier; a local site's starts with its division code.
    pub site_code: Option<String>,
}

/// The page's text and its head's metadata.
pub fn to_text_and_meta(html: &str) -> (String, PageMeta) {
    let html = flatten_deep_nesting(html);
    let tokenizer = Tokenizer::new(Sink::default(), TokenizerOpts::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(&html));
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    let mut state = tokenizer.sink.state.into_inner();
    let mut meta = std::mem::take(&mut state.meta);
    meta.title = Some(state.title.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|t| !t.is_empty());
    (state.finish(), meta)
}

/// Longest meta value kept (a hostile page's attribute can be megabytes).
const MAX_META_CHARS: usize = 300;

/// Elements that may stay in a document's `<head>`; any other start tag, or text,
/// ends it (as the HTML tree builder does when a page never closes its head).
const HEAD_CONTENT: &[&str] = &[
    "base", "basefont", "bgsound", "link", "meta", "title", "noscript", "noframes", "style", "script",
    "template",
];

/// A cell of a data table, as written.
pub(super) struct Cell {
    pub(super) text: String,
    pub(super) colspan: usize,
    pub(super) rowspan: usize,
}

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
struct Sink {
    state: RefCell<State>,
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
pub(super) fn flatten_deep_nesting(html: &str) -> Cow<'_, str> {
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

/// One cell's text: runs split by Word's spans and <p>s inside a cell are one label.
fn cell_text(raw: &str) -> String {
    let collapsed: Vec<&str> = raw.split_whitespace().collect();
    collapsed.join(" ").replace('\t', " ")
}

fn span(tag: &Tag, attr: &str) -> usize {
    let v = tag.attrs.iter().find(|a| &*a.name.local == attr).map(|a| a.value.trim().to_string());
    v.and_then(|s| s.parse::<usize>().ok()).unwrap_or(1).clamp(1, MAX_SPAN)
}

/// Lays the rows out on a grid so a cell under a rowspan lands in its true column.
pub(super) fn render_grid(rows: &[Vec<Cell>], out: &mut String) {
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
        // A row of empty cells is kept (as its tabs): in a template table it is a row
        // of zeros, such as table 四's one data row when nothing was reviewed or sued.
        if line.iter().any(|c| !c.is_empty()) || line.len() >= 2 {
            out.push_str(&line.join("\t"));
            out.push('\n');
        }
    }
}

pub(super) fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pages that exercise what a tree builder would repair (unclosed cells, text
    /// directly in a table, captions, an unclosed head, stray table tags, raw-text
    /// elements) read the same as through a full DOM.
    #[test]
    fn snippets_agree_with_dom_reader() {
        let cases = [
            "<table><tr><td>甲<td>1<td>2<tr><td>乙<td>3</table>",
            "<table>前言文字<tr><td>甲</td><td>1</td></tr></table>后文",
            "<table><caption>表三 收到和处理政府信息公开申请情况</caption><tr><td>甲</td><td>1</td></tr></table>",
            "<html><head><title>标题</title><meta charset=utf-8><p>正文一</p><table><tr><td>a</td><td>5</td></tr></table>",
            "<html><head><title>标题</title></head><body><title>体内标题</title><p>正文</p></body></html>",
            "<TABLE><TR><TD ROWSPAN=2>甲</TD><TD>1</TD></TR><TR><TD>2</TD></TR></TABLE>",
            "<table><tr><td><script>document.write('<td>9</td>')</script>甲</td><td>1</td></tr></table>",
            "<p>一、总体情况<!-- 注释 <td> --></p><p>&lt;b&gt; &amp; &nbsp;x&#20013;</p>",
            "<table><tr><td>甲<br>乙</td><td><p>1</p></td></tr><tr><td colspan=2>合计</td></tr></table>",
            "<table><tr><td><table><tr><td>内</td><td>7</td></tr></table></td><td>外</td></tr></table>",
            "<div>a<span>b</span><div>c</div>d</div><br/><hr>e",
            "<table><tbody><tr><th>项目</th><th>数量</th></tr></tbody><tfoot><tr><td>总计</td><td>3</td></tr></tfoot></table>",
            "<p>x</p><table><tr><td>1</td></tr>",
            "<style>p{color:red}</style><noscript><p>开启</p></noscript><p>y</p>",
            "<svg><text>图</text></svg><p>z</p><iframe src=x>框</iframe><object>物</object>",
            "<td>游离单元格</td><tr>游离行</tr><p>q</p>",
            "<table><tr><td rowspan=3>甲</td><td>1</td></tr><tr><td>2</td></tr></table><table><tr><td>乙</td></tr></table>",
            "<textarea><p>不是标签</p></textarea><xmp><b>原样</b></xmp><p>w</p>",
        ];
        for html in cases {
            assert_eq!(to_text(html), crate::decode::html_reference::to_text(html), "{html}");
        }
    }

    /// `OGI_HTML_DIRS=dir:dir cargo test --lib compare_with_dom_reader -- --ignored`
    /// compares every HTML page under the directories with the DOM reference.
    #[test]
    #[ignore]
    fn compare_with_dom_reader() {
        let dirs = std::env::var("OGI_HTML_DIRS").unwrap_or_default();
        let (mut n, mut diff) = (0, 0);
        for d in dirs.split(':').filter(|d| !d.is_empty()) {
            for e in walkdir::WalkDir::new(d).into_iter().flatten() {
                let p = e.path();
                let Ok(bytes) = std::fs::read(p) else { continue };
                let Ok(dec) = crate::decode::decode(&bytes) else { continue };
                let is_html = p.extension().is_some_and(|x| x == "html" || x == "htm")
                    || crate::decode::looks_like_html(&dec.text);
                if !is_html {
                    continue;
                }
                n += 1;
                let a = crate::decode::html_reference::to_text(&dec.text);
                let b = to_text(&dec.text);
                if a != b {
                    diff += 1;
                    if diff <= 5 {
                        let (la, lb): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
                        let first =
                            la.iter().zip(&lb).position(|(x, y)| x != y).unwrap_or(la.len().min(lb.len()));
                        eprintln!(
                            "DIFF {} at line {first}: old {:?} new {:?}",
                            p.display(),
                            la.get(first),
                            lb.get(first)
                        );
                    }
                }
            }
        }
        eprintln!("compared {n} pages, {diff} differ");
        assert_eq!(diff, 0);
    }

    #[test]
    fn head_metadata_is_read_and_kept_out_of_the_text() {
        let page = r#"<html><head><title>某县2023年政府信息公开工作年度报告-某县人民政府</title>
            <meta name="ArticleTitle" content="某县2023年政府信息公开工作年度报告">
            <META NAME="PubDate" CONTENT="2024-01-17 10:00"><meta name="SiteIDCode" content="3213220037">
            <meta name="ContentSource" content="某县发改局"><meta name="SiteIDCode" content="9999999999">
            </head><body><div>首页 政府信息公开 领导之窗</div><p>正文</p></body></html>"#;
        let (text, meta) = to_text_and_meta(page);
        assert_eq!(meta.title.as_deref(), Some("某县2023年政府信息公开工作年度报告-某县人民政府"));
        assert_eq!(meta.article_title.as_deref(), Some("某县2023年政府信息公开工作年度报告"));
        assert_eq!(meta.pub_date.as_deref(), Some("2024-01-17 10:00"));
        assert_eq!(meta.content_source.as_deref(), Some("某县发改局"));
        assert_eq!(meta.site_code.as_deref(), Some("3213220037"), "the first of a name counts");
        assert!(!text.contains("年度报告"), "{text}");
    }

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
    fn deeply_nested_tables_keep_their_text() {
        let n = 5_000;
        let html = format!(
            "{}<p>一、总体情况</p>{}<p>后文</p>",
            "<table><tr><td>".repeat(n),
            "</td></tr></table>".repeat(n)
        );
        let text = to_text(&html);
        let lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(lines, vec!["一、总体情况", "后文"], "{text}");
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
