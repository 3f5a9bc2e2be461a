//! The template's knowledge (labels, aliases, geometry, identities), loaded once from
//! `template.toml`. Keeping it as data means a new label variant met in the wild is a
//! one-line change that reviewers can read, and `tests` below lint the table itself.

use serde::Deserialize;
use std::sync::OnceLock;

/// The template file, compiled into the binary so a build never depends on the cwd.
const TEMPLATE_TOML: &str = include_str!("template.toml");

/// The two templates of the annual report (the 2019 and the 2021 one), which differ in
/// table 二's columns and table 三's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TemplateEra {
    Y2019,
    Y2021,
}

impl TemplateEra {
    pub const ALL: [TemplateEra; 2] = [TemplateEra::Y2019, TemplateEra::Y2021];

    /// The era's code, as template.toml and the contract write it.
    pub fn as_str(self) -> &'static str {
        match self {
            TemplateEra::Y2019 => "2019",
            TemplateEra::Y2021 => "2021",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub contract_version: String,
    pub section: Vec<SectionSpec>,
    pub era: EraMarkers,
    pub requests: RequestsSpec,
    pub proactive: ProactiveSpec,
    pub litigation: LitigationSpec,
    pub cells: CellSpec,
    pub fees: FeeSpec,
    pub header: HeaderSpec,
    pub region: RegionSpec,
    pub legacy: LegacySpec,
    pub words: WordsSpec,
}

/// Words of the reports' language used across the reader (template.toml `[words]`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WordsSpec {
    pub ordinal: String,
    pub page: String,
    pub page_total: String,
    pub copula: String,
    pub year: String,
    pub year_suffix: String,
    pub unit_label: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegacySpec {
    pub ten_thousand: String,
    pub guards: ProseGuards,
    pub prose: Vec<ProseSpec>,
    pub table: StatTableSpec,
}

/// Which sentences may state a request or outcome fact (see template.toml).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProseGuards {
    pub subject: Vec<String>,
    pub foreign_subjects: Vec<String>,
    /// Words right after a number that make it approximate (5530余条, 100多件): no value.
    pub approximate: Vec<String>,
}

