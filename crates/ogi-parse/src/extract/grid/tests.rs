use super::*;
use crate::normalise::normalise;

fn labels(words: &[&[&str]]) -> (Vec<Vec<String>>, Vec<String>) {
    (words.iter().map(|w| w.iter().map(|s| s.to_string()).collect()).collect(), Vec::new())
}

fn shape(toks: &[Tok]) -> String {
    toks.iter()
        .map(|t| match t {
            Tok::Value { value, .. } => value.to_string(),
            Tok::Zero { .. } => "z".into(),
            Tok::Empty { .. } => "e".into(),
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn run(text: &str, words: &[&[&str]]) -> Vec<String> {
    let (al, weak) = labels(words);
    let sets: Vec<LabelSet> = al.iter().map(|a| LabelSet { aliases: a, weak: &weak }).collect();
    let lines = normalise(text);
    read_rows(&lines, 0..lines.len(), &sets)
        .iter()
        .map(|h| format!("{}:{}", h.row, shape(&h.tokens)))
        .collect()
}

#[test]
fn separated_convention_reads_empty_cells() {
    let text = "甲\n\n3\n\n\n\n3\n\n乙\n\n\n\n\n丙\n\n0\n\n\n\n下一节正文\n";
    assert_eq!(run(text, &[&["甲"], &["乙"], &["丙"]]), ["0:3,e,e,3", "1:e,e,e", "2:0,e,e"]);
}

#[test]
fn labels_share_a_line_when_a_table_is_collapsed() {
    let text = "甲 452000047 乙 0 0 0 丙 1 1";
    assert_eq!(run(text, &[&["甲"], &["乙"], &["丙"]]), ["0:452000047", "1:0,0,0", "2:1,1"]);
}

#[test]
fn a_label_wrapped_in_its_cell_is_joined() {
    // pdftotext -layout of 淮安市 2024: the label's end comes after its numbers
    let text = "4.无正当理由大量反复申请   0   0\n5.要求行政机关确认或重新出\n     1   0   1\n具已获取信息\n1、申请人无正当理由逾期不补\n\n正、行政机关不再处理其政府信   67   71\n息公开申请\n3、其他   5   5\n";
    let rows = run(text, &[&["大量反复申请"], &["确认或重新出具"], &["逾期不补正"], &["3、其他"]]);
    assert_eq!(rows, ["0:0,0", "1:1,0,1", "2:e,67,71", "3:5,5"]);
    // a flat text: "申" / "请" / the next label with the numbers
    let text = "4.无正当理由大量反复申\n请\n5.要求行政机关确认或重新出具已获取信息 1 1\n";
    assert_eq!(run(text, &[&["大量反复申请"], &["确认或重新出具"]]), ["0:", "1:1,1"]);
    // the cells on the label's first line, a page break before its end
    let text = "1.申请人无正当理由逾\n期不补正、行政机关不\n2.申请人逾期未按收费    2  -  2\n- 3 -\n通知要求缴纳费用\n3.其他 1 1\n";
    let rows = run(text, &[&["逾期不补正"], &["逾期未按收费通知"], &["3.其他"]]);
    assert_eq!(rows, ["0:", "1:2,z,2", "2:1,1"]);
    // -layout: the merged group label's characters stand left of the label's end
    let text = "年      1.属于国家秘密\n度      2.其他法律行政法规禁\n          4   2   1   1   8\n办      止公开\n理      3.危及 3 3\n";
    let rows = run(text, &[&["国家秘密"], &["行政法规禁止公开"], &["三安全一稳定", "3.危及"]]);
    assert_eq!(rows, ["0:", "1:4,2,1,1,8", "2:3,3"]);
}

#[test]
fn a_sentence_wrapped_over_lines_is_prose() {
    let text = "2019 年,共收到申请 12 件,上年结转 2\n件,均已依法按期答复。\n甲 7 5\n乙 1 2\n";
    assert_eq!(run(text, &[&["甲"], &["上年结转"]]), ["0:7,5"]);
    // a label with a comma, wrapped, is a label
    let text = "甲(区分处理的,\n只计这一情形)\n1 1\n乙 3\n";
    assert_eq!(run(text, &[&["甲"], &["乙"]]), ["0:1,1", "1:3"]);
}

#[test]
fn prose_mentions_do_not_move_the_walk() {
    let text = "共收到申请5件,其中3件属于丙。\n甲 1 2 3\n乙\n4\n5\n6\n丙 7";
    assert_eq!(run(text, &[&["甲"], &["乙"], &["丙"]]), ["0:1,2,3", "1:4,5,6", "2:7"]);
}

#[test]
fn a_label_cut_by_a_page_break_ends_after_the_repeated_header() {
    // pypdfium2 of a rendered report (036): the label's end comes after the page's
    // running header and table 三's header, repeated a name a line
    let text = "1.属于国家秘密 0 0\n2.其他法律行政法规禁 0 1\n第 3 页\n某区2019年政府信息公开工作年度报告\n\
                (本列数据的勾稽关系为:第一项加第\n二项之和,等于第三项加第四项之和)\n申请人情况\n自然\n人\n法人或其他组织\n\
                商业 总计\n企业\n其他\n办\n理\n止公开\n3.危及“三安全一稳定” 2 2\n";
    let got = run(text, &[&["属于国家秘密"], &["其他法律行政法规禁止公开"], &["危及“三安全一稳定”"]]);
    assert_eq!(got, ["0:0,0", "1:0,1", "2:2,2"]);
    // words that are not a header's between the parts: no end is looked for that far
    let text = "2.其他法律行政法规禁 0 1\n甲乙\n丙丁\n戊己\n庚辛\n止公开\n";
    assert_eq!(run(text, &[&["属于国家秘密"], &["其他法律行政法规禁止公开"]]), Vec::<String>::new());
}
