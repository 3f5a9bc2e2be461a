//! The contract's tables as arrow record batches: each table's columns, types and
//! nullability declared once (`specs`), with the function that fills its rows from a
//! `Report`. `ogi build` streams these batches into Parquet; the Python binding hands
//! them to pyarrow; both give the same columns because both use this module.

use super::columns::{Table, V};
use crate::model::Report;

/// `source_page` is a PDF's page (null for other formats), and then `source_line`
/// counts within that page's text.
const COMMON: [(&str, &str, bool); 8] = [
    ("report_id", "utf8", false),
    ("region_code", "utf8", true),
    ("region_name", "utf8", true),
    ("province", "utf8", true),
    ("prefecture", "utf8", true),
    ("year", "int16", true),
    ("source_line", "int32", true),
    ("source_page", "int32", true),
];

fn with_common(extra: &[(&'static str, &'static str, bool)]) -> Vec<(&'static str, &'static str, bool)> {
    COMMON.iter().copied().chain(extra.iter().copied()).collect()
}

fn common<'a>(r: &'a Report, line: Option<u32>) -> [V<'a>; 8] {
    let (page, line) = r.page_of(line);
    [
        V::S(Some(&r.report_id)),
        V::S(r.region.code.as_deref()),
        V::S(r.region.name.as_deref().or(r.region_name.as_deref())),
        V::S(r.region.province.as_deref()),
        V::S(r.region.prefecture.as_deref()),
        V::I16(r.year),
        V::I32(line.and_then(|l| i32::try_from(l).ok())),
        V::I32(page.and_then(|p| i32::try_from(p).ok())),
    ]
}

/// A fact row: the common columns, then the table's own; built on the stack, since the
/// writer makes one for each of hundreds of millions of facts.
fn row<'a, const N: usize>(
    r: &'a Report,
    line: Option<u32>,
    rest: [V<'a>; N],
) -> impl Iterator<Item = V<'a>> {
    common(r, line).into_iter().chain(rest)
}

/// Fills a table with one report's rows.
pub type Fill = fn(&mut Table, &Report);

