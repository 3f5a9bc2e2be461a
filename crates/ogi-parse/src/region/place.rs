//! A parsed report placed among the divisions: the resolver's answer from the report's own
//! words, then the special zones (data/reference/special_zones.csv) when the words name one,
//! then the site's SiteIDCode when the words name the site's division.

use super::divisions::{Division, Divisions, Level};
use super::resolve::{RegionQuery, Resolution, Resolver};
use super::zones::named_zone;
use crate::model::{Diagnostic, Report, Status};

/// Places the report among the divisions (code, province, prefecture, level).
pub fn resolve_region(rep: &mut Report) {
    if rep.status == Status::Failed && rep.title.is_none() {
        return;
    }
    let q = RegionQuery {
        region_name: rep.region_name.as_deref(),
        agency: rep.agency.as_deref(),
        title: rep.title.as_deref(),
        context: &rep.context,
        year: rep.year.map(i32::from),
    };
    let mut res = Resolver::embedded().resolve(&q);
    if res.code.is_none() {
        if let Some((fixed, wrong, right)) = confusable_fix(rep, &q) {
            rep.diagnostics.push(Diagnostic::warn(
                "region_confusable",
                None,
                format!(
                    "{wrong} matches no division; read as {right}, a character OCR often confuses with it"
                ),
            ));
            res = fixed;
        }
    }
    // A zone's report is the zone's, not its province's (河北雄安新区 names 河北).
    if res.level != Some(Level::County) {
        let said = [rep.region_name.as_deref(), rep.agency.as_deref(), rep.title.as_deref()];
        if let Some(zone) = named_zone(said.into_iter().flatten()) {
            let divisions: Vec<&Division> =
                zone.codes.iter().filter_map(|c| Divisions::embedded().current(c)).collect();
            match divisions.as_slice() {
                [d] => {
                    rep.diagnostics.push(Diagnostic::info(
                        "region_special_zone",
                        None,
                        format!(
                            "{} administers {} ({}), per data/reference/special_zones.csv",
                            zone.name, d.name, d.code
                        ),
                    ));
                    res = Resolution::of(d);
                }
                many => {
                    res = Resolution {
                        candidates: many.iter().map(|d| d.label()).collect(),
                        note: Some(format!("{} spans several divisions", zone.name)),
                        ..Default::default()
                    };
                }
            }
        }
    }
    if res.code.is_none() {
        if let Some(by_site) = site_region(rep) {
            rep.diagnostics.push(Diagnostic::info(
                "region_from_site_code",
                None,
                format!(
                    "region {} taken from the site's SiteIDCode {}, whose place the report names",
                    by_site.name.as_deref().unwrap_or("-"),
                    rep.site_code.as_deref().unwrap_or("-")
                ),
            ));
            res = by_site;
        }
    }
    rep.context = String::new();
    rep.region.code = res.code.clone();
    rep.region.name = res.name.clone();
    rep.region.province = res.province.clone();
    rep.region.prefecture = res.prefecture.clone();
    rep.region.level = (res.level.map(Level::as_str)).map(Into::into);
    if res.code.is_none() && (rep.region_name.is_some() || rep.agency.is_some()) {
        let why = res.note.unwrap_or_else(|| "no division matches".to_string());
        let cands = if res.candidates.is_empty() {
            String::new()
        } else {
            format!(" (candidates: {})", res.candidates.join(", "))
        };
        rep.diagnostics.push(Diagnostic::warn(
            "region_unresolved",
            None,
            format!(
                "region {} not resolved: {why}{cands}",
                rep.region_name.as_deref().or(rep.agency.as_deref()).unwrap_or("-")
            ),
        ));
    }
}

/// The resolution of the report's words with one of the template's OCR confusions
/// (沐阳 for 沭阳) corrected, when the words as written match no division.
fn confusable_fix(rep: &Report, q: &RegionQuery) -> Option<(Resolution, String, String)> {
    let said = [q.region_name, q.agency, q.title];
    for (wrong, right) in &crate::template::template().region.confusables {
        if !said.iter().flatten().any(|t| t.contains(wrong.as_str())) {
            continue;
        }
        let fix = |t: Option<&str>| t.map(|t| t.replace(wrong.as_str(), right));
        let (name, agency, title) = (fix(q.region_name), fix(q.agency), fix(q.title));
        let fixed = RegionQuery {
            region_name: name.as_deref(),
            agency: agency.as_deref(),
            title: title.as_deref(),
            context: &rep.context,
            year: q.year,
        };
        let res = Resolver::embedded().resolve(&fixed);
        if res.code.is_some() {
            return Some((res, wrong.clone(), right.clone()));
        }
    }
    None
}

/// The division a local government site's SiteIDCode starts with, when the report's
/// own words name it (its short name in the region name, agency or title: 平潭综合实验区
/// on 平潭县's site): the code is evidence weighed with the text, never alone.
fn site_region(rep: &Report) -> Option<Resolution> {
    let code = rep.site_code.as_deref()?.get(..6)?;
    let d = Divisions::embedded().current(code)?;
    if d.level == Level::Province || d.short_name.chars().count() < 2 {
        return None;
    }
    let said = [rep.region_name.as_deref(), rep.agency.as_deref(), rep.title.as_deref()];
    if !said.iter().flatten().any(|t| t.contains(d.short_name.as_str()) || t.contains(d.name.as_str())) {
        return None;
    }
    Some(Resolution::of(d))
}
