//! Lines → sections (一 … 六) and the template era. Headings are found by the words
//! the template gives them, not by their numbering, because reports renumber them
//! ("1. 主动公开政府信息情况") and table 三 has rows that look like headings
//! ("四、结转下年度继续办理").

use crate::model::Era;
use crate::normalise::Line;
use crate::template::template;
use crate::template::TemplateEra;
use std::ops::Range;

#[derive(Debug, Clone, Default)]
pub struct Sections {
    /// (section id, line index range), in document order.
    pub found: Vec<(String, Range<usize>)>,
}

impl Sections {
    pub fn get(&self, id: &str) -> Option<Range<usize>> {
        self.found.iter().find(|(s, _)| s == id).map(|(_, r)| r.clone())
    }
}

/// Longest line accepted as a heading; longer lines are prose that mentions the words.
const MAX_HEADING_CHARS: usize = 40;

pub fn is_heading_like(text: &str) -> bool {
    let t = text.trim();
    let n = t.chars().count();
    n > 0 && n <= MAX_HEADING_CHARS && !t.contains('。') && !t.contains('\t') && !t.contains('|')
}

fn is_subheading(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with('(') || t.starts_with(crate::template::template().words.ordinal.as_str())
}

pub fn find_sections(lines: &[Line]) -> Sections {
    let t = template();
    let mut starts: Vec<(String, usize)> = Vec::new();
    let mut from = 0;
    // Decided once per line rather than once per section and pass.
    let heading_like: Vec<bool> = lines.iter().map(|l| is_heading_like(&l.text)).collect();
    let heading = |i: usize| heading_like.get(i).copied().unwrap_or(false);
    for spec in &t.section {
        let matches = |i: usize, l: &Line| {
            heading(i) && spec.keywords.iter().any(|set| set.iter().all(|k| l.text.contains(k.as_str())))
        };
        // "(二)依申请公开政府信息情况" inside 总体情况 is a sub-heading; the section's own
        // heading is numbered at the top level, so that is looked for first.
        let top =
            lines.iter().enumerate().skip(from).find(|&(i, l)| matches(i, l) && !is_subheading(&l.text));
        let hit = top.or_else(|| lines.iter().enumerate().skip(from).find(|&(i, l)| matches(i, l)));
        if let Some((i, _)) = hit {
            starts.push((spec.id.clone(), i));
            from = i + 1;
        }
    }
    let mut found = Vec::new();
    for (k, (id, start)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(lines.len(), |(_, s)| *s);
        found.push((id.clone(), *start..end));
    }
    Sections { found }
}

/// The template era, told by the columns and rows only one template has. A report
/// with table 三 but no telling marker falls back on its year.
pub fn detect_era(lines: &[Line], year: Option<i16>) -> Option<Era> {
    let t = template();
    // One text, line breaks kept so that no marker matches across two lines.
    let all = lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join("\n");
    let has = |ms: &[String]| ms.iter().any(|m| all.contains(m.as_str()));
    let n2021 = t.era.markers_2021.iter().filter(|m| all.contains(m.as_str())).count();
    let n2019 = t.era.markers_2019.iter().filter(|m| all.contains(m.as_str())).count();
    if n2021 > 0 && n2021 >= n2019 {
        return Some(Era::Template(TemplateEra::Y2021));
    }
    if n2019 > 0 {
        return Some(Era::Template(TemplateEra::Y2019));
    }
    if has(&t.era.markers_template) {
        let t = if year.is_some_and(|y| y >= 2021) { TemplateEra::Y2021 } else { TemplateEra::Y2019 };
        return Some(Era::Template(t));
    }
    Some(Era::Legacy)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::normalise;

    #[test]
    fn table_rows_are_not_headings() {
        let text = "一、总体情况\n正文。\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、结转下年度继续办理\t0\n四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六、其他需要报告的事项\n";
        let lines = normalise(text);
        let s = find_sections(&lines);
        assert_eq!(s.get("requests"), Some(3..5));
        assert_eq!(s.get("litigation"), Some(5..6));
        assert_eq!(s.found.len(), 6);
    }

    #[test]
    fn era_markers() {
        let l = normalise("本年制发件数\n其他处理\n");
        assert_eq!(detect_era(&l, Some(2022)), Some(Era::Template(TemplateEra::Y2021)));
        let l = normalise("本年新制作数量\n本年新收政府信息公开申请数量\n");
        assert_eq!(detect_era(&l, Some(2020)), Some(Era::Template(TemplateEra::Y2019)));
        let l = normalise("2016年共收到申请5件\n");
        assert_eq!(detect_era(&l, Some(2016)), Some(Era::Legacy));
    }
}
