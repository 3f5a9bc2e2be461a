//! Choosing one division for a report.
//!
//! The place is taken from the most explicit source available (stated region name,
//! then issuing agency, then title, then the opening of the text). A name can point
//! at several divisions (朝阳区) or at a former name (凤翔县); candidates are narrowed
//! by level, by the revisions in force in the report year, and by the prefecture or
//! province names the report mentions. Anything still ambiguous stays unresolved with
//! the candidates listed, because a wrong code is worse than a missing one.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

use super::divisions::{Division, Divisions, FormHit, FormKind, Level};
use crate::template::template;
use expect::Expect;
use hints::Hints;

mod expect;
mod hints;

/// Candidate divisions keyed by current code.
type Groups<'d> = BTreeMap<&'d str, Candidate<'d>>;

/// The rows (current or former names) that led to one candidate division, and the
/// closest form in which the text matched it.
#[derive(Debug, Default)]
struct Candidate<'d> {
    rows: Vec<&'d Division>,
    kind: Option<FormKind>,
}

/// What a report says about where it comes from.
#[derive(Debug, Clone, Copy, Default)]
pub struct RegionQuery<'a> {
    /// The county-level name the report states, e.g. 麟游县, 金平县.
    pub region_name: Option<&'a str>,
    /// Issuing body as written: 麟游县人民政府办公室, 宝鸡市凤翔区人民政府, 县教育局.
    pub agency: Option<&'a str>,
    pub title: Option<&'a str>,
    /// The opening of the report text, for prefecture/province hints.
    pub context: &'a str,
    /// Report year; former names resolve via the revisions in force that year.
    pub year: Option<i32>,
}

/// The outcome; `code` is `None` when no single division could be chosen.
#[derive(Debug, Clone, Default)]
pub struct Resolution {
    /// Six-digit code in the newest list.
    pub code: Option<String>,
    /// Official current name, e.g. 金平苗族瑶族傣族自治县.
    pub name: Option<String>,
    pub level: Option<Level>,
    pub province: Option<String>,
    /// Enclosing prefecture; a prefecture-level result names itself, and districts
    /// of Beijing, Tianjin, Shanghai and Chongqing name the municipality.
    pub prefecture: Option<String>,
    /// `code name` of the candidates left when ambiguous or unresolved.
    pub candidates: Vec<String>,
    /// Why it is unresolved, or how a former name or tie was handled.
    pub note: Option<String>,
}

impl Resolution {
    /// A division of the newest list as the answer.
    pub fn of(d: &Division) -> Resolution {
        let prefecture = match d.level {
            Level::Prefecture => Some(d.name.clone()),
            Level::Province => None,
            Level::County => Some(d.prefecture.clone()).filter(|p| !p.is_empty()),
        };
        Resolution {
            code: Some(d.code.clone()),
            name: Some(d.name.clone()),
            level: Some(d.level),
            province: Some(d.province.clone()).filter(|p| !p.is_empty()),
            prefecture,
            ..Resolution::default()
        }
    }
}

/// How much of the context is searched for hints.
const CONTEXT_CHARS: usize = 5000;
/// Openings of the context searched for the report's own county: the title line
/// first, then the first paragraphs.
const CONTEXT_WINDOWS: [usize; 2] = [300, 1500];

/// Outcome of looking for the report's own place name. A conflict (the opening
/// names two counties) is not settled by hints: either could be the issuer.
enum Search {
    Found(Vec<FormHit>),
    Conflict(Vec<FormHit>, String),
    Missing,
}

/// Resolves reports against one division list.
#[derive(Clone, Copy)]
pub struct Resolver<'d> {
    table: &'d Divisions,
}

impl<'d> Resolver<'d> {
    pub fn new(table: &'d Divisions) -> Resolver<'d> {
        Resolver { table }
    }

    /// The resolver over the division list built into the binary.
    pub fn embedded() -> Resolver<'static> {
        Resolver { table: Divisions::embedded() }
    }

