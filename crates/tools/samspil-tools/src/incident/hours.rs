//! The hours a link's clocks count: calendar hours (every second), or an
//! agreement's business hours in Danish time — opening and closing time on
//! the open weekdays, except the closed dates the agreement lists (public
//! holidays, which the caller supplies: the rules keep no calendar).
//!
//! Danish time (`samspil_domain::danish_time`) is CET (UTC+1), and CEST (UTC+2) from 01:00 UTC on the last
//! Sunday of March to 01:00 UTC on the last Sunday of October, the EU rule.
//! A day's opening hours are converted with the offset of its noon, so
//! opening hours are assumed to lie after 03:00 (the change is at night).

use time::macros::time;
use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime, Time, Weekday};

pub use samspil_domain::danish_time::danish_offset;

use super::IncidentError;

/// How many days ahead a deadline is looked for before it is called never.
const HORIZON_DAYS: u32 = 3660;

/// The hours a clock counts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ServiceHours {
    /// Every second (24/7).
    #[default]
    Calendar,
    /// The agreement's business hours.
    Business(BusinessHours),
}

/// Opening hours in Danish time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessHours {
    opens: Time,
    closes: Time,
    /// Indexed by days from Monday.
    open_days: [bool; 7],
    closed_dates: Vec<Date>,
}

impl BusinessHours {
    /// Open `opens`–`closes` on `days`, except on `closed_dates`.
    pub fn new(
        opens: Time,
        closes: Time,
        days: &[Weekday],
        closed_dates: Vec<Date>,
    ) -> Result<BusinessHours, IncidentError> {
        if opens >= closes || days.is_empty() || opens < time!(03:00) {
            return Err(IncidentError::BusinessHoursInvalid);
        }
        let mut open_days = [false; 7];
        for day in days {
            open_days[day.number_days_from_monday() as usize] = true;
        }
        Ok(BusinessHours {
            opens,
            closes,
            open_days,
            closed_dates,
        })
    }

    /// The day's opening hours as instants, if it is open.
    fn window(&self, date: Date) -> Option<(OffsetDateTime, OffsetDateTime)> {
        let open = self.open_days[date.weekday().number_days_from_monday() as usize]
            && !self.closed_dates.contains(&date);
        open.then(|| {
            let offset = danish_offset(PrimitiveDateTime::new(date, time!(12:00)).assume_utc());
            (
                PrimitiveDateTime::new(date, self.opens).assume_offset(offset),
                PrimitiveDateTime::new(date, self.closes).assume_offset(offset),
            )
        })
    }
}

const DAYS: [(&str, Weekday); 7] = [
    ("mon", Weekday::Monday),
    ("tue", Weekday::Tuesday),
    ("wed", Weekday::Wednesday),
    ("thu", Weekday::Thursday),
    ("fri", Weekday::Friday),
    ("sat", Weekday::Saturday),
    ("sun", Weekday::Sunday),
];

impl ServiceHours {
    /// The hours as an agreement states them, stored and typed alike:
    /// `calendar`, or `business 08:00-16:00 mon-fri` (the open days as a
    /// range or a comma list, Monday first), then optionally ` closed
    /// 2026-12-24,2026-12-25` (the closed dates, the caller's holidays).
    pub fn code(&self) -> String {
        let ServiceHours::Business(hours) = self else {
            return "calendar".into();
        };
        let clock = |t: Time| format!("{:02}:{:02}", t.hour(), t.minute());
        let days: Vec<&str> = DAYS
            .iter()
            .enumerate()
            .filter(|(i, _)| hours.open_days[*i])
            .map(|(_, (name, _))| *name)
            .collect();
        let mut code = format!(
            "business {}-{} {}",
            clock(hours.opens),
            clock(hours.closes),
            days.join(",")
        );
        if !hours.closed_dates.is_empty() {
            let dates: Vec<String> = hours.closed_dates.iter().map(|d| d.to_string()).collect();
            code.push_str(&format!(" closed {}", dates.join(",")));
        }
        code
    }

    /// Reads [`ServiceHours::code`]'s form (any case, days also as a
    /// range `mon-fri`); anything else is [`IncidentError::BusinessHoursInvalid`].
    pub fn parse(text: &str) -> Result<ServiceHours, IncidentError> {
        let invalid = || IncidentError::BusinessHoursInvalid;
        let text = text.trim().to_ascii_lowercase();
        let words: Vec<&str> = text.split_whitespace().collect();
        match words.as_slice() {
            ["calendar"] => Ok(ServiceHours::Calendar),
            ["business", clock, days, rest @ ..] => {
                let (opens, closes) = clock.split_once('-').ok_or_else(invalid)?;
                let closed = match rest {
                    [] => Vec::new(),
                    ["closed", dates] => dates
                        .split(',')
                        .map(|d| {
                            Date::parse(
                                d,
                                time::macros::format_description!("[year]-[month]-[day]"),
                            )
                            .map_err(|_| invalid())
                        })
                        .collect::<Result<Vec<_>, _>>()?,
                    _ => return Err(invalid()),
                };
                let hours = BusinessHours::new(
                    parse_clock(opens).ok_or_else(invalid)?,
                    parse_clock(closes).ok_or_else(invalid)?,
                    &parse_days(days).ok_or_else(invalid)?,
                    closed,
                )?;
                Ok(ServiceHours::Business(hours))
            }
            _ => Err(invalid()),
        }
    }
}

