//! HTML → text lines. Block elements become line breaks; each row of a data table
//! becomes one line of tab-separated cells with rowspan/colspan expanded, so the table
//! reader sees every cell in its column, empty ones included. Tables that contain
//! tables, or a cell of page-long text, are page layout, not data, and are read as
//! ordinary blocks.
//!
//! Only html5ever's tokenizer runs: no tree is built, since the text and the table
//! geometry are all the reader needs, and building the DOM was half the time spent on
//! a page. What a tree builder would repair (unclosed cells, text directly inside a
//! table, an unclosed head) is handled in the token sink. A reader over the full DOM
//! once applied the same rules; its output is frozen in tests/fixtures/html_golden/,
//! and the tests hold this reader to it.
//!
//! Hostile pages cost time linear in their size: container and formatting tags nested
//! deeper than MAX_NESTING are dropped before tokenizing (a tree builder
//! would take quadratic time on 10 000 nested `<div>`s), tables
//! nested deeper than MAX_TABLE_NESTING are read as blocks, and table grids are capped
//! at MAX_COLUMNS.

mod flatten;
mod sink;
mod tags;
#[cfg(test)]
mod tests;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{BufferQueue, Tokenizer, TokenizerOpts};

use flatten::flatten_deep_nesting;
use sink::Sink;

/// A table cell with more text than this is a page laid out in a table, not data.
pub(super) const MAX_DATA_CELL_CHARS: usize = 1000;

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
    tokenizer.sink.finish()
}
