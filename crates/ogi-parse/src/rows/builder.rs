//! A tiny typed column builder, so each table's schema is declared once, next to
//! the code that fills it: the declaration (`Col`) gives the arrow schema, the
//! builders, and what the contract test compares with docs/dataset.md.

use arrow::array::{
    ArrayRef, ArrowPrimitiveType, BooleanBuilder, Date32Builder, Float64Builder, Int16Builder, Int32Builder,
    Int64Builder, PrimitiveArray, PrimitiveBuilder, StringBuilder,
};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use arrow::error::ArrowError;
use arrow::record_batch::RecordBatch;
use std::sync::Arc;

/// A column's type, as the contract names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Utf8,
    Int16,
    Int32,
    Int64,
    Float64,
    Bool,
    Date32,
}

impl Ty {
    /// The contract's name of the type (docs/dataset.md).
    pub fn as_str(self) -> &'static str {
        match self {
            Ty::Utf8 => "utf8",
            Ty::Int16 => "int16",
            Ty::Int32 => "int32",
            Ty::Int64 => "int64",
            Ty::Float64 => "float64",
            Ty::Bool => "bool",
            Ty::Date32 => "date32",
        }
    }

    fn data_type(self) -> DataType {
        match self {
            Ty::Utf8 => DataType::Utf8,
            Ty::Int16 => DataType::Int16,
            Ty::Int32 => DataType::Int32,
            Ty::Int64 => DataType::Int64,
            Ty::Float64 => DataType::Float64,
            Ty::Bool => DataType::Boolean,
            Ty::Date32 => DataType::Date32,
        }
    }

    fn builder(self) -> Builder {
        match self {
            Ty::Utf8 => Builder::Str(StringBuilder::new()),
            Ty::Int16 => Builder::I16(Int16Builder::new()),
            Ty::Int32 => Builder::I32(Int32Builder::new()),
            Ty::Int64 => Builder::I64(Int64Builder::new()),
            Ty::Float64 => Builder::F64(Float64Builder::new()),
            Ty::Bool => Builder::Bool(BooleanBuilder::new()),
            Ty::Date32 => Builder::Date(Date32Builder::new()),
        }
    }
}

/// One column of a table: its name, type, and whether it may be null.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Col {
    pub name: &'static str,
    pub ty: Ty,
    pub nullable: bool,
}

/// A column that may be null.
pub const fn null(name: &'static str, ty: Ty) -> Col {
    Col { name, ty, nullable: true }
}

/// A column that is never null.
pub const fn never(name: &'static str, ty: Ty) -> Col {
    Col { name, ty, nullable: false }
}

enum Builder {
    Str(StringBuilder),
    I16(Int16Builder),
    I32(Int32Builder),
    I64(Int64Builder),
    F64(Float64Builder),
    Bool(BooleanBuilder),
    Date(Date32Builder),
}

/// A table being filled: each column with its builder.
pub struct Table {
    cols: Vec<(Col, Builder)>,
    rows: usize,
    /// A row that did not fit was pushed: the columns no longer line up.
    spoilt: bool,
}

/// One value for a column, typed so a mismatch is an error, not a wrong cell.
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

impl V<'_> {
    fn is_null(&self) -> bool {
        match self {
            V::S(x) => x.is_none(),
            V::I16(x) => x.is_none(),
            V::I32(x) | V::D(x) => x.is_none(),
            V::I64(x) => x.is_none(),
            V::F64(x) => x.is_none(),
            V::B(x) => x.is_none(),
        }
    }
}

fn invalid(msg: String) -> ArrowError {
    ArrowError::InvalidArgumentError(msg)
}

impl Table {
    pub fn new(cols: &[Col]) -> Table {
        Table { cols: cols.iter().map(|c| (*c, c.ty.builder())).collect(), rows: 0, spoilt: false }
    }

    pub fn len(&self) -> usize {
        self.rows
    }

    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// The declared columns, in order.
    pub fn columns(&self) -> impl Iterator<Item = &Col> {
        self.cols.iter().map(|(c, _)| c)
    }

