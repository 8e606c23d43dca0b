//! Danish time: CET (UTC+1), and CEST (UTC+2) from 01:00 UTC on the last
//! Sunday of March to 01:00 UTC on the last Sunday of October, the EU rule.
//! Every context that shows or reads a time of day in Danish converts with
//! [`danish_offset`] (the incidents' business hours, the meetings' times).

use time::macros::time;
use time::{Date, Duration, Month, OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// The last Sunday of `month`, at 01:00 UTC: when Danish time changes.
fn change_of_time(year: i32, month: Month) -> Option<OffsetDateTime> {
    let last = Date::from_calendar_date(year, month, 31).ok()?;
    let back = Duration::days(last.weekday().number_days_from_sunday().into());
    let sunday = last.checked_sub(back)?;
    Some(PrimitiveDateTime::new(sunday, time!(01:00)).assume_utc())
}

/// Danish time's offset from UTC at `instant`.
pub fn danish_offset(instant: OffsetDateTime) -> UtcOffset {
    let utc = instant.to_offset(UtcOffset::UTC);
    let summer = match (
        change_of_time(utc.year(), Month::March),
        change_of_time(utc.year(), Month::October),
    ) {
        (Some(starts), Some(ends)) => starts <= utc && utc < ends,
        _ => false,
    };
    UtcOffset::from_hms(if summer { 2 } else { 1 }, 0, 0).unwrap_or(UtcOffset::UTC)
}

/// The instant of a Danish wall-clock time on `date` (the offset of the
/// day's noon: a meeting or an opening hour is not set at 02.00–03.00 on
/// the night the clocks change).
pub fn danish_instant(date: Date, at: time::Time) -> OffsetDateTime {
    let offset = danish_offset(PrimitiveDateTime::new(date, time!(12:00)).assume_utc());
    PrimitiveDateTime::new(date, at)
        .assume_offset(offset)
        .to_offset(UtcOffset::UTC)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn a_danish_time_of_day_is_the_instant_of_its_season() {
        assert_eq!(
            danish_instant(date!(2023 - 06 - 22), time!(10:00)),
            datetime!(2023-06-22 8:00 UTC)
        );
        assert_eq!(
            danish_instant(date!(2023 - 01 - 10), time!(10:00)),
            datetime!(2023-01-10 9:00 UTC)
        );
    }
}
