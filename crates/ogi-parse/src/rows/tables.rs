//! The contract's tables as arrow record batches: each table's columns, types and
//! nullability declared once (`specs`), with the function that fills its rows from a
//! `Report`. `ogi build` streams these batches into Parquet; the Python binding hands
//! them to pyarrow; both give the same columns because both use this module.

use super::builder::{never, null, Col, Table, Ty, V};
use crate::model::Report;
use arrow::error::ArrowError;

/// `source_page` is a PDF's page (null for other formats), and then `source_line`
/// counts within that page's text.
const COMMON: [Col; 8] = [
    never("report_id", Ty::Utf8),
    null("region_code", Ty::Utf8),
    null("region_name", Ty::Utf8),
    null("province", Ty::Utf8),
    null("prefecture", Ty::Utf8),
    null("year", Ty::Int16),
    null("source_line", Ty::Int32),
    null("source_page", Ty::Int32),
];

fn with_common(extra: &[Col]) -> Vec<Col> {
    COMMON.iter().chain(extra).copied().collect()
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
pub type Fill = fn(&mut Table, &Report) -> Result<(), ArrowError>;

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
        never("report_id", Ty::Utf8),
        never("source_path", Ty::Utf8),
        null("title", Ty::Utf8),
        null("agency", Ty::Utf8),
        never("agency_kind", Ty::Utf8),
        null("region_name", Ty::Utf8),
        null("region_code", Ty::Utf8),
        null("province", Ty::Utf8),
        null("prefecture", Ty::Utf8),
        null("level", Ty::Utf8),
        null("year", Ty::Int16),
        null("published_on", Ty::Date32),
        null("era", Ty::Utf8),
        never("status", Ty::Utf8),
        never("n_warnings", Ty::Int32),
        null("identity_ok", Ty::Bool),
        null("encoding", Ty::Utf8),
        null("region_name_as_written", Ty::Utf8),
        null("duplicate_of", Ty::Utf8),
        never("format", Ty::Utf8),
        null("pages", Ty::Int32),
    ])
}

fn fill_reports(t: &mut Table, r: &Report) -> Result<(), ArrowError> {
    let n_warn = i32::try_from(r.diagnostics.len()).unwrap_or(i32::MAX);
    t.push(&[
        V::S(Some(&r.report_id)),
        V::S(Some(&r.source_path)),
        V::S(r.title.as_deref()),
        V::S(r.agency.as_deref()),
        V::S(Some(&r.agency_kind)),
        V::S(r.region.name.as_deref().or(r.region_name.as_deref())),
        V::S(r.region.code.as_deref()),
        V::S(r.region.province.as_deref()),
        V::S(r.region.prefecture.as_deref()),
        V::S(r.region.level.as_deref()),
        V::I16(r.year),
        V::D(r.published_on),
        V::S(r.era.map(crate::model::Era::as_str)),
        V::S(Some(r.status.as_str())),
        V::I32(Some(n_warn)),
        V::B(r.identity_ok),
        V::S(r.encoding.as_deref()),
        V::S(r.region_name.as_deref()),
        V::S(r.duplicate_of.as_deref()),
        V::S(Some(&r.format)),
        V::I32(r.pages.and_then(|p| i32::try_from(p).ok())),
    ])
}

fn proactive_table() -> Table {
    Table::new(&with_common(&[
        never("category", Ty::Utf8),
        never("metric", Ty::Utf8),
        null("value", Ty::Float64),
        never("unit", Ty::Utf8),
    ]))
}

fn fill_proactive(t: &mut Table, r: &Report) -> Result<(), ArrowError> {
    for f in &r.proactive {
        t.push_row(row(
            r,
            f.line,
            [V::S(Some(&f.category)), V::S(Some(&f.metric)), V::F64(f.value), V::S(Some(&f.unit))],
        ))?;
    }
    Ok(())
}

fn requests_table() -> Table {
    Table::new(&with_common(&[
        never("applicant", Ty::Utf8),
        null("new_received", Ty::Int64),
        null("carried_over", Ty::Int64),
        null("carried_forward", Ty::Int64),
    ]))
}

fn fill_requests(t: &mut Table, r: &Report) -> Result<(), ArrowError> {
    for f in &r.requests {
        t.push_row(row(
            r,
            f.line,
            [
                V::S(Some(&f.applicant)),
                V::I64(f.new_received),
                V::I64(f.carried_over),
                V::I64(f.carried_forward),
            ],
        ))?;
    }
    Ok(())
}

fn outcomes_table() -> Table {
    Table::new(&with_common(&[
        never("outcome", Ty::Utf8),
        never("outcome_group", Ty::Utf8),
        never("applicant", Ty::Utf8),
        null("count", Ty::Int64),
    ]))
}

fn fill_outcomes(t: &mut Table, r: &Report) -> Result<(), ArrowError> {
    for f in &r.outcomes {
        t.push_row(row(
            r,
            f.line,
            [V::S(Some(&f.outcome)), V::S(Some(&f.outcome_group)), V::S(Some(&f.applicant)), V::I64(f.count)],
        ))?;
    }
    Ok(())
}

fn litigation_table() -> Table {
    Table::new(&with_common(&[
        never("proceeding", Ty::Utf8),
        never("result", Ty::Utf8),
        null("count", Ty::Int64),
    ]))
}

fn fill_litigation(t: &mut Table, r: &Report) -> Result<(), ArrowError> {
    for f in &r.litigation {
        t.push_row(row(r, f.line, [V::S(Some(&f.proceeding)), V::S(Some(&f.result)), V::I64(f.count)]))?;
    }
    Ok(())
}

fn fees_table() -> Table {
    Table::new(&with_common(&[
        never("fee_kind", Ty::Utf8),
        null("notices_issued", Ty::Int64),
        null("amount_billed_yuan", Ty::Float64),
        null("amount_collected_yuan", Ty::Float64),
        null("amount_waived_yuan", Ty::Float64),
        null("evidence", Ty::Utf8),
    ]))
}

fn fill_fees(t: &mut Table, r: &Report) -> Result<(), ArrowError> {
    for f in &r.fees {
        t.push_row(row(
            r,
            f.line,
            [
                V::S(Some(&f.fee_kind)),
                V::I64(f.notices_issued),
                V::F64(f.amount_billed_yuan),
                V::F64(f.amount_collected_yuan),
                V::F64(f.amount_waived_yuan),
                V::S(Some(&f.evidence)),
            ],
        ))?;
    }
    Ok(())
}

fn diagnostics_table() -> Table {
    Table::new(&with_common(&[
        never("source_path", Ty::Utf8),
        never("severity", Ty::Utf8),
        never("code", Ty::Utf8),
        never("message", Ty::Utf8),
    ]))
}

fn fill_diagnostics(t: &mut Table, r: &Report) -> Result<(), ArrowError> {
    for d in &r.diagnostics {
        t.push_row(row(
            r,
            d.line,
            [
                V::S(Some(&r.source_path)),
                V::S(Some(d.severity.as_str())),
                V::S(Some(&d.code)),
                V::S(Some(&d.message)),
            ],
        ))?;
    }
    Ok(())
}
