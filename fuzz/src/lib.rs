//! The parser of `ogi`, compiled from its own source files for fuzzing: the modules
//! `parse_report` uses, at the same paths under `crate::` as in the `ogi` crate.
//! If the parser starts using another module of `ogi`, add it here.
#![allow(dead_code, clippy::all)]

#[path = "../../src/decode/mod.rs"]
pub mod decode;
#[path = "../../src/extract/mod.rs"]
pub mod extract;
#[path = "../../src/model.rs"]
pub mod model;
#[path = "../../src/normalise.rs"]
pub mod normalise;
#[path = "../../src/segment.rs"]
pub mod segment;
#[path = "../../src/template/mod.rs"]
pub mod template;
#[path = "../../src/validate/mod.rs"]
pub mod validate;