    /// Resolve a report's region to one division of the newest list.
    pub fn resolve(&self, q: &RegionQuery<'_>) -> Resolution {
        let expect = Expect::from_agency(q.agency);
        match self.find_target(q, expect) {
            Search::Found(hits) => self.choose(&hits, q, expect),
            Search::Conflict(hits, forms) => {
                let codes: BTreeSet<&str> = hits.iter().filter_map(|h| self.successor(h)).collect();
                let candidates = codes.into_iter().filter_map(|c| self.table.current(c)).map(Division::label);
                let note = format!("the opening of the text names several counties: {forms}");
                unresolved(candidates.collect(), &note)
            }
            Search::Missing => {
                unresolved(Vec::new(), "no known place name in region name, agency, title or context")
            }
        }
    }

    /// The stated region name wins, except that a county in the agency beats a
    /// prefecture-level region name (宝鸡市 stated, 麟游县人民政府 issuing).
    fn find_target(&self, q: &RegionQuery<'_>, expect: Expect) -> Search {
        let named = q.region_name.and_then(|n| self.in_name(&clean(n), expect));
        let agency = q.agency.and_then(|a| self.in_agency(&clean(a), expect));
        let named_is_county = named.as_ref().map(|h| self.hits_level(h) == Some(Level::County));
        let agency_is_county = agency.as_ref().map(|h| self.hits_level(h) == Some(Level::County));
        let first = match (named_is_county, agency_is_county) {
            (Some(false), Some(true)) => agency,
            _ => named.or(agency),
        };
        let title = || q.title.and_then(|t| self.most_specific(&clean(t), expect));
        match first.or_else(title) {
            Some(hits) => Search::Found(hits),
            None => self.search_context(q.context, expect),
        }
    }

    fn in_name(&self, name: &str, expect: Expect) -> Option<Vec<FormHit>> {
        non_empty(self.exact(name, true))
            .or_else(|| non_empty(self.exact(strip_agency(name), true)))
            .or_else(|| self.most_specific(name, expect))
    }

    fn in_agency(&self, agency: &str, expect: Expect) -> Option<Vec<FormHit>> {
        non_empty(self.exact(strip_agency(agency), false)).or_else(|| self.most_specific(agency, expect))
    }

    fn hits_level(&self, hits: &[FormHit]) -> Option<Level> {
        let rows = hits.iter().filter_map(|h| self.table.row(h.row));
        finest_level(rows.collect(), Expect::Any)
    }

    /// Rows known under exactly `form`. Bare stems are only trusted where the text
    /// is known to be a place name: 公安 or 资源 left over from an agency are words.
    fn exact(&self, form: &str, allow_short: bool) -> Vec<FormHit> {
        self.table.lookup(form).iter().copied().filter(|h| allow_short || h.kind != FormKind::Short).collect()
    }

    /// The finest-level place named in a short text such as 宝鸡市凤翔区教育局.
    /// Chinese names run from large to small, so among equals the last one wins;
    /// two-character names (城区, 芒市) only count when nothing longer is there.
    fn most_specific(&self, text: &str, expect: Expect) -> Option<Vec<FormHit>> {
        self.table
            .scan(text, 2)
            .into_iter()
            .enumerate()
            .filter_map(|(pos, m)| {
                let two_chars = m.form.chars().count() < 3;
                let rows = m.hits.iter().filter_map(|h| self.table.row(h.row)).collect();
                let rank = (finest_level(rows, expect)?, two_chars, Reverse(pos));
                Some((rank, m.hits))
            })
            .min_by_key(|(rank, _)| *rank)
            .map(|(_, hits)| hits)
    }

