//! What the build keeps of every report until the end (copies, checks across reports),
//! kept small: at a million reports, a report's strings held as they come (its id, its
//! path, its region's names) were a gigabyte. An id is a number, a path is the file's
//! place in the input list, and the words many reports share (agencies, regions) are
//! held once.

use crate::model::Region;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// A report_id: 16 lowercase hex digits as a number (what `report_id` makes), any
/// other text as it is, so that it reads back exactly.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Id {
    Hex(u64),
    Text(Box<str>),
}

impl Id {
    pub fn of(id: &str) -> Id {
        // (exactly the digits `{:016x}` writes, so the number reads back as the text)
        let canonical = id.len() == 16 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        match u64::from_str_radix(id, 16) {
            Ok(n) if canonical => Id::Hex(n),
            _ => Id::Text(id.into()),
        }
    }
}

impl std::fmt::Display for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Id::Hex(n) => write!(f, "{n:016x}"),
            Id::Text(s) => f.write_str(s),
        }
    }
}

/// Each distinct word (an agency's name, a region code) held once.
#[derive(Default)]
pub struct Words(HashSet<Arc<str>>);

impl Words {
    pub fn get(&mut self, w: &str) -> Arc<str> {
        if let Some(a) = self.0.get(w) {
            return Arc::clone(a);
        }
        let a: Arc<str> = w.into();
        self.0.insert(Arc::clone(&a));
        a
    }
}

/// Each distinct region held once (reports of a county share it), found by its code.
#[derive(Default)]
pub struct Regions(HashMap<Box<str>, Vec<Arc<Region>>>);

impl Regions {
    pub fn get(&mut self, r: &Region) -> Arc<Region> {
        let code = r.code.as_deref().unwrap_or_default();
        if let Some(a) = self.0.get(code).and_then(|same| same.iter().find(|a| ***a == *r)) {
            return Arc::clone(a);
        }
        let a = Arc::new(r.clone());
        self.0.entry(code.into()).or_default().push(Arc::clone(&a));
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_back_as_written() {
        for id in ["af05b172acae4bed", "00000000000000ff", "AF05B172ACAE4BED", "a", "af05b172acae4bed0", ""] {
            assert_eq!(Id::of(id).to_string(), id);
        }
        assert_eq!(Id::of("00000000000000ff"), Id::Hex(255));
        assert_ne!(Id::of("00000000000000FF"), Id::of("00000000000000ff"), "another text, another id");
    }

    #[test]
    fn words_and_regions_are_held_once() {
        let mut w = Words::default();
        let (a, b) = (w.get("麟游县人民政府"), w.get("麟游县人民政府"));
        assert!(Arc::ptr_eq(&a, &b));
        let mut r = Regions::default();
        let x = Region { code: Some("610329".into()), name: Some("麟游县".into()), ..Region::default() };
        let y = Region { name: Some("麟游".into()), ..x.clone() };
        assert!(Arc::ptr_eq(&r.get(&x), &r.get(&x.clone())));
        assert_eq!(*r.get(&y), y, "another name under the same code is its own region");
    }
}
