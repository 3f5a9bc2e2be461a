//! One file's bytes → its `Report`: the per-file chain, in the order it runs.
//!
//! decode (bytes → text, HTML → lines and head metadata) → normalise (lines) →
//! extract the header (title, agency, year, date) → segment (era, sections) →
//! extract the tables (or the prose of a legacy report) → validate (identities,
//! status). Placing the report among the divisions comes after, in the build
//! (`region::resolve_region`), because it needs the division list. Each step adds
//! diagnostics instead of failing, so a damaged report still yields what it states.

use crate::decode::sniff::{sniff, Format};
use crate::decode::{self, DecodeError};
use crate::extract::{self, legacy};
use crate::model::{Diagnostic, Report};
use crate::normalise::{normalise, Line};
use crate::segment::{detect_era, find_sections};
use crate::validate;
use sha2::{Digest, Sha256};

/// First 16 hex digits of the SHA-256 of the file's bytes (the contract's report_id).
pub fn report_id(bytes: &[u8]) -> String {
    id_of(Sha256::digest(bytes).as_slice())
}

/// `report_id` of a file read as it streams by (one too large to hold in memory).
pub fn report_id_streamed(mut from: impl std::io::Read) -> std::io::Result<String> {
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = from.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(buf.get(..n).unwrap_or_default());
    }
    Ok(id_of(h.finalize().as_slice()))
}

/// The rule of the contract: the digest's first 8 bytes in hex.
fn id_of(digest: &[u8]) -> String {
    hex(digest.get(..8).unwrap_or_default())
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
    pub encoding: Option<&'static str>,
    /// reports.format: `text`, `html`, `pdf`, `docx`.
    pub format: &'static str,
    /// A PDF's page count, and the line at which each of its pages begins.
    pub pages: Option<u32>,
    pub page_starts: Vec<u32>,
    /// Malformed byte sequences replaced and control characters dropped in decoding.
    pub malformed: usize,
    /// What reading the file noticed on the way (pages that could not be read).
    pub notes: Vec<Diagnostic>,
}

/// Why a file has no text to read: the diagnostic code, the format, what to say.
#[derive(Debug, Clone)]
pub struct Unreadable {
    pub code: &'static str,
    pub format: &'static str,
    pub pages: Option<u32>,
    pub message: String,
}

/// Bytes → normalised lines, by what the bytes are: text or an HTML page (decoded), a
/// PDF (read from its glyphs' positions) or a Word document (its XML). `name` is the
/// file's name: `.html`/`.htm` make a page of a text whose markup is hard to see, and
/// it tells the old binary formats apart.
pub fn read_lines(bytes: &[u8], name: &str) -> Result<Text, Unreadable> {
    let unreadable = |code, format, message: String| Unreadable { code, format, pages: None, message };
    let format = sniff(bytes, name);
    let mut text = match format {
        Format::Text => read_decoded(bytes, name)?,
        Format::Pdf => read_pdf(bytes)?,
        Format::Docx => {
            let t =
                decode::docx::read(bytes).map_err(|e| unreadable("docx_damaged", "docx", e.to_string()))?;
            let mut text = Text::of("docx", t.text, None);
            text.meta =
                t.title.map(|title| decode::html::PageMeta { title: Some(title), ..Default::default() });
            text
        }
        other => {
            let message = format!("{}, which ogi does not read: {}", other.describe(), other.advice());
            return Err(unreadable("unsupported_format", other.code(), message));
        }
    };
    text.lines = normalise(&text.raw);
    crate::furniture::mark(&mut text.lines, &text.raw);
    Ok(text)
}

impl Text {
    fn of(format: &'static str, raw: String, encoding: Option<&'static str>) -> Text {
        Text {
            lines: Vec::new(),
            raw,
            meta: None,
            encoding,
            format,
            pages: None,
            page_starts: Vec::new(),
            malformed: 0,
            notes: Vec::new(),
        }
    }
}

