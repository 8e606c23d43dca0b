//! Tables as XLSX workbooks of one worksheet.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet};

use crate::csv_export::iso_date;
use crate::text::fit_cell;
use crate::{Cell, ReportError, Table};

/// The `Content-Type` of [`to_xlsx`]'s output.
pub const XLSX_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Excel's limit on a worksheet name, in UTF-16 code units.
const MAX_SHEET_NAME: usize = 31;
/// Excel's rows per worksheet, the header row included.
const MAX_ROWS: usize = 1_048_576;
/// Excel's columns per worksheet.
const MAX_COLUMNS: usize = 16_384;
/// Integers beyond this lose digits as Excel's doubles, so they are
/// written as text.
const MAX_EXACT_INTEGER: i64 = 1 << 53;

const DATE_FORMAT: &str = "dd-mm-yyyy";
const PERCENT_FORMAT: &str = "0.0%";
const MIN_WIDTH: f64 = 6.0;
const MAX_WIDTH: f64 = 80.0;

/// The table as an XLSX workbook with one worksheet:
///
/// - named by [`sheet_name`] from the title, which is also the workbook's
///   title property;
/// - a bold header row, frozen so it stays in view, with an autofilter;
/// - integers and percentages as numbers (percentages formatted `0.0%`;
///   integers beyond ±2^53, which Excel would round, as text);
/// - dates as Excel dates formatted `dd-mm-yyyy` (dates before 1900, which
///   Excel cannot hold, as ISO text);
/// - text as text, never as a formula, so no injection guard is needed;
/// - each column as wide as its longest value, within 6 to 80 characters.
///
/// - a text longer than Excel's 32,767 characters in a cell cut to fit,
///   ending in ` […]`.
///
/// Fails when the table is larger than a worksheet.
pub fn to_xlsx(table: &Table) -> Result<Vec<u8>, ReportError> {
    let columns = table.columns();
    let rows = table.rows();
    if columns.len() > MAX_COLUMNS {
        return Err(ReportError::TooLarge(format!(
            "{} columns, at most {MAX_COLUMNS}",
            columns.len()
        )));
    }
    if rows.len() >= MAX_ROWS {
        return Err(ReportError::TooLarge(format!(
            "{} rows, at most {} below the header",
            rows.len(),
            MAX_ROWS - 1
        )));
    }
    let last_col = index_u16(columns.len().saturating_sub(1))?;
    let last_row = index_u32(rows.len())?;

    let header = Format::new().set_bold();
    let date = Format::new().set_num_format(DATE_FORMAT);
    let percent = Format::new().set_num_format(PERCENT_FORMAT);

    let mut workbook = Workbook::new();
    workbook.set_properties(&DocProperties::new().set_title(table.title()));
    let sheet: &mut Worksheet = workbook.add_worksheet();
    sheet.set_name(sheet_name(table.title()))?;

    for (col, column) in columns.iter().enumerate() {
        let col = index_u16(col)?;
        sheet.write_string_with_format(0, col, fit_cell(&column.header), &header)?;
    }
    for (row, cells) in rows.iter().enumerate() {
        let row = index_u32(row + 1)?;
        for (col, cell) in cells.iter().enumerate() {
            let col = index_u16(col)?;
            match cell {
                Cell::Text(text) => {
                    sheet.write_string(row, col, fit_cell(text))?;
                }
                Cell::Integer(value)
                    if value.unsigned_abs() <= MAX_EXACT_INTEGER.unsigned_abs() =>
                {
                    // Exact: the value is within f64's 53-bit mantissa.
                    sheet.write_number(row, col, *value as f64)?;
                }
                Cell::Integer(value) => {
                    sheet.write_string(row, col, value.to_string())?;
                }
                Cell::Date(value) => match excel_date(*value) {
                    Some(excel) => {
                        sheet.write_datetime_with_format(row, col, excel, &date)?;
                    }
                    None => {
                        sheet.write_string(row, col, iso_date(*value))?;
                    }
                },
                Cell::Percent(value) => {
                    sheet.write_number_with_format(row, col, *value, &percent)?;
                }
                Cell::Empty => {}
            }
        }
    }

    for (col, width) in column_widths(table).into_iter().enumerate() {
        sheet.set_column_width(index_u16(col)?, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, last_row, last_col)?;

    Ok(workbook.save_to_buffer()?)
}

/// A worksheet name Excel accepts, made from `title`: `/` and `\` become
/// `-`, the other characters Excel forbids (`[ ] : * ?`) and control
/// characters become spaces, runs of spaces shrink to one, apostrophes
/// are taken off both ends, and the result is cut to 31 UTF-16 code units.
/// An empty result becomes `Sheet1`; the reserved `History` gets a `_`.
pub fn sheet_name(title: &str) -> String {
    let replaced: String = title
        .chars()
        .map(|c| match c {
            '/' | '\\' => '-',
            '[' | ']' | ':' | '*' | '?' => ' ',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let collapsed = replaced.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut name = String::new();
    let mut units = 0;
    for c in collapsed.trim_matches('\'').chars() {
        units += c.len_utf16();
        if units > MAX_SHEET_NAME {
            break;
        }
        name.push(c);
    }
    let name = name.trim_end().trim_end_matches('\'').trim_end();
    if name.is_empty() {
        "Sheet1".to_owned()
    } else if name.eq_ignore_ascii_case("history") {
        format!("{name}_")
    } else {
        name.to_owned()
    }
}

fn excel_date(date: time::Date) -> Option<ExcelDateTime> {
    let year = u16::try_from(date.year()).ok()?;
    ExcelDateTime::from_ymd(year, u8::from(date.month()), date.day()).ok()
}

fn index_u16(index: usize) -> Result<u16, ReportError> {
    u16::try_from(index).map_err(|_| ReportError::TooLarge(format!("column {index}")))
}

fn index_u32(index: usize) -> Result<u32, ReportError> {
    u32::try_from(index).map_err(|_| ReportError::TooLarge(format!("row {index}")))
}

/// Each column's width in Excel's units (about one digit of the default
/// font each): the longest value, the bold header with room for the
/// autofilter's button, and a little padding.
fn column_widths(table: &Table) -> Vec<f64> {
    table
        .columns()
        .iter()
        .enumerate()
        .map(|(col, column)| {
            let header = display_len(&column.header) as f64 * 1.1 + 3.0;
            let widest = table
                .rows()
                .iter()
                .filter_map(|row| row.get(col))
                .map(cell_len)
                .max()
                .unwrap_or(0) as f64;
            (header.max(widest) + 1.0).clamp(MIN_WIDTH, MAX_WIDTH)
        })
        .collect()
}

fn cell_len(cell: &Cell) -> usize {
    match cell {
        Cell::Text(text) => display_len(text),
        Cell::Integer(value) => value.to_string().len(),
        Cell::Date(_) => DATE_FORMAT.len(),
        Cell::Percent(value) => format!("{:.1}%", value * 100.0).len(),
        Cell::Empty => 0,
    }
}

/// The longest line, in characters.
fn display_len(text: &str) -> usize {
    text.lines()
        .map(|line| line.chars().count())
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Read};

    use time::macros::date;

    use super::*;
    use crate::Column;

    fn read_entry(bytes: &[u8], name: &str) -> String {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip archive");
        let mut entry = archive.by_name(name).expect("the entry exists");
        let mut text = String::new();
        entry.read_to_string(&mut text).expect("UTF-8 XML");
        text
    }

    fn status_table() -> Table {
        Table::new(
            "Status pr. 7/3 2025: alle opgaver",
            vec![
                Column::text("Opgave"),
                Column::integer("Fuldført"),
                Column::date("Frist"),
                Column::percent("Andel fuldført"),
            ],
            vec![
                vec![
                    "Udskift kommunens organisationscertifikat med OCES3-certifikat".into(),
                    27_i64.into(),
                    date!(2025 - 03 - 07).into(),
                    Cell::Percent(27.0 / 98.0),
                ],
                vec![
                    "=cmd|' /C calc'!A0 & <b>".into(),
                    Cell::Empty,
                    date!(1850 - 01 - 01).into(),
                    Cell::Empty,
                ],
                vec![
                    "Stort tal".into(),
                    i64::MAX.into(),
                    Cell::Empty,
                    Cell::Percent(1.0),
                ],
            ],
        )
        .expect("fits")
    }

    #[test]
    fn writes_a_zip_with_the_values_in_sheet1() {
        let bytes = to_xlsx(&status_table()).expect("writes");
        assert!(bytes.starts_with(b"PK\x03\x04"), "a zip local file header");
        assert!(bytes.len() > 3000);

        let sheet = read_entry(&bytes, "xl/worksheets/sheet1.xml");
        // Numbers are numbers: 27, the date 2025-03-07 as Excel's serial
        // 45723, the share as a fraction.
        assert!(sheet.contains("<v>27</v>"), "{sheet}");
        assert!(sheet.contains("<v>45723</v>"), "{sheet}");
        assert!(sheet.contains("<v>0.2755"), "{sheet}");
        assert!(sheet.contains("<v>1</v>"), "{sheet}");
        // Frozen header and autofilter over the header and three rows.
        assert!(
            sheet.contains(
                r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
            ),
            "{sheet}"
        );
        assert!(sheet.contains(r#"<autoFilter ref="A1:D4"/>"#), "{sheet}");
        // Fitted widths: the long task name makes column A wide.
        assert!(
            sheet.contains(r#"<col min="1" max="1" width="63.7"#),
            "{sheet}"
        );
        // Text is never a formula.
        assert!(!sheet.contains("<f>"), "{sheet}");

        let strings = read_entry(&bytes, "xl/sharedStrings.xml");
        for text in [
            "Opgave",
            "Fuldført",
            "Udskift kommunens organisationscertifikat med OCES3-certifikat",
            "=cmd|' /C calc'!A0 &amp; &lt;b&gt;",
            "1850-01-01",
            "9223372036854775807",
        ] {
            assert!(strings.contains(text), "{text} in {strings}");
        }

        let workbook = read_entry(&bytes, "xl/workbook.xml");
        assert!(
            workbook.contains(r#"<sheet name="Status pr. 7-3 2025 alle opgave" sheetId="1""#),
            "{workbook}"
        );
        let core = read_entry(&bytes, "docProps/core.xml");
        assert!(
            core.contains("<dc:title>Status pr. 7/3 2025: alle opgaver</dc:title>"),
            "{core}"
        );
        let styles = read_entry(&bytes, "xl/styles.xml");
        assert!(styles.contains(r#"formatCode="dd-mm-yyyy""#), "{styles}");
        assert!(styles.contains(r#"formatCode="0.0%""#), "{styles}");
        assert!(styles.contains("<b/>"), "a bold font: {styles}");
    }

    #[test]
    fn an_empty_table_still_has_its_header() {
        let table = Table::new("", vec![Column::text("Opgave")], vec![]).expect("fits");
        let bytes = to_xlsx(&table).expect("writes");
        let sheet = read_entry(&bytes, "xl/worksheets/sheet1.xml");
        assert!(sheet.contains(r#"<autoFilter ref="A1"/>"#), "{sheet}");
        let workbook = read_entry(&bytes, "xl/workbook.xml");
        assert!(workbook.contains(r#"<sheet name="Sheet1""#), "{workbook}");
    }

    #[test]
    fn a_text_too_long_for_excel_is_cut_with_a_mark_not_an_error() {
        let table = Table::new(
            "t",
            vec![Column::text("y".repeat(40_000))],
            vec![vec![Cell::Text("x".repeat(40_000))]],
        )
        .expect("fits");
        let bytes = to_xlsx(&table).expect("writes");
        let strings = read_entry(&bytes, "xl/sharedStrings.xml");
        assert!(strings.contains("xxx […]"), "the cell is cut and marked");
        assert!(strings.contains("yyy […]"), "the header too");
        assert!(!strings.contains(&"x".repeat(32_767)));
    }

    #[test]
    fn odd_text_is_written() {
        let table = Table::new(
            "\u{0}[]:*?/\\'",
            vec![Column::text("\u{1}\u{FFFF}")],
            vec![vec![Cell::Text("nul\u{0}tab\tnewline\n😀".into())]],
        )
        .expect("fits");
        let bytes = to_xlsx(&table).expect("writes");
        assert!(bytes.starts_with(b"PK"));
    }

    #[test]
    fn sheet_names_follow_excels_rules() {
        let cases = [
            ("Status", "Status"),
            ("Status 07/03\\2025", "Status 07-03-2025"),
            ("Hvad? [KLIK]: *alle*", "Hvad KLIK alle"),
            ("'citeret'", "citeret"),
            ("  \t\n ", "Sheet1"),
            ("", "Sheet1"),
            ("history", "history_"),
            ("HISTORY", "HISTORY_"),
            (
                "Udskift kommunens organisationscertifikat med OCES3-certifikat",
                "Udskift kommunens organisations",
            ),
            (
                "abcdefghij abcdefghij abcdefgh'x",
                "abcdefghij abcdefghij abcdefgh",
            ),
            (
                "ææææææææææææææææææææææææææææææææææææææ",
                "æææææææææææææææææææææææææææææææ",
            ),
        ];
        for (title, expected) in cases {
            let name = sheet_name(title);
            assert_eq!(name, expected, "from {title:?}");
            rust_xlsxwriter::utility::check_sheet_name(&name).expect("Excel accepts it");
        }
        // Emoji take two UTF-16 units each: 15 fit, with one unit to spare.
        let emoji = sheet_name(&"😀".repeat(20));
        assert_eq!(emoji.chars().count(), 15);
        rust_xlsxwriter::utility::check_sheet_name(&emoji).expect("Excel accepts it");
    }
}
