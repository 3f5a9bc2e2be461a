use super::*;
use crate::normalise::normalise;

#[test]
fn sample_style_header() {
    let l = normalise("政府信息\n\n麟游县人民政府办公室2019年政府信息公开工作年度报告\n\n发布时间: 2020-01-30 16:50 浏览次数:\n");
    let h = extract(&l);
    assert_eq!(h.agency.as_deref(), Some("麟游县人民政府办公室"));
    assert_eq!(h.agency_kind, "government_office");
    assert_eq!(h.region_name.as_deref(), Some("麟游县"));
    assert_eq!(h.year, Some(2019));
    assert_eq!(h.published_on, Some((2020, 1, 30)));
}

#[test]
fn chinese_year_and_agency_above() {
    let l = normalise("萝北县人民政府\n\n关于二〇一八年度政府信息公开工作的报告\n");
    let h = extract(&l);
    assert_eq!(h.year, Some(2018));
    assert_eq!(h.agency.as_deref(), Some("萝北县人民政府"));
    assert_eq!(h.agency_kind, "government");
}

#[test]
fn title_of_a_page_on_one_line() {
    let text = format!(
        "宁陕县人民政府2021年政府信息公开工作年度报告发布日期:2022-01-20根据《条例》规定,现公布本报告。{}",
        "一、总体情况。".repeat(80)
    );
    let l = normalise(&text);
    let h = extract(&l);
    assert_eq!(h.title.as_deref(), Some("宁陕县人民政府2021年政府信息公开工作年度报告"));
    assert_eq!(h.agency.as_deref(), Some("宁陕县人民政府"));
    assert_eq!(h.year, Some(2021));
    // a sentence that names the report is not a title, nor is a short line's prefix
    let l = normalise(&format!(
        "根据《条例》要求,现公布2021年政府信息公开工作年度报告。{}",
        "正文。".repeat(200)
    ));
    assert_eq!(extract(&l).title, None);
}

#[test]
fn page_metadata_comes_before_the_body() {
    // the body's first title-like line is a navigation menu
    let l = normalise("政府信息公开领导之窗政府机构要闻政府会议最新文件年度报告\n正文\n");
    let mut h = extract(&l);
    let meta = crate::decode::html::PageMeta {
        title: Some("沭阳县发展和改革局2023年政府信息公开年度报告-沭阳县发改局".into()),
        article_title: None,
        pub_date: Some("2024-01-17 10:30".into()),
        content_source: Some("沭阳县发改局".into()),
        site_name: Some("沭阳县人民政府".into()),
        site_code: Some("3213220037".into()),
    };
    apply_page_meta(&mut h, &meta);
    assert_eq!(h.title.as_deref(), Some("沭阳县发展和改革局2023年政府信息公开年度报告"));
    assert_eq!(h.agency.as_deref(), Some("沭阳县发展和改革局"));
    assert_eq!(h.agency_kind, "department");
    assert_eq!(h.year, Some(2023));
    assert_eq!(h.published_on, Some((2024, 1, 17)));
}

#[test]
fn a_collectors_date_is_not_the_publication_date() {
    let l = normalise(
        "标题:某县2023年政府信息公开工作年度报告\n采集时间:2025-12-30T21:37:37+08:00\n公开日期\t2024-01-17\n",
    );
    assert_eq!(extract(&l).published_on, Some((2024, 1, 17)));
}

#[test]
fn the_issuer_on_its_own_line_above_the_title() {
    // 淮安市 2024 as PDF text gives it: spaces between digits and CJK
    let l = normalise("- 1 -\n淮安市人民政府\n2024 年政府信息公开工作年度报告\n本报告由淮安市人民政府办公室根据《条例》规定编制。\n");
    let h = extract(&l);
    assert_eq!(h.title.as_deref(), Some("淮安市人民政府2024年政府信息公开工作年度报告"));
    assert_eq!(h.agency.as_deref(), Some("淮安市人民政府"));
    assert_eq!(h.agency_kind, "government");
    assert_eq!(h.region_name.as_deref(), Some("淮安市"));
    assert_eq!(h.year, Some(2024));
    // pdfminer leaves a blank line between them
    let h = extract(&normalise("淮安市人民政府\n\n2024 年政府信息公开工作年度报告\n"));
    assert_eq!(h.agency.as_deref(), Some("淮安市人民政府"));
    // the office that compiled the report is not the issuer
    let h = extract(&normalise("2024 年政府信息公开工作年度报告\n本报告由淮安市人民政府办公室编制。\n"));
    assert_eq!(h.agency, None);
    assert_eq!(h.agency_kind, "other");
}

#[test]
fn wrapped_marked_and_led_titles() {
    let h = extract(&normalise("2025 年上海市人民政府办公厅政府信息公开\n工作年度报告\n"));
    assert_eq!(h.agency.as_deref(), Some("上海市人民政府办公厅"));
    assert_eq!(h.agency_kind, "government_office");
    assert_eq!(h.year, Some(2025));
    let h = extract(&normalise("# 沐阳县人民政府 2025 年政府信息公开工作年度报告\n"));
    assert_eq!(h.agency.as_deref(), Some("沐阳县人民政府"));
    assert_eq!(h.title.as_deref(), Some("沐阳县人民政府2025年政府信息公开工作年度报告"));
    let h = extract(&normalise(
        "西平县北石乡人民政府 2019 年政府信息公开\n\n工作年度报告\n\n根据《条例》规定。\n",
    ));
    assert_eq!(h.agency.as_deref(), Some("西平县北石乡人民政府"));
    assert_eq!(h.agency_kind, "township");
    assert_eq!(h.year, Some(2019));
    let h = extract(&normalise("河源市东源县档案馆\n2019 年政府信息公开工作年度报告\n"));
    assert_eq!(h.agency.as_deref(), Some("河源市东源县档案馆"));
    assert_eq!(h.agency_kind, "department");
    let h = extract(&normalise("正文\n某某市交通运输局\n2023年政府信息公开工作年度报告\n"));
    assert_eq!(h.agency.as_deref(), Some("某某市交通运输局"));
    assert_eq!(h.agency_kind, "department");
}

#[test]
fn kinds() {
    assert_eq!(agency_kind("宝鸡市凤翔区人民政府"), "government");
    assert_eq!(agency_kind("和林格尔县"), "government");
    assert_eq!(agency_kind("县教育局"), "department");
    assert_eq!(agency_kind("城关镇人民政府"), "township");
    assert_eq!(region_in("宝鸡市凤翔区人民政府").as_deref(), Some("凤翔区"));
}
