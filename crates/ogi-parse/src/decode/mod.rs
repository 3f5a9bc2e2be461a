//! Bytes → text. Scraped reports arrive as UTF-8 (with or without BOM), GB18030/GBK,
//! UTF-16, or as HTML pages; this stage turns each into plain text lines and says
//! which encoding it used, or why the bytes are not text at all.

pub mod docx;
pub mod html;
pub mod pdf;
pub mod sniff;
pub mod table_lines;

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE, UTF_8};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    Empty,
    Binary(&'static str),
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::Empty => write!(f, "the file is empty"),
            DecodeError::Binary(why) => write!(f, "not a text file: {why}"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    /// Replacement characters inserted for malformed sequences, plus control
    /// characters (NUL and the like) removed from the text.
    pub malformed: usize,
}

/// Decodes a file's bytes, choosing the encoding from a BOM, then strict UTF-8, then
/// GB18030 (which also covers GBK and GB2312, the encodings Chinese sites use).
/// A UTF-8 file damaged in a few places stays UTF-8 (the damaged bytes become U+FFFD
/// and are counted in `malformed`). Stray control characters are dropped and counted;
/// lone CRs (old Mac line ends, mixed with CRLF in pasted text) become line breaks.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DecodeError::Empty);
    }
    let mut body = bytes;
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let rest = bytes.get(bom_len..).unwrap_or_default();
        let d = with(enc, rest);
        // A BOM in front of bytes of another encoding (a re-saved file) is not trusted.
        if d.malformed * 10 <= d.text.chars().count() {
            return Ok(clean(d));
        }
        body = rest;
        if body.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(DecodeError::Empty);
        }
    }
    if let Some(d) = utf16_without_bom(body) {
        return Ok(clean(d));
    }
    if looks_binary(body) {
        return Err(DecodeError::Binary("control bytes (NUL or similar) in the data"));
    }
    if let Ok(s) = std::str::from_utf8(body) {
        return Ok(clean(Decoded { text: s.to_string(), encoding: "UTF-8", malformed: 0 }));
    }
    // Mostly well-formed UTF-8 with a few broken sequences (a damaged download) is
    // UTF-8: GBK bytes read as UTF-8 give far more broken sequences than characters.
    // Counted without decoding: most such files are GBK and are decoded only once.
    let (utf_malformed, non_ascii) = utf8_damage(body);
    if utf_malformed * 20 <= non_ascii {
        return Ok(clean(with(UTF_8, body)));
    }
    let gb = with(GB18030, body);
    let best = if gb.malformed <= utf_malformed { gb } else { with(UTF_8, body) };
    // Text in neither encoding is junk; a handful of bad sequences is a damaged page.
    let chars = best.text.chars().count().max(1);
    if best.malformed * 10 > chars {
        return Err(DecodeError::Binary("neither UTF-8 nor GB18030"));
    }
    Ok(clean(best))
}

fn with(enc: &'static Encoding, bytes: &[u8]) -> Decoded {
    let (text, _) = enc.decode_without_bom_handling(bytes);
    let malformed = text.chars().filter(|&c| c == '\u{FFFD}').count();
    let name = if enc == GB18030 { "GB18030" } else { enc.name() };
    Decoded { text: text.into_owned(), encoding: name, malformed }
}

/// (replacement characters a lossy UTF-8 decoding would insert, non-ASCII characters
/// it would keep): one U+FFFD per maximal invalid subpart, as encoding_rs decodes.
fn utf8_damage(bytes: &[u8]) -> (usize, usize) {
    bytes.utf8_chunks().fold((0, 0), |(bad, wide), chunk| {
        let valid = chunk.valid();
        let (mut n_bad, mut n_wide) = (usize::from(!chunk.invalid().is_empty()), 0);
        if !valid.is_ascii() {
            for c in valid.chars().filter(|c| !c.is_ascii()) {
                // A U+FFFD already in the text counts as damage, as after decoding.
                if c == '\u{FFFD}' {
                    n_bad += 1;
                } else {
                    n_wide += 1;
                }
            }
        }
        (bad + n_bad, wide + n_wide)
    })
}

fn is_stray_control(c: char) -> bool {
    c.is_ascii_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{0c}')
}