fn parse_clock(text: &str) -> Option<Time> {
    let (h, m) = text.split_once(':')?;
    Time::from_hms(h.parse().ok()?, m.parse().ok()?, 0).ok()
}

fn day_index(name: &str) -> Option<usize> {
    DAYS.iter().position(|(n, _)| *n == name)
}

/// `mon-fri` or `mon,wed,fri`.
fn parse_days(text: &str) -> Option<Vec<Weekday>> {
    let indices: Vec<usize> = match text.split_once('-') {
        Some((first, last)) => {
            let (first, last) = (day_index(first)?, day_index(last)?);
            if first > last {
                return None;
            }
            (first..=last).collect()
        }
        None => text.split(',').map(day_index).collect::<Option<Vec<_>>>()?,
    };
    Some(indices.into_iter().map(|i| DAYS[i].1).collect())
}

/// The date in Denmark at `instant` (at the very end of time, the UTC date).
fn danish_date(instant: OffsetDateTime) -> Date {
    instant
        .checked_to_offset(danish_offset(instant))
        .unwrap_or(instant)
        .date()
}

impl ServiceHours {
    /// The counted time between `from` and `until` (zero if not after).
    pub fn between(&self, from: OffsetDateTime, until: OffsetDateTime) -> Duration {
        if until <= from {
            return Duration::ZERO;
        }
        let ServiceHours::Business(hours) = self else {
            return until - from;
        };
        let mut total = Duration::ZERO;
        let mut date = danish_date(from);
        let last = danish_date(until);
        while date <= last {
            if let Some((opens, closes)) = hours.window(date) {
                let (start, end) = (opens.max(from), closes.min(until));
                if end > start {
                    total += end - start;
                }
            }
            let Some(next) = date.next_day() else { break };
            date = next;
        }
        total
    }

    /// The instant `amount` of counted time after `from`. With business
    /// hours that never open again within ten years, the far future.
    pub fn advance(&self, from: OffsetDateTime, amount: Duration) -> OffsetDateTime {
        if !amount.is_positive() {
            return from;
        }
        let ServiceHours::Business(hours) = self else {
            return from + amount;
        };
        let mut left = amount;
        let mut date = danish_date(from);
        for _ in 0..HORIZON_DAYS {
            if let Some((opens, closes)) = hours.window(date) {
                let start = opens.max(from);
                if closes > start {
                    if left <= closes - start {
                        return start + left;
                    }
                    left -= closes - start;
                }
            }
            let Some(next) = date.next_day() else { break };
            date = next;
        }
        PrimitiveDateTime::new(Date::MAX, Time::MIDNIGHT).assume_utc()
    }
}

#[cfg(test)]
mod code_tests {
    use super::*;

    #[test]
    fn an_agreements_hours_read_and_write_the_same() {
        assert_eq!(
            ServiceHours::parse(" Calendar "),
            Ok(ServiceHours::Calendar)
        );
        let office = ServiceHours::parse("business 08:00-16:00 mon-fri").expect("valid");
        assert_eq!(office.code(), "business 08:00-16:00 mon,tue,wed,thu,fri");
        assert_eq!(ServiceHours::parse(&office.code()), Ok(office));
        let holidays =
            ServiceHours::parse("business 07:30-15:00 mon,wed closed 2026-12-24,2026-12-25")
                .expect("valid");
        assert_eq!(
            holidays.code(),
            "business 07:30-15:00 mon,wed closed 2026-12-24,2026-12-25"
        );
        assert_eq!(ServiceHours::parse(&holidays.code()), Ok(holidays));
    }