/// A fact path: "requests.total.new_received", "outcomes.granted.total",
/// "litigation.lawsuit.upheld", "fees.legacy_fee.amount_collected_yuan",
/// "proactive.all_information.published".
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProseSpec {
    pub fact: String,
    pub patterns: Vec<String>,
    #[serde(default)]
    pub zero: Vec<String>,
    #[serde(default)]
    pub sum_parts: bool,
    /// Words one of which a sentence must contain for the patterns to be tried.
    #[serde(default)]
    pub needs: Vec<String>,
    /// The section that reports the fact; outside it, a sentence must name the subject.
    #[serde(default)]
    pub section: Option<String>,
    /// The fact's own subject words (else `[legacy.guards] subject` for a fact with a
    /// section); a fact with a subject is guarded even without a section.
    #[serde(default)]
    pub subject: Vec<String>,
    /// Words of the heading the fact is reported under, for facts without a section
    /// of their own (fees): a sentence under such a heading needs no subject.
    #[serde(default)]
    pub heading: Vec<String>,
    /// Words of a sentence about something else that matches the patterns (information
    /// sent to an archive is not the information published): no value there.
    #[serde(default)]
    pub unless: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatTableSpec {
    pub name: String,
    pub header_words: Vec<String>,
    /// The word of the 历年累计 column, which makes a lone number in a row ambiguous.
    pub cumulative_word: String,
    pub units: Vec<String>,
    pub row: Vec<StatRowSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatRowSpec {
    pub fact: String,
    pub labels: Vec<Vec<String>>,
    #[serde(default)]
    pub within: Option<String>,
    #[serde(default)]
    pub part: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionSpec {
    pub id: String,
    /// Any one of these keyword sets, all of whose words appear, marks the heading.
    pub keywords: Vec<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EraMarkers {
    pub markers_2021: Vec<String>,
    pub markers_2019: Vec<String>,
    pub markers_template: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestsSpec {
    pub columns: Vec<String>,
    /// The columns as the header prints them (same order as `columns`).
    pub column_labels: Vec<String>,
    /// Header cells above the columns.
    pub header_words: Vec<String>,
    pub row: Vec<RowSpec>,
    pub identity: Vec<IdentitySpec>,
}

/// Whether an identity adds up cells along each row or down each column.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Per {
    Row,
    Column,
}

/// One of a table's identities: `sum` adds up to `equals`, in every row or column.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct IdentitySpec {
    pub id: String,
    /// The diagnostic `validate` raises where the report breaks it.
    pub code: String,
    pub per: Per,
    pub sum: Vec<String>,
    pub equals: Vec<String>,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RowKind {
    Request,
    Outcome,
    Header,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RowSpec {
    pub id: String,
    pub kind: RowKind,
    #[serde(default)]
    pub group: Option<String>,
    /// Empty means every era.
    #[serde(default)]
    pub eras: Vec<String>,
    pub aliases: Vec<String>,
    #[serde(default)]
    pub weak: Vec<String>,
}

impl RowSpec {
    pub fn in_era(&self, era: TemplateEra) -> bool {
        self.eras.is_empty() || self.eras.iter().any(|e| e == era.as_str())
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProactiveSpec {
    pub signed: Vec<String>,
    pub item_word: String,
    pub row: Vec<ProactiveRowSpec>,
    pub metric_names: std::collections::BTreeMap<String, Vec<String>>,
    pub amounts: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct ProactiveRowSpec {
    pub category: String,
    /// The 第二十条 item whose sub-table holds the row (一, 五 …).
    pub item: String,
    pub aliases: Vec<String>,
    pub metrics_2019: Vec<String>,
    pub metrics_2021: Vec<String>,
}

impl ProactiveRowSpec {
    pub fn metrics(&self, era: TemplateEra) -> &[String] {
        match era {
            TemplateEra::Y2019 => &self.metrics_2019,
            TemplateEra::Y2021 => &self.metrics_2021,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LitigationSpec {
    pub proceedings: Vec<String>,
    pub results: Vec<String>,
    pub none_phrases: Vec<String>,
    /// The header word printed right before the cells (after it, only the five result
    /// words of its block), where a page without lines is read as a stream.
    pub header_last: String,
    /// Words that, in a sentence naming a proceeding and no other number, state none.
    pub none_words: Vec<String>,
    pub review_word: String,
    pub lawsuit_word: String,
    /// Per result (as `results`), the words of its column name: where each cell follows
    /// its own name (pdfminer), they say which result a number is.
    pub result_words: Vec<Vec<String>>,
    pub identity: Vec<IdentitySpec>,
}

impl LitigationSpec {
    /// Cells of one proceeding's block (its results, the last being the total).
    pub fn block(&self) -> usize {
        self.results.len()
    }

    /// Cells of the whole table.
    pub fn cells(&self) -> usize {
        self.proceedings.len() * self.results.len()
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CellSpec {
    pub zero_marks: Vec<String>,
    pub page_numbers: Vec<String>,
    pub units: Vec<String>,
    pub prose_units: Vec<char>,
    /// Money units and what they multiply a number by, to yuan.
    pub money: std::collections::BTreeMap<String, f64>,
}

impl CellSpec {
    /// The money unit `text` names (the longest first: 万元 before 元), as its factor.
    pub fn money_factor(&self, text: &str) -> Option<f64> {
        self.money
            .iter()
            .filter(|(u, _)| text.contains(u.as_str()))
            .max_by_key(|(u, _)| u.len())
            .map(|(_, f)| *f)
    }

    /// The money units as a regex alternation, the longest first.
    pub fn money_pattern(&self) -> String {
        let mut units: Vec<&str> = self.money.keys().map(String::as_str).collect();
        units.sort_by_key(|u| std::cmp::Reverse(u.len()));
        units.iter().map(|u| regex::escape(u)).collect::<Vec<_>>().join("|")
    }
}

/// The 信息处理费 statement's phrasings (regular expressions over one sentence).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeeSpec {
    pub marker: String,
    pub not_this: Vec<String>,
    pub notices: String,
    pub billed: String,
    pub collected: String,
    pub no_notice: String,
    pub not_collected: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderSpec {
    /// The word a title ends with (报告): a title glued to the page's text ends there.
    pub title_end: String,
    /// Words between an agency and the year in a title (…关于2019年…).
    pub title_about: Vec<String>,
    pub title_all: Vec<String>,
    pub title_any: Vec<String>,
    pub title_labels: Vec<String>,
    pub title_subjects: Vec<String>,
    pub agency_line_endings: Vec<String>,
    pub title_lead_marks: Vec<String>,
    pub agency_labels: Vec<String>,
    pub date_labels: Vec<String>,
    pub not_publication: Vec<String>,
    pub agency_kind: AgencyKindSpec,
    pub patterns: HeaderPatterns,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgencyKindSpec {
    pub government: Vec<String>,
    pub office: Vec<String>,
    pub township: Vec<String>,
    pub township_offices: Vec<String>,
    pub department: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderPatterns {
    pub year_arabic: String,
    pub year_chinese: String,
    pub period: String,
    pub date_meta: String,
    pub date_any: String,
    pub region: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionSpec {
    /// (official ending, everyday ending): 金平苗族瑶族傣族自治县 is 金平县 in everyday use.
    pub everyday_endings: Vec<(String, String)>,
    pub agency_suffixes: Vec<String>,
    pub autonomous_prefecture: Vec<String>,
    /// The first character of an agency's name that says its level (县教育局: a county's).
    pub level_marks: LevelMarks,
    /// The ending of the name of a division's prefecture that marks an autonomous one
    /// (…州), and of a division's own name (…自治州).
    pub autonomous_prefecture_ending: String,
    pub autonomous_name_ending: String,
    /// The ending of a city's name: in a title's places, the last name that is not a
    /// city is the most specific (宝鸡市凤翔区 → 凤翔区).
    pub city_ending: String,
    pub confusables: Vec<(String, String)>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelMarks {
    pub county: Vec<char>,
    pub prefecture: Vec<char>,
    pub province: Vec<char>,
    /// A city may be a prefecture or a county-level city.
    pub city: Vec<char>,
}

/// The parsed template. The file is part of the binary and is linted by the tests,
/// so failing to parse it is a build defect, not an input error.
pub fn template() -> &'static Template {
    static T: OnceLock<Template> = OnceLock::new();
    T.get_or_init(|| match toml::from_str(TEMPLATE_TOML) {
        Ok(t) => t,
        Err(e) => panic!("src/template/template.toml is invalid: {e}"),
    })
}

/// Version of the template + extraction rules; part of every output file's metadata.
pub fn contract_version() -> &'static str {
    &template().contract_version
}

#[cfg(test)]
mod tests;