fn read_decoded(bytes: &[u8], name: &str) -> Result<Text, Unreadable> {
    let lower = name.to_ascii_lowercase();
    let is_html_name = lower.ends_with(".html") || lower.ends_with(".htm");
    let d = decode::decode(bytes).map_err(|e| {
        let (code, format) = match e {
            // nothing in the bytes says what an empty file is
            DecodeError::Empty => ("empty_file", "unknown"),
            DecodeError::Binary(_) => ("not_text", "unknown"),
        };
        Unreadable { code, format, pages: None, message: e.to_string() }
    })?;
    if is_html_name || decode::looks_like_html(&d.text) {
        let (t, m) = decode::html::to_text_and_meta(&d.text);
        let mut text = Text::of("html", t, Some(d.encoding));
        text.meta = Some(m);
        text.malformed = d.malformed;
        text.notes.push(Diagnostic::info(
            "html_text",
            None,
            "HTML page: line numbers refer to the page's extracted text",
        ));
        return Ok(text);
    }
    let mut text = Text::of("text", d.text, Some(d.encoding));
    text.malformed = d.malformed;
    Ok(text)
}

fn read_pdf(bytes: &[u8]) -> Result<Text, Unreadable> {
    let pdf = decode::pdf::read(bytes).map_err(|e| {
        let code = match e {
            decode::pdf::PdfError::Encrypted => "pdf_encrypted",
            decode::pdf::PdfError::Damaged(_) => "pdf_damaged",
        };
        let advice = match e {
            decode::pdf::PdfError::Encrypted => "open it with its password and save an unprotected copy",
            decode::pdf::PdfError::Damaged(_) => {
                "download the file again; if it opens elsewhere, print it to a new PDF"
            }
        };
        Unreadable { code, format: "pdf", pages: None, message: format!("{e}: {advice}") }
    })?;
    if pdf.glyphs == 0 {
        let message = format!(
            "the PDF's {} page(s) carry no text, only images (a scan): run OCR on it and add the text",
            pdf.pages
        );
        return Err(Unreadable { code: "no_text_layer", format: "pdf", pages: Some(pdf.pages), message });
    }
    let mut text = Text::of("pdf", pdf.text, None);
    text.pages = Some(pdf.pages);
    text.page_starts = pdf.page_starts;
    if !pdf.failed_pages.is_empty() {
        let list: Vec<String> = pdf.failed_pages.iter().map(u32::to_string).collect();
        text.notes.push(Diagnostic::warn(
            "pdf_page_unreadable",
            None,
            format!("the PDF engine could not read page(s) {}; what they hold is missing", list.join(", ")),
        ));
    }
    Ok(text)
}

pub fn parse_report(source_path: &str, bytes: &[u8]) -> Report {
    parse_report_as(report_id(bytes), source_path, bytes)
}

/// `parse_report` for a file whose report_id is already known (the build hashes each
/// file once, for its cache key, and the id is that hash's first 16 digits).
pub fn parse_report_as(report_id: String, source_path: &str, bytes: &[u8]) -> Report {
    let mut rep = Report::empty(report_id, source_path.to_string());
    let text = match read_lines(bytes, source_path) {
        Ok(x) => x,
        Err(e) => {
            rep.format = e.format.into();
            rep.pages = e.pages;
            rep.diagnostics.push(Diagnostic::error(e.code, None, e.message));
            return rep;
        }
    };
    rep.encoding = text.encoding.map(Into::into);
    rep.format = text.format.into();
    rep.pages = text.pages;
    rep.page_starts = text.page_starts.clone();
    rep.diagnostics.extend(text.notes.iter().cloned());
    parse_lines_with(&mut rep, &text.lines, text.meta.as_ref(), Some(&text.raw));
    if text.malformed > 0 {
        rep.diagnostics.push(Diagnostic::warn(
            "malformed_bytes",
            None,
            format!(
                "{} malformed byte sequence(s) or control character(s) in the {} text were replaced or dropped",
                text.malformed,
                text.encoding.unwrap_or("decoded")
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
    let template_era = match era {
        Some(crate::model::Era::Template(t)) => Some(t),
        _ => None,
    };
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
    validate::decide_status(rep, &sections, template_era.is_some(), &missing);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_id_is_the_same_streamed_or_whole() {
        // (more than one read buffer of bytes)
        let bytes: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        let whole = report_id(&bytes);
        assert_eq!(whole.len(), 16);
        assert_eq!(report_id_streamed(bytes.as_slice()).ok(), Some(whole));
        assert_eq!(report_id(b""), "e3b0c44298fc1c14", "SHA-256 of nothing");
    }
}
