//! Header facts: title, issuing agency and its kind, the region as written, the year
//! covered and the publication date. Read from the title line and the page metadata
//! around it, falling back on the 统计期限 sentence and the signature date.

use crate::normalise::Line;
use crate::template::{template, HeaderSpec};
use regex::Regex;
use std::sync::OnceLock;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Header {
    pub title: Option<String>,
    pub title_line: Option<u32>,
    pub agency: Option<String>,
    pub agency_kind: &'static str,
    pub region_name: Option<String>,
    pub year: Option<i16>,
    pub published_on: Option<(i32, u32, u32)>,
}

struct Res {
    year_arabic: Regex,
    year_chinese: Regex,
    period: Regex,
    date_meta: Regex,
    date_any: Regex,
    region: Regex,
}

fn res() -> &'static Res {
    static R: OnceLock<Res> = OnceLock::new();
    R.get_or_init(|| {
        let re = |s: &str| Regex::new(s).unwrap_or_else(|e| panic!("header pattern {s}: {e}"));
        let p = &words().patterns;
        Res {
            year_arabic: re(&p.year_arabic),
            year_chinese: re(&p.year_chinese),
            period: re(&p.period),
            date_meta: re(&p.date_meta),
            date_any: re(&p.date_any),
            region: re(&p.region),
        }
    })
}

fn words() -> &'static HeaderSpec {
    &template().header
}

fn any_in(text: &str, words: &[String]) -> bool {
    words.iter().any(|w| text.contains(w.as_str()))
}

fn ends_with_any(text: &str, words: &[String]) -> bool {
    words.iter().any(|w| text.ends_with(w.as_str()))
}

fn is_title(text: &str) -> bool {
    let t = text.trim();
    let n = t.chars().count();
    let w = words();
    (6..=80).contains(&n)
        && w.title_all.iter().all(|x| t.contains(x.as_str()))
        && any_in(t, &w.title_any)
        && !t.contains('。')
}

pub fn extract(lines: &[Line]) -> Header {
    let mut h = Header { agency_kind: "other", ..Header::default() };
    let head: Vec<&Line> = lines.iter().filter(|l| !l.is_blank()).take(60).collect();
    // A title wrapped over two lines ("…政府信息公开工作" / "年度报告") is read joined;
    // pdfminer leaves a blank line between them.
    let joined = |i: usize| -> Option<String> {
        let a = head.get(i)?;
        let b = head.get(i + 1)?;
        (b.no <= a.no + 2 && b.text.trim().chars().count() <= 12)
            .then(|| format!("{}{}", a.text.trim(), b.text.trim()))
    };
    // The first line that is a title, alone or joined with its wrapped end.
    let found = (0..head.len())
        .find_map(|i| {
            let line = head.get(i)?;
            if is_title(&strip_lead(&line.text)) {
                return Some((i, None));
            }
            (i < 20).then(|| joined(i).filter(|t| is_title(&strip_lead(t))).map(|t| (i, Some(t))))?
        })
        .or_else(|| {
            head.iter().take(3).enumerate().find_map(|(i, l)| title_prefix(&l.text).map(|t| (i, Some(t))))
        });
    if let Some((pos, joined_text)) = found {
        let title_line = head.get(pos).copied();
        let mut title = match joined_text {
            Some(t) => clean_title(&t),
            None => title_line.map(|l| clean_title(&l.text)).unwrap_or_default(),
        };
        // The title block: a title that does not name its issuer ("2024年政府信息公开
        // 工作年度报告", "关于…的报告") has it on the line above ("淮安市人民政府").
        let mut agency = agency_from_title(&title);
        if agency.is_none() {
            if let Some(above) = issuer_above(&head, pos) {
                title = format!("{above}{title}");
                agency = Some(above);
            }
        }
        h.title_line = title_line.map(|l| l.no);
        h.title = Some(title);
        h.agency = agency;
    }
    if h.agency.is_none() {
        h.agency = words().agency_labels.iter().find_map(|key| meta_value(&head, key));
    }
    h.year = h.title.as_deref().and_then(year_in).or_else(|| period_year(lines));
    h.published_on = published(&head).or_else(|| signature_date(lines));
    place_agency(&mut h);
    h
}

/// The issuer's line right above the title at `pos`: adjacent (at most one blank line
/// between), short, a name that ends as an agency's does (or names a kind of agency),
/// and no sentence.
fn issuer_above(head: &[&Line], pos: usize) -> Option<String> {
    let title = head.get(pos)?;
    let prev = head.get(pos.checked_sub(1)?)?;
    let p = strip_lead(&prev.text);
    let p: String = p.split_whitespace().collect();
    let near = prev.no + 2 >= title.no;
    let short = (2..=30).contains(&p.chars().count());
    let sentence = p.contains(['。', ',', ':', '(', '《']);
    let agency = ends_with_any(&p, &words().agency_line_endings) || agency_kind(&p) != "other";
    (near && short && !sentence && agency).then_some(p)
}

