//! What a file is, from its first bytes (and, where the bytes are shared by several
//! formats, its name): the reader to hand it to, or the format to name when ogi cannot
//! read it. Offices publish PDF and Word files beside their web pages; a scraped
//! directory also holds spreadsheets, archives, images and old binary Word files.

/// A file's format as reports.format names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Text or an HTML page: the decoder decides which.
    Text,
    Pdf,
    Docx,
    Xlsx,
    Zip,
    /// An OLE compound file: binary Word (.doc), WPS (.wps) or Excel (.xls).
    Doc,
    Wps,
    Xls,
    Image,
}

impl Format {
    pub fn code(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
            Format::Zip => "zip",
            Format::Doc => "doc",
            Format::Wps => "wps",
            Format::Xls => "xls",
            Format::Image => "image",
        }
    }

    /// The format in words, for a message about the file.
    pub fn describe(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Pdf => "a PDF",
            Format::Docx => "a Word document (.docx)",
            Format::Xlsx => "an Excel spreadsheet (.xlsx)",
            Format::Zip => "a zip archive",
            Format::Doc => "an old binary Word document (.doc)",
            Format::Wps => "a WPS document (.wps)",
            Format::Xls => "an Excel or WPS spreadsheet (.xls)",
            Format::Image => "an image",
        }
    }

    /// What a user can do with a file ogi does not read.
    pub fn advice(self) -> &'static str {
        match self {
            Format::Doc | Format::Wps => {
                "convert it to .docx (soffice --headless --convert-to docx FILE) and build again"
            }
            Format::Xls | Format::Xlsx => {
                "a spreadsheet is not a report; if it holds one, save it as a PDF or text"
            }
            Format::Zip => "unpack the archive into the input directory and build again",
            Format::Image => "a scanned page has no text to read; run OCR on it and add the text",
            Format::Text | Format::Pdf | Format::Docx => "",
        }
    }
}

pub fn sniff(bytes: &[u8], name: &str) -> Format {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    // A PDF's header may follow a little junk (a BOM, a web server's bytes).
    let head = bytes.get(..1024).unwrap_or(bytes);
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Format::Pdf;
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return zip_kind(bytes);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return match ext.as_str() {
            "wps" => Format::Wps,
            "xls" | "et" => Format::Xls,
            _ => Format::Doc,
        };
    }
    let image: [&[u8]; 6] =
        [b"\x89PNG\r\n\x1a\n", b"\xFF\xD8\xFF", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*"];
    if image.iter().any(|m| bytes.starts_with(m))
        || (bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP"))
    {
        return Format::Image;
    }
    Format::Text
}

/// A zip is a Word document, a spreadsheet, or an archive, by the parts it names (the
/// local headers near the start carry the part names).
fn zip_kind(bytes: &[u8]) -> Format {
    let has = |name: &[u8]| bytes.windows(name.len()).any(|w| w == name);
    if has(b"word/document.xml") {
        Format::Docx
    } else if has(b"xl/workbook.xml") {
        Format::Xlsx
    } else {
        Format::Zip
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_by_their_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n...", "a.txt"), Format::Pdf);
        assert_eq!(sniff(b"\xEF\xBB\xBF%PDF-1.4", "a"), Format::Pdf);
        assert_eq!(sniff(b"PK\x03\x04....word/document.xml", "a.zip"), Format::Docx);
        assert_eq!(sniff(b"PK\x03\x04....xl/workbook.xml", "a"), Format::Xlsx);
        assert_eq!(sniff(b"PK\x03\x04....a.txt", "a.docx"), Format::Zip);
        assert_eq!(sniff(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest", "r.wps"), Format::Wps);
        assert_eq!(sniff(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest", "r.doc"), Format::Doc);
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nIHDR", "scan.png"), Format::Image);
        assert_eq!(sniff("二〇二四年".as_bytes(), "a.pdf"), Format::Text);
    }
}
