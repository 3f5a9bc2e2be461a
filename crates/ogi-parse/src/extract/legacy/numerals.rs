//! Numbers as legacy prose writes them: Arabic digits, or Chinese numerals
//! (两件, 十二件, 一百零三条, 二〇一六年). Used only where a unit follows, so "一是"
//! and "一、" are never read as numbers.

/// The characters a Chinese numeral is written with.
macro_rules! chinese_numerals {
    () => {
        "零〇一二两三四五六七八九十百千万"
    };
}

/// `chinese_numerals!` as a constant, for code that looks for the characters.
pub const CHINESE_NUMERALS: &str = chinese_numerals!();

/// The regex fragment matching one number in either script.
pub const NUMBER: &str = concat!(r"(\d+(?:\.\d+)?|[", chinese_numerals!(), "]+)");

/// Parses Arabic or Chinese numerals; None for anything else.
pub fn parse(s: &str) -> Option<f64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return s.parse().ok();
    }
    chinese(s).map(|v| v as f64)
}

fn digit(c: char) -> Option<u64> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn unit(c: char) -> Option<u64> {
    Some(match c {
        '十' => 10,
        '百' => 100,
        '千' => 1000,
        '万' => 10_000,
        _ => return None,
    })
}

/// 一百零三 → 103, 十二 → 12, 两千 → 2000, 三万五千 → 35000; digit strings without
/// units (二〇一六) read positionally.
fn chinese(s: &str) -> Option<u64> {
    if s.chars().all(|c| digit(c).is_some()) {
        return s.chars().try_fold(0u64, |acc, c| Some(acc.checked_mul(10)? + digit(c)?));
    }
    let mut total = 0u64;
    let mut section = 0u64;
    let mut pending: Option<u64> = None;
    for c in s.chars() {
        if let Some(d) = digit(c) {
            pending = Some(d);
        } else if let Some(u) = unit(c) {
            if u == 10_000 {
                section += pending.take().unwrap_or(0);
                total = total.checked_add(section.checked_mul(u)?)?;
                section = 0;
            } else {
                section = section.checked_add(pending.take().unwrap_or(1).checked_mul(u)?)?;
            }
        } else {
            return None;
        }
    }
    Some(total + section + pending.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn chinese_numerals() {
        assert_eq!(parse("两"), Some(2.0));
        assert_eq!(parse("十二"), Some(12.0));
        assert_eq!(parse("一百零三"), Some(103.0));
        assert_eq!(parse("三万五千"), Some(35000.0));
        assert_eq!(parse("二〇一六"), Some(2016.0));
        assert_eq!(parse("二十"), Some(20.0));
        assert_eq!(parse("1727"), Some(1727.0));
        assert_eq!(parse("一是"), None);
    }
}
