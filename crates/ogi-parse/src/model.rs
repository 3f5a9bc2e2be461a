//! The typed records extraction produces and the writers consume: one `Report` per
//! input file, carrying its fact rows and diagnostics. Kept free of arrow/polars types
//! so the extract stage can be tested without touching the output format.

use serde::{Deserialize, Serialize};

/// A word of the contract's vocabulary (codes, kinds, units): borrowed from the
/// template or the code when a report is read, owned when it comes back from the
/// incremental cache (nothing is leaked to make it `'static`).
pub type Sym = std::borrow::Cow<'static, str>;

/// Which template a report follows: the 2019 one, the 2021 one, or none (legacy prose
/// and 统计表). A template era is a `TemplateEra`, so code that reads template tables cannot
/// be handed a legacy report, and a match over eras is checked for every case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Era {
    Legacy,
    Template(crate::template::TemplateEra),
}

impl Era {
    /// The contract's code (`reports.era`).
    pub fn as_str(self) -> &'static str {
        match self {
            Era::Legacy => "legacy",
            Era::Template(t) => t.as_str(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Partial,
    Failed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Partial => "partial",
            Status::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A warning or error tied to a place in the source, so a user can audit it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Sym,
    pub message: String,
    pub line: Option<u32>,
}

impl Diagnostic {
    pub fn warn(code: &'static str, line: Option<u32>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, code: Sym::Borrowed(code), message: message.into(), line }
    }
    pub fn error(code: &'static str, line: Option<u32>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, code: Sym::Borrowed(code), message: message.into(), line }
    }
    pub fn info(code: &'static str, line: Option<u32>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Info, code: Sym::Borrowed(code), message: message.into(), line }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProactiveFact {
    pub category: String,
    pub metric: String,
    pub value: Option<f64>,
    pub unit: Sym,
    pub line: Option<u32>,
}

/// One applicant column of table 三's request rows.
#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq)]
pub struct RequestFact {
    pub applicant: Sym,
    pub new_received: Option<i64>,
    pub carried_over: Option<i64>,
    pub carried_forward: Option<i64>,
    pub line: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OutcomeFact {
    pub outcome: Sym,
    pub outcome_group: Sym,
    pub applicant: Sym,
    pub count: Option<i64>,
    pub line: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LitigationFact {
    pub proceeding: String,
    pub result: String,
    pub count: Option<i64>,
    pub line: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FeeFact {
    pub fee_kind: Sym,
    pub notices_issued: Option<i64>,
    pub amount_billed_yuan: Option<f64>,
    pub amount_collected_yuan: Option<f64>,
    pub amount_waived_yuan: Option<f64>,
    pub evidence: String,
    pub line: Option<u32>,
}

/// Where the report sits among China's divisions (filled by the region resolver).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Region {
    pub code: Option<String>,
    pub name: Option<String>,
    pub level: Option<Sym>,
    pub province: Option<String>,
    pub prefecture: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub report_id: String,
    pub source_path: String,
    pub encoding: Option<Sym>,
    /// What the file is (reports.format): `text`, `html`, `pdf`, `docx` as read; the
    /// format of a file ogi does not read (`doc`, `zip` …), `unknown` when it is none.
    pub format: Sym,
    /// A PDF's page count (reports.pages).
    #[serde(default)]
    pub pages: Option<u32>,
    /// A PDF's text: the 1-based line at which each page begins, so a line number
    /// becomes (page, line within the page) as the contract gives PDF provenance.
    #[serde(default)]
    pub page_starts: Vec<u32>,
    pub title: Option<String>,
    pub agency: Option<String>,
    pub agency_kind: Sym,
    /// The county-level name as the report writes it.
    pub region_name: Option<String>,
    pub region: Region,
    pub year: Option<i16>,
    /// Days since 1970-01-01 (Parquet date32).
    pub published_on: Option<i32>,
    pub era: Option<Era>,
    pub status: Status,
    pub identity_ok: Option<bool>,
    pub proactive: Vec<ProactiveFact>,
    pub requests: Vec<RequestFact>,
    pub outcomes: Vec<OutcomeFact>,
    pub litigation: Vec<LitigationFact>,
    pub fees: Vec<FeeFact>,
    pub diagnostics: Vec<Diagnostic>,
    /// A copy of another input file (identical bytes): that file's report_id. A copy
    /// keeps its `reports` row but states no facts, so nothing counts twice.
    #[serde(default)]
    pub duplicate_of: Option<String>,
    /// A web page's SiteIDCode (10 digits; a local site's start with its division
    /// code): evidence for the region where the report's own words leave it open.
    #[serde(default)]
    pub site_code: Option<String>,
    /// The opening of the normalised text, kept only until the region is resolved
    /// (it names the prefecture or province that decides between same-named counties).
    #[serde(skip)]
    pub context: String,
}

impl Report {
    pub fn empty(report_id: String, source_path: String) -> Self {
        Report {
            report_id,
            source_path,
            encoding: None,
            format: "unknown".into(),
            pages: None,
            page_starts: Vec::new(),
            title: None,
            agency: None,
            agency_kind: "other".into(),
            region_name: None,
            region: Region::default(),
            year: None,
            published_on: None,
            era: None,
            status: Status::Failed,
            identity_ok: None,
            proactive: Vec::new(),
            requests: Vec::new(),
            outcomes: Vec::new(),
            litigation: Vec::new(),
            fees: Vec::new(),
            diagnostics: Vec::new(),
            duplicate_of: None,
            site_code: None,
            context: String::new(),
        }
    }

    /// The row of a file the build could not read or parse (unreadable, too large,
    /// timed out, the extractor failed): status `failed` and one error saying why, so
    /// the file is counted and explained rather than lost.
    pub fn failed(
        report_id: String,
        source_path: String,
        code: &'static str,
        why: impl Into<String>,
    ) -> Self {
        let mut r = Report::empty(report_id, source_path);
        r.diagnostics.push(Diagnostic::error(code, None, why));
        r
    }

    /// Makes this report the copy of an earlier input file with the same bytes
    /// (`first` is that file's path): its row stays, its facts go.
    pub fn mark_duplicate(&mut self, first: &str) {
        self.proactive.clear();
        self.requests.clear();
        self.outcomes.clear();
        self.litigation.clear();
        self.fees.clear();
        self.duplicate_of = Some(self.report_id.clone());
        self.diagnostics.push(Diagnostic::info(
            "duplicate_file",
            None,
            format!("the same bytes as {first}, which is counted; this copy states no facts"),
        ));
    }

    /// A line of the report's text as the contract gives provenance (`page_of`).
    pub fn page_of(&self, line: Option<u32>) -> (Option<u32>, Option<u32>) {
        page_of(&self.page_starts, line)
    }

    /// Every line a fact or a diagnostic of the report cites.
    pub fn cited_lines(&self) -> impl Iterator<Item = u32> + '_ {
        self.proactive
            .iter()
            .map(|f| f.line)
            .chain(self.requests.iter().map(|f| f.line))
            .chain(self.outcomes.iter().map(|f| f.line))
            .chain(self.litigation.iter().map(|f| f.line))
            .chain(self.fees.iter().map(|f| f.line))
            .chain(self.diagnostics.iter().map(|d| d.line))
            .flatten()
    }

    pub fn n_facts(&self) -> usize {
        self.proactive.len()
            + self.requests.len()
            + self.outcomes.len()
            + self.litigation.len()
            + self.fees.len()
    }
}

/// A line of a text as the contract gives provenance: (page, line within that page)
/// for a PDF's text (`page_starts`: the line each page begins at), (None, line) for
/// every other text (no page starts).
pub fn page_of(page_starts: &[u32], line: Option<u32>) -> (Option<u32>, Option<u32>) {
    let Some(l) = line else { return (None, None) };
    let page = page_starts.partition_point(|&start| start <= l);
    match page.checked_sub(1).and_then(|i| page_starts.get(i)) {
        Some(&start) => (u32::try_from(page).ok(), Some(l - start + 1)),
        None => (None, Some(l)),
    }
}
