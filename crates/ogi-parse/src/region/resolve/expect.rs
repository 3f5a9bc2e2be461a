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
        match clean(agency.unwrap_or_default()).chars().next() {
            Some('县' | '区' | '旗') => Expect::County,
            Some('州' | '盟') => Expect::Prefecture,
            Some('省') => Expect::Province,
            Some('市') => Expect::CityOrCounty,
            _ => Expect::Any,
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
