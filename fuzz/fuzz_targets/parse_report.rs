//! Fuzz target: `parse_report` on arbitrary bytes, read as a `.txt` or an `.html` file
//! (the first byte picks which); bytes that begin as a PDF or a Word document go to those
//! readers, whatever the name (seeds: tests/fixtures/documents). It must never panic, never take long (libFuzzer's
//! `-timeout`), and every line a fact or diagnostic cites must exist in the text read.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ogi_parse::decode::sniff::{sniff, Format};
use ogi_parse::decode::{decode, looks_like_html};
use ogi_parse::parse::parse_report;

fuzz_target!(|data: &[u8]| {
    let (name, bytes) = match data.split_first() {
        Some((b, rest)) if b & 1 == 1 => ("fuzz.html", rest),
        Some((_, rest)) => ("fuzz.txt", rest),
        None => ("fuzz.txt", data),
    };
    let r = parse_report(name, bytes);
    assert_eq!(r.report_id.len(), 16);
    let cited = r.cited_lines();
    // Plain text: lines are those of the decoded file (HTML: of the text extracted).
    let n_lines = match decode(bytes) {
        Ok(d) if name.ends_with(".txt") && sniff(bytes, name) == Format::Text && !looks_like_html(&d.text) => {
            d.text.split('\n').count()
        }
        _ => usize::MAX,
    };
    for l in cited {
        assert!(l >= 1 && (l as usize) <= n_lines, "line {l} of {n_lines}");
    }
});
