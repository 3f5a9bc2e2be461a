//! Word (.docx) → text lines. `word/document.xml` is read as a stream of XML events:
//! paragraphs become lines, a `w:tbl` becomes a grid (gridSpan is a colspan, a
//! vMerge run a rowspan) rendered by the grid renderer HTML and PDF tables share.
//! The document's core properties give its title, evidence like a web page's head.

use super::table_lines::{render_grid, Cell, MAX_COLUMNS, MAX_SPAN};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::io::{BufReader, Read};

/// The document part is read at most this far (a report's is well under 1 MB); a zip
/// bomb costs no more than this.
const MAX_PART_BYTES: u64 = 64 << 20;

/// Tables nested deeper than this are read as text of the cell that holds them.
const MAX_TABLE_DEPTH: usize = 1;

#[derive(Debug, Clone, Default)]
pub struct DocxText {
    pub text: String,
    /// The core properties' title (docProps/core.xml `dc:title`).
    pub title: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocxError(pub String);

impl std::fmt::Display for DocxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the Word document could not be read: {}", self.0)
    }
}

pub fn read(bytes: &[u8]) -> Result<DocxText, DocxError> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| DocxError(e.to_string()))?;
    let body = {
        let part =
            zip.by_name("word/document.xml").map_err(|e| DocxError(format!("word/document.xml: {e}")))?;
        read_body(BufReader::new(part.take(MAX_PART_BYTES)))?
    };
    let title =
        zip.by_name("docProps/core.xml").ok().and_then(|p| core_title(BufReader::new(p.take(1 << 20))));
    Ok(DocxText { text: body, title })
}

/// A table being read: its rows of cells, and per grid column the cell a vMerge run
/// started in (row, index in that row).
#[derive(Default)]
struct Table {
    rows: Vec<Vec<Cell>>,
    /// Grid column → (row, cell index) of the cell whose vMerge run covers it.
    merge_top: Vec<Option<(usize, usize)>>,
    /// The current row: grid column reached, and the current cell.
    col: usize,
    cell: Option<OpenCell>,
}

struct OpenCell {
    text: String,
    span: usize,
    /// None: not merged; Some(true): starts a vMerge run; Some(false): continues one.
    vmerge: Option<bool>,
}

fn local(name: &[u8]) -> &[u8] {
    name.iter().rposition(|&b| b == b':').and_then(|i| name.get(i + 1..)).unwrap_or(name)
}

fn attr(e: &BytesStart, key: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| local(a.key.as_ref()) == key)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

