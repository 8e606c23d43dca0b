//! Dates and instants as people read them: Danish `01.06.2026` and
//! `01.06.2026 14.05`, ISO in English. Every page of every context uses
//! these, so that a date reads the same everywhere.

use time::Date;

use crate::i18n::Lang;

/// A calendar date (a deadline, a start) in the page's language.
pub fn format_date(lang: Lang, date: Option<Date>) -> Option<String> {
    date.map(|d| match lang {
        Lang::Da => format!("{:02}.{:02}.{}", d.day(), u8::from(d.month()), d.year()),
        Lang::En => d.to_string(),
    })
}

/// An instant (when a message was sent) in the page's language, to the
/// minute, as stored (UTC).
pub fn format_instant(lang: Lang, at: time::OffsetDateTime) -> String {
    let (d, t) = (at.date(), at.time());
    match lang {
        Lang::Da => format!(
            "{:02}.{:02}.{} {:02}.{:02}",
            d.day(),
            u8::from(d.month()),
            d.year(),
            t.hour(),
            t.minute()
        ),
        Lang::En => format!("{d} {:02}:{:02}", t.hour(), t.minute()),
    }
}
