//! What the plan says about keeping a subject's cases: the deletion period
//! under the data protection rules (`SletningJaevnfoerPersondataloven`) and
//! the archival code under the archives act (`BevaringJaevnfoerArkivloven`).

use std::fmt;
use std::str::FromStr;

use time::{Date, Month};

/// An `xs:duration` of whole years, months and days, as the plan writes a
/// deletion period (`P1800D`, the 2015 edition's usual five years; `P5Y`
/// would be read the same way).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Period {
    pub years: u32,
    pub months: u32,
    pub days: u32,
}

impl Period {
    /// The date this period after `from`: years and months first (a day that
    /// the target month lacks becomes its last day), then days. `None` past
    /// the calendar's end.
    pub fn after(self, from: Date) -> Option<Date> {
        let months =
            i64::from(from.month() as u8) - 1 + i64::from(self.months) + 12 * i64::from(self.years);
        let year = i64::from(from.year()).checked_add(months.div_euclid(12))?;
        let year = i32::try_from(year).ok()?;
        let month = Month::try_from(u8::try_from(months.rem_euclid(12) + 1).ok()?).ok()?;
        let day = from.day().min(time::util::days_in_month(month, year));
        let date = Date::from_calendar_date(year, month, day).ok()?;
        date.checked_add(time::Duration::days(i64::from(self.days)))
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("P")?;
        if self.years > 0 {
            write!(f, "{}Y", self.years)?;
        }
        if self.months > 0 {
            write!(f, "{}M", self.months)?;
        }
        if self.days > 0 || (self.years == 0 && self.months == 0) {
            write!(f, "{}D", self.days)?;
        }
        Ok(())
    }
}

/// A text that is not a period of whole years, months and days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MalformedPeriod;

impl fmt::Display for MalformedPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "a deletion period is an ISO 8601 duration of whole years, months and days (P1800D, P5Y)",
        )
    }
}

impl std::error::Error for MalformedPeriod {}

impl FromStr for Period {
    type Err = MalformedPeriod;

    /// `P` followed by at least one of `nY`, `nM`, `nD` in that order. A
    /// time part (`T...`) or a negative duration makes no sense for keeping
    /// cases and is refused.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut rest = text.strip_prefix('P').ok_or(MalformedPeriod)?;
        let mut period = Period::default();
        let mut seen_any = false;
        for (designator, slot) in [
            ('Y', &mut period.years),
            ('M', &mut period.months),
            ('D', &mut period.days),
        ] {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 || !rest[digits..].starts_with(designator) {
                continue;
            }
            // Nine digits at most: far beyond any retention, and no overflow.
            if digits > 9 {
                return Err(MalformedPeriod);
            }
            *slot = rest[..digits].parse().map_err(|_| MalformedPeriod)?;
            rest = &rest[digits + 1..];
            seen_any = true;
        }
        if !seen_any || !rest.is_empty() {
            return Err(MalformedPeriod);
        }
        Ok(period)
    }
}

/// `BevaringJaevnfoerArkivloven`: whether the subject's cases are to be
/// preserved for the public archives or may be discarded.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Archival {
    /// `B`: bevares, preserved and transferred to the archive.
    Preserve,
    /// `K`: kasseres, discarded; some editions write `K` with a number of
    /// years after which (`K10`).
    Discard { after_years: Option<u32> },
    /// `tom` (empty): the plan gives no code.
    Unspecified,
    /// A code this version does not know (other editions have used `G` and
    /// `U`), kept as written so that a re-import can report it.
    Other(String),
}

impl Archival {
    pub fn parse(code: &str) -> Archival {
        match code {
            "B" => Archival::Preserve,
            "K" => Archival::Discard { after_years: None },
            "tom" | "" => Archival::Unspecified,
            other => match other.strip_prefix('K').map(str::parse::<u32>) {
                Some(Ok(years)) => Archival::Discard {
                    after_years: Some(years),
                },
                _ => Archival::Other(other.to_owned()),
            },
        }
    }
}

impl fmt::Display for Archival {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Archival::Preserve => f.write_str("B"),
            Archival::Discard { after_years: None } => f.write_str("K"),
            Archival::Discard {
                after_years: Some(years),
            } => write!(f, "K{years}"),
            Archival::Unspecified => f.write_str("tom"),
            Archival::Other(code) => f.write_str(code),
        }
    }
}

