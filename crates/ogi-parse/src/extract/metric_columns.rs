//! Table 二 by its column names, as PDF text gives it in the order of its text boxes.
//! Its sub-tables (第二十条第(一)项 …) share column names (上一年项目数量 stands in three), and
//! the names say which metric a number is where a row's label does not stand beside it:
//!
//! * pdfminer: each column is a box of its name and its numbers, one per row of its
//!   sub-table ("上一年项目数量 / 440 / 324"). The sub-tables stand one above the other, so
//!   the k-th column of a name is the k-th sub-table that has that column.
//! * plain pdftotext: a sub-table's heading, its column names, then its numbers row by
//!   row ("第二十条第(五)项 / 上一年项目数量 / 本年增/减 / 处理决定数量 / 440 / 21 / 309 / 324 …").
//!
//! The rows of a sub-table are those of the template whose labels the section prints.
//! A column or a sub-table is read only when its count of numbers is exactly its rows'
//! (a blank cell leaves no number, and nothing then says which row lost it).

use super::cells::{is_furniture, is_numeric_line, parse_piece, tokens_of, Tok};
use super::grid::{automaton, LabelSet};
use crate::normalise::Line;
use crate::template::{template, ProactiveRowSpec};

/// A row's cells in its metrics' order, the line of its first number, and the unit its
/// amount column's name states (万元: 10 000).
pub struct Read {
    pub row: usize,
    pub cells: Vec<Tok>,
    pub line: u32,
    pub header: Option<f64>,
}

/// A line of the section as this reading sees it.
enum Item {
    Heading(String),
    Name(String, Option<f64>),
    Number(Tok),
    Other,
}

