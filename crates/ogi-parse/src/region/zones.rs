//! Special zones (综合实验区, 新区 …) that publish their own reports but are not in the
//! division list under their own name: `data/reference/special_zones.csv` says, with its
//! sources, which division each administers. A zone that spans several divisions lists
//! them all and is left unresolved with those candidates; it is never guessed.

use std::sync::OnceLock;

const ZONES_CSV: &str = include_str!("../../../../data/reference/special_zones.csv");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    pub name: String,
    /// The division codes (newest list) the zone covers.
    pub codes: Vec<String>,
}

/// The zones, longest name first (a full name before its short form inside it).
pub fn zones() -> &'static [Zone] {
    static Z: OnceLock<Vec<Zone>> = OnceLock::new();
    Z.get_or_init(|| {
        let mut v: Vec<Zone> = ZONES_CSV
            .lines()
            .skip(1)
            .filter_map(|l| {
                let mut it = l.splitn(3, ',');
                let name = it.next()?.trim().to_string();
                let codes: Vec<String> = it.next()?.split('|').map(|c| c.trim().to_string()).collect();
                (!name.is_empty() && !codes.is_empty()).then_some(Zone { name, codes })
            })
            .collect();
        v.sort_by_key(|z| std::cmp::Reverse(z.name.chars().count()));
        v
    })
}

/// The zone one of `texts` names, if any (the first text that names one decides).
pub fn named_zone<'a>(texts: impl IntoIterator<Item = &'a str>) -> Option<&'static Zone> {
    texts.into_iter().find_map(|t| zones().iter().find(|z| t.contains(z.name.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::region::Divisions;

    #[test]
    fn every_zone_points_at_current_divisions() {
        assert!(zones().len() >= 4);
        for z in zones() {
            for c in &z.codes {
                assert!(
                    Divisions::embedded().current(c).is_some(),
                    "{}: {c} is not in the newest list",
                    z.name
                );
            }
        }
    }

    #[test]
    fn the_full_name_is_found_before_its_short_form() {
        let z = named_zone(["浙江舟山群岛新区管委会2022年政府信息公开工作年度报告"]).expect("a zone");
        assert_eq!(z.name, "浙江舟山群岛新区");
        assert_eq!(named_zone(["麟游县人民政府"]), None);
    }
}