/// A subject's retention rule, as the retention job applies it to the
/// index's copy of a case classified under the subject.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Retention {
    /// `SletningJaevnfoerPersondataloven`; `None` where the plan gives none
    /// (772 retired subjects and 2 active ones in the 2015 edition).
    pub deletion_after: Option<Period>,
    pub archival: Archival,
}

impl Retention {
    /// When a case closed (`Afsluttet`) on `closed_on` is due for deletion:
    /// the deletion period after the closing date. `None` when the subject
    /// has no deletion period: such cases are kept until the delivering
    /// system removes them (the index deletes what the source deletes) or a
    /// later edition gives the subject a period.
    ///
    /// The archival code does not postpone this: preserving a case for the
    /// archive is the duty of the system of record, which transfers it;
    /// samspil keeps only an index copy for the citizen overview.
    pub fn deletion_due(&self, closed_on: Date) -> Option<Date> {
        self.deletion_after?.after(closed_on)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn periods_parse_and_print_back() {
        for (text, period) in [
            ("P1800D", (0, 0, 1800)),
            ("P5Y", (5, 0, 0)),
            ("P1Y6M", (1, 6, 0)),
            ("P2Y3M4D", (2, 3, 4)),
            ("P0D", (0, 0, 0)),
        ] {
            let parsed: Period = text.parse().expect("a period");
            assert_eq!((parsed.years, parsed.months, parsed.days), period);
            assert_eq!(parsed.to_string(), text);
        }
    }

    #[test]
    fn malformed_periods_are_refused() {
        for text in [
            "",
            "P",
            "1800D",
            "P1800",
            "PT5H",
            "P5YT1H",
            "-P5Y",
            "P5D5Y",
            "P5Y5Y",
            "P 5Y",
            "P1800d",
            "P9999999999D",
            "P1.5Y",
        ] {
            assert_eq!(text.parse::<Period>(), Err(MalformedPeriod), "{text:?}");
        }
    }

    #[test]
    fn a_period_after_a_date_adds_months_then_days() {
        let period = |text: &str| text.parse::<Period>().expect("a period");
        assert_eq!(
            period("P1800D").after(date!(2015 - 08 - 01)),
            Some(date!(2020 - 07 - 05))
        );
        assert_eq!(
            period("P5Y").after(date!(2016 - 02 - 29)),
            Some(date!(2021 - 02 - 28))
        );
        assert_eq!(
            period("P1M").after(date!(2015 - 01 - 31)),
            Some(date!(2015 - 02 - 28))
        );
        assert_eq!(
            period("P1Y1D").after(date!(2015 - 12 - 31)),
            Some(date!(2017 - 01 - 01))
        );
        assert_eq!(period("P999999999Y").after(date!(2015 - 01 - 01)), None);
        assert_eq!(period("P999999999D").after(date!(2015 - 01 - 01)), None);
    }

    #[test]
    fn archival_codes_are_read_as_the_plan_writes_them() {
        assert_eq!(Archival::parse("B"), Archival::Preserve);
        assert_eq!(
            Archival::parse("K"),
            Archival::Discard { after_years: None }
        );
        assert_eq!(
            Archival::parse("K10"),
            Archival::Discard {
                after_years: Some(10)
            }
        );
        assert_eq!(Archival::parse("tom"), Archival::Unspecified);
        assert_eq!(Archival::parse("G"), Archival::Other("G".into()));
        for code in ["B", "K", "K10", "tom", "G"] {
            assert_eq!(Archival::parse(code).to_string(), code);
        }
    }

    #[test]
    fn deletion_is_due_a_period_after_closing_and_never_without_one() {
        let retention = Retention {
            deletion_after: Some("P1800D".parse().expect("a period")),
            archival: Archival::Preserve,
        };
        assert_eq!(
            retention.deletion_due(date!(2020 - 01 - 01)),
            Some(date!(2024 - 12 - 05))
        );
        let kept = Retention {
            deletion_after: None,
            archival: Archival::Discard { after_years: None },
        };
        assert_eq!(kept.deletion_due(date!(2020 - 01 - 01)), None);
    }
}
