//! A deadline in words as a date to sort by: "Uge 25" is the Sunday of ISO
//! week 25, "ultimo august" the last of August, "primo juni" the first,
//! "medio maj" the fifteenth; a range ("Uge 20 – Uge 25") by its end. The
//! year is the one the text names, else the one given (the task's start,
//! or the year it is written). A text that names no week, month or date
//! has no date, and the task sorts after the dated ones.

use time::{Date, Month, Weekday};

const MONTHS: [(&str, Month); 12] = [
    ("jan", Month::January),
    ("feb", Month::February),
    ("mar", Month::March),
    ("apr", Month::April),
    ("maj", Month::May),
    ("jun", Month::June),
    ("jul", Month::July),
    ("aug", Month::August),
    ("sep", Month::September),
    ("okt", Month::October),
    ("nov", Month::November),
    ("dec", Month::December),
];

/// The date `text` points at, in `year` unless it names its own.
pub fn period_date(text: &str, year: i32) -> Option<Date> {
    let lower = text.to_lowercase();
    // A range ends where its last part does.
    let last = lower
        .rsplit(['–', '—'])
        .next()
        .unwrap_or(&lower)
        .rsplit(" - ")
        .next()
        .unwrap_or(&lower)
        .trim();
    let words: Vec<&str> = last
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    if let Some(date) = words
        .iter()
        .find_map(|w| samspil_domain::input::parse_date("period_text", w).ok())
    {
        return Some(date);
    }
    let year = words
        .iter()
        .filter(|w| w.len() == 4)
        .find_map(|w| w.parse::<i32>().ok())
        .unwrap_or(year);
    if let Some(at) = words.iter().position(|w| *w == "uge" || *w == "week") {
        let week: u8 = words.get(at + 1)?.trim_end_matches('.').parse().ok()?;
        return Date::from_iso_week_date(year, week, Weekday::Sunday).ok();
    }
    let month = words.iter().find_map(|w| {
        MONTHS
            .iter()
            .find(|(prefix, _)| w.starts_with(prefix))
            .map(|(_, month)| *month)
    })?;
    let day = if words
        .iter()
        .any(|w| ["primo", "start", "starten", "begyndelsen"].contains(w))
    {
        1
    } else if words
        .iter()
        .any(|w| ["medio", "midt", "midten"].contains(w))
    {
        15
    } else {
        month.length(year)
    };
    Date::from_calendar_date(year, month, day).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn weeks_and_months_in_words_are_dates_to_sort_by() {
        assert_eq!(period_date("Uge 25", 2023), Some(date!(2023 - 06 - 25)));
        assert_eq!(period_date("uge 1", 2026), Some(date!(2026 - 01 - 04)));
        assert_eq!(
            period_date("ultimo august", 2023),
            Some(date!(2023 - 08 - 31))
        );
        assert_eq!(period_date("primo juni", 2023), Some(date!(2023 - 06 - 01)));
        assert_eq!(
            period_date("medio maj 2027", 2023),
            Some(date!(2027 - 05 - 15))
        );
        assert_eq!(
            period_date("ultimo februar", 2028),
            Some(date!(2028 - 02 - 29))
        );
        assert_eq!(
            period_date("aug 2023 – ultimo dec 2023", 2020),
            Some(date!(2023 - 12 - 31))
        );
        assert_eq!(
            period_date("Uge 20 – Uge 25", 2023),
            Some(date!(2023 - 06 - 25))
        );
        assert_eq!(
            period_date("Uge 25 – 07.07.2023", 2020),
            Some(date!(2023 - 07 - 07))
        );
        assert_eq!(
            period_date("ultimo juni - ultimo august", 2023),
            Some(date!(2023 - 08 - 31))
        );
    }

    #[test]
    fn words_without_a_week_or_month_have_no_date() {
        for text in ["", "Løbende", "Når leverandøren er klar", "uge", "uge 54"] {
            assert_eq!(period_date(text, 2023), None, "{text}");
        }
    }
}
