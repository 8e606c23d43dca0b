//! What people type: free text and dates, checked the same way wherever
//! they enter (a page form or an API body).

use time::Date;

use crate::{BrokenRule, ValidationError};

/// Characters that show nothing: the zero-width space, non-joiner and
/// joiner (U+200B…U+200D), the word joiner (U+2060), the byte order mark
/// (U+FEFF) and the bidirectional controls (U+200E, U+200F,
/// U+202A…U+202E, U+2066…U+2069). A text of only these looks empty.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}' | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// A free text of at most `max` characters, trimmed; `None` when nothing
/// visible is left (blanks and [`is_invisible`] characters only), and the
/// caller decides whether that is absent or refused. NUL is refused:
/// SQLite would keep it and PostgreSQL refuses it, so the same text must
/// not fare differently on the two.
pub fn free_text<'a>(
    field: &'static str,
    text: &'a str,
    max: usize,
) -> Result<Option<&'a str>, ValidationError> {
    if text.contains('\0') {
        return Err(ValidationError::broke(
            field,
            "the text contains a NUL character",
            BrokenRule::NulCharacter,
        ));
    }
    let text = text.trim();
    if text.chars().count() > max {
        return Err(ValidationError::broke(
            field,
            format!("the text has at most {max} characters"),
            BrokenRule::TooLong { max },
        ));
    }
    let visible = text.chars().any(|c| !c.is_whitespace() && !is_invisible(c));
    Ok(visible.then_some(text))
}

/// [`free_text`] that must not be blank: `missing` says what is needed.
pub fn required_text<'a>(
    field: &'static str,
    text: &'a str,
    max: usize,
    missing: &str,
) -> Result<&'a str, ValidationError> {
    free_text(field, text, max)?
        .ok_or_else(|| ValidationError::broke(field, missing, BrokenRule::Required))
}

/// [`free_text`] of a text that may be left out.
pub fn optional_text<'a>(
    field: &'static str,
    text: Option<&'a str>,
    max: usize,
) -> Result<Option<&'a str>, ValidationError> {
    Ok(text
        .map(|t| free_text(field, t, max))
        .transpose()?
        .flatten())
}

/// The first and last years a date may have. Wider than any task or role
/// period, narrow enough that a typo (`0202`, `20233`) or a negative year
/// is caught, and inside what both databases and Excel hold.
pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 2200;

/// A calendar date as Danes write it, `dd.mm.åååå` (also `d.m.åååå`, and
/// `-` or `/` between the parts), or as ISO `ÅÅÅÅ-MM-DD` (what a native date
/// picker and the API send), in the years [`FIRST_YEAR`] to [`LAST_YEAR`].
pub fn parse_date(field: &'static str, text: &str) -> Result<Date, ValidationError> {
    let text = text.trim();
    let not_a_date = || {
        ValidationError::broke(
            field,
            format!("'{text}' is not a date (DD.MM.YYYY or YYYY-MM-DD)"),
            BrokenRule::NotADate {
                typed: text.to_owned(),
            },
        )
    };
    let (year, month, day) = date_parts(text).ok_or_else(not_a_date)?;
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
        return Err(ValidationError::broke(
            field,
            format!("'{text}': the year must be between {FIRST_YEAR} and {LAST_YEAR}"),
            BrokenRule::YearOutOfRange {
                typed: text.to_owned(),
                first: FIRST_YEAR,
                last: LAST_YEAR,
            },
        ));
    }
    let month = time::Month::try_from(month).map_err(|_| not_a_date())?;
    Date::from_calendar_date(year, month, day).map_err(|_| not_a_date())
}

/// A date as the rules name it in a sentence: `dd.mm.åååå`.
pub fn danish_date(date: Date) -> String {
    format!(
        "{:02}.{:02}.{}",
        date.day(),
        u8::from(date.month()),
        date.year()
    )
}

const ENGLISH_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A date as English text names it: `1 Dec 2026`.
pub fn english_date(date: Date) -> String {
    format!(
        "{} {} {}",
        date.day(),
        ENGLISH_MONTHS[usize::from(u8::from(date.month())) - 1],
        date.year()
    )
}

/// A date in a sentence of the given language.
pub fn date_in(language: crate::user::Language, date: Date) -> String {
    match language {
        crate::user::Language::Da => danish_date(date),
        crate::user::Language::En => english_date(date),
    }
}

