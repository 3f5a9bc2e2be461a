//! Region resolution end to end: report text → region_code, province, prefecture,
//! level, through the same path as `ogi build` (header extraction + resolver).

use ogi::model::Report;
use ogi::parse::parse_report;
use ogi::region::resolve_region;

fn report(text: &str) -> Report {
    let mut r = parse_report("x.txt", text.as_bytes());
    resolve_region(&mut r);
    r
}

const BODY: &str = "\n一、总体情况\n本年度工作有序开展。\n";

#[test]
fn renamed_county_in_its_old_name_gets_the_current_code() {
    let r = report(&format!("凤翔县人民政府2019年政府信息公开工作年度报告{BODY}"));
    assert_eq!(r.region.code.as_deref(), Some("610305"));
    assert_eq!(r.region.prefecture.as_deref(), Some("宝鸡市"));
    let r = report(&format!("宝鸡市凤翔区人民政府2021年政府信息公开工作年度报告{BODY}"));
    assert_eq!(r.region.code.as_deref(), Some("610305"), "old and new name share one code");
}

#[test]
fn ambiguous_name_is_decided_by_the_prefecture_in_the_text() {
    let r =
        report(&format!("朝阳区人民政府2020年政府信息公开工作年度报告\n长春市朝阳区人民政府办公室{BODY}"));
    assert_eq!(r.region.code.as_deref(), Some("220104"));
    assert_eq!(r.region.province.as_deref(), Some("吉林省"));
}

#[test]
fn autonomous_county_short_form() {
    let r = report(&format!("金平县人民政府2022年政府信息公开工作年度报告\n收到州级转办申请。{BODY}"));
    assert_eq!(r.region.code.as_deref(), Some("532530"));
    assert_eq!(r.region.name.as_deref(), Some("金平苗族瑶族傣族自治县"));
    assert_eq!(r.region_name.as_deref(), Some("金平县"), "the name as written is kept too");
}

#[test]
fn department_report_resolves_to_its_county() {
    let r = report(&format!("凤翔区教育局2021年政府信息公开工作年度报告{BODY}"));
    assert_eq!(r.agency_kind, "department");
    assert_eq!(r.region.code.as_deref(), Some("610305"));
}

#[test]
fn prefecture_level_report() {
    let r = report(&format!("淮安市人民政府2021年政府信息公开工作年度报告{BODY}"));
    assert_eq!(r.region.code.as_deref(), Some("320800"));
    assert_eq!(r.region.level.as_deref(), Some("prefecture"));
}

#[test]
fn unresolvable_name_is_null_with_a_diagnostic_naming_candidates() {
    let r = report(&format!("朝阳区人民政府2020年政府信息公开工作年度报告{BODY}"));
    assert_eq!(r.region.code, None);
    let d = r.diagnostics.iter().find(|d| d.code == "region_unresolved").expect("diagnostic");
    assert!(d.message.contains("110105") && d.message.contains("220104"), "{}", d.message);
    let r = report(&format!("火星县人民政府2020年政府信息公开工作年度报告{BODY}"));
    assert_eq!(r.region.code, None);
    assert!(r.diagnostics.iter().any(|d| d.code == "region_unresolved"));
}

fn page(head: &str, body: &str) -> Report {
    let html = format!(
        "<html><head><meta charset=\"utf-8\">{head}</head><body><div class=\"nav\">首页 政务公开 政府信息公开年报 领导之窗</div>{body}</body></html>"
    );
    let mut r = parse_report("x.html", html.as_bytes());
    resolve_region(&mut r);
    r
}

/// A body the division list does not name is placed by its site's code, because the
/// report names the county the code stands for (平潭).
#[test]
fn site_code_places_a_zone_whose_county_the_report_names() {
    let head = "<title>平潭金井湾片区管理局2023年政府信息公开工作年度报告</title>\
                <meta name=\"SiteIDCode\" content=\"3501280001\"><meta name=\"PubDate\" content=\"2024-01-30 09:00\">";
    let r = page(head, "<p>一、总体情况</p><p>本年度工作有序开展。</p>");
    assert_eq!(r.title.as_deref(), Some("平潭金井湾片区管理局2023年政府信息公开工作年度报告"));
    assert_eq!(r.region.code.as_deref(), Some("350128"));
    assert_eq!(r.region.prefecture.as_deref(), Some("福州市"));
    assert!(r.diagnostics.iter().any(|d| d.code == "region_from_site_code"));
    assert_eq!(r.year, Some(2023));
    assert_eq!(r.published_on, ogi::extract::days_from_civil(2024, 1, 30));
}

/// The site code is never taken alone: a page whose text names no place of it stays
/// unresolved, and a report that names its own county keeps it.
#[test]
fn site_code_never_overrides_or_replaces_the_reports_words() {
    let head = "<meta name=\"SiteIDCode\" content=\"3501280001\">\
                <meta name=\"ArticleTitle\" content=\"麟游县人民政府2021年政府信息公开工作年度报告\">";
    let r = page(head, "<p>一、总体情况</p>");
    assert_eq!(r.region.code.as_deref(), Some("610329"), "the report names 麟游县");
    let head = "<meta name=\"SiteIDCode\" content=\"3501280001\">\
                <meta name=\"ArticleTitle\" content=\"某开发区管委会2021年政府信息公开工作年度报告\">";
    let r = page(head, "<p>一、总体情况</p>");
    assert_eq!(r.region.code, None);
}

/// A special zone is placed by the data file, without any site code; one that spans
/// several counties stays unresolved with them as candidates.
#[test]
fn special_zones_from_the_data_file() {
    let r = report(&format!("平潭综合实验区管委会2022年政府信息公开工作年度报告{BODY}"));
    assert_eq!(r.region.code.as_deref(), Some("350128"));
    assert!(r.diagnostics.iter().any(|d| d.code == "region_special_zone"));
    let r = report(&format!("河北雄安新区管理委员会2022年政府信息公开工作年度报告{BODY}"));
    assert_eq!(r.region.code, None);
    let why = r.diagnostics.iter().find(|d| d.code == "region_unresolved").map(|d| d.message.clone());
    assert!(why.as_deref().is_some_and(|m| m.contains("130638") && m.contains("130629")), "{why:?}");
}
