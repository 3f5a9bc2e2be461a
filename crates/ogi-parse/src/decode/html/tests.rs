//! The reader against the frozen output of the DOM reference, and its limits on hostile pages.

use super::*;
use crate::decode::table_lines::MAX_COLUMNS;
use std::borrow::Cow;

/// Pages read exactly as the DOM reference reader read them. That reader (scraper's
/// tree builder, retired with its dependencies) applied the same rules to a full DOM;
/// its output is frozen in tests/fixtures/html_golden/ as NAME.txt, for NAME.html beside
/// it (snippets of what a tree builder repairs: unclosed cells, text directly in a
/// table, captions, an unclosed head, stray table tags, raw-text elements; generated
/// pages), or for a fixture elsewhere: `shapes__07_html_table.txt` is the text of
/// tests/fixtures/shapes/07_html_table.html.
#[test]
fn pages_read_as_the_dom_reference_read_them() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let golden = fixtures.join("html_golden");
    let mut n = 0;
    for e in std::fs::read_dir(&golden).expect("golden folder").flatten() {
        let want_path = e.path();
        if want_path.extension().is_none_or(|x| x != "txt") {
            continue;
        }
        let stem = want_path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let page = match stem.split_once("__") {
            Some((folder, name)) => fixtures.join(folder).join(format!("{name}.html")),
            None => want_path.with_extension("html"),
        };
        let bytes = std::fs::read(&page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
        let html = crate::decode::decode(&bytes).expect("a page").text;
        let want = std::fs::read_to_string(&want_path).expect("its text");
        assert_eq!(to_text(&html), want, "{}", page.display());
        n += 1;
    }
    assert!(n >= 20, "only {n} golden pages");
}

#[test]
fn head_metadata_is_read_and_kept_out_of_the_text() {
    let page = r#"<html><head><title>某县2023年政府信息公开工作年度报告-某县人民政府</title>
        <meta name="ArticleTitle" content="某县2023年政府信息公开工作年度报告">
        <META NAME="PubDate" CONTENT="2024-01-17 10:00"><meta name="SiteIDCode" content="3213220037">
        <meta name="ContentSource" content="某县发改局"><meta name="SiteIDCode" content="9999999999">
        </head><body><div>首页 政府信息公开 领导之窗</div><p>正文</p></body></html>"#;
    let (text, meta) = to_text_and_meta(page);
    assert_eq!(meta.title.as_deref(), Some("某县2023年政府信息公开工作年度报告-某县人民政府"));
    assert_eq!(meta.article_title.as_deref(), Some("某县2023年政府信息公开工作年度报告"));
    assert_eq!(meta.pub_date.as_deref(), Some("2024-01-17 10:00"));
    assert_eq!(meta.content_source.as_deref(), Some("某县发改局"));
    assert_eq!(meta.site_code.as_deref(), Some("3213220037"), "the first of a name counts");
    assert!(!text.contains("年度报告"), "{text}");
}

#[test]
fn rowspan_and_colspan_keep_columns() {
    let html = "<html><body><p>三、收到和处理政府信息公开申请情况</p><table>\
        <tr><td colspan=2 rowspan=2>申请人情况</td><td rowspan=2>自然人</td><td colspan=2>法人</td><td rowspan=2>总计</td></tr>\
        <tr><td>商业企业</td><td>其他</td></tr>\
        <tr><td rowspan=2>三、本年度办理结果</td><td>(一)予以<span>公开</span></td><td>2</td><td></td><td>1</td><td>3</td></tr>\
        <tr><td>(二)部分公开</td><td>0</td><td>0</td><td></td><td>0</td></tr>\
        </table></body></html>";
    let text = to_text(html);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.contains(&"三、本年度办理结果\t(一)予以公开\t2\t\t1\t3"), "{text}");
    assert!(lines.contains(&"三、本年度办理结果\t(二)部分公开\t0\t0\t\t0"), "{text}");
}

#[test]
fn deep_nesting_is_flattened_and_keeps_the_text() {
    let n = 20_000;
    let html = format!(
        "<html><body>{}<p>一、总体情况</p><p>正文</p>{}<p>二、主动公开政府信息情况</p></body></html>",
        "<div><span>".repeat(n),
        "</span></div>".repeat(n)
    );
    let flat = flatten_deep_nesting(&html);
    assert!(flat.len() < html.len());
    let text = to_text(&html);
    let lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(lines, vec!["一、总体情况", "正文", "二、主动公开政府信息情况"], "{text}");
    let shallow = "<div><b>x</b></div>";
    assert!(matches!(flatten_deep_nesting(shallow), Cow::Borrowed(_)));
}

#[test]
fn deeply_nested_tables_keep_their_text() {
    let n = 5_000;
    let html = format!(
        "{}<p>一、总体情况</p>{}<p>后文</p>",
        "<table><tr><td>".repeat(n),
        "</td></tr></table>".repeat(n)
    );
    let text = to_text(&html);
    let lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(lines, vec!["一、总体情况", "后文"], "{text}");
}

#[test]
fn huge_spans_and_wide_rows_stay_bounded() {
    let mut html = String::from("<table><tr>");
    for c in 0..500 {
        html += &format!("<td rowspan=1000 colspan=1000>{c}</td>");
    }
    html += "</tr>";
    for _ in 0..100 {
        html += &"<td colspan=64 rowspan=64>9</td>".repeat(50);
        html += "</tr><tr>";
    }
    html += "</tr></table>";
    let text = to_text(&html);
    assert!(text.lines().all(|l| l.split('\t').count() <= MAX_COLUMNS), "a row is wider than the cap");
}

#[test]
fn a_page_in_one_table_cell_is_layout() {
    let body: String =
        (0..60).map(|i| format!("<p>第{i}段：政府信息公开工作稳步推进，成效明显。</p>")).collect();
    let html = format!("<table><tr><td><p>一、总体情况</p>{body}</td></tr></table>");
    let text = to_text(&html);
    assert!(text.lines().any(|l| l == "一、总体情况"), "{text}");
}

#[test]
fn layout_tables_are_blocks_and_scripts_vanish() {
    let html = "<table><tr><td><script>var x=1;</script><p>一、总体情况</p><table><tr><td>a</td><td>5</td></tr></table></td></tr></table>";
    let text = to_text(html);
    assert!(text.contains("一、总体情况\n"), "{text}");
    assert!(text.contains("a\t5"), "{text}");
    assert!(!text.contains("var x"));
}