pub fn read(
    lines: &[Line],
    range: std::ops::Range<usize>,
    specs: &[ProactiveRowSpec],
    era: crate::template::TemplateEra,
) -> Vec<Read> {
    let t = &template().proactive;
    let Some(slice) = lines.get(range) else { return Vec::new() };
    let labels: Vec<LabelSet> = specs.iter().map(|r| LabelSet { aliases: &r.aliases, weak: &[] }).collect();
    let ac = automaton(&labels);
    let mut printed = vec![false; specs.len()];
    let mut items: Vec<Item> = Vec::new();
    for l in slice.iter().filter(|l| !is_furniture(&l.text)) {
        // (a blank line ends a box: a number after it is another box's, or a page's)
        if l.is_blank() {
            items.push(Item::Other);
            continue;
        }
        let text: String = l.text.chars().filter(|c| !c.is_whitespace()).collect();
        for m in ac.matches(&l.text).into_iter().filter(|m| !m.3) {
            if let Some(p) = printed.get_mut(m.2) {
                *p = true;
            }
        }
        // (an amount may carry its unit: "1921.43 万元")
        let value = || match parse_piece(&text, l.no) {
            Some(t @ (Tok::Value { .. } | Tok::Zero { .. })) => Some(t),
            _ => None,
        };
        items.push(if is_numeric_line(&l.text) {
            match tokens_of(&l.text, l.no, false).as_slice() {
                [tok] => Item::Number(tok.clone()),
                _ => Item::Other,
            }
        } else if let Some(tok) = value() {
            Item::Number(tok)
        } else if let Some(item) = heading(&text, &t.item_word) {
            Item::Heading(item)
        } else if let Some((metric, unit)) = metric_named(&text) {
            Item::Name(metric, unit)
        } else {
            Item::Other
        });
    }
    // The sub-tables in order, each with the rows it prints.
    let mut blocks: Vec<(&str, Vec<usize>)> = Vec::new();
    for (k, spec) in
        specs.iter().enumerate().filter(|(k, s)| printed.get(*k) == Some(&true) && !s.metrics(era).is_empty())
    {
        match blocks.iter_mut().find(|(item, _)| *item == spec.item) {
            Some((_, rows)) => rows.push(k),
            None => blocks.push((&spec.item, vec![k])),
        }
    }
    let mut cells: std::collections::BTreeMap<(usize, usize), (Tok, Option<f64>)> = Default::default();
    let metric_at = |row: usize, metric: &str| -> Option<usize> {
        specs.get(row)?.metrics(era).iter().position(|m| m == metric)
    };
    // pdfminer: a name alone (no name right before or after it) and its numbers.
    let mut seen: std::collections::HashMap<&str, usize> = Default::default();
    for (i, it) in items.iter().enumerate() {
        let Item::Name(metric, unit) = it else { continue };
        let k = seen.entry(metric.as_str()).or_insert(0);
        let nth = *k;
        *k += 1;
        let near_name =
            |j: Option<usize>| j.and_then(|j| items.get(j)).is_some_and(|x| matches!(x, Item::Name(..)));
        if near_name(i.checked_sub(1)) || near_name(Some(i + 1)) {
            continue;
        }
        let numbers = numbers_after(&items, i + 1);
        let with: Vec<&Vec<usize>> = blocks
            .iter()
            .filter(|(_, rows)| rows.iter().any(|r| metric_at(*r, metric).is_some()))
            .map(|(_, rows)| rows)
            .collect();
        let Some(rows) = with.get(nth) else { continue };
        if numbers.len() != rows.len() {
            continue;
        }
        for (row, tok) in rows.iter().zip(numbers) {
            if let Some(m) = metric_at(*row, metric) {
                cells.insert((*row, m), (tok.clone(), *unit));
            }
        }
    }
    // plain pdftotext: a run of names (after its sub-table's heading, or where a page
    // break moved it), then the numbers of those columns row by row. The k-th run of
    // the same names is the k-th sub-table with those columns; a heading right before
    // it must agree.
    let mut runs_seen: std::collections::HashMap<Vec<&str>, usize> = Default::default();
    let mut i = 0;
    while i < items.len() {
        let names: Vec<(&str, Option<f64>)> = items
            .iter()
            .skip(i)
            .map_while(|x| match x {
                Item::Name(m, u) => Some((m.as_str(), *u)),
                _ => None,
            })
            .collect();
        if names.len() < 2 {
            i += 1;
            continue;
        }
        let metrics: Vec<&str> = names.iter().map(|n| n.0).collect();
        let k = runs_seen.entry(metrics.clone()).or_insert(0);
        let nth = *k;
        *k += 1;
        // (sub-tables with exactly these columns; else with these among others, the run
        // a part of a sub-table that a page break cut)
        let has = |rows: &Vec<usize>, exact: bool| {
            rows.iter().all(|r| {
                metrics.iter().all(|m| metric_at(*r, m).is_some())
                    && (!exact || specs.get(*r).is_some_and(|s| s.metrics(era).len() == metrics.len()))
            })
        };
        let exact: Vec<&(&str, Vec<usize>)> = blocks.iter().filter(|(_, rows)| has(rows, true)).collect();
        let with = if exact.is_empty() {
            blocks.iter().filter(|(_, rows)| has(rows, false)).collect()
        } else {
            exact
        };
        let heading_before = i.checked_sub(1).and_then(|j| items.get(j)).and_then(|x| match x {
            Item::Heading(h) => Some(h.as_str()),
            _ => None,
        });
        let numbers = numbers_after(&items, i + names.len());
        i += names.len();
        let block = match heading_before {
            Some(h) => with.iter().find(|(b, _)| *b == h),
            None => with.get(nth),
        };
        let Some((_, rows)) = block else { continue };
        if numbers.len() != rows.len() * names.len() {
            continue;
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, (metric, unit)) in names.iter().enumerate() {
                if let (Some(tok), Some(m)) = (numbers.get(r * names.len() + c), metric_at(*row, metric)) {
                    cells.insert((*row, m), ((*tok).clone(), *unit));
                }
            }
        }
    }
    // Rows with every cell read.
    let mut out = Vec::new();
    for (row, spec) in specs.iter().enumerate() {
        let n = spec.metrics(era).len();
        let got: Vec<&(Tok, Option<f64>)> = (0..n).filter_map(|m| cells.get(&(row, m))).collect();
        if n == 0 || got.len() != n {
            continue;
        }
        let header = got.iter().find_map(|(_, u)| *u);
        let cells: Vec<Tok> = got.iter().map(|(tok, _)| tok.clone()).collect();
        let line = cells.first().map_or(0, Tok::line);
        out.push(Read { row, cells, line, header });
    }
    out
}

/// The single numbers on the lines from `from` on, up to the first line that is not one.
fn numbers_after(items: &[Item], from: usize) -> Vec<&Tok> {
    items
        .iter()
        .skip(from)
        .map_while(|x| match x {
            Item::Number(t) => Some(t),
            _ => None,
        })
        .collect()
}

/// 第二十条第(五)项 → 五.
fn heading(text: &str, word: &str) -> Option<String> {
    let rest = text.get(text.find(word)? + word.len()..)?;
    let open = rest.find('(')?;
    let close = rest.find(')')?;
    let inner = rest.get(open + 1..close)?;
    (!inner.is_empty() && inner.chars().count() <= 3).then(|| inner.to_string())
}