/// Drops stray control characters (counted as malformed) and turns lone CRs into LFs.
fn clean(mut d: Decoded) -> Decoded {
    // Control characters are ASCII: one byte scan finds them, and lone CRs, without
    // decoding characters; most bytes are settled by the first comparison.
    let bytes = d.text.as_bytes();
    let needs_cleaning = bytes.iter().enumerate().any(|(i, &b)| {
        (b < 0x20 || b == 0x7f)
            && if b == b'\r' { bytes.get(i + 1) != Some(&b'\n') } else { is_stray_control(char::from(b)) }
    });
    if !needs_cleaning {
        return d;
    }
    let mut out = String::with_capacity(d.text.len());
    let mut chars = d.text.chars().peekable();
    while let Some(c) = chars.next() {
        if is_stray_control(c) {
            d.malformed += 1;
        } else if c == '\r' {
            if chars.peek() == Some(&'\n') {
                out.push('\r');
            } else {
                out.push('\n');
            }
        } else {
            out.push(c);
        }
    }
    d.text = out;
    d
}

/// UTF-16 saved without a BOM shows as NULs in every other byte (the high byte of
/// ASCII digits, spaces and line breaks: at least 1 code unit in 20 in a report) and
/// few in the other half (those of U+xx00 characters such as 一). The guess is only
/// taken when the whole file then decodes cleanly.
fn utf16_without_bom(bytes: &[u8]) -> Option<Decoded> {
    let sample = bytes.get(..bytes.len().min(4096))?;
    if sample.len() < 8 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even_nul = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nul = sample.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    let floor = (pairs / 20).max(4);
    let enc = if odd_nul >= floor && even_nul * 4 < odd_nul {
        UTF_16LE
    } else if even_nul >= floor && odd_nul * 4 < even_nul {
        UTF_16BE
    } else {
        return None;
    };
    let d = with(enc, bytes);
    let chars = d.text.chars().count().max(1);
    let controls = d.text.chars().filter(|&c| is_stray_control(c)).count();
    (d.malformed * 1000 <= chars && controls * 100 <= chars).then_some(d)
}

/// Binary data has many control bytes (random bytes: 1 in 8); a text file with a stray
/// NUL or two is text (they are dropped and counted as malformed).
fn looks_binary(bytes: &[u8]) -> bool {
    let sample = bytes.get(..bytes.len().min(65536)).unwrap_or_default();
    let control = sample.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)).count();
    control * 100 > sample.len()
}

