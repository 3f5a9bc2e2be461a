//! Hostile inputs made from the shape fixtures, for the hostile-input tests.

use super::fixtures;

pub fn shape(name: &str) -> Vec<u8> {
    std::fs::read(fixtures().join("shapes").join(name)).expect("shape fixture")
}

pub fn shape_text(name: &str) -> String {
    String::from_utf8(shape(name)).expect("utf-8 fixture")
}

/// A report of shape 05 (rows as tab-separated lines) with its table 三 repeated `copies` times.
pub fn with_table3_copies(copies: usize) -> String {
    let text = shape_text("05_row_tabs_empty.txt");
    let lines: Vec<&str> = text.split('\n').collect();
    let start = lines.iter().position(|l| l.starts_with("三、收到和处理政府信息公开申请情况")).expect("三");
    let end = lines.iter().position(|l| l.starts_with("四、政府信息公开行政复议")).expect("四");
    let block = lines.get(start + 1..end).expect("block").join("\n");
    let mut out = lines.get(..end).expect("head").join("\n");
    for _ in 1..copies {
        out.push('\n');
        out.push_str(&block);
    }
    out.push('\n');
    out.push_str(&lines.get(end..).expect("tail").join("\n"));
    out
}

/// Shape 01 as an HTML page whose text sits inside `depth` nested <div>s.
pub fn nested_divs(depth: usize) -> String {
    let body: String =
        shape_text("01_cell_per_line_blank.txt").split('\n').map(|l| format!("<p>{l}</p>\n")).collect();
    format!("<html><body>{}{body}{}</body></html>", "<div>".repeat(depth), "</div>".repeat(depth))
}

/// `n` bytes (about) of a news sentence repeated, one per line.
pub fn repeated_text(n: usize) -> String {
    let line = "千阳县举办2023年中国农民丰收节庆祝活动，吸引周边群众3000余人参加。\n";
    line.repeat(n / line.len() + 1)
}

/// `n` bytes (about) on one line: no newline at all.
pub fn one_line(n: usize) -> String {
    let piece = "岐山县人民政府2022年政府信息公开工作年度报告，数字123，";
    piece.repeat(n / piece.len() + 1)
}
