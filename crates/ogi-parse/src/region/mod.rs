//! Region resolution: from the place a report names (麟游县, 宝鸡市凤翔区人民政府, 金平县)
//! to a division code in the newest national list.
//!
//! Reports name places in words and the words drift: 凤翔县 became 凤翔区, 金平县 is
//! the everyday name of 金平苗族瑶族傣族自治县, and 朝阳区 exists in two provinces.
//! [`Divisions`] holds every (code, name) pair ever published together with its
//! successor in the newest list (built by `scripts/build_divisions.py`), and
//! [`Divisions::resolve`] picks one using the report's year and the prefecture or
//! province names the report mentions.

pub mod divisions;
pub mod place;
pub mod resolve;
pub mod zones;

pub use divisions::Divisions;
pub use divisions::Level;
pub use place::resolve_region;
pub use resolve::{RegionQuery, Resolution, Resolver};