/// HTML is told apart by content, not extension: scraped `.txt` files are often pages.
/// Looks at the first 2 048 characters, case-insensitively, without copying them.
pub fn looks_like_html(text: &str) -> bool {
    let end = text.char_indices().nth(2048).map_or(text.len(), |(i, _)| i);
    let head = text.as_bytes().get(..end).unwrap_or_default();
    // Every marker starts with '<': one pass notes which ones follow a '<'. "<p" is any
    // tag whose name starts with p, as a substring test reads it.
    const MARKERS: [&str; 8] =
        ["<html", "<!doctype html", "<body", "<table", "</td>", "<div", "</div>", "<p"];
    let mut seen = [false; MARKERS.len()];
    for (i, _) in head.iter().enumerate().filter(|(_, &b)| b == b'<') {
        let rest = head.get(i..).unwrap_or_default();
        for (flag, m) in seen.iter_mut().zip(MARKERS) {
            *flag |= rest.get(..m.len()).is_some_and(|w| w.eq_ignore_ascii_case(m.as_bytes()));
        }
    }
    let [html, doctype, body, table, td, div, div_end, p] = seen;
    html || doctype || body || (table && td) || (div && div_end && p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_recognised_by_its_markers_in_any_case() {
        assert!(looks_like_html("<!DOCTYPE HTML><p>x"));
        assert!(looks_like_html("前言 <Table><tr><TD>1</td></tr></table>"));
        assert!(looks_like_html("<DIV><P>甲</P></Div>"));
        assert!(!looks_like_html("<table> but no cells"));
        assert!(!looks_like_html("总计 <5 件 html body"));
        // Only the first 2 048 characters count.
        let late = format!("{}<html>", "字".repeat(2048));
        assert!(!looks_like_html(&late));
        assert!(looks_like_html(&format!("{}<html>", "字".repeat(2042))));
    }

    #[test]
    fn lone_carriage_returns_and_stray_controls_are_cleaned() {
        let d = decode(b"a\rb\r\nc\r").expect("decodes");
        assert_eq!((d.text.as_str(), d.malformed), ("a\nb\r\nc\n", 0));
        // (few enough control bytes not to be taken for a binary file)
        let pad = "总计".repeat(100);
        let d = decode(format!("x\x07y\x7f\tz\x0c{pad}").as_bytes()).expect("decodes");
        assert_eq!((d.text.as_str(), d.malformed), (format!("xy\tz\x0c{pad}").as_str(), 2));
        let d = decode(b"plain\r\ntext\n").expect("decodes");
        assert_eq!((d.text.as_str(), d.malformed), ("plain\r\ntext\n", 0));
    }

    #[test]
    fn gb18030_round_trips() {
        let s = "麟游县人民政府办公室2019年政府信息公开工作年度报告";
        let (bytes, _, _) = GB18030.encode(s);
        let d = decode(&bytes).expect("decodes");
        assert_eq!(d.text, s);
        assert_eq!(d.encoding, "GB18030");
    }

    #[test]
    fn utf16le_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "总计 5".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&bytes).expect("decodes");
        assert_eq!(d.text, "总计 5");
    }

    #[test]
    fn utf8_bom_is_stripped() {
        let d = decode("\u{FEFF}一、总体情况".as_bytes()).expect("decodes");
        assert_eq!(d.text, "一、总体情况");
    }

    #[test]
    fn damaged_utf8_stays_utf8() {
        let mut bytes = "麟游县人民政府2019年政府信息公开工作年度报告\n一、总体情况\n".repeat(3).into_bytes();
        bytes.splice(12..12, [0xff, 0xfe]);
        let d = decode(&bytes).expect("decodes");
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.malformed, 2);
        assert!(d.text.contains("一、总体情况"));
    }

    #[test]
    fn lone_cr_is_a_line_break_and_controls_are_dropped() {
        let prose = "本年度政府信息公开工作稳步推进。".repeat(20);
        let bytes = format!("a\r\nb\rc\u{0}d\u{1b}\n{prose}\r");
        let d = decode(bytes.as_bytes()).expect("a stray NUL does not make text binary");
        assert_eq!(d.text, format!("a\r\nb\ncd\n{prose}\n"));
        assert_eq!(d.malformed, 2);
    }

    #[test]
    fn utf16be_without_bom_and_a_bom_over_gbk() {
        let s = "一、总体情况\n本年新收申请 12 件\n";
        let be: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        let d = decode(&be).expect("decodes");
        assert_eq!((d.text.as_str(), d.encoding), (s, "UTF-16BE"));
        let (gbk, _, _) = GB18030.encode(s);
        let mut bytes = vec![0xef, 0xbb, 0xbf];
        bytes.extend_from_slice(&gbk);
        let d = decode(&bytes).expect("decodes");
        assert_eq!((d.text.as_str(), d.encoding), (s, "GB18030"));
    }

    #[test]
    fn utf8_damage_counts_like_a_lossy_decoding() {
        let (gbk, _, _) = GB18030.encode("麟游县人民政府办公室 2019 年（一）总计");
        let odd = b"ab\xff\xfe\xe4\xb8cd\xe4\xb8\x80\xef\xbf\xbd".to_vec();
        for bytes in [gbk.to_vec(), odd] {
            let lossy = with(UTF_8, &bytes);
            let wide = lossy.text.chars().filter(|&c| !c.is_ascii() && c != '\u{FFFD}').count();
            assert_eq!(utf8_damage(&bytes), (lossy.malformed, wide));
        }
    }

    #[test]
    fn empty_and_binary_are_refused() {
        assert_eq!(decode(b"").unwrap_err(), DecodeError::Empty);
        assert_eq!(decode(b" \n\n").unwrap_err(), DecodeError::Empty);
        assert!(matches!(decode(&[0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3]), Err(DecodeError::Binary(_))));
    }
}
