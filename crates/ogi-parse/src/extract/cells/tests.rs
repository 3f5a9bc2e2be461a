use super::*;

fn vals(toks: &[Tok]) -> Vec<String> {
    toks.iter()
        .map(|t| match t {
            Tok::Value { value, .. } => value.to_string(),
            Tok::Zero { .. } => "z".into(),
            Tok::Empty { .. } => "e".into(),
        })
        .collect()
}

#[test]
fn positional_keeps_empty_cells() {
    assert_eq!(
        vals(&tokens_of("政府信息公开申请数量\t5\t\t\t\t\t\t5", 1, true)),
        ["5", "e", "e", "e", "e", "e", "5"]
    );
    assert_eq!(vals(&tokens_of(" | 3 | — | | 3 |", 1, true)), ["3", "z", "e", "3"]);
}

#[test]
fn spaces_drop_label_text_and_find_glued_numbers() {
    assert_eq!(
        vals(&tokens_of("(区分处理的,只计这一情形,不 0 0 / 无 0", 1, true)),
        ["0", "0", "z", "z", "0"]
    );
    assert_eq!(vals(&tokens_of("申请数量5 0 5", 1, true)), ["5", "0", "5"]);
    assert_eq!(vals(&tokens_of("2019年共收到", 1, false)), Vec::<String>::new());
}

#[test]
fn units_and_separators() {
    match parse_piece("96.13万元", 1) {
        Some(Tok::Value { value, unit, .. }) => {
            assert!((value - 96.13).abs() < 1e-9);
            assert_eq!(unit, Unit::Money(10_000.0));
        }
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(parse_piece("1,234", 1), Some(Tok::Value { value, digits: None, .. }) if value == 1234.0)
    );
    assert!(matches!(parse_piece("-1", 1), Some(Tok::Value { value, .. }) if value == -1.0));
    assert!(is_furniture("|---|:---:|"));
    assert!(is_numeric_line("3\t—\t\t1,234\t96.13万元\t无") && !is_numeric_line("3 件数"));
    assert!(is_furniture("- 4 -"));
    assert!(!is_furniture("4"));
    // either page-number pattern of the template
    assert!(is_furniture("第 3 页 / 共 12 页"));
    assert!(is_furniture(" 第12页 "));
    assert!(!is_furniture("第3项 12"));
    assert!(!is_furniture("- 4 - 5"));
    // comma-separated rows keep their empty cells; a thousands separator is a number
    assert_eq!(vals(&tokens_of("(一)予以公开,3,,0,1,0,0,4", 1, true)), ["3", "e", "0", "1", "0", "0", "4"]);
    assert_eq!(vals(&tokens_of("行政许可 1,234 5", 1, true)), ["1234", "5"]);
}

#[test]
fn minus_signs_belong_to_the_digits_after_them() {
    assert_eq!(vals(&tokens_of("行政事业性收费35-15", 1, false)), ["35", "-15"]);
    assert_eq!(vals(&tokens_of("行政处罚  234  -1  396", 1, false)), ["234", "-1", "396"]);
    assert_eq!(vals(&tokens_of("行政许可 5 - 7", 1, false)), ["5", "z", "7"]);
    assert_eq!(split_signed("35-15"), ["35", "-15"]);
    assert_eq!(split_signed("-3-2"), ["-3", "-2"]);
    assert_eq!(split_signed("-12"), ["-12"]);
    assert_eq!(split_signed("3-"), ["3-"]);
}

#[test]
fn glued_splits_enumerate_without_leading_zeros() {
    let s = glued_splits("452000047", 7);
    assert!(s.contains(&vec![45, 2, 0, 0, 0, 0, 47]));
    assert!(!s.iter().any(|v| v.last() == Some(&47)
        && v.first() == Some(&4)
        && v.get(1) == Some(&52)
        && v.iter().sum::<i64>() == 0));
    assert_eq!(glued_splits("0000000", 7), vec![vec![0; 7]]);
    assert!(glued_splits("12", 3).is_empty());
}
