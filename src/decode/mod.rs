//! Bytes → text. Scraped reports arrive as UTF-8 (with or without BOM), GB18030/GBK,
//! UTF-16, or as HTML pages; this stage turns each into plain text lines and says
//! which encoding it used, or why the bytes are not text at all.

pub mod html;

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
    /// Replacement characters inserted for malformed sequences.
    pub malformed: usize,
}

/// Decodes a file's bytes, choosing the encoding from a BOM, then strict UTF-8, then
/// GB18030 (which also covers GBK and GB2312, the encodings Chinese sites use).
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DecodeError::Empty);
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let rest = bytes.get(bom_len..).unwrap_or_default();
        return Ok(with(enc, rest));
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        return Ok(with(enc, bytes));
    }
    if looks_binary(bytes) {
        return Err(DecodeError::Binary("control bytes (NUL or similar) in the data"));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(Decoded { text: s.to_string(), encoding: "UTF-8", malformed: 0 });
    }
    let gb = with(GB18030, bytes);
    let utf = with(UTF_8, bytes);
    let best = if gb.malformed <= utf.malformed { gb } else { utf };
    // Text in neither encoding is junk; a handful of bad sequences is a damaged page.
    let chars = best.text.chars().count().max(1);
    if best.malformed * 10 > chars {
        return Err(DecodeError::Binary("neither UTF-8 nor GB18030"));
    }
    Ok(best)
}

fn with(enc: &'static Encoding, bytes: &[u8]) -> Decoded {
    let (text, _) = enc.decode_without_bom_handling(bytes);
    let malformed = text.chars().filter(|&c| c == '\u{FFFD}').count();
    let name = if enc == GB18030 { "GB18030" } else { enc.name() };
    Decoded { text: text.into_owned(), encoding: name, malformed }
}

/// UTF-16 saved without a BOM shows as a NUL in every other byte.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = bytes.get(..bytes.len().min(4096))?;
    if sample.len() < 8 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even_nul = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nul = sample.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    if odd_nul * 10 > pairs * 3 && even_nul * 20 < pairs {
        Some(UTF_16LE)
    } else if even_nul * 10 > pairs * 3 && odd_nul * 20 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

fn looks_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(65536)];
    let control = sample.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)).count();
    sample.contains(&0) || control * 100 > sample.len()
}

/// HTML is told apart by content, not extension: scraped `.txt` files are often pages.
pub fn looks_like_html(text: &str) -> bool {
    let head: String = text.chars().take(2048).collect::<String>().to_ascii_lowercase();
    head.contains("<html")
        || head.contains("<!doctype html")
        || head.contains("<body")
        || (head.contains("<table") && head.contains("</td>"))
        || (head.contains("<div") && head.contains("</div>") && head.contains("<p"))
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn empty_and_binary_are_refused() {
        assert_eq!(decode(b"").unwrap_err(), DecodeError::Empty);
        assert_eq!(decode(b" \n\n").unwrap_err(), DecodeError::Empty);
        assert!(matches!(decode(&[0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3]), Err(DecodeError::Binary(_))));
    }
}
