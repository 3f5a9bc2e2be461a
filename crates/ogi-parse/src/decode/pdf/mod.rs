//! PDF → text lines, read from where the glyphs stand. The engine (pdf-extract, pure
//! Rust on lopdf) paints each page into a collector that keeps every glyph's position
//! and every ruling line; `layout` rebuilds lines from baselines and a bordered table's
//! cells from its ruling lines. The engine is driven page by page: a page it cannot
//! read (or panics on) is counted and the others are still read.

mod continued;
mod guard;
mod layout;
mod page;
mod table;

use layout::Block;
use page::Collector;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Pages beyond this are not read (the reports run to 5–30 pages); a bound on the time
/// a hostile file can take.
const MAX_PAGES: usize = 500;

/// A PDF's text, as lines, with where each page begins.
#[derive(Debug, Clone, Default)]
pub struct PdfText {
    pub text: String,
    /// The 1-based line of `text` at which each page begins (one entry per page read,
    /// in page order; a page without text still has its entry).
    pub page_starts: Vec<u32>,
    /// Pages in the document.
    pub pages: u32,
    /// Pages the engine could not read.
    pub failed_pages: Vec<u32>,
    /// Glyphs painted over all pages; none means there is no text layer (a scan).
    pub glyphs: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdfError {
    /// The document is encrypted with a password we do not have.
    Encrypted,
    /// The file's structure could not be read (truncated, damaged, not a PDF at all).
    Damaged(String),
}

impl std::fmt::Display for PdfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PdfError::Encrypted => write!(f, "the PDF is encrypted with a password"),
            PdfError::Damaged(why) => write!(f, "the PDF could not be read: {why}"),
        }
    }
}

pub fn read(bytes: &[u8]) -> Result<PdfText, PdfError> {
    let doc = catch_unwind(|| pdf_extract::Document::load_mem(bytes))
        .map_err(|_| PdfError::Damaged("the PDF engine failed on its structure".into()))?;
    let mut doc = doc.map_err(|e| PdfError::Damaged(e.to_string()))?;
    if doc.is_encrypted() {
        // Most "protected" reports forbid copying or printing but open without a
        // password: the empty user password decrypts them.
        let opened = catch_unwind(AssertUnwindSafe(|| doc.decrypt(""))).map(|r| r.is_ok()).unwrap_or(false);
        if !opened {
            return Err(PdfError::Encrypted);
        }
    }
    let numbers: Vec<(u32, pdf_extract::ObjectId)> =
        catch_unwind(AssertUnwindSafe(|| doc.get_pages().into_iter().collect()))
            .map_err(|_| PdfError::Damaged("its page tree could not be read".into()))?;
    let mut out = PdfText { pages: u32::try_from(numbers.len()).unwrap_or(u32::MAX), ..Default::default() };
    let mut pages: Vec<Vec<Block>> = Vec::new();
    for &(n, id) in numbers.iter().take(MAX_PAGES) {
        let mut collector = Collector::default();
        let safe = catch_unwind(AssertUnwindSafe(|| guard::page_is_safe(&doc, id))).unwrap_or(false);
        let painted = safe
            && catch_unwind(AssertUnwindSafe(|| {
                pdf_extract::output_doc_page(&doc, &mut collector, n).is_ok()
            }))
            .unwrap_or(false);
        if !painted {
            out.failed_pages.push(n);
        }
        out.glyphs += collector.page.glyphs.len();
        pages.push(layout::page_blocks(&collector.page));
    }
    continued::join(&mut pages);
    let mut line_no: u32 = 1;
    for blocks in pages {
        out.page_starts.push(line_no);
        for block in blocks {
            let lines = match block {
                Block::Line { text, .. } => vec![text],
                Block::Table(rows) => rows.into_iter().map(|r| r.join("\t")).collect(),
            };
            for line in lines {
                out.text.push_str(&line);
                out.text.push('\n');
                line_no = line_no.saturating_add(1);
            }
        }
    }
    Ok(out)
}