    /// The county the opening of the text names, if it names exactly one.
    fn search_context(&self, context: &str, expect: Expect) -> Search {
        let text = clean(&context.chars().take(CONTEXT_CHARS).collect::<String>());
        for window in CONTEXT_WINDOWS {
            let opening: String = text.chars().take(window).collect();
            match self.unique_mention(&opening, Level::County) {
                Search::Missing => continue,
                found => return found,
            }
        }
        if matches!(expect, Expect::Prefecture | Expect::CityOrCounty) {
            let opening: String = text.chars().take(CONTEXT_WINDOWS[0]).collect();
            return self.unique_mention(&opening, Level::Prefecture);
        }
        Search::Missing
    }

    fn unique_mention(&self, text: &str, level: Level) -> Search {
        let mut forms: BTreeMap<&str, Vec<FormHit>> = BTreeMap::new();
        for mention in self.table.scan(text, 3) {
            if mention.hits.iter().any(|h| self.level_of(h) == Some(level)) {
                forms.entry(mention.form).or_insert(mention.hits);
            }
        }
        let hits: Vec<FormHit> = forms.values().flatten().copied().collect();
        let codes: BTreeSet<&str> = hits.iter().filter_map(|h| self.successor(h)).collect();
        match forms.len() {
            0 => Search::Missing,
            1 => Search::Found(hits),
            _ if codes.len() == 1 => Search::Found(hits),
            _ => Search::Conflict(hits, forms.keys().copied().collect::<Vec<_>>().join("、")),
        }
    }

    fn level_of(&self, hit: &FormHit) -> Option<Level> {
        self.table.row(hit.row).map(|d| d.level)
    }

    fn successor(&self, hit: &FormHit) -> Option<&str> {
        self.table.row(hit.row)?.current_code.as_deref()
    }

    /// Narrow the rows a name points at down to one current division.
    fn choose(&self, hits: &[FormHit], q: &RegionQuery<'_>, expect: Expect) -> Resolution {
        let mut groups: Groups<'_> = BTreeMap::new();
        for hit in hits {
            if let (Some(code), Some(row)) = (self.successor(hit), self.table.row(hit.row)) {
                let candidate = groups.entry(code).or_default();
                candidate.rows.push(row);
                candidate.kind = Some(candidate.kind.map_or(hit.kind, |k| k.min(hit.kind)));
            }
        }
        if groups.is_empty() {
            return self.no_successor(hits);
        }
        let total = groups.len();
        let how = self.narrow(&mut groups, q, expect);
        self.conclude(&groups, total, &how)
    }

    /// Apply the tie-breakers in order of trust; returns the ones that decided.
    fn narrow(&self, groups: &mut Groups<'_>, q: &RegionQuery<'_>, expect: Expect) -> Vec<String> {
        let mut how = Vec::new();
        retain_if_any(groups, |code, _| self.table.current(code).is_some_and(|d| expect.allows(d.level)));
        if let Some(year) = q.year {
            let in_force =
                |_: &&str, c: &Candidate<'_>| c.rows.iter().any(|d| self.table.possibly_in_force(d, year));
            if retain_if_any(groups, in_force) {
                how.push(format!("names in force in {year}"));
            }
        }
        if groups.len() > 1 {
            let hints = Hints::gather(self.table, q);
            let best = groups.keys().map(|c| hints.score(self.table, c)).max();
            let best = best.unwrap_or(0);
            if best > 0 && retain_if_any(groups, |code, _| hints.score(self.table, code) == best) {
                how.push("the prefecture or province the text mentions".to_string());
            }
        }
        let closest = groups.values().filter_map(|c| c.kind).min();
        if retain_if_any(groups, |_, c| c.kind == closest) {
            how.push("the name as written over looser forms".to_string());
        }
        let codes: Vec<String> = groups.keys().map(|k| k.to_string()).collect();
        if expect != Expect::County && retain_if_any(groups, |code, _| !self.inside_candidate(code, &codes)) {
            how.push("the city over its namesake district".to_string());
        }
        if q.year.is_none() && retain_if_any(groups, |_, c| c.rows.iter().any(|d| d.is_current())) {
            how.push("current names over former ones".to_string());
        }
        how
    }

