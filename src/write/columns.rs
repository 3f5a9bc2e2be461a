//! A tiny typed column builder, so each table's schema is declared once, next to
//! the code that fills it, and the arrow types match the contract by construction.

use arrow::array::{
    ArrayRef, BooleanBuilder, Date32Builder, Float64Builder, Int16Builder, Int32Builder, Int64Builder,
    StringBuilder,
};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use std::sync::Arc;

pub enum Builder {
    Str(StringBuilder),
    I16(Int16Builder),
    I32(Int32Builder),
    I64(Int64Builder),
    F64(Float64Builder),
    Bool(BooleanBuilder),
    Date(Date32Builder),
}

pub struct Table {
    names: Vec<&'static str>,
    nullable: Vec<bool>,
    cols: Vec<Builder>,
    rows: usize,
}

/// One value for a column, typed so a mismatch is a compile-time or test-time error.
pub enum V<'a> {
    S(Option<&'a str>),
    I16(Option<i16>),
    I32(Option<i32>),
    I64(Option<i64>),
    F64(Option<f64>),
    B(Option<bool>),
    D(Option<i32>),
}

impl Table {
    /// `spec`: (name, type, nullable) with type one of utf8, int16, int32, int64, float64, bool, date32.
    pub fn new(spec: &[(&'static str, &'static str, bool)]) -> Table {
        let cols = spec
            .iter()
            .map(|(_, ty, _)| match *ty {
                "int16" => Builder::I16(Int16Builder::new()),
                "int32" => Builder::I32(Int32Builder::new()),
                "int64" => Builder::I64(Int64Builder::new()),
                "float64" => Builder::F64(Float64Builder::new()),
                "bool" => Builder::Bool(BooleanBuilder::new()),
                "date32" => Builder::Date(Date32Builder::new()),
                _ => Builder::Str(StringBuilder::new()),
            })
            .collect();
        Table {
            names: spec.iter().map(|s| s.0).collect(),
            nullable: spec.iter().map(|s| s.2).collect(),
            cols,
            rows: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.rows
    }

    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Appends a row; the values must follow the spec's order and types.
    pub fn push(&mut self, row: &[V]) {
        for (b, v) in self.cols.iter_mut().zip(row) {
            match (b, v) {
                (Builder::Str(b), V::S(x)) => b.append_option(*x),
                (Builder::I16(b), V::I16(x)) => b.append_option(*x),
                (Builder::I32(b), V::I32(x)) => b.append_option(*x),
                (Builder::I64(b), V::I64(x)) => b.append_option(*x),
                (Builder::F64(b), V::F64(x)) => b.append_option(*x),
                (Builder::Bool(b), V::B(x)) => b.append_option(*x),
                (Builder::Date(b), V::D(x)) => b.append_option(*x),
                _ => debug_assert!(false, "value type does not match the column"),
            }
        }
        self.rows += 1;
    }

    pub fn finish(mut self) -> Result<RecordBatch, arrow::error::ArrowError> {
        let mut fields = Vec::new();
        let mut arrays: Vec<ArrayRef> = Vec::new();
        for ((name, nullable), b) in self.names.iter().zip(&self.nullable).zip(self.cols.iter_mut()) {
            let (ty, arr): (DataType, ArrayRef) = match b {
                Builder::Str(b) => (DataType::Utf8, Arc::new(b.finish())),
                Builder::I16(b) => (DataType::Int16, Arc::new(b.finish())),
                Builder::I32(b) => (DataType::Int32, Arc::new(b.finish())),
                Builder::I64(b) => (DataType::Int64, Arc::new(b.finish())),
                Builder::F64(b) => (DataType::Float64, Arc::new(b.finish())),
                Builder::Bool(b) => (DataType::Boolean, Arc::new(b.finish())),
                Builder::Date(b) => (DataType::Date32, Arc::new(b.finish())),
            };
            fields.push(Field::new(*name, ty, *nullable));
            arrays.push(arr);
        }
        RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)
    }
}
