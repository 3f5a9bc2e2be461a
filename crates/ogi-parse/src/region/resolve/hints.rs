//! The prefectures and provinces a report mentions: hints that narrow a name shared by
//! several divisions (朝阳区) to the one inside them.

use super::{clean, RegionQuery, CONTEXT_CHARS};
use crate::region::divisions::{Divisions, Level, Mention};
use crate::template::template;
use std::collections::BTreeSet;

/// Prefectures and provinces the report mentions, as code prefixes of the newest list.
#[derive(Debug, Default)]
pub(super) struct Hints {
    pub prefectures: BTreeSet<String>,
    pub provinces: BTreeSet<String>,
    /// 州级/州委 wording: the report sits under an autonomous prefecture (自治州).
    pub autonomous_prefecture: bool,
}

impl Hints {
    pub(super) fn gather(table: &Divisions, q: &RegionQuery<'_>) -> Hints {
        let context: String = q.context.chars().take(CONTEXT_CHARS).collect();
        let texts = [q.region_name, q.agency, q.title, Some(context.as_str())];
        let mut hints = Hints::default();
        for text in texts.into_iter().flatten().map(clean) {
            hints.autonomous_prefecture |=
                template().region.autonomous_prefecture.iter().any(|w| text.contains(w.as_str()));
            for mention in table.scan(&text, 2) {
                hints.add(table, &mention);
            }
        }
        hints
    }

    fn add(&mut self, table: &Divisions, mention: &Mention<'_>) {
        for row in mention.hits.iter().filter_map(|h| table.row(h.row)) {
            let Some(code) = row.current_code.as_deref() else {
                continue;
            };
            match row.level {
                Level::Prefecture => self.prefectures.extend(code.get(..4).map(str::to_string)),
                Level::Province => self.provinces.extend(code.get(..2).map(str::to_string)),
                Level::County => {}
            }
        }
    }

    /// A named prefecture outweighs a named province, which outweighs 州级 wording.
    pub(super) fn score(&self, table: &Divisions, code: &str) -> u32 {
        let in_prefecture = code.get(..4).is_some_and(|p| self.prefectures.contains(p));
        let in_province = code.get(..2).is_some_and(|p| self.provinces.contains(p));
        let autonomous = self.autonomous_prefecture
            && table.current(code).is_some_and(|d| {
                let r = &template().region;
                d.prefecture.ends_with(r.autonomous_prefecture_ending.as_str())
                    || d.name.ends_with(r.autonomous_name_ending.as_str())
            });
        4 * u32::from(in_prefecture) + 2 * u32::from(in_province) + u32::from(autonomous)
    }
}