    /// Appends a row; the values must follow the declaration's order and types.
    pub fn push(&mut self, row: &[V]) -> Result<(), ArrowError> {
        self.push_row(row.iter().copied())
    }

    /// `push` for a row given by value. A value of another type than its column's, a
    /// null in a column that is never null, or a row of another length is an error, and
    /// the table is spoilt: its columns would be a cell apart from then on, so it never
    /// flushes again (the build, or the binding's call, fails with the error).
    pub fn push_row<'a>(&mut self, row: impl IntoIterator<Item = V<'a>>) -> Result<(), ArrowError> {
        let mut row = row.into_iter();
        for (col, b) in self.cols.iter_mut() {
            let Some(v) = row.next() else {
                self.spoilt = true;
                return Err(invalid(format!("a row short of a value for {}", col.name)));
            };
            if !col.nullable && v.is_null() {
                self.spoilt = true;
                return Err(invalid(format!("{}: null in a column that is never null", col.name)));
            }
            match (b, v) {
                (Builder::Str(b), V::S(x)) => b.append_option(x),
                (Builder::I16(b), V::I16(x)) => b.append_option(x),
                (Builder::I32(b), V::I32(x)) => b.append_option(x),
                (Builder::I64(b), V::I64(x)) => b.append_option(x),
                (Builder::F64(b), V::F64(x)) => b.append_option(x),
                (Builder::Bool(b), V::B(x)) => b.append_option(x),
                (Builder::Date(b), V::D(x)) => b.append_option(x),
                (_, v) => {
                    self.spoilt = true;
                    return Err(invalid(format!("{}: a {v:?} for a {} column", col.name, col.ty.as_str())));
                }
            }
        }
        if row.next().is_some() {
            self.spoilt = true;
            return Err(invalid(format!("a row of more than {} values", self.cols.len())));
        }
        self.rows += 1;
        Ok(())
    }

    /// The arrow schema the declaration states.
    pub fn schema(&self) -> SchemaRef {
        let fields: Vec<Field> =
            self.columns().map(|c| Field::new(c.name, c.ty.data_type(), c.nullable)).collect();
        Arc::new(Schema::new(fields))
    }

    /// The rows pushed since the last flush, as one batch. The builders start again
    /// with the capacity this batch needed: the next batch is about as large, and
    /// growing from empty reallocated (and page-faulted) each column a dozen times.
    pub fn flush(&mut self) -> Result<RecordBatch, ArrowError> {
        if self.spoilt {
            return Err(invalid("a row that did not fit its columns was pushed".into()));
        }
        let schema = self.schema();
        let rows = self.rows;
        let arrays: Vec<ArrayRef> = self
            .cols
            .iter_mut()
            .map(|(_, b)| -> ArrayRef {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table::new(&[never("id", Ty::Utf8), null("n", Ty::Int64)])
    }

    #[test]
    fn a_row_that_does_not_fit_is_an_error_and_spoils_the_table() {
        let mut t = table();
        assert!(t.push(&[V::S(Some("a")), V::I64(Some(1))]).is_ok());
        assert!(t.push(&[V::S(Some("d")), V::I64(None)]).is_ok());
        let batch = t.flush().expect("batch");
        assert_eq!(batch.num_rows(), 2);
        let ids = batch.column(0).as_any().downcast_ref::<arrow::array::StringArray>().expect("utf8");
        assert_eq!((ids.value(0), ids.value(1)), ("a", "d"));
        assert_eq!(batch.schema().field(1).data_type(), &DataType::Int64);
        assert!(!batch.schema().field(0).is_nullable());
        for bad in [
            vec![V::S(Some("b")), V::I32(Some(2))],
            vec![V::S(None), V::I64(Some(3))],
            vec![V::S(Some("c"))],
            vec![V::S(Some("c")), V::I64(None), V::I64(None)],
        ] {
            let mut t = table();
            assert!(t.push(&bad).is_err(), "{bad:?}");
            assert!(t.flush().is_err(), "{bad:?}: a spoilt table gives no batch");
        }
    }
}
