//! The generic table every export starts from.

use std::fmt;

use time::Date;

use crate::ReportError;

/// What a column holds, which decides how its cells are written: text as
/// text, integers and percentages as numbers, dates as dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnKind {
    Text,
    Integer,
    Date,
    Percent,
}

impl ColumnKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ColumnKind::Text => "text",
            ColumnKind::Integer => "integer",
            ColumnKind::Date => "date",
            ColumnKind::Percent => "percent",
        }
    }
}

impl fmt::Display for ColumnKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A column: the text of its header and the kind of its cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub header: String,
    pub kind: ColumnKind,
}

impl Column {
    pub fn new(header: impl Into<String>, kind: ColumnKind) -> Self {
        Self {
            header: header.into(),
            kind,
        }
    }

    pub fn text(header: impl Into<String>) -> Self {
        Self::new(header, ColumnKind::Text)
    }

    pub fn integer(header: impl Into<String>) -> Self {
        Self::new(header, ColumnKind::Integer)
    }

    pub fn date(header: impl Into<String>) -> Self {
        Self::new(header, ColumnKind::Date)
    }

    pub fn percent(header: impl Into<String>) -> Self {
        Self::new(header, ColumnKind::Percent)
    }
}

/// One cell's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Integer(i64),
    Date(Date),
    /// A share as a fraction: `0.275` is 27.5 %. This is how Excel stores
    /// percentages, so the XLSX cell holds the same number.
    Percent(f64),
    /// No value; allowed in a column of any kind.
    Empty,
}

impl Cell {
    /// The kind of column this value belongs in; `None` for [`Cell::Empty`],
    /// which belongs in any.
    pub fn kind(&self) -> Option<ColumnKind> {
        match self {
            Cell::Text(_) => Some(ColumnKind::Text),
            Cell::Integer(_) => Some(ColumnKind::Integer),
            Cell::Date(_) => Some(ColumnKind::Date),
            Cell::Percent(_) => Some(ColumnKind::Percent),
            Cell::Empty => None,
        }
    }
}

impl From<&str> for Cell {
    fn from(value: &str) -> Self {
        Cell::Text(value.to_owned())
    }
}

impl From<String> for Cell {
    fn from(value: String) -> Self {
        Cell::Text(value)
    }
}

impl From<i64> for Cell {
    fn from(value: i64) -> Self {
        Cell::Integer(value)
    }
}

impl From<u32> for Cell {
    fn from(value: u32) -> Self {
        Cell::Integer(i64::from(value))
    }
}

impl From<Date> for Cell {
    fn from(value: Date) -> Self {
        Cell::Date(value)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(value: Option<T>) -> Self {
        value.map_or(Cell::Empty, Into::into)
    }
}

/// A titled table whose rows all fit its columns.
///
/// The fields are private so that every `Table` has been checked by
/// [`Table::new`] or [`Table::push_row`]: each row has one cell per column,
/// each cell is [`Cell::Empty`] or of its column's kind, and each percentage
/// is a finite number.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    title: String,
    columns: Vec<Column>,
    rows: Vec<Vec<Cell>>,
}

impl Table {
    /// A table, if every row fits the columns.
    pub fn new(
        title: impl Into<String>,
        columns: Vec<Column>,
        rows: Vec<Vec<Cell>>,
    ) -> Result<Self, ReportError> {
        if columns.is_empty() {
            return Err(ReportError::NoColumns);
        }
        for (index, row) in rows.iter().enumerate() {
            check_row(&columns, index, row)?;
        }
        Ok(Self {
            title: title.into(),
            columns,
            rows,
        })
    }

    /// A table the caller has built to fit by construction. Checked in
    /// debug builds only.
    pub(crate) fn from_checked_parts(
        title: String,
        columns: Vec<Column>,
        rows: Vec<Vec<Cell>>,
    ) -> Self {
        debug_assert!(!columns.is_empty());
        debug_assert!(
            rows.iter()
                .enumerate()
                .all(|(i, row)| check_row(&columns, i, row).is_ok())
        );
        Self {
            title,
            columns,
            rows,
        }
    }