    /// 嘉峪关市 is both a prefecture-level city and a county-level unit inside it; a
    /// report under that name comes from the city.
    fn inside_candidate(&self, code: &str, candidates: &[String]) -> bool {
        let is_county = self.table.current(code).is_some_and(|d| d.level == Level::County);
        is_county
            && candidates.iter().any(|c| {
                let city = self.table.current(c).is_some_and(|d| d.level == Level::Prefecture);
                city && c.get(..4) == code.get(..4)
            })
    }

    fn conclude(&self, groups: &Groups<'_>, total: usize, how: &[String]) -> Resolution {
        let mut entries = groups.iter();
        let (Some((code, candidate)), None) = (entries.next(), entries.next()) else {
            let candidates = groups.keys().filter_map(|c| self.table.current(c)).map(Division::label);
            return unresolved(
                candidates.collect(),
                "ambiguous name; nothing in the text tells the candidates apart",
            );
        };
        let Some(current) = self.table.current(code) else {
            return unresolved(Vec::new(), "successor code missing from the table");
        };
        let mut notes = Vec::new();
        if !candidate.rows.iter().any(|d| d.is_current()) {
            if let Some(old) = candidate.rows.first() {
                let now = current.label();
                notes.push(format!("former name {} ({}) now {now}", old.name, old.code));
            }
        }
        if total > 1 {
            notes.push(format!("chosen among {total} candidates by {}", how.join(", ")));
        }
        let mut res = Resolution::of(current);
        res.note = (!notes.is_empty()).then(|| notes.join("; "));
        res
    }

    fn no_successor(&self, hits: &[FormHit]) -> Resolution {
        let rows: Vec<&Division> = hits.iter().filter_map(|h| self.table.row(h.row)).collect();
        let last = rows.iter().filter_map(|d| d.valid_to).max();
        let note = match last {
            Some(year) => {
                format!("abolished division (last listed {year}) with no known successor")
            }
            None => "division without a code in the newest list".to_string(),
        };
        unresolved(rows.into_iter().map(Division::label).collect(), &note)
    }
}

/// Keep the entries matching `keep`, unless none or all do. Returns whether it narrowed.
fn retain_if_any<K: Ord, V>(map: &mut BTreeMap<K, V>, mut keep: impl FnMut(&K, &V) -> bool) -> bool {
    let kept = map.iter().filter(|(k, v)| keep(k, v)).count();
    if kept == 0 || kept == map.len() {
        return false;
    }
    map.retain(|k, v| keep(k, v));
    true
}

/// The finest level a set of rows can mean, judged by current names where there are
/// any: 毕节市 was also a county until 2011, but in 毕节市七星关区 it is the city.
fn finest_level(rows: Vec<&Division>, expect: Expect) -> Option<Level> {
    let current: Vec<&Division> = rows.iter().copied().filter(|d| d.is_current()).collect();
    let pool = if current.is_empty() { rows } else { current };
    pool.iter().map(|d| d.level).filter(|&l| expect.allows(l)).min()
}

fn unresolved(candidates: Vec<String>, note: &str) -> Resolution {
    Resolution { candidates, note: Some(note.to_string()), ..Resolution::default() }
}

fn non_empty(hits: Vec<FormHit>) -> Option<Vec<FormHit>> {
    (!hits.is_empty()).then_some(hits)
}

/// Reports are extracted from PDFs and HTML: names arrive with stray spaces inside.
fn clean(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// 麟游县人民政府办公室 -> 麟游县; 县教育局 -> 县教育 (no place left, by design).
fn strip_agency(name: &str) -> &str {
    let mut rest = name;
    while let Some(shorter) =
        // template.toml [region] agency_suffixes, longest first
        template()
            .region
            .agency_suffixes
            .iter()
            .find_map(|s| rest.strip_suffix(s.as_str()).filter(|r| !r.is_empty()))
    {
        rest = shorter;
    }
    rest
}

#[cfg(test)]
mod tests;
