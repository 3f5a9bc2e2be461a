//! Hostile nesting made harmless before tokenizing: container and formatting tags nested
//! deeper than MAX_NESTING are dropped (block ones become `<br>`), in linear time.

use std::borrow::Cow;

use super::tags::{FLATTENED_BLOCK, FLATTENED_INLINE, MAX_NESTING};

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

fn is(list: &[&str], name: &[u8]) -> bool {
    list.iter().any(|t| t.as_bytes().eq_ignore_ascii_case(name))
}

/// A container or formatting tag of the page.
struct FlatTag<'a> {
    /// Where it starts (its '<') and the byte after it.
    at: usize,
    close: usize,
    name: &'a [u8],
    end: bool,
    self_closing: bool,
}

/// The container and formatting tags of the page, in order, in one linear scan.
fn flattened_tags(html: &str) -> impl Iterator<Item = FlatTag<'_>> {
    let bytes = html.as_bytes();
    let mut i = 0usize;
    std::iter::from_fn(move || {
        while let Some(off) = bytes.get(i..).and_then(|b| b.iter().position(|&c| c == b'<')) {
            let at = i + off;
            let Some((name, end, rel_close)) = bytes.get(at..).and_then(scan_tag) else {
                i = at + 1;
                continue;
            };
            let close = at + rel_close;
            i = close.max(at + 1);
            if is(FLATTENED_BLOCK, name) || is(FLATTENED_INLINE, name) {
                let self_closing = bytes.get(..close).is_some_and(|b| b.ends_with(b"/>"));
                return Some(FlatTag { at, close, name, end, self_closing });
            }
        }
        None
    })
}

/// Drops container and formatting tags nested deeper than MAX_NESTING (block ones become
/// `<br>`). Pages that stay within the limit (all real ones) are returned as they are.
pub(super) fn flatten_deep_nesting(html: &str) -> Cow<'_, str> {
    // First: is the limit reached at all?
    let (mut depth, mut deepest) = (0usize, 0usize);
    for t in flattened_tags(html) {
        if t.end {
            depth = depth.saturating_sub(1);
        } else if !t.self_closing {
            depth += 1;
            deepest = deepest.max(depth);
        }
    }
    if deepest <= MAX_NESTING {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let (mut depth, mut copied) = (0usize, 0usize);
    for t in flattened_tags(html).filter(|t| !t.self_closing) {
        let drop = if t.end {
            let deep = depth > MAX_NESTING;
            depth = depth.saturating_sub(1);
            deep
        } else {
            depth += 1;
            depth > MAX_NESTING
        };
        if drop {
            // Tags are ASCII, so `at` and `close` fall on character boundaries.
            out.push_str(html.get(copied..t.at).unwrap_or_default());
            if is(FLATTENED_BLOCK, t.name) {
                out.push_str("<br>");
            }
            copied = t.close;
        }
    }
    out.push_str(html.get(copied..).unwrap_or_default());
    Cow::Owned(out)
}
