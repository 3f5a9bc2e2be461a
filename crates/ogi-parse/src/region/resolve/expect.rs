//! What level of division an agency's wording implies: 县教育局 is a county body,
//! 州民政局 a prefecture's, 省… a province's.

use super::clean;
use crate::region::divisions::Level;

/// The level the agency's own wording implies (县教育局 is a county body).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Expect {
    County,
    Prefecture,
    Province,
    CityOrCounty,
    Any,
}

impl Expect {
    pub(super) fn from_agency(agency: Option<&str>) -> Expect {
        let marks = &crate::template::template().region.level_marks;
        let Some(first) = clean(agency.unwrap_or_default()).chars().next() else { return Expect::Any };
        if marks.county.contains(&first) {
            Expect::County
        } else if marks.prefecture.contains(&first) {
            Expect::Prefecture
        } else if marks.province.contains(&first) {
            Expect::Province
        } else if marks.city.contains(&first) {
            Expect::CityOrCounty
        } else {
            Expect::Any
        }
    }

    pub(super) fn allows(self, level: Level) -> bool {
        match self {
            Expect::County => level == Level::County,
            Expect::Prefecture => level == Level::Prefecture,
            Expect::Province => level == Level::Province,
            Expect::CityOrCounty => level != Level::Province,
            Expect::Any => true,
        }
    }
}
