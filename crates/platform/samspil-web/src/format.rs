//! Dates and instants as people read them, one format per language for
//! every page of every context: Danish `01.12.2026` and `01.12.2026 kl.
//! 14.05`, English `1 Dec 2026` and `1 Dec 2026, 14:05`. Date fields show
//! and take `dd.mm.åååå` ([`input_date`]; `samspil_domain::input::parse_date`
//! also takes ISO). Templates format a date or an instant they were given as
//! ISO text with the `when` filter.

use time::Date;
use time::format_description::well_known::Rfc3339;

use crate::i18n::Lang;

/// A calendar date (a deadline, a start) in the page's language.
pub fn format_date(lang: Lang, date: Option<Date>) -> Option<String> {
    date.map(|d| samspil_domain::input::date_in(lang.into(), d))
}

/// A date as a date field shows it to be changed: `dd.mm.åååå`, what the
/// field's hint asks for, in both languages.
pub fn input_date(date: Option<Date>) -> Option<String> {
    date.map(|d| format!("{:02}.{:02}.{}", d.day(), u8::from(d.month()), d.year()))
}

/// An instant (when a message was sent) in the page's language, to the
/// minute, as stored (UTC).
pub fn format_instant(lang: Lang, at: time::OffsetDateTime) -> String {
    let (d, t) = (at.date(), at.time());
    let date = format_date(lang, Some(d)).unwrap_or_default();
    match lang {
        Lang::Da => format!("{date} kl. {:02}.{:02}", t.hour(), t.minute()),
        Lang::En => format!("{date}, {:02}:{:02}", t.hour(), t.minute()),
    }
}

/// An ISO date (`2026-12-01`) or instant (RFC 3339) in the page's format;
/// any other text as it is (a history's before and after are dates for a
/// deadline and words for a type).
pub fn format_iso_text(lang: Lang, text: &str) -> String {
    if let Ok(at) = time::OffsetDateTime::parse(text, &Rfc3339) {
        return format_instant(lang, at);
    }
    let iso = time::macros::format_description!("[year]-[month]-[day]");
    match Date::parse(text, iso) {
        Ok(date) => format_date(lang, Some(date)).unwrap_or_default(),
        Err(_) => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn one_format_per_language() {
        let d = Some(date!(2026 - 12 - 01));
        assert_eq!(format_date(Lang::Da, d).as_deref(), Some("01.12.2026"));
        assert_eq!(format_date(Lang::En, d).as_deref(), Some("1 Dec 2026"));
        assert_eq!(input_date(d).as_deref(), Some("01.12.2026"));
        let at = datetime!(2026-12-01 14:05 UTC);
        assert_eq!(format_instant(Lang::Da, at), "01.12.2026 kl. 14.05");
        assert_eq!(format_instant(Lang::En, at), "1 Dec 2026, 14:05");
        assert_eq!(format_iso_text(Lang::Da, "2027-01-15"), "15.01.2027");
        assert_eq!(
            format_iso_text(Lang::Da, "2026-12-01T14:05:00Z"),
            "01.12.2026 kl. 14.05"
        );
        assert_eq!(format_iso_text(Lang::Da, "critical"), "critical");
    }

    #[test]
    fn what_a_date_field_shows_reads_back_as_the_same_date() {
        let d = date!(2026 - 06 - 30);
        let shown = input_date(Some(d)).unwrap_or_default();
        assert_eq!(samspil_domain::input::parse_date("end", &shown), Ok(d));
    }
}