/// The seven per-report tables of the contract, in the order the dataset lists them:
/// (file name, an empty table, what fills it).
pub fn specs() -> [(&'static str, Table, Fill); 7] {
    [
        ("reports", reports_table(), fill_reports),
        ("proactive", proactive_table(), fill_proactive),
        ("requests", requests_table(), fill_requests),
        ("outcomes", outcomes_table(), fill_outcomes),
        ("litigation", litigation_table(), fill_litigation),
        ("fees", fees_table(), fill_fees),
        ("diagnostics", diagnostics_table(), fill_diagnostics),
    ]
}

fn reports_table() -> Table {
    Table::new(&[
        ("report_id", "utf8", false),
        ("source_path", "utf8", false),
        ("title", "utf8", true),
        ("agency", "utf8", true),
        ("agency_kind", "utf8", false),
        ("region_name", "utf8", true),
        ("region_code", "utf8", true),
        ("province", "utf8", true),
        ("prefecture", "utf8", true),
        ("level", "utf8", true),
        ("year", "int16", true),
        ("published_on", "date32", true),
        ("era", "utf8", true),
        ("status", "utf8", false),
        ("n_warnings", "int32", false),
        ("identity_ok", "bool", true),
        ("encoding", "utf8", true),
        ("region_name_as_written", "utf8", true),
        ("duplicate_of", "utf8", true),
        ("format", "utf8", false),
        ("pages", "int32", true),
    ])
}

fn fill_reports(t: &mut Table, r: &Report) {
    let n_warn = i32::try_from(r.diagnostics.len()).unwrap_or(i32::MAX);
    t.push(&[
        V::S(Some(&r.report_id)),
        V::S(Some(&r.source_path)),
        V::S(r.title.as_deref()),
        V::S(r.agency.as_deref()),
        V::S(Some(r.agency_kind)),
        V::S(r.region.name.as_deref().or(r.region_name.as_deref())),
        V::S(r.region.code.as_deref()),
        V::S(r.region.province.as_deref()),
        V::S(r.region.prefecture.as_deref()),
        V::S(r.region.level),
        V::I16(r.year),
        V::D(r.published_on),
        V::S(r.era),
        V::S(Some(r.status.as_str())),
        V::I32(Some(n_warn)),
        V::B(r.identity_ok),
        V::S(r.encoding),
        V::S(r.region_name.as_deref()),
        V::S(r.duplicate_of.as_deref()),
        V::S(Some(r.format)),
        V::I32(r.pages.and_then(|p| i32::try_from(p).ok())),
    ]);
}

fn proactive_table() -> Table {
    Table::new(&with_common(&[
        ("category", "utf8", false),
        ("metric", "utf8", false),
        ("value", "float64", true),
        ("unit", "utf8", false),
    ]))
}

fn fill_proactive(t: &mut Table, r: &Report) {
    for f in &r.proactive {
        t.push_row(row(
            r,
            f.line,
            [V::S(Some(&f.category)), V::S(Some(&f.metric)), V::F64(f.value), V::S(Some(f.unit))],
        ));
    }
}

fn requests_table() -> Table {
    Table::new(&with_common(&[
        ("applicant", "utf8", false),
        ("new_received", "int64", true),
        ("carried_over", "int64", true),
        ("carried_forward", "int64", true),
    ]))
}

fn fill_requests(t: &mut Table, r: &Report) {
    for f in &r.requests {
        t.push_row(row(
            r,
            f.line,
            [
                V::S(Some(f.applicant)),
                V::I64(f.new_received),
                V::I64(f.carried_over),
                V::I64(f.carried_forward),
            ],
        ));
    }
}

fn outcomes_table() -> Table {
    Table::new(&with_common(&[
        ("outcome", "utf8", false),
        ("outcome_group", "utf8", false),
        ("applicant", "utf8", false),
        ("count", "int64", true),
    ]))
}

fn fill_outcomes(t: &mut Table, r: &Report) {
    for f in &r.outcomes {
        t.push_row(row(
            r,
            f.line,
            [V::S(Some(f.outcome)), V::S(Some(f.outcome_group)), V::S(Some(f.applicant)), V::I64(f.count)],
        ));
    }
}

fn litigation_table() -> Table {
    Table::new(&with_common(&[
        ("proceeding", "utf8", false),
        ("result", "utf8", false),
        ("count", "int64", true),
    ]))
}

fn fill_litigation(t: &mut Table, r: &Report) {
    for f in &r.litigation {
        t.push_row(row(r, f.line, [V::S(Some(&f.proceeding)), V::S(Some(&f.result)), V::I64(f.count)]));
    }
}

fn fees_table() -> Table {
    Table::new(&with_common(&[
        ("fee_kind", "utf8", false),
        ("notices_issued", "int64", true),
        ("amount_billed_yuan", "float64", true),
        ("amount_collected_yuan", "float64", true),
        ("amount_waived_yuan", "float64", true),
        ("evidence", "utf8", true),
    ]))
}

fn fill_fees(t: &mut Table, r: &Report) {
    for f in &r.fees {
        t.push_row(row(
            r,
            f.line,
            [
                V::S(Some(f.fee_kind)),
                V::I64(f.notices_issued),
                V::F64(f.amount_billed_yuan),
                V::F64(f.amount_collected_yuan),
                V::F64(f.amount_waived_yuan),
                V::S(Some(&f.evidence)),
            ],
        ));
    }
}

fn diagnostics_table() -> Table {
    Table::new(&with_common(&[
        ("source_path", "utf8", false),
        ("severity", "utf8", false),
        ("code", "utf8", false),
        ("message", "utf8", false),
    ]))
}

fn fill_diagnostics(t: &mut Table, r: &Report) {
    for d in &r.diagnostics {
        t.push_row(row(
            r,
            d.line,
            [
                V::S(Some(&r.source_path)),
                V::S(Some(d.severity.as_str())),
                V::S(Some(d.code)),
                V::S(Some(&d.message)),
            ],
        ));
    }
}