/// A line without the marks that may lead a title (Markdown's #, a page's 正文).
fn strip_lead(text: &str) -> String {
    let mut t = text.trim();
    loop {
        let before = t;
        for m in &words().title_lead_marks {
            t = t.strip_prefix(m.as_str()).unwrap_or(t).trim_start();
        }
        if t == before {
            break;
        }
    }
    t.trim_end_matches(['#', '*']).trim().to_string()
}

/// The agency's kind, and the region name its name (else the title's) gives.
fn place_agency(h: &mut Header) {
    if let Some(a) = &h.agency {
        h.agency_kind = agency_kind(a);
        h.region_name = region_in(a).or(h.region_name.take());
    }
    if h.region_name.is_none() {
        h.region_name = h.title.as_deref().and_then(region_in);
    }
}

/// A line longer than this is a whole page exported as one line, not a heading.
const PAGE_LINE_CHARS: usize = 500;

/// A page exported as one line starts with its title, glued to what follows: the text
/// up to the first 报告 within a title's length.
fn title_prefix(text: &str) -> Option<String> {
    let t = text.trim();
    let head: String = t.chars().take(80).collect();
    let word = &words().title_end;
    let end = head.find(word.as_str())? + word.len();
    let title = head.get(..end)?;
    let page_on_a_line = t.chars().count() > PAGE_LINE_CHARS;
    (page_on_a_line && !title.contains([',', '《', ':']) && is_title(title)).then(|| title.to_string())
}

/// Header facts from a web page's head (`decode::html::PageMeta`), which the page
/// states about itself: they come before anything read from the body, whose first
/// title-like line may be a navigation menu. Only values that look like what they
/// claim are taken (a title must name a disclosure report, a date must parse).
pub fn apply_page_meta(h: &mut Header, meta: &crate::decode::html::PageMeta) {
    let norm = |s: &str| crate::normalise::normalise_line(s).trim().to_string();
    let titles = [meta.article_title.as_deref(), meta.title.as_deref()];
    if let Some(title) = titles.into_iter().flatten().map(|t| clean_title(&norm(t))).find(|t| is_title(t)) {
        h.agency = agency_from_title(&title).or(h.agency.take());
        h.year = year_in(&title).or(h.year);
        h.title = Some(title);
        h.title_line = None;
    }
    if h.agency.is_none() {
        h.agency = meta.content_source.as_deref().map(norm).filter(|a| (2..=30).contains(&a.chars().count()));
    }
    place_agency(h);
    let date = meta.pub_date.as_deref().map(norm);
    if let Some(c) = date.as_deref().and_then(|d| res().date_any.captures(d.get(..10).unwrap_or(d))) {
        h.published_on = ymd(&c).or(h.published_on);
    }
}

/// Drops page furniture around a title: "标题:" labels and "-站点名" suffixes.
fn clean_title(text: &str) -> String {
    let lead = strip_lead(text);
    let mut t = lead.as_str();
    for key in &words().title_labels {
        if let Some(rest) = t.strip_prefix(key) {
            t = rest.trim_start_matches([':', ':', '\t', ' ']);
        }
    }
    let word = &words().title_end;
    if let Some(p) = t.rfind(word.as_str()) {
        let end = p + word.len();
        if t.get(end..).is_some_and(|rest| rest.starts_with(['-', '_', '|', ' '])) {
            t = t.get(..end).unwrap_or(t);
        }
    }
    // PDF text puts spaces between digits and CJK ("2024 年"): a title has no spaces.
    t.split_whitespace().collect()
}

/// The text before the year in "麟游县人民政府办公室2019年政府信息公开工作年度报告".
fn agency_from_title(title: &str) -> Option<String> {
    let r = res();
    let start = r
        .year_arabic
        .find(title)
        .map(|m| m.start())
        .or_else(|| r.year_chinese.find(title).map(|m| m.start()))?;
    let mut before = title.get(..start)?.trim();
    for w in &words().title_about {
        before = before.trim_end_matches(w.as_str()).trim();
    }
    if !before.is_empty() {
        return (before.chars().count() <= 40).then(|| before.to_string());
    }
    // "2024年上海市科委政府信息公开工作年度报告": the agency follows the year.
    let w = &crate::template::template().words;
    let after_year =
        title.get(start..)?.split_once(w.year.as_str())?.1.trim_start_matches(w.year_suffix.as_str()).trim();
    let end = words().title_subjects.iter().filter_map(|k| after_year.find(k.as_str())).min()?;
    let agency = after_year.get(..end)?.trim();
    (!agency.is_empty() && agency.chars().count() <= 30).then(|| agency.to_string())
}

