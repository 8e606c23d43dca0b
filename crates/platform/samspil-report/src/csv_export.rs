//! Tables as CSV files that Excel in a Danish locale opens as they are.

use time::Date;

use crate::text::fit_cell;
use crate::{Cell, ReportError, Table};

/// The UTF-8 byte order mark. Excel needs it to read the file as UTF-8
/// rather than as the locale's ANSI code page, which would garble æ, ø, å.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How a percentage's decimals are marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DecimalMark {
    /// `27,5%`: what Excel in a Danish locale reads as a number.
    #[default]
    Comma,
    /// `27.5%`: for English locales.
    Point,
}

/// How [`to_csv_with`] writes a file.
///
/// The default is what Excel in a Danish locale expects: fields separated
/// by `;` (the comma is the decimal mark there) and percentages with a
/// decimal comma.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvOptions {
    separator: u8,
    decimal_mark: DecimalMark,
}

impl Default for CsvOptions {
    fn default() -> Self {
        Self {
            separator: b';',
            decimal_mark: DecimalMark::Comma,
        }
    }
}

impl CsvOptions {
    /// The Danish default: `;` and a decimal comma.
    pub fn danish() -> Self {
        Self::default()
    }

    /// `,` and a decimal point, as English locales and most programs
    /// expect.
    pub fn english() -> Self {
        Self {
            separator: b',',
            decimal_mark: DecimalMark::Point,
        }
    }

    /// These options with another field separator: one of `;`, `,`, tab
    /// and `|`. Any other character is refused, since quotes, line breaks,
    /// letters or the injection guard's characters would make the file
    /// ambiguous.
    pub fn with_separator(self, separator: char) -> Result<Self, ReportError> {
        match separator {
            ';' | ',' | '\t' | '|' => Ok(Self {
                // All four are ASCII, so the cast keeps the character.
                separator: separator as u8,
                ..self
            }),
            other => Err(ReportError::InvalidSeparator(other)),
        }
    }

    /// These options with another decimal mark for percentages.
    pub fn with_decimal_mark(self, decimal_mark: DecimalMark) -> Self {
        Self {
            decimal_mark,
            ..self
        }
    }

    pub fn separator(&self) -> char {
        char::from(self.separator)
    }

    pub fn decimal_mark(&self) -> DecimalMark {
        self.decimal_mark
    }
}

/// The table as CSV with the Danish defaults ([`CsvOptions::default`]):
/// see [`to_csv_with`].
pub fn to_csv(table: &Table) -> Vec<u8> {
    to_csv_with(table, &CsvOptions::default())
}

/// The table as CSV: a UTF-8 byte order mark, the header row, then one
/// record per row, each line ended by CRLF (RFC 4180).
///
/// - A field holding the separator, a double quote, CR or LF is put in
///   double quotes, with its double quotes doubled.
/// - Dates are ISO 8601, `YYYY-MM-DD`.
/// - Integers are plain digits; percentages are like `27,5%` (or `27.5%`
///   with [`DecimalMark::Point`]), at most two decimals.
/// - Text that starts with `=`, `+`, `-`, `@`, a tab or CR gets a leading
///   `'`, so a spreadsheet shows it rather than running it as a formula
///   (OWASP's advice against CSV injection). This covers headers too.
/// - A field longer than an Excel cell holds (32,767 characters) is cut to
///   fit and ends in ` […]`.
/// - The title is not written: a CSV file has no place for it. Use it for
///   the file name.
pub fn to_csv_with(table: &Table, options: &CsvOptions) -> Vec<u8> {
    let mut out = Vec::with_capacity(BOM.len() + 32 * (table.rows().len() + 1));
    out.extend_from_slice(BOM);
    let headers = table
        .columns()
        .iter()
        .map(|c| fit_cell(&guard_formula(&c.header)).into_owned());
    write_record(&mut out, headers, options.separator);
    for row in table.rows() {
        let fields = row.iter().map(|cell| format_cell(cell, options));
        write_record(&mut out, fields, options.separator);
    }
    out
}

fn write_record<I>(out: &mut Vec<u8>, fields: I, separator: u8)
where
    I: Iterator<Item = String>,
{
    for (index, field) in fields.enumerate() {
        if index > 0 {
            out.push(separator);
        }
        write_field(out, &field, separator);
    }
    out.extend_from_slice(b"\r\n");
}

