use thiserror::Error;

use crate::table::ColumnKind;

/// Why a table could not be built or exported.
#[derive(Debug, Error)]
pub enum ReportError {
    /// A table needs at least one column.
    #[error("a table needs at least one column")]
    NoColumns,
    /// A row has more or fewer cells than the table has columns.
    #[error("row {row} has {found} cells, but the table has {expected} columns")]
    RowLength {
        /// Index of the row among the data rows, from 0.
        row: usize,
        expected: usize,
        found: usize,
    },
    /// A cell holds a value of another kind than its column.
    #[error("row {row}, column {column}: expected {expected}, found {found}")]
    CellKind {
        row: usize,
        column: usize,
        expected: ColumnKind,
        found: ColumnKind,
    },
    /// A percentage is NaN or infinite.
    #[error("row {row}, column {column}: a percentage must be a finite number")]
    NonFinitePercent { row: usize, column: usize },
    /// A CSV separator that would make the file unreadable.
    #[error("{0:?} cannot separate CSV fields: use ';', ',', a tab or '|'")]
    InvalidSeparator(char),
    /// The table is larger than an Excel worksheet (1,048,576 rows,
    /// 16,384 columns).
    #[error("the table is too large for an Excel worksheet: {0}")]
    TooLarge(String),
    /// The XLSX writer refused the data, for example a text of more than
    /// Excel's 32,767 characters in a cell.
    #[error("writing the XLSX file failed: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// The PDF writer refused the document (krilla's own account of why).
    #[error("writing the PDF file failed: {0}")]
    Pdf(String),
}