fn read_body<R: std::io::BufRead>(src: R) -> Result<String, DocxError> {
    let mut reader = Reader::from_reader(src);
    let mut buf = Vec::new();
    let mut out = String::new();
    // The paragraph being read (outside tables), and the tables open, innermost last.
    let mut para = String::new();
    let mut tables: Vec<Table> = Vec::new();
    let mut in_text = false;
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| DocxError(e.to_string()))?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => match local(e.name().as_ref()) {
                b"t" if !empty => in_text = true,
                b"tab" => push_text(&mut tables, &mut para, "\t"),
                b"br" | b"cr" => push_text(&mut tables, &mut para, " "),
                b"tbl" if !empty => {
                    if tables.len() < MAX_TABLE_DEPTH {
                        flush_para(&mut para, &mut out);
                    }
                    tables.push(Table::default());
                }
                b"tr" if !empty && tables.len() == MAX_TABLE_DEPTH => {
                    if let Some(t) = tables.last_mut() {
                        t.rows.push(Vec::new());
                        t.col = 0;
                    }
                }
                b"gridBefore" if tables.len() == MAX_TABLE_DEPTH => {
                    if let Some(t) = tables.last_mut() {
                        t.col += span_of(attr(e, b"val"));
                    }
                }
                b"tc" if !empty && tables.len() == MAX_TABLE_DEPTH => {
                    if let Some(t) = tables.last_mut() {
                        t.cell = Some(OpenCell { text: String::new(), span: 1, vmerge: None });
                    }
                }
                b"gridSpan" => {
                    if let Some(c) = open_cell(&mut tables) {
                        c.span = span_of(attr(e, b"val"));
                    }
                }
                b"vMerge" => {
                    if let Some(c) = open_cell(&mut tables) {
                        c.vmerge = Some(attr(e, b"val").as_deref() == Some("restart"));
                    }
                }
                _ => {}
            },
            Event::Text(t) if in_text => {
                let s = t.decode().map_err(|e| DocxError(e.to_string()))?;
                push_text(&mut tables, &mut para, &s);
            }
            Event::GeneralRef(r) if in_text => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    push_text(&mut tables, &mut para, c.encode_utf8(&mut [0; 4]));
                } else {
                    let name = r.decode().map_err(|e| DocxError(e.to_string()))?;
                    let s = quick_xml::escape::resolve_predefined_entity(&name).unwrap_or_default();
                    push_text(&mut tables, &mut para, s);
                }
            }
            Event::End(ref e) => match local(e.name().as_ref()) {
                b"t" => in_text = false,
                b"p" => {
                    if tables.is_empty() {
                        flush_para(&mut para, &mut out);
                    } else {
                        push_text(&mut tables, &mut para, "\n");
                    }
                }
                b"tc" if tables.len() == MAX_TABLE_DEPTH => {
                    if let Some(t) = tables.last_mut() {
                        close_cell(t);
                    }
                }
                b"tbl" => {
                    let done = tables.pop();
                    if tables.is_empty() {
                        if let Some(t) = done {
                            render_grid(&t.rows, &mut out);
                        }
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    flush_para(&mut para, &mut out);
    Ok(out)
}

fn span_of(v: Option<String>) -> usize {
    v.and_then(|s| s.parse::<usize>().ok()).unwrap_or(1).clamp(1, MAX_SPAN)
}

fn open_cell(tables: &mut [Table]) -> Option<&mut OpenCell> {
    if tables.len() != MAX_TABLE_DEPTH {
        return None;
    }
    tables.last_mut().and_then(|t| t.cell.as_mut())
}

/// Text goes to the open cell of the outermost table, or to the paragraph.
fn push_text(tables: &mut [Table], para: &mut String, s: &str) {
    match tables.first_mut() {
        Some(t) => {
            if let Some(c) = t.cell.as_mut() {
                if c.text.len() < 1 << 16 {
                    c.text.push_str(s);
                }
            }
        }
        None => para.push_str(s),
    }
}

fn flush_para(para: &mut String, out: &mut String) {
    let line = para.trim_end();
    if !line.trim().is_empty() {
        out.push_str(line.trim_start_matches(' '));
        out.push('\n');
    } else if !out.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
    para.clear();
}

/// A cell ends: a vMerge continuation lengthens the run above it; any other cell
/// joins its row.
fn close_cell(t: &mut Table) {
    let Some(cell) = t.cell.take() else { return };
    let row = t.rows.len().saturating_sub(1);
    let col = t.col;
    t.col = (t.col + cell.span).min(MAX_COLUMNS);
    if t.merge_top.len() < t.col {
        t.merge_top.resize(t.col, None);
    }
    if cell.vmerge == Some(false) {
        if let Some(Some((r, i))) = t.merge_top.get(col).copied() {
            if let Some(top) = t.rows.get_mut(r).and_then(|cells| cells.get_mut(i)) {
                top.rowspan = (top.rowspan + 1).min(MAX_SPAN);
                return;
            }
        }
    }
    // Paragraphs inside a cell are lines of one label.
    let text = cell.text.split('\n').map(str::trim).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ");
    let Some(cells) = t.rows.get_mut(row) else { return };
    let at = cells.len();
    cells.push(Cell { text, colspan: cell.span, rowspan: 1 });
    let top = (cell.vmerge == Some(true)).then_some((row, at));
    for slot in t.merge_top.iter_mut().skip(col).take(cell.span) {
        *slot = top;
    }
}

/// `dc:title` of docProps/core.xml.
fn core_title<R: std::io::BufRead>(src: R) -> Option<String> {
    let mut reader = Reader::from_reader(src);
    let mut buf = Vec::new();
    let mut in_title = false;
    let mut title = String::new();
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) if local(e.name().as_ref()) == b"title" => in_title = true,
            Event::End(e) if local(e.name().as_ref()) == b"title" => break,
            Event::Text(t) if in_title => title.push_str(&t.decode().ok()?),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    let title = title.trim().to_string();
    (!title.is_empty()).then_some(title)
}