    /// Adds a row at the end, if it fits the columns.
    pub fn push_row(&mut self, row: Vec<Cell>) -> Result<(), ReportError> {
        check_row(&self.columns, self.rows.len(), &row)?;
        self.rows.push(row);
        Ok(())
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    pub fn rows(&self) -> &[Vec<Cell>] {
        &self.rows
    }
}

fn check_row(columns: &[Column], row: usize, cells: &[Cell]) -> Result<(), ReportError> {
    if cells.len() != columns.len() {
        return Err(ReportError::RowLength {
            row,
            expected: columns.len(),
            found: cells.len(),
        });
    }
    for (column, (cell, spec)) in cells.iter().zip(columns).enumerate() {
        if let Some(found) = cell.kind()
            && found != spec.kind
        {
            return Err(ReportError::CellKind {
                row,
                column,
                expected: spec.kind,
                found,
            });
        }
        if let Cell::Percent(value) = cell
            && !value.is_finite()
        {
            return Err(ReportError::NonFinitePercent { row, column });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn columns() -> Vec<Column> {
        vec![
            Column::text("Opgave"),
            Column::integer("Fuldført"),
            Column::date("Frist"),
            Column::percent("Andel"),
        ]
    }

    #[test]
    fn accepts_rows_that_fit_and_empty_cells_anywhere() {
        let table = Table::new(
            "Status",
            columns(),
            vec![
                vec![
                    "KLIK".into(),
                    35_i64.into(),
                    date!(2025 - 03 - 01).into(),
                    Cell::Percent(0.357),
                ],
                vec![Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty],
            ],
        )
        .expect("rows fit");
        assert_eq!(table.title(), "Status");
        assert_eq!(table.columns().len(), 4);
        assert_eq!(table.rows().len(), 2);
    }

    #[test]
    fn refuses_a_row_of_the_wrong_length() {
        let err = Table::new("t", columns(), vec![vec!["a".into()]]).expect_err("short row");
        assert!(matches!(
            err,
            ReportError::RowLength {
                row: 0,
                expected: 4,
                found: 1
            }
        ));
        let mut table = Table::new("t", vec![Column::text("a")], vec![]).expect("no rows is fine");
        let err = table
            .push_row(vec!["x".into(), "y".into()])
            .expect_err("long row");
        assert!(matches!(
            err,
            ReportError::RowLength {
                row: 0,
                expected: 1,
                found: 2
            }
        ));
        table.push_row(vec!["x".into()]).expect("fits");
        assert_eq!(table.rows().len(), 1);
    }

    #[test]
    fn refuses_no_columns_a_wrong_kind_and_non_finite_percentages() {
        assert!(matches!(
            Table::new("t", vec![], vec![]),
            Err(ReportError::NoColumns)
        ));
        let err = Table::new("t", vec![Column::integer("n")], vec![vec!["12".into()]])
            .expect_err("text in an integer column");
        assert!(matches!(
            err,
            ReportError::CellKind {
                row: 0,
                column: 0,
                expected: ColumnKind::Integer,
                found: ColumnKind::Text
            }
        ));
        assert_eq!(
            err.to_string(),
            "row 0, column 0: expected integer, found text"
        );
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let err = Table::new(
                "t",
                vec![Column::percent("p")],
                vec![vec![Cell::Percent(bad)]],
            )
            .expect_err("not finite");
            assert!(matches!(
                err,
                ReportError::NonFinitePercent { row: 0, column: 0 }
            ));
        }
    }

    #[test]
    fn options_become_empty_cells() {
        assert_eq!(Cell::from(None::<i64>), Cell::Empty);
        assert_eq!(Cell::from(Some(3_u32)), Cell::Integer(3));
    }
}