/// A line that is a column's name and nothing else: its metric, and the unit its
/// brackets state ("本年收费金额(单位:万元)").
fn metric_named(text: &str) -> Option<(String, Option<f64>)> {
    let (name, unit) = match text.find('(') {
        Some(p) if text.ends_with(')') => (text.get(..p)?, text.get(p..)),
        _ => (text, None),
    };
    let metric = template().proactive.metric_names.iter().find(|(_, ns)| ns.iter().any(|n| n == name))?.0;
    let factor = unit.and_then(|u| template().cells.money_factor(u));
    Some((metric.clone(), factor))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::normalise;

    fn run(text: &str, era: crate::template::TemplateEra) -> Vec<(String, Vec<Option<f64>>)> {
        let lines = normalise(text);
        let specs = &template().proactive.row;
        read(&lines, 0..lines.len(), specs, era)
            .into_iter()
            .map(|r| {
                let cat = specs.get(r.row).map(|s| s.category.clone()).unwrap_or_default();
                let v = r
                    .cells
                    .iter()
                    .map(|t| match t {
                        Tok::Value { value, .. } => Some(*value),
                        Tok::Zero { .. } => Some(0.0),
                        Tok::Empty { .. } => None,
                    })
                    .collect();
                (cat, v)
            })
            .collect()
    }

    #[test]
    fn pdfminer_columns_by_their_names() {
        // pdfminer.six of a rendered 2019 report (002)
        let text = "第二十条第（一）项\n\n信息内容\n规章\n规范性文件\n\n信息内容\n行政许可\n其他对外管理服务事项\n\n\
                    信息内容\n行政处罚\n行政强制\n\n信息内容\n行政事业性收费\n\n本年新制作数量\n-\n14\n第二十条第（五）项\n\n\
                    本年新公开数量\n-\n14\n\n上一年项目数量\n440\n324\n第二十条第（六）项\n\n本年增/减\n21\n25\n\n\
                    上一年项目数量\n288\n270\n第二十条第（八）项\n\n本年增/减\n16\n-11\n\n对外公开总数量\n-\n33\n\n\
                    处理决定数量\n309\n487\n\n处理决定数量\n1428\n1545\n\n上一年项目数量\n13\n第二十条第（九）项\n\n本年增/减\n-\n";
        let got = run(text, crate::template::TemplateEra::Y2019);
        let get = |c: &str| got.iter().find(|(x, _)| x == c).map(|(_, v)| v.clone());
        assert_eq!(get("regulation"), Some(vec![Some(0.0), Some(0.0), Some(0.0)]));
        assert_eq!(get("normative_document"), Some(vec![Some(14.0), Some(14.0), Some(33.0)]));
        assert_eq!(get("administrative_license"), Some(vec![Some(440.0), Some(21.0), Some(309.0)]));
        assert_eq!(get("administrative_coercion"), Some(vec![Some(270.0), Some(-11.0), Some(1545.0)]));
        assert_eq!(get("administrative_fee"), Some(vec![Some(13.0), Some(0.0)]));
    }

    #[test]
    fn pdftotext_sub_tables_row_by_row() {
        // plain pdftotext of a rendered 2021 report (001); (一)'s numbers are all there,
        // (六) lacks one (a blank cell): nothing of it is read
        let text = "信息内容\n规章\n行政规范性文件\n信息内容\n行政许可\n信息内容\n行政处罚\n行政强制\n\n\
                    第二十条第（一）项\n本年制发件数\n本年废止件数\n现行有效件数\n0\n0\n0\n8\n1\n74\n\
                    第二十条第（五）项\n本年处理决定数量\n2693\n第二十条第（六）项\n本年处理决定数量\n204\n";
        let got = run(text, crate::template::TemplateEra::Y2021);
        let get = |c: &str| got.iter().find(|(x, _)| x == c).map(|(_, v)| v.clone());
        assert_eq!(get("regulation"), Some(vec![Some(0.0), Some(0.0), Some(0.0)]));
        assert_eq!(get("normative_document"), Some(vec![Some(8.0), Some(1.0), Some(74.0)]));
        assert_eq!(get("administrative_penalty"), None);
        assert_eq!(get("administrative_coercion"), None);
    }

    #[test]
    fn a_column_short_of_a_number_is_not_read() {
        // 规章's cells blank: the column has one number for two rows
        let text = "规章\n规范性文件\n本年新制作数量\n2\n\n本年新公开数量\n2\n\n对外公开总数量\n11\n";
        assert!(run(text, crate::template::TemplateEra::Y2019).is_empty());
    }
}
