//! One file's bytes → its `Report`: the per-file chain, in the order it runs.
//!
//! decode (bytes → text, HTML → lines and head metadata) → normalise (lines) →
//! extract the header (title, agency, year, date) → segment (era, sections) →
//! extract the tables (or the prose of a legacy report) → validate (identities,
//! status). Placing the report among the divisions comes after, in the build
//! (`region::resolve_region`), because it needs the division list. Each step adds
//! diagnostics instead of failing, so a damaged report still yields what it states.

use crate::decode::{self, DecodeError};
use crate::extract::{self, legacy};
use crate::model::{Diagnostic, Report};
use crate::normalise::{normalise, Line};
use crate::segment::{detect_era, find_sections};
use crate::validate;
use sha2::{Digest, Sha256};

/// First 16 hex digits of the SHA-256 of the file's bytes (the contract's report_id).
pub fn report_id(bytes: &[u8]) -> String {
    hex(Sha256::digest(bytes).get(..8).unwrap_or_default())
}

/// Bytes as lower-case hex digits (ids, keys and fingerprints are written so).
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// A file's text as the reader sees it.
pub struct Text {
    pub lines: Vec<Line>,
    /// The text the lines were normalised from (one line each): where its glyphs stand.
    pub raw: String,
    /// A web page's head metadata (None for plain text).
    pub meta: Option<decode::html::PageMeta>,
    pub encoding: &'static str,
    pub html: bool,
    /// Malformed byte sequences replaced and control characters dropped in decoding.
    pub malformed: usize,
}

/// Bytes → decoded, normalised lines.
pub fn read_lines(bytes: &[u8], is_html_name: bool) -> Result<Text, DecodeError> {
    let d = decode::decode(bytes)?;
    let html = is_html_name || decode::looks_like_html(&d.text);
    let (text, meta) = if html {
        let (t, m) = decode::html::to_text_and_meta(&d.text);
        (t, Some(m))
    } else {
        (d.text, None)
    };
    let mut lines = normalise(&text);
    crate::furniture::mark(&mut lines, &text);
    Ok(Text { lines, raw: text, meta, encoding: d.encoding, html, malformed: d.malformed })
}

pub fn parse_report(source_path: &str, bytes: &[u8]) -> Report {
    parse_report_as(report_id(bytes), source_path, bytes)
}

/// `parse_report` for a file whose report_id is already known (the build hashes each
/// file once, for its cache key, and the id is that hash's first 16 digits).
pub fn parse_report_as(report_id: String, source_path: &str, bytes: &[u8]) -> Report {
    let mut rep = Report::empty(report_id, source_path.to_string());
    let lower = source_path.to_ascii_lowercase();
    let is_html_name = lower.ends_with(".html") || lower.ends_with(".htm");
    let text = match read_lines(bytes, is_html_name) {
        Ok(x) => x,
        Err(e) => {
            let code = match e {
                DecodeError::Empty => "empty_file",
                DecodeError::Binary(_) => "not_text",
            };
            rep.diagnostics.push(Diagnostic::error(code, None, e.to_string()));
            return rep;
        }
    };
    rep.encoding = Some(text.encoding);
    rep.format = if text.html { "html" } else { "text" };
    if text.html {
        rep.diagnostics.push(Diagnostic::info(
            "html_text",
            None,
            "HTML page: line numbers refer to the page's extracted text",
        ));
    }
    parse_lines_with(&mut rep, &text.lines, text.meta.as_ref(), Some(&text.raw));
    if text.malformed > 0 {
        rep.diagnostics.push(Diagnostic::warn(
            "malformed_bytes",
            None,
            format!(
                "{} malformed byte sequence(s) or control character(s) in the {} text were replaced or dropped",
                text.malformed, text.encoding
            ),
        ));
    }
    rep
}

/// The chain from normalised lines on (tests and `ogi parse` start here).
pub fn parse_lines(rep: &mut Report, lines: &[Line]) {
    parse_lines_with(rep, lines, None, None);
}

/// As `parse_lines`, with a web page's head metadata read before the page's body.
pub fn parse_lines_with(
    rep: &mut Report,
    lines: &[Line],
    meta: Option<&decode::html::PageMeta>,
    raw: Option<&str>,
) {
    extract::header_facts(rep, lines, meta);
    let era = detect_era(lines, rep.year);
    rep.era = era;
    let sections = find_sections(lines);
    extract::note_missing_header(rep);
    let template_era = era.filter(|e| matches!(*e, "2019" | "2021"));
    let missing = match template_era {
        Some(era) => {
            let missing = extract::tables(rep, lines, &sections, era, &extract::Raw::new(raw));
            legacy::cross_check(rep, lines, &sections);
            validate::check(rep);
            missing
        }
        None => {
            legacy::extract(rep, lines, &sections);
            Vec::new()
        }
    };
    validate::settle_status(rep, &sections, template_era.is_some(), &missing);
}
