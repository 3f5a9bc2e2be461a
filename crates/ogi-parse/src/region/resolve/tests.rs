//! The resolver on the embedded division list: the cases that once went wrong.

use super::*;

fn resolve(region: Option<&str>, agency: Option<&str>, context: &str, year: Option<i32>) -> Resolution {
    let q = RegionQuery { region_name: region, agency, title: None, context, year };
    Resolver::embedded().resolve(&q)
}

fn county(name: &str) -> Resolution {
    resolve(Some(name), None, "", None)
}

#[test]
fn plain_county_name() {
    let r = county("麟游县");
    assert_eq!(r.code.as_deref(), Some("610329"));
    assert_eq!(r.province.as_deref(), Some("陕西省"));
    assert_eq!(r.prefecture.as_deref(), Some("宝鸡市"));
    assert_eq!(r.level, Some(Level::County));
}

#[test]
fn everyday_name_of_autonomous_county_is_not_the_district() {
    let r = resolve(Some("金平县"), None, "州级有关部门", Some(2020));
    assert_eq!(r.code.as_deref(), Some("532530"));
    assert_eq!(r.name.as_deref(), Some("金平苗族瑶族傣族自治县"));
    assert_eq!(r.province.as_deref(), Some("云南省"));
    assert_eq!(r.prefecture.as_deref(), Some("红河哈尼族彝族自治州"));
}

#[test]
fn bare_stem_uses_autonomous_prefecture_wording() {
    let r = resolve(Some("金平"), None, "按照州级部署", None);
    assert_eq!(r.code.as_deref(), Some("532530"));
    let r = resolve(Some("金平"), None, "汕头市", None);
    assert_eq!(r.code.as_deref(), Some("440511"));
}

#[test]
fn renamed_county_resolves_in_any_year() {
    let new = resolve(Some("凤翔区"), None, "", Some(2020));
    let old = resolve(Some("凤翔县"), None, "", Some(2019));
    assert_eq!(new.code.as_deref(), Some("610305"));
    assert_eq!(old.code.as_deref(), Some("610305"));
    assert_eq!(old.name.as_deref(), Some("凤翔区"));
    assert!(old.note.unwrap_or_default().contains("凤翔县"));
}

#[test]
fn northern_counties() {
    let r = county("萝北县");
    assert_eq!(r.code.as_deref(), Some("230421"));
    assert_eq!(r.province.as_deref(), Some("黑龙江省"));
    assert_eq!(r.prefecture.as_deref(), Some("鹤岗市"));
    let r = county("和林格尔县");
    assert_eq!(r.code.as_deref(), Some("150123"));
    assert_eq!(r.province.as_deref(), Some("内蒙古自治区"));
    assert_eq!(r.prefecture.as_deref(), Some("呼和浩特市"));
}

#[test]
fn ambiguous_district_decided_by_context() {
    let r = resolve(Some("朝阳区"), None, "长春市朝阳区人民政府2020年政府信息公开", None);
    assert_eq!(r.code.as_deref(), Some("220104"));
    assert_eq!(r.prefecture.as_deref(), Some("长春市"));
    let r = resolve(Some("朝阳区"), Some("北京市朝阳区人民政府"), "", None);
    assert_eq!(r.code.as_deref(), Some("110105"));
    assert_eq!(r.prefecture.as_deref(), Some("北京市"));
}

#[test]
fn ambiguous_district_without_hints_stays_unresolved() {
    let r = county("朝阳区");
    assert_eq!(r.code, None);
    assert!(r.candidates.len() >= 2, "{:?}", r.candidates);
    assert!(r.candidates.iter().any(|c| c.starts_with("110105")));
    assert!(r.note.is_some());
}

#[test]
fn unknown_name_is_none() {
    let r = county("火星县");
    assert_eq!(r.code, None);
    assert!(r.note.is_some());
}

#[test]
fn department_agency() {
    let r = resolve(None, Some("凤翔区教育局"), "", Some(2021));
    assert_eq!(r.code.as_deref(), Some("610305"));
    let r = resolve(None, Some("宝鸡市凤翔区人民政府"), "", Some(2021));
    assert_eq!(r.code.as_deref(), Some("610305"));
}

#[test]
fn department_without_place_uses_context() {
    let text = "麟游县教育局2020年政府信息公开工作年度报告\n本报告由县教育局编制";
    let r = resolve(None, Some("县教育局"), text, Some(2020));
    assert_eq!(r.code.as_deref(), Some("610329"));
    let r = resolve(None, Some("县教育局"), "本报告由县教育局编制", Some(2020));
    assert_eq!(r.code, None);
    let r = resolve(None, Some("县教育局"), "麟游县、千阳县联合发布", Some(2020));
    assert_eq!(r.code, None);
    assert!(r.candidates.len() >= 2);
}

#[test]
fn county_agency_beats_prefecture_region_name() {
    let r = resolve(Some("宝鸡市"), Some("麟游县人民政府办公室"), "", Some(2020));
    assert_eq!(r.code.as_deref(), Some("610329"));
}

#[test]
fn prefecture_level_report() {
    let r = resolve(None, Some("淮安市人民政府"), "", Some(2020));
    assert_eq!(r.code.as_deref(), Some("320800"));
    assert_eq!(r.level, Some(Level::Prefecture));
    assert_eq!(r.province.as_deref(), Some("江苏省"));
}

#[test]
fn department_words_are_not_counties() {
    // 公安 and 资源 are county stems (公安县, 资源县) but here they are departments.
    let r = resolve(None, Some("公安局"), "", None);
    assert_eq!(r.code, None);
    let r = resolve(None, Some("自然资源局"), "", None);
    assert_eq!(r.code, None);
}

#[test]
fn merged_district_maps_to_successor() {
    let r = resolve(Some("闸北区"), None, "上海市", Some(2014));
    assert_eq!(r.code.as_deref(), Some("310106"));
}
