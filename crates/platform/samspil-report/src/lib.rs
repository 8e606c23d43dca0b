//! Exports of samspil's tables: CSV and XLSX files, and an SVG chart of
//! the municipalities' status on tasks.
//!
//! The monthly meetings look at status tables: for each task, how many of
//! the 98 municipalities have completed it ("Fuldført"), started it
//! ("Påbegyndt") or not started it ("Ikke påbegyndt"). Every such table can
//! be downloaded as CSV ([`to_csv`]) and XLSX ([`to_xlsx`]), and the totals
//! are drawn as a stacked bar chart ([`status_chart_svg`]).
//!
//! The crate is pure: it builds the files in memory and hands back bytes or
//! a string. It reads nothing, writes no file and never panics on any input;
//! a table that breaks its own shape is refused by [`Table::new`].
//!
//! ```
//! use samspil_report::{Cell, Column, Table, to_csv};
//!
//! let table = Table::new(
//!     "Status marts",
//!     vec![Column::text("Opgave"), Column::integer("Fuldført")],
//!     vec![vec![Cell::from("Etabler brugeradministration på KLIK"), Cell::from(35_i64)]],
//! )?;
//! let csv = to_csv(&table);
//! assert!(csv.starts_with(b"\xEF\xBB\xBFOpgave;Fuldf"));
//! # Ok::<(), samspil_report::ReportError>(())
//! ```

mod chart;
mod csv_export;
mod error;
mod pdf;
mod status;
mod table;
mod text;
mod xlsx_export;

pub use chart::status_chart_svg;
pub use csv_export::{CsvOptions, DecimalMark, to_csv, to_csv_with};
pub use error::ReportError;
pub use pdf::{PDF_CONTENT_TYPE, PdfBlock, PdfDocument, to_pdf};
pub use status::{ChartLabels, StatusBar, status_table};
pub use table::{Cell, Column, ColumnKind, Table};
pub use xlsx_export::{XLSX_CONTENT_TYPE, sheet_name, to_xlsx};

/// The `Content-Type` of [`to_csv`]'s output.
pub const CSV_CONTENT_TYPE: &str = "text/csv; charset=utf-8";

/// The `Content-Type` of [`status_chart_svg`]'s output, when it is served as
/// a file of its own rather than inlined in a page.
pub const SVG_CONTENT_TYPE: &str = "image/svg+xml; charset=utf-8";