fn meta_value(head: &[&Line], key: &str) -> Option<String> {
    let pos = head.iter().position(|l| l.text.contains(key))?;
    let line = head.get(pos)?;
    let after = line.text.split(key).nth(1).unwrap_or("").trim_start_matches([':', ':', ' ', '\t']).trim();
    let v = if after.is_empty() { head.get(pos + 1)?.text.trim() } else { after };
    let v = v.split_whitespace().next().unwrap_or("");
    (!v.is_empty() && v.chars().count() <= 30).then(|| v.to_string())
}

pub fn year_in(text: &str) -> Option<i16> {
    let r = res();
    if let Some(c) = r.year_arabic.captures(text) {
        return c.get(1)?.as_str().parse().ok();
    }
    let c = r.year_chinese.captures(text)?;
    // (二〇一九: digits read one by one, as numerals::parse reads a numeral without units)
    let year = crate::extract::legacy::numerals::parse(c.get(1)?.as_str())?;
    let year = year as i16;
    (1990..2100).contains(&year).then_some(year)
}

fn period_year(lines: &[Line]) -> Option<i16> {
    lines.iter().find_map(|l| res().period.captures(&l.text)?.get(1)?.as_str().parse().ok())
}

fn ymd(c: &regex::Captures) -> Option<(i32, u32, u32)> {
    let y = c.get(1)?.as_str().parse().ok()?;
    let m = c.get(2)?.as_str().parse().ok()?;
    let d = c.get(3)?.as_str().parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

/// "发布时间: 2020-01-30", or "发布日期" with the date on the next line; never the date
/// a collector saved the copy or someone viewed it (`not_publication`).
fn published(head: &[&Line]) -> Option<(i32, u32, u32)> {
    let r = res();
    for (i, l) in head.iter().enumerate() {
        if any_in(&l.text, &words().not_publication) {
            continue;
        }
        if let Some(c) = r.date_meta.captures(&l.text) {
            return ymd(&c);
        }
        let t = l.text.trim().trim_start_matches('•').trim();
        if words().date_labels.iter().any(|w| w == t) {
            if let Some(next) = head.get(i + 1) {
                if let Some(c) = r.date_any.captures(&next.text) {
                    return ymd(&c);
                }
            }
        }
    }
    None
}

/// The date under the signature at the end of the report.
fn signature_date(lines: &[Line]) -> Option<(i32, u32, u32)> {
    let tail = lines.iter().rev().filter(|l| !l.is_blank()).take(6);
    for l in tail {
        if let Some(c) = res().date_any.captures(&l.text) {
            return ymd(&c);
        }
    }
    None
}

pub fn agency_kind(agency: &str) -> &'static str {
    let a = agency.trim();
    let k = &words().agency_kind;
    let gov_pos = k.government.iter().find_map(|w| a.find(w.as_str()));
    if let Some(p) = gov_pos {
        let before = a.get(..p).unwrap_or("");
        let after = a.get(p..).unwrap_or("");
        if ends_with_any(before, &k.township) {
            return "township";
        }
        if any_in(after, &k.office) {
            return "government_office";
        }
        if k.government.iter().any(|w| w == after) {
            return "government";
        }
        return "department";
    }
    if ends_with_any(a, &k.township) || any_in(a, &k.township_offices) {
        return "township";
    }
    if ends_with_any(a, &k.department) {
        return "department";
    }
    if res().region.find(a).is_some_and(|m| m.end() == a.len()) {
        return "government";
    }
    "other"
}

/// The most specific county-level (or higher) name in the text: the last one found,
/// so "宝鸡市凤翔区人民政府" gives 凤翔区.
pub fn region_in(text: &str) -> Option<String> {
    // The place before the government's full name (the first `government` word).
    let government = words().agency_kind.government.first();
    let head = government.and_then(|g| text.split(g.as_str()).next()).unwrap_or(text);
    let found: Vec<&str> = res().region.find_iter(head).map(|m| m.as_str()).collect();
    let city = &template().region.city_ending;
    let county = found.iter().rev().find(|s| !s.ends_with(city.as_str())).or(found.last());
    county.map(|s| s.to_string())
}

#[cfg(test)]
mod tests;