/// Year, month and day of `ÅÅÅÅ-MM-DD` or `d.m.åååå` (`.`, `-` or `/`),
/// digits only, a four-digit year.
fn date_parts(text: &str) -> Option<(i32, u8, u8)> {
    let parts: Vec<&str> = text.split(['.', '-', '/']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    fn digits(p: &str, lengths: std::ops::RangeInclusive<usize>) -> Option<&str> {
        (lengths.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())).then_some(p)
    }
    let (year, month, day) = if a.len() == 4 && text.contains('-') && !text.contains(['.', '/']) {
        (digits(a, 4..=4)?, digits(b, 2..=2)?, digits(c, 2..=2)?)
    } else {
        (digits(c, 4..=4)?, digits(b, 1..=2)?, digits(a, 1..=2)?)
    };
    Some((year.parse().ok()?, month.parse().ok()?, day.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_free_text_is_trimmed_and_bounded() {
        assert_eq!(free_text("title", "  Frist  ", 10), Ok(Some("Frist")));
        assert_eq!(free_text("title", "æøåæøåæøåæ", 10), Ok(Some("æøåæøåæøåæ")));
        let long = free_text("title", "xxxxxxxxxxx", 10).expect_err("too long");
        assert_eq!(long.field, "title");
        assert!(long.problem.contains("at most 10"));
    }

    #[test]
    fn nul_is_refused_wherever_it_is() {
        for text in ["\0", "a\0b", "  \0", "ok\0"] {
            let refused = free_text("body", text, 100).expect_err("NUL");
            assert!(refused.problem.contains("NUL"), "{text:?}");
        }
    }

    #[test]
    fn invisible_only_text_is_blank() {
        for text in [
            "",
            "   ",
            "\u{200B}",
            "\u{200C}\u{200D}",
            "\u{2060} \u{FEFF}",
            "\u{200E}\u{200F}",
            "\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}",
            "\u{2066}\u{2067}\u{2068}\u{2069}",
        ] {
            assert_eq!(free_text("title", text, 100), Ok(None), "{text:?}");
            let refused =
                required_text("title", text, 100, "a task needs a title").expect_err("blank");
            assert_eq!(refused.problem, "a task needs a title");
        }
        assert_eq!(
            free_text("title", "\u{200B}a\u{200B}", 100),
            Ok(Some("\u{200B}a\u{200B}")),
            "visible text keeps its invisible characters"
        );
        assert_eq!(optional_text("code", None, 5), Ok(None));
        assert_eq!(optional_text("code", Some(" \u{FEFF} "), 5), Ok(None));
        assert_eq!(optional_text("code", Some(" OA 20 "), 5), Ok(Some("OA 20")));
    }

    #[test]
    fn dates_are_iso_and_within_the_years_allowed() {
        assert_eq!(
            parse_date("start", " 2023-06-08 "),
            Ok(date!(2023 - 06 - 08))
        );
        assert_eq!(parse_date("start", "1900-01-01"), Ok(date!(1900 - 01 - 01)));
        assert_eq!(parse_date("end", "2200-12-31"), Ok(date!(2200 - 12 - 31)));
        for text in ["0000-01-01", "1899-12-31", "2201-01-01", "01.01.2201"] {
            let refused = parse_date("end", text).expect_err("out of range");
            assert_eq!(refused.field, "end");
            assert!(refused.problem.contains("between 1900 and 2200"), "{text}");
        }
        for text in [
            "2023-02-30",
            "30.02.2023",
            "i morgen",
            "",
            "-0001-01-01",
            "1.6.23",
            "01.06.2023.",
            "2023-6-1",
            "1.13.2023",
            "０１.０６.２０２３",
        ] {
            let refused = parse_date("from", text).expect_err("not a date");
            assert!(refused.problem.contains("not a date"), "{text}");
            assert_eq!(
                refused.rule,
                Some(BrokenRule::NotADate {
                    typed: text.trim().to_owned()
                })
            );
        }
    }

    #[test]
    fn dates_are_taken_as_danes_write_them() {
        for text in [
            "01.06.2023",
            "1.6.2023",
            " 1.06.2023 ",
            "01-06-2023",
            "1/6/2023",
            "2023-06-01",
        ] {
            assert_eq!(
                parse_date("from", text),
                Ok(date!(2023 - 06 - 01)),
                "{text}"
            );
        }
        assert_eq!(parse_date("end", "29.2.2028"), Ok(date!(2028 - 02 - 29)));
        assert!(parse_date("end", "29.2.2027").is_err());
    }
}
