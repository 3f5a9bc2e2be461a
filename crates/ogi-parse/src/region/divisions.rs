//! The division table and the name index built over it.
//!
//! Every name a place was ever published under is indexed in three forms: the full
//! name (金平苗族瑶族傣族自治县), the short name (金平) and the short name with the
//! generic suffix people actually write (金平县). Keeping the form kind lets the
//! resolver prefer what the report literally says over looser matches.

use std::collections::HashMap;
use std::sync::OnceLock;

/// A division's place in the hierarchy (县级, 地级, 省级).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    County,
    Prefecture,
    Province,
}

const EMBEDDED_CSV: &str = include_str!("../../../../data/reference/divisions.csv");
const HEADER: &str = "code,name,short_name,level,province,prefecture,valid_from,valid_to,current_code";

/// One (code, name) pair as published in some revision of the division lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Division {
    pub code: String,
    pub name: String,
    pub short_name: String,
    pub level: Level,
    /// Enclosing province (current name); a province row names itself.
    pub province: String,
    /// Enclosing prefecture (current name); empty for prefectures, provinces and
    /// counties governed directly by a province (济源市, 石河子市).
    pub prefecture: String,
    pub valid_from: Option<i32>,
    /// Last revision year the pair was seen in; `None` while it is in the newest list.
    pub valid_to: Option<i32>,
    /// The code in the newest list this pair now belongs to, if one is known.
    pub current_code: Option<String>,
}

impl Division {
    /// Whether this row is itself part of the newest list (not a former name).
    pub fn is_current(&self) -> bool {
        self.valid_to.is_none()
    }

    /// "code name", as candidates are listed in diagnostics.
    pub fn label(&self) -> String {
        format!("{} {}", self.code, self.name)
    }
}

impl Level {
    /// The word divisions.csv and the `reports` table use.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::County => "county",
            Level::Prefecture => "prefecture",
            Level::Province => "province",
        }
    }
}

/// How a surface form relates to the row it points at; the order is the resolver's
/// preference (an exact full name beats an everyday form, which beats a bare stem).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FormKind {
    Full,
    Alias,
    Short,
}

/// One row a surface form points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormHit {
    pub row: usize,
    pub kind: FormKind,
}

/// A place name found inside a longer text.
#[derive(Debug, Clone)]
pub struct Mention<'d> {
    pub form: &'d str,
    pub hits: Vec<FormHit>,
}

/// The automaton finding scannable forms in a text, and each pattern's hits.
#[derive(Debug)]
struct ScanIndex {
    ac: aho_corasick::AhoCorasick,
    hits: Vec<Vec<FormHit>>,
}

/// The division table plus name indexes.
#[derive(Debug, Default)]
pub struct Divisions {
    rows: Vec<Division>,
    forms: HashMap<String, Vec<FormHit>>,
    /// Forms safe to look for inside running text: no bare county stems (公安, 资源
    /// are counties but also words).
    scan_forms: HashMap<String, Vec<FormHit>>,
    /// One automaton over `scan_forms` per county_min_chars (index), built on first use.
    scanners: [OnceLock<Option<ScanIndex>>; 4],
    current: HashMap<String, usize>,
    /// Sorted distinct revision years, to tell when a row may have been in force
    /// between two published revisions.
    revisions: Vec<i32>,
}

