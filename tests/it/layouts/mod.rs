//! Table 三 rendered from a table that satisfies the template's identities, in the
//! layouts real reports come in that the corpus generator (`ogi_fixtures.shapes`) does
//! not draw, written independently of the reader (tests/it/proptest_layouts.rs reads
//! them back). Each layout has one renderer: here or there.

use proptest::prelude::*;
use std::collections::BTreeMap;

pub const APPLICANTS: [&str; 7] = [
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "public_interest_org",
    "legal_service_org",
    "other_org",
    "total",
];

/// Table 三 as printed: (row id or None for a group heading, label).
pub fn template_rows(era: &str) -> Vec<(Option<&'static str>, &'static str)> {
    let mut rows = vec![
        (Some("new_received"), "一、本年新收政府信息公开申请数量"),
        (Some("carried_over"), "二、上年结转政府信息公开申请数量"),
        (None, "三、本年度办理结果"),
        (Some("granted"), "(一)予以公开"),
        (Some("partially_granted"), "(二)部分公开(区分处理的,只计这一情形,不计其他情形)"),
        (None, "(三)不予公开"),
        (Some("denied_state_secret"), "1.属于国家秘密"),
        (Some("denied_prohibited_by_law"), "2.其他法律行政法规禁止公开"),
        (Some("denied_endangers_safety"), "3.危及“三安全一稳定”"),
        (Some("denied_third_party_rights"), "4.保护第三方合法权益"),
        (Some("denied_internal_affairs"), "5.属于三类内部事务信息"),
        (Some("denied_process_info"), "6.属于四类过程性信息"),
        (Some("denied_enforcement_files"), "7.属于行政执法案卷"),
        (Some("denied_admin_query"), "8.属于行政查询事项"),
        (None, "(四)无法提供"),
        (Some("unable_not_held"), "1.本机关不掌握相关政府信息"),
        (Some("unable_needs_creation"), "2.没有现成信息需要另行制作"),
        (Some("unable_unclear"), "3.补正后申请内容仍不明确"),
        (None, "(五)不予处理"),
        (Some("not_processed_petition"), "1.信访举报投诉类申请"),
        (Some("not_processed_repeated"), "2.重复申请"),
        (Some("not_processed_publication"), "3.要求提供公开出版物"),
        (Some("not_processed_mass_repeated"), "4.无正当理由大量反复申请"),
        (Some("not_processed_confirmation"), "5.要求行政机关确认或重新出具已获取信息"),
    ];
    if era == "2019" {
        rows.push((Some("other"), "(六)其他处理"));
    } else {
        rows.extend([
            (None, "(六)其他处理"),
            (Some("other_no_correction"), "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
            (
                Some("other_unpaid_fee"),
                "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            ),
            (Some("other_other"), "3.其他"),
        ]);
    }
    rows.push((Some("total_handled"), "(七)总计"));
    rows.push((Some("carried_forward"), "四、结转下年度继续办理"));
    rows
}

/// A table that satisfies every identity: row id → 7 cells.
#[derive(Debug, Clone)]
pub struct Table {
    pub era: &'static str,
    pub cells: BTreeMap<&'static str, [i64; 7]>,
}

pub fn with_total(v: [i64; 6]) -> [i64; 7] {
    let mut r = [0; 7];
    r[..6].copy_from_slice(&v);
    r[6] = v.iter().sum();
    r
}

pub fn table() -> impl Strategy<Value = Table> {
    let era = prop_oneof![Just("2019"), Just("2021")];
    // Mostly zeros, as real tables are; a few larger counts.
    let count = prop_oneof![6 => Just(0i64), 3 => 1i64..5, 1 => 5i64..40];
    let outcomes = proptest::collection::vec(proptest::array::uniform6(count.clone()), 21);
    let forward = proptest::array::uniform6(prop_oneof![3 => Just(0i64), 1 => 1i64..4]);
    let over = proptest::array::uniform6(0i64..3);
    (era, outcomes, forward, over).prop_map(|(era, outcomes, forward, over)| {
        let ids: Vec<&'static str> = template_rows(era)
            .into_iter()
            .filter_map(|(id, _)| id)
            .filter(|id| {
                !matches!(*id, "new_received" | "carried_over" | "total_handled" | "carried_forward")
            })
            .collect();
        let mut cells = BTreeMap::new();
        let mut handled = [0i64; 6];
        for (id, row) in ids.iter().zip(&outcomes) {
            for (h, v) in handled.iter_mut().zip(row) {
                *h += v;
            }
            cells.insert(*id, with_total(*row));
        }
        // carried over can be at most what was handled plus carried forward
        let over: [i64; 6] = std::array::from_fn(|j| over[j].min(handled[j] + forward[j]));
        let new: [i64; 6] = std::array::from_fn(|j| handled[j] + forward[j] - over[j]);
        cells.insert("total_handled", with_total(handled));
        cells.insert("carried_forward", with_total(forward));
        cells.insert("carried_over", with_total(over));
        cells.insert("new_received", with_total(new));
        Table { era, cells }
    })
}

#[derive(Debug, Clone, Copy)]
pub enum Layout {
    Detached,
    /// Every label, then every row of numbers (one row a line).
    LabelsThenRows,
    /// pdfminer order on each of two pages: labels, then columns, per page.
    ColumnsTwoPages {
        split: usize,
    },
    /// Comma-separated rows.
    Csv,
    /// Each cell after its column's name: "label:自然人3,商业企业0,…,总计3;".
    KeyValue,
    /// OCR Markdown whose one-row tables leave the label cell empty.
    OcrMarkdownNoRowLabel,
    /// Rows on lines, and the group headings ((三)不予公开 …) carry their subtotals.
    RowsWithSubtotals,
    /// Each row's numbers on the line above its label (the arithmetic must reject the
    /// readings that pair a label with the numbers of the row below).
    NumbersBeforeLabels,
    /// The label column on the right: each row's numbers, then its label, on one line.
    LabelsOnTheRight,
}

pub fn layout() -> impl Strategy<Value = Layout> {
    prop_oneof![
        Just(Layout::Detached),
        Just(Layout::LabelsThenRows),
        (3usize..20).prop_map(|split| Layout::ColumnsTwoPages { split }),
        Just(Layout::Csv),
        Just(Layout::KeyValue),
        Just(Layout::NumbersBeforeLabels),
        Just(Layout::OcrMarkdownNoRowLabel),
        Just(Layout::RowsWithSubtotals),
        Just(Layout::LabelsOnTheRight),
    ]
}

pub fn render(t: &Table, layout: Layout) -> String {
    let rows = template_rows(t.era);
    let cells = |id: &str| t.cells.get(id).copied().unwrap_or([0; 7]);
    let head2 = if t.era == "2019" {
        "信息内容 本年新制作数量 本年新公开数量 对外公开总数量\n规章 0 0 0"
    } else {
        "信息内容 本年制发件数 本年废止件数 现行有效件数\n规章 0 0 0"
    };
    let mut body = String::new();
    let nl = "\n";
    let join = |v: &[i64; 7], sep: &str| v.iter().map(i64::to_string).collect::<Vec<_>>().join(sep);
    match layout {
        Layout::LabelsThenRows => {
            for (_, label) in &rows {
                body += &format!("{label}\n");
            }
            for id in rows.iter().filter_map(|(id, _)| *id) {
                body += &format!("{}\n", join(&cells(id), " "));
            }
        }
        Layout::ColumnsTwoPages { split } => {
            let ids: Vec<(&str, &str)> = rows.iter().filter_map(|(id, l)| id.map(|i| (i, *l))).collect();
            let (first, second) = ids.split_at(split.min(ids.len()));
            for (page, part) in [first, second].into_iter().enumerate() {
                for (_, label) in part {
                    body += &format!("{label}\n");
                }
                body += "自然人\n商业企业\n";
                for col in 0..7 {
                    for (id, _) in part {
                        body += &format!("{}\n", cells(id)[col]);
                    }
                    body += "\n";
                }
                body += &format!("- {} -\n", page + 3);
            }
        }
        Layout::Csv => {
            for (id, label) in &rows {
                match id {
                    Some(id) => body += &format!("{label},{}\n", join(&cells(id), ",")),
                    None => body += &format!("{label},,,,,,,\n"),
                }
            }
        }
        Layout::RowsWithSubtotals => {
            // a heading's subtotal: the sum of the value rows under it, up to the next heading
            for (k, (id, label)) in rows.iter().enumerate() {
                match id {
                    Some(id) => body += &format!("{label}  {}\n", join(&cells(id), "  ")),
                    None => {
                        let mut sub = [0i64; 7];
                        for (id, _) in rows.iter().skip(k + 1).map_while(|(id, l)| id.map(|i| (i, l))) {
                            if matches!(id, "total_handled" | "carried_forward") {
                                break;
                            }
                            for (s, v) in sub.iter_mut().zip(cells(id)) {
                                *s += v;
                            }
                        }
                        body += &format!("{label}  {}\n", join(&sub, "  "));
                    }
                }
            }
        }
        Layout::OcrMarkdownNoRowLabel => {
            for (id, label) in &rows {
                body += &format!("### {label}\n\n");
                if let Some(id) = id {
                    body += "| 类别 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |\n|---|---|---|---|---|---|---|---|\n";
                    body += &format!("|  | {} |\n\n", join(&cells(id), " | "));
                }
            }
        }
        Layout::LabelsOnTheRight => {
            for (id, label) in &rows {
                match id {
                    Some(id) => body += &format!("{}  {label}\n", join(&cells(id), "  ")),
                    None => body += &format!("{label}\n"),
                }
            }
        }
        Layout::NumbersBeforeLabels => {
            for (id, label) in &rows {
                if let Some(id) = id {
                    body += &format!("{}\n", join(&cells(id), " "));
                }
                body += &format!("{label}\n");
            }
        }
        Layout::KeyValue => {
            let names = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"];
            for (id, label) in &rows {
                let Some(id) = id else { continue };
                let pairs: Vec<String> =
                    names.iter().zip(cells(id)).map(|(n, v)| format!("{n}{v}")).collect();
                body += &format!("{label}:{};\n", pairs.join(","));
            }
        }
        Layout::Detached => {
            // Every third value row loses its label to a line above the next anchor.
            let mut stacked: Vec<&str> = Vec::new();
            let mut k = 0;
            for (id, label) in &rows {
                let Some(id) = id else {
                    body += &format!("{label}\n");
                    continue;
                };
                k += 1;
                let row = format!("| {} |", join(&cells(id), " | "));
                if k % 3 == 0 && !matches!(*id, "total_handled" | "carried_forward") {
                    stacked.push(label);
                    body += &format!("{row}\n|---|---|---|---|---|---|---|\n");
                } else {
                    for s in stacked.drain(..) {
                        body += &format!("{s}\n");
                    }
                    body += &format!("| {label} {row}\n");
                }
            }
        }
    }
    // a sentence naming rows of the table, with other numbers, before it
    let prose = format!(
        "本年新收政府信息公开申请{}件,上年结转{}件,予以公开{}件,其中8件属于行政查询事项。",
        cells("new_received")[6] + 5,
        cells("carried_over")[6] + 1,
        cells("granted")[6] + 2
    );
    format!(
        "麟游县人民政府{year}年政府信息公开工作年度报告{nl}一、总体情况{nl}本年度工作稳步推进。{nl}二、主动公开政府信息情况{nl}{head2}{nl}\
         三、收到和处理政府信息公开申请情况{nl}{prose}{nl}{body}{nl}四、政府信息公开行政复议、行政诉讼情况{nl}\
         本年度无因政府信息公开引起的行政复议和行政诉讼。{nl}五、存在的主要问题及改进情况{nl}无。{nl}",
        year = if t.era == "2019" { 2020 } else { 2022 },
    )
}
