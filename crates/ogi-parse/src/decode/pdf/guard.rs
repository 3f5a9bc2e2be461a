//! Loops the engine would follow forever. pdf-extract walks a page's Parent chain for
//! inherited resources and draws a form XObject by recursing into it, with no check
//! for a cycle: a hostile or broken file (a form that draws itself, a page tree whose
//! Parent points back down) would overflow the stack, which no `catch_unwind` survives
//! and which would end the whole build. Such a page is not handed to the engine.

use pdf_extract::{Dictionary, Document, Object, ObjectId};

/// A Parent chain longer than this is a loop or a hostile file (real trees are 2–4 deep).
const MAX_TREE_DEPTH: usize = 64;
/// Forms nested deeper than this are not drawn (Word and WPS nest one or two).
const MAX_FORM_DEPTH: usize = 16;
/// Form visits per page: forms that each draw several others blow up exponentially.
const MAX_FORM_VISITS: usize = 4096;

/// Whether the engine can draw the page without looping.
pub fn page_is_safe(doc: &Document, page: ObjectId) -> bool {
    let Some(resources) = inherited_resources(doc, page) else { return false };
    let mut visits = 0;
    forms_are_finite(doc, resources, &mut Vec::new(), &mut visits)
}

/// The page's resources as the engine finds them (the page's own, or the nearest
/// ancestor's); None when the Parent chain loops or runs too deep. A page without
/// any resources is safe: there is nothing to draw through.
fn inherited_resources(doc: &Document, page: ObjectId) -> Option<Option<&Dictionary>> {
    let mut seen: Vec<ObjectId> = Vec::new();
    let mut node = page;
    loop {
        if seen.contains(&node) || seen.len() >= MAX_TREE_DEPTH {
            return None;
        }
        seen.push(node);
        let Ok(dict) = doc.get_dictionary(node) else { return Some(None) };
        if let Some(res) = dict.get(b"Resources").ok().and_then(|o| resolve_dict(doc, o)) {
            return Some(Some(res));
        }
        match dict.get(b"Parent").and_then(Object::as_reference) {
            Ok(parent) => node = parent,
            Err(_) => return Some(None),
        }
    }
}

fn resolve_dict<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Dictionary> {
    doc.dereference(o).ok().and_then(|(_, o)| o.as_dict().ok())
}

/// Every form reachable from `resources` is drawn a bounded number of times: no form
/// draws itself (directly, or through a form without resources of its own, which
/// draws through the resources it was called with).
fn forms_are_finite(
    doc: &Document,
    resources: Option<&Dictionary>,
    stack: &mut Vec<ObjectId>,
    visits: &mut usize,
) -> bool {
    let Some(xobjects) = resources.and_then(|r| r.get(b"XObject").ok()).and_then(|o| resolve_dict(doc, o))
    else {
        return true;
    };
    for (_, entry) in xobjects.iter() {
        let Ok((Some(id), object)) = doc.dereference(entry) else { continue };
        let Ok(stream) = object.as_stream() else { continue };
        let is_form = stream.dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|n| n == b"Form");
        if !is_form {
            continue;
        }
        *visits += 1;
        if stack.contains(&id) || stack.len() >= MAX_FORM_DEPTH || *visits > MAX_FORM_VISITS {
            return false;
        }
        let own = stream.dict.get(b"Resources").ok().and_then(|o| resolve_dict(doc, o));
        stack.push(id);
        let finite = forms_are_finite(doc, own.or(resources), stack, visits);
        stack.pop();
        if !finite {
            return false;
        }
    }
    true
}