impl Divisions {
    /// The table compiled into the binary, parsed on first use.
    pub fn embedded() -> &'static Divisions {
        static TABLE: OnceLock<Divisions> = OnceLock::new();
        TABLE.get_or_init(|| {
            Divisions::from_csv(EMBEDDED_CSV).unwrap_or_else(|err| {
                // Only a broken build can get here; resolve everything as unknown
                // rather than abort a whole extraction run.
                eprintln!("ogi: embedded divisions.csv is invalid: {err}");
                Divisions::default()
            })
        })
    }

    /// Parse the CSV written by `scripts/build_divisions.py`.
    pub fn from_csv(text: &str) -> Result<Divisions, String> {
        let mut lines = text.lines().enumerate();
        match lines.next() {
            Some((_, header)) if header.trim() == HEADER => {}
            _ => return Err(format!("expected header `{HEADER}`")),
        }
        let mut rows = Vec::new();
        for (n, line) in lines {
            if line.trim().is_empty() {
                continue;
            }
            rows.push(parse_row(line).map_err(|e| format!("line {}: {e}", n + 1))?);
        }
        Ok(Self::from_rows(rows))
    }

    fn from_rows(rows: Vec<Division>) -> Divisions {
        let mut table = Divisions { rows, ..Divisions::default() };
        for row in 0..table.rows.len() {
            table.index_row(row);
        }
        for hits in table.forms.values_mut().chain(table.scan_forms.values_mut()) {
            hits.sort_by_key(|h| (h.kind, h.row));
            hits.dedup();
        }
        table.revisions = revision_years(&table.rows);
        table
    }

    fn index_row(&mut self, row: usize) {
        let Some(d) = self.rows.get(row) else { return };
        let (level, name, short) = (d.level, d.name.clone(), d.short_name.clone());
        if d.is_current() {
            self.current.insert(d.code.clone(), row);
        }
        let alias = everyday_form(&name, &short);
        let distinct_short = short != name;
        let mut forms = vec![(name, FormKind::Full)];
        if let Some(alias) = alias {
            forms.push((alias, FormKind::Alias));
        }
        if distinct_short {
            forms.push((short, FormKind::Short));
        }
        for (form, kind) in forms {
            let hit = FormHit { row, kind };
            if scannable(&form, kind, level) {
                self.scan_forms.entry(form.clone()).or_default().push(hit);
            }
            self.forms.entry(form).or_default().push(hit);
        }
    }

    pub fn rows(&self) -> &[Division] {
        &self.rows
    }

    pub fn row(&self, index: usize) -> Option<&Division> {
        self.rows.get(index)
    }

    /// The row of the newest list with this code.
    pub fn current(&self, code: &str) -> Option<&Division> {
        self.current.get(code).and_then(|&i| self.rows.get(i))
    }

    /// Rows known under exactly this form.
    pub fn lookup(&self, form: &str) -> &[FormHit] {
        self.forms.get(form).map_or(&[], Vec::as_slice)
    }

    /// Place names inside `text`, longest match first so that 红河县 is not read as
    /// the prefecture 红河. County names shorter than `county_min_chars` are skipped:
    /// in running prose 和县, 城区 or 东区 are far more often parts of words than places.
    pub fn scan(&self, text: &str, county_min_chars: usize) -> Vec<Mention<'_>> {
        let built;
        let index = match self.scanners.get(county_min_chars) {
            Some(cell) => cell.get_or_init(|| self.scan_index(county_min_chars)),
            None => {
                built = self.scan_index(county_min_chars);
                &built
            }
        };
        let Some(index) = index else { return Vec::new() };
        index
            .ac
            .find_iter(text)
            .filter_map(|m| {
                let (form, _) = self.scan_forms.get_key_value(text.get(m.start()..m.end())?)?;
                let hits = index.hits.get(m.pattern().as_usize())?.clone();
                Some(Mention { form, hits })
            })
            .collect()
    }

    /// Leftmost-longest matching over the forms that keep a hit at this county
    /// minimum: at each place in the text, the longest such form starting there.
    fn scan_index(&self, county_min_chars: usize) -> Option<ScanIndex> {
        let mut forms: Vec<(&str, Vec<FormHit>)> = self
            .scan_forms
            .iter()
            .map(|(form, hits)| {
                (form.as_str(), self.long_enough(hits, form.chars().count(), county_min_chars))
            })
            .filter(|(_, hits)| !hits.is_empty())
            .collect();
        forms.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let ac = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(forms.iter().map(|(f, _)| *f))
            .ok()?;
        Some(ScanIndex { ac, hits: forms.into_iter().map(|(_, h)| h).collect() })
    }

    fn long_enough(&self, hits: &[FormHit], len: usize, county_min: usize) -> Vec<FormHit> {
        hits.iter()
            .copied()
            .filter(|h| {
                let county = self.row(h.row).is_some_and(|d| d.level == Level::County);
                !county || len >= county_min
            })
            .collect()
    }

    /// Whether the row may have been in force in `year`. Revisions are a few years
    /// apart, so a row counts as possibly valid from just after the revision before
    /// its first sighting until just before the revision after its last one.
    pub fn possibly_in_force(&self, row: &Division, year: i32) -> bool {
        let after_previous = match row.valid_from {
            Some(from) => match self.revisions.iter().rev().find(|&&r| r < from) {
                Some(&prev) => year > prev,
                None => true,
            },
            None => true,
        };
        let before_next = match row.valid_to {
            Some(to) => match self.revisions.iter().find(|&&r| r > to) {
                Some(&next) => year < next,
                None => true,
            },
            None => true,
        };
        after_previous && before_next
    }
}

