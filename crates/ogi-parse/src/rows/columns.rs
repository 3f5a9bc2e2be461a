//! A tiny typed column builder, so each table's schema is declared once, next to
//! the code that fills it, and the arrow types match the contract by construction.

use arrow::array::{
    ArrayRef, ArrowPrimitiveType, BooleanBuilder, Date32Builder, Float64Builder, Int16Builder, Int32Builder,
    Int64Builder, PrimitiveArray, PrimitiveBuilder, StringBuilder,
};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
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
#[derive(Debug, Clone, Copy)]
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
        self.push_row(row.iter().copied());
    }

    /// `push` for a row given by value, in the spec's order.
    pub fn push_row<'a>(&mut self, row: impl IntoIterator<Item = V<'a>>) {
        for (b, v) in self.cols.iter_mut().zip(row) {
            match (b, v) {
                (Builder::Str(b), V::S(x)) => b.append_option(x),
                (Builder::I16(b), V::I16(x)) => b.append_option(x),
                (Builder::I32(b), V::I32(x)) => b.append_option(x),
                (Builder::I64(b), V::I64(x)) => b.append_option(x),
                (Builder::F64(b), V::F64(x)) => b.append_option(x),
                (Builder::Bool(b), V::B(x)) => b.append_option(x),
                (Builder::Date(b), V::D(x)) => b.append_option(x),
                _ => debug_assert!(false, "value type does not match the column"),
            }
        }
        self.rows += 1;
    }

    /// The arrow schema the spec declares.
    pub fn schema(&self) -> SchemaRef {
        let fields: Vec<Field> = self
            .names
            .iter()
            .zip(&self.nullable)
            .zip(&self.cols)
            .map(|((name, nullable), b)| Field::new(*name, data_type(b), *nullable))
            .collect();
        Arc::new(Schema::new(fields))
    }

    /// The rows pushed since the last flush, as one batch. The builders start again
    /// with the capacity this batch needed: the next batch is about as large, and
    /// growing from empty reallocated (and page-faulted) each column a dozen times.
    pub fn flush(&mut self) -> Result<RecordBatch, arrow::error::ArrowError> {
        let schema = self.schema();
        let rows = self.rows;
        let arrays: Vec<ArrayRef> = self
            .cols
            .iter_mut()
            .map(|b| -> ArrayRef {
                match b {
                    Builder::Str(b) => {
                        let a = b.finish();
                        *b = StringBuilder::with_capacity(rows, a.value_data().len());
                        Arc::new(a)
                    }
                    Builder::I16(b) => Arc::new(refill(b, rows)),
                    Builder::I32(b) => Arc::new(refill(b, rows)),
                    Builder::I64(b) => Arc::new(refill(b, rows)),
                    Builder::F64(b) => Arc::new(refill(b, rows)),
                    Builder::Date(b) => Arc::new(refill(b, rows)),
                    Builder::Bool(b) => {
                        let a = b.finish();
                        *b = BooleanBuilder::with_capacity(rows);
                        Arc::new(a)
                    }
                }
            })
            .collect();
        self.rows = 0;
        RecordBatch::try_new(schema, arrays)
    }
}

fn refill<T: ArrowPrimitiveType>(b: &mut PrimitiveBuilder<T>, rows: usize) -> PrimitiveArray<T> {
    let a = b.finish();
    *b = PrimitiveBuilder::with_capacity(rows);
    a
}

fn data_type(b: &Builder) -> DataType {
    match b {
        Builder::Str(_) => DataType::Utf8,
        Builder::I16(_) => DataType::Int16,
        Builder::I32(_) => DataType::Int32,
        Builder::I64(_) => DataType::Int64,
        Builder::F64(_) => DataType::Float64,
        Builder::Bool(_) => DataType::Boolean,
        Builder::Date(_) => DataType::Date32,
    }
}
