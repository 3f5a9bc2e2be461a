//! The tag tables the reader works from: which tags are blocks (a line break), which
//! are skipped with their content, which may stay in a `<head>`, and which only group
//! or style content (flattened when nested absurdly deep).

/// Deepest nesting of container and formatting tags kept; real pages stay far below.
pub(super) const MAX_NESTING: usize = 256;

/// Tags that only group or style content: beyond MAX_NESTING their block kinds become
/// `<br>` (keeping the line break) and the rest are dropped.
pub(super) const FLATTENED_BLOCK: &[&str] =
    &["div", "section", "article", "center", "blockquote", "main", "header", "footer", "nav", "form"];
pub(super) const FLATTENED_INLINE: &[&str] = &[
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

/// Elements that may stay in a document's `<head>`; any other start tag, or text,
/// ends it (as the HTML tree builder does when a page never closes its head).
pub(super) const HEAD_CONTENT: &[&str] = &[
    "base", "basefont", "bgsound", "link", "meta", "title", "noscript", "noframes", "style", "script",
    "template",
];