/// The short name plus the generic suffix (金平县 for 金平苗族瑶族傣族自治县, 红河州 for
/// 红河哈尼族彝族自治州), when that differs from the full name.
fn everyday_form(name: &str, short: &str) -> Option<String> {
    let endings = &crate::template::template().region.everyday_endings;
    let generic = &endings.iter().find(|(official, _)| name.ends_with(official.as_str()))?.1;
    let alias = format!("{short}{generic}");
    (alias != name && short != name).then_some(alias)
}

/// Bare county stems stay out of text scanning: 公安, 资源, 平安 are counties but
/// far more often ordinary words.
fn scannable(form: &str, kind: FormKind, level: Level) -> bool {
    form.chars().count() >= 2 && !(kind == FormKind::Short && level == Level::County)
}

fn revision_years(rows: &[Division]) -> Vec<i32> {
    let mut years: Vec<i32> = rows.iter().flat_map(|d| [d.valid_from, d.valid_to]).flatten().collect();
    years.sort_unstable();
    years.dedup();
    years
}

fn parse_row(line: &str) -> Result<Division, String> {
    let fields: Vec<&str> = line.split(',').map(str::trim).collect();
    let [code, name, short, level, province, prefecture, from, to, current] = fields[..] else {
        return Err(format!("expected 9 fields, got {}", fields.len()));
    };
    Ok(Division {
        code: parse_code(code)?,
        name: non_empty(name, "name")?,
        short_name: non_empty(short, "short_name")?,
        level: parse_level(level)?,
        province: province.to_string(),
        prefecture: prefecture.to_string(),
        valid_from: parse_year(from)?,
        valid_to: parse_year(to)?,
        current_code: match current {
            "" => None,
            code => Some(parse_code(code)?),
        },
    })
}

fn parse_code(code: &str) -> Result<String, String> {
    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(code.to_string())
    } else {
        Err(format!("bad division code `{code}`"))
    }
}

fn non_empty(value: &str, what: &str) -> Result<String, String> {
    if value.is_empty() {
        Err(format!("empty {what}"))
    } else {
        Ok(value.to_string())
    }
}

fn parse_level(level: &str) -> Result<Level, String> {
    [Level::Province, Level::Prefecture, Level::County]
        .into_iter()
        .find(|l| l.as_str() == level)
        .ok_or_else(|| format!("bad level `{level}`"))
}

fn parse_year(year: &str) -> Result<Option<i32>, String> {
    if year.is_empty() {
        return Ok(None);
    }
    year.parse().map(Some).map_err(|_| format!("bad year `{year}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_table_parses() {
        let table = Divisions::from_csv(EMBEDDED_CSV).unwrap();
        assert!(table.rows().len() > 3000);
        assert_eq!(table.current("610329").unwrap().name, "麟游县");
    }

    #[test]
    fn from_csv_rejects_bad_rows() {
        let header = HEADER;
        assert!(Divisions::from_csv("nonsense").is_err());
        assert!(Divisions::from_csv(&format!("{header}\n61032,x,x,county,,,2008,,")).is_err());
        assert!(Divisions::from_csv(&format!("{header}\n610329,麟游县,麟游,town,,,2008,,")).is_err());
        let ok =
            Divisions::from_csv(&format!("{header}\n610329,麟游县,麟游,county,陕西省,宝鸡市,2008,,610329"));
        assert_eq!(ok.unwrap().rows().len(), 1);
    }
}