fn write_field(out: &mut Vec<u8>, field: &str, separator: u8) {
    let needs_quotes = field
        .bytes()
        .any(|b| b == separator || b == b'"' || b == b'\r' || b == b'\n');
    if !needs_quotes {
        out.extend_from_slice(field.as_bytes());
        return;
    }
    out.push(b'"');
    out.extend_from_slice(field.replace('"', "\"\"").as_bytes());
    out.push(b'"');
}

fn format_cell(cell: &Cell, options: &CsvOptions) -> String {
    match cell {
        Cell::Text(text) => fit_cell(&guard_formula(text)).into_owned(),
        Cell::Integer(value) => value.to_string(),
        // A date before year 0 would start with '-'; guard it like text.
        Cell::Date(date) => guard_formula(&iso_date(*date)),
        Cell::Percent(fraction) => format_percent(*fraction, options.decimal_mark),
        Cell::Empty => String::new(),
    }
}

/// OWASP: a cell starting with one of these is taken as a formula by
/// spreadsheets, so it gets a leading apostrophe.
fn guard_formula(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// `YYYY-MM-DD`, with the sign and extra digits ISO 8601 uses for years
/// outside 0000–9999.
pub(crate) fn iso_date(date: Date) -> String {
    let year = date.year();
    let month = u8::from(date.month());
    let day = date.day();
    if (0..=9999).contains(&year) {
        format!("{year:04}-{month:02}-{day:02}")
    } else {
        format!("{year:+05}-{month:02}-{day:02}")
    }
}

/// `0.275` as `27,5%`: at most two decimals, no trailing zeros.
fn format_percent(fraction: f64, mark: DecimalMark) -> String {
    let mut number = format!("{:.2}", fraction * 100.0);
    if number.contains('.') {
        let trimmed = number.trim_end_matches('0').trim_end_matches('.').len();
        number.truncate(trimmed);
    }
    if number == "-0" {
        number = "0".to_owned();
    }
    if mark == DecimalMark::Comma {
        number = number.replace('.', ",");
    }
    number.push('%');
    number
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::Column;

    fn read_back(bytes: &[u8], separator: u8) -> Vec<Vec<String>> {
        let body = bytes.strip_prefix(BOM).expect("starts with the BOM");
        csv::ReaderBuilder::new()
            .delimiter(separator)
            .has_headers(false)
            .from_reader(body)
            .records()
            .map(|r| r.expect("valid CSV").iter().map(str::to_owned).collect())
            .collect()
    }

    fn one_text_column(values: &[&str]) -> Table {
        Table::new(
            "t",
            vec![Column::text("Tekst")],
            values.iter().map(|v| vec![Cell::from(*v)]).collect(),
        )
        .expect("fits")
    }

    #[test]
    fn starts_with_a_bom_and_uses_semicolons_and_crlf() {
        let table = Table::new(
            "Status",
            vec![
                Column::text("Opgave"),
                Column::integer("Fuldført"),
                Column::date("Frist"),
                Column::percent("Andel"),
            ],
            vec![vec![
                "Etabler brugeradministration på KLIK".into(),
                35_i64.into(),
                date!(2025 - 03 - 07).into(),
                Cell::Percent(35.0 / 98.0),
            ]],
        )
        .expect("fits");
        let bytes = to_csv(&table);
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let text = std::str::from_utf8(&bytes).expect("UTF-8");
        assert_eq!(
            text,
            "\u{FEFF}Opgave;Fuldført;Frist;Andel\r\n\
             Etabler brugeradministration på KLIK;35;2025-03-07;35,71%\r\n"
        );
    }

    #[test]
    fn quotes_fields_with_separators_quotes_and_line_breaks() {
        let values = [
            "a;b",
            "say \"hi\"",
            "line\nbreak",
            "cr\rhere",
            "plain, with comma",
        ];
        let bytes = to_csv(&one_text_column(&values));
        let text = std::str::from_utf8(&bytes).expect("UTF-8");
        assert!(text.contains("\"a;b\"\r\n"));
        assert!(text.contains("\"say \"\"hi\"\"\"\r\n"));
        assert!(text.contains("\"line\nbreak\"\r\n"));
        assert!(text.contains("\"cr\rhere\"\r\n"));
        // The comma is no separator here, so it needs no quotes.
        assert!(text.contains("\r\nplain, with comma\r\n"));
        let rows = read_back(&bytes, b';');
        let read: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
        assert_eq!(read, values);
    }

    #[test]
    fn the_separator_is_a_parameter() {
        let table = Table::new(
            "t",
            vec![Column::text("a"), Column::percent("b")],
            vec![vec!["x,y;z".into(), Cell::Percent(0.275)]],
        )
        .expect("fits");
        let bytes = to_csv_with(&table, &CsvOptions::english());
        assert_eq!(bytes, b"\xEF\xBB\xBFa,b\r\n\"x,y;z\",27.5%\r\n");
        let tabs = CsvOptions::default()
            .with_separator('\t')
            .expect("tab is allowed");
        assert_eq!(tabs.separator(), '\t');
        assert_eq!(tabs.decimal_mark(), DecimalMark::Comma);
        assert_eq!(
            to_csv_with(&table, &tabs),
            b"\xEF\xBB\xBFa\tb\r\nx,y;z\t27,5%\r\n"
        );
        // The Danish comma is quoted when the comma also separates.
        let comma = CsvOptions::danish().with_separator(',').expect("allowed");
        assert_eq!(
            to_csv_with(&table, &comma),
            b"\xEF\xBB\xBFa,b\r\n\"x,y;z\",\"27,5%\"\r\n"
        );
        for bad in ['"', '\'', '\n', '\r', 'a', '=', ' ', 'æ'] {
            assert!(matches!(
                CsvOptions::default().with_separator(bad),
                Err(ReportError::InvalidSeparator(c)) if c == bad
            ));
        }
    }

    #[test]
    fn guards_against_formula_injection() {
        let values = [
            "=1+1",
            "+1",
            "-2+3+cmd|' /C calc'!A0",
            "@SUM(A1:A2)",
            "\tx",
            "\rx",
            "=HYPERLINK(\"http://evil\";\"klik\")",
            "a=b",
            "ok",
        ];
        let rows = read_back(&to_csv(&one_text_column(&values)), b';');
        let read: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
        assert_eq!(
            read,
            [
                "'=1+1",
                "'+1",
                "'-2+3+cmd|' /C calc'!A0",
                "'@SUM(A1:A2)",
                "'\tx",
                "'\rx",
                "'=HYPERLINK(\"http://evil\";\"klik\")",
                "a=b",
                "ok",
            ]
        );
        // Headers are guarded too, numbers are not.
        let table = Table::new(
            "t",
            vec![Column::integer("=cmd")],
            vec![vec![Cell::Integer(-5)]],
        )
        .expect("fits");
        assert_eq!(to_csv(&table), b"\xEF\xBB\xBF'=cmd\r\n-5\r\n");
    }

    #[test]
    fn dates_are_iso_and_empty_cells_empty() {
        let table = Table::new(
            "t",
            vec![Column::date("d"), Column::integer("n")],
            vec![
                vec![date!(2025 - 01 - 02).into(), Cell::Empty],
                vec![date!(0099 - 12 - 31).into(), i64::MIN.into()],
                vec![date!(-0005 - 06 - 07).into(), i64::MAX.into()],
            ],
        )
        .expect("fits");
        let text = String::from_utf8(to_csv(&table)).expect("UTF-8");
        assert_eq!(
            text,
            "\u{FEFF}d;n\r\n2025-01-02;\r\n0099-12-31;-9223372036854775808\r\n'-0005-06-07;9223372036854775807\r\n"
        );
    }

    #[test]
    fn percentages_keep_at_most_two_decimals() {
        let cases = [
            (0.0, "0%"),
            (1.0, "100%"),
            (0.275, "27,5%"),
            (1.0 / 3.0, "33,33%"),
            (-0.000_01, "0%"),
            (-0.5, "-50%"),
            (12.345_67, "1234,57%"),
        ];
        for (fraction, expected) in cases {
            assert_eq!(format_percent(fraction, DecimalMark::Comma), expected);
        }
        assert_eq!(format_percent(0.275, DecimalMark::Point), "27.5%");
    }

    #[test]
    fn an_empty_table_is_just_the_header() {
        let table = Table::new("t", vec![Column::text("Opgave")], vec![]).expect("fits");
        assert_eq!(to_csv(&table), b"\xEF\xBB\xBFOpgave\r\n");
    }

    #[test]
    fn a_field_over_excels_cell_limit_is_cut_with_a_mark() {
        let table = Table::new(
            "t",
            vec![Column::text("Svar")],
            vec![vec![Cell::Text(format!("={}", "x".repeat(40_000)))]],
        )
        .expect("fits");
        let csv = String::from_utf8(to_csv(&table)).expect("UTF-8");
        let field = csv.lines().nth(1).expect("a row");
        assert_eq!(field.encode_utf16().count(), 32_767);
        assert!(field.starts_with("'="), "still guarded");
        assert!(field.ends_with("x […]"), "{}", &field[field.len() - 20..]);
    }
}