    #[test]
    fn hours_that_are_not_hours_are_refused() {
        for wrong in [
            "",
            "always",
            "business",
            "business 16:00-08:00 mon-fri",
            "business 08:00-16:00 fri-mon",
            "business 08:00-16:00 mon-fri closed 2026-13-01",
            "business 08:00-16:00 mon-fri open 2026-12-24",
            "business 8-16 mon-fri",
            "business 02:00-16:00 mon-fri",
        ] {
            assert_eq!(
                ServiceHours::parse(wrong),
                Err(IncidentError::BusinessHoursInvalid),
                "{wrong}"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use time::macros::{date, datetime};

    use super::*;

    fn office(closed: Vec<Date>) -> ServiceHours {
        use Weekday::*;
        ServiceHours::Business(
            BusinessHours::new(
                time!(08:00),
                time!(16:00),
                &[Monday, Tuesday, Wednesday, Thursday, Friday],
                closed,
            )
            .expect("valid"),
        )
    }

    #[test]
    fn danish_time_follows_the_eu_rule() {
        assert_eq!(
            danish_offset(datetime!(2023-06-22 12:00 UTC)).whole_hours(),
            2
        );
        assert_eq!(
            danish_offset(datetime!(2023-01-10 12:00 UTC)).whole_hours(),
            1
        );
        assert_eq!(
            danish_offset(datetime!(2023-03-26 00:59 UTC)).whole_hours(),
            1
        );
        assert_eq!(
            danish_offset(datetime!(2023-03-26 01:00 UTC)).whole_hours(),
            2
        );
        assert_eq!(
            danish_offset(datetime!(2023-10-29 00:59 UTC)).whole_hours(),
            2
        );
        assert_eq!(
            danish_offset(datetime!(2023-10-29 01:00 UTC)).whole_hours(),
            1
        );
    }

    #[test]
    fn business_hours_count_only_opening_hours_on_open_days() {
        let h = office(vec![]);
        // Thursday 22 June 2023, 15:00 Danish time (13:00 UTC): one hour
        // left that day, three on Friday from 08:00 (06:00 UTC).
        let thursday = datetime!(2023-06-22 13:00 UTC);
        assert_eq!(
            h.advance(thursday, Duration::hours(4)),
            datetime!(2023-06-23 09:00 UTC)
        );
        assert_eq!(
            h.between(thursday, datetime!(2023-06-23 09:00 UTC)),
            Duration::hours(4)
        );
        // Friday 15:00: the weekend is not counted.
        assert_eq!(
            h.advance(datetime!(2023-06-23 13:00 UTC), Duration::hours(4)),
            datetime!(2023-06-26 09:00 UTC)
        );
        // Reported on a Saturday: the clock starts on Monday at 08:00.
        assert_eq!(
            h.advance(datetime!(2023-06-24 10:00 UTC), Duration::hours(1)),
            datetime!(2023-06-26 07:00 UTC)
        );
        assert_eq!(
            h.between(
                datetime!(2023-06-24 00:00 UTC),
                datetime!(2023-06-25 23:00 UTC)
            ),
            Duration::ZERO
        );
    }

    #[test]
    fn closed_dates_are_skipped() {
        let h = office(vec![date!(2023 - 06 - 26)]);
        assert_eq!(
            h.advance(datetime!(2023-06-23 13:00 UTC), Duration::hours(4)),
            datetime!(2023-06-27 09:00 UTC)
        );
    }

    #[test]
    fn business_hours_cross_the_change_to_winter_time() {
        // Friday 27 October 2023, 15:00 CEST; Monday 30 October opens 08:00 CET = 07:00 UTC.
        let h = office(vec![]);
        assert_eq!(
            h.advance(datetime!(2023-10-27 13:00 UTC), Duration::hours(2)),
            datetime!(2023-10-30 08:00 UTC)
        );
    }

    #[test]
    fn opening_hours_must_make_sense() {
        use Weekday::Monday;
        assert_eq!(
            BusinessHours::new(time!(16:00), time!(08:00), &[Monday], vec![]),
            Err(IncidentError::BusinessHoursInvalid)
        );
        assert_eq!(
            BusinessHours::new(time!(08:00), time!(16:00), &[], vec![]),
            Err(IncidentError::BusinessHoursInvalid)
        );
        assert_eq!(
            BusinessHours::new(time!(01:00), time!(16:00), &[Monday], vec![]),
            Err(IncidentError::BusinessHoursInvalid)
        );
    }

    proptest! {
        #[test]
        fn advancing_then_measuring_gives_back_the_amount(
            start in 0i64..(400 * 24 * 60), minutes in 0i64..(30 * 8 * 60),
        ) {
            let h = office(vec![date!(2023-12-25), date!(2023-12-26)]);
            let from = datetime!(2023-01-01 00:00 UTC) + Duration::minutes(start);
            let amount = Duration::minutes(minutes);
            let until = h.advance(from, amount);
            prop_assert!(until >= from);
            prop_assert_eq!(h.between(from, until), amount);
            prop_assert!(h.between(from, until) <= until - from);
            prop_assert!(h.advance(from, amount + Duration::MINUTE) > until);
        }
    }
}
