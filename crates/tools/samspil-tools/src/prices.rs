//! The price per citizen of each solution and the bill per municipality
//! (seed `003_…`, September 2019: SAPA 15,58 kr., KSD 17,31 kr., KY
//! 19,83 kr. and the shared infrastructure 25 kr. per citizen per year
//! from 1 January 2020).
//!
//! Money is integer øre (`i64`). A price is typed in kroner with at most
//! two decimals and never rounded: a third decimal is refused. A bill line
//! is population × price in øre, exact; totals are exact sums. Rounding
//! happens only where a person reads kroner, and there is none to do: øre
//! are shown as they are ("15,58").
//!
//! Populations come from Statistics Denmark (FOLK1A, `;`-separated as
//! statistikbanken.dk exports it) or the shared data file
//! (`code,name,population,as_of`): [`parse_population`] reads either.

use samspil_domain::ValidationError;
use time::{Date, Month};

/// Øre, the unit of every amount.
pub type Ore = i64;

/// A price typed in kroner (`15,58`, `15.58`, `25`): not negative, at most
/// two decimals, at most 100.000 kr.
pub fn parse_kroner(field: &'static str, text: &str) -> Result<Ore, ValidationError> {
    let refuse = |problem: String| ValidationError::new(field, problem);
    let typed = text.trim().replace(' ', "");
    if typed.starts_with('-') {
        return Err(refuse(format!("'{typed}': a price cannot be negative")));
    }
    let (whole, fraction) = match typed.split_once([',', '.']) {
        Some((whole, fraction)) => (whole, fraction),
        None => (typed.as_str(), ""),
    };
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || !(fraction.is_empty() || digits(fraction)) {
        return Err(refuse(format!(
            "'{typed}' is not an amount in kroner, e.g. 15,58"
        )));
    }
    if fraction.len() > 2 {
        return Err(refuse(format!(
            "'{typed}': at most two decimals (øre); nothing is rounded"
        )));
    }
    let kroner: i64 = whole
        .parse()
        .ok()
        .filter(|k| *k <= 100_000)
        .ok_or_else(|| refuse(format!("'{typed}': at most 100.000 kr. per citizen")))?;
    let ore: i64 = format!("{fraction:0<2}").parse().unwrap_or(0);
    Ok(kroner * 100 + ore)
}

pub use samspil_domain::money::{format_kroner, group_thousands};

/// A price of a solution: per citizen per year, in force from a day until
/// the next price of the solution begins (or `valid_to`, when given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Price {
    pub solution_id: i64,
    pub ore_per_citizen: Ore,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
}

/// The price of a solution in force on `day`: the one begun latest on or
/// before it, unless it has ended.
pub fn price_on(prices: &[Price], solution_id: i64, day: Date) -> Option<&Price> {
    prices
        .iter()
        .filter(|p| p.solution_id == solution_id && p.valid_from <= day)
        .max_by_key(|p| p.valid_from)
        .filter(|p| p.valid_to.is_none_or(|to| day <= to))
}

/// A validity period as typed: `to`, when given, not before `from`.
pub fn validity(from: Date, to: Option<Date>) -> Result<(Date, Option<Date>), ValidationError> {
    match to {
        Some(to) if to < from => Err(ValidationError::new(
            "valid_to",
            "a price cannot end before it begins",
        )),
        _ => Ok((from, to)),
    }
}

/// One line of a bill: a solution the municipality uses, its price and
/// what it comes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillLine {
    pub solution_id: i64,
    pub ore_per_citizen: Ore,
    pub amount: Ore,
}

/// A municipality's yearly bill on `day`: a line per solution it uses that
/// has a price then, population × price, exact.
pub fn bill(population: i64, uses: &[i64], prices: &[Price], day: Date) -> Vec<BillLine> {
    let mut lines: Vec<BillLine> = uses
        .iter()
        .filter_map(|solution| {
            let price = price_on(prices, *solution, day)?;
            Some(BillLine {
                solution_id: *solution,
                ore_per_citizen: price.ore_per_citizen,
                amount: population.saturating_mul(price.ore_per_citizen),
            })
        })
        .collect();
    lines.sort_by_key(|l| l.solution_id);
    lines
}

/// A municipality's population on a day, as a file gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PopulationRow {
    /// The municipality's code (101 København … 860 Hjørring).
    pub code: u16,
    pub population: i64,
    pub as_of: Date,
}

fn line_refusal(line: usize, problem: String) -> ValidationError {
    ValidationError::new("file", format!("line {line}: {problem}"))
}

/// FOLK1A's quarter (`2023K1`) as its first day; a plain date as itself.
fn period(text: &str) -> Option<Date> {
    let text = text.trim().trim_matches('"');
    if let Some((year, quarter)) = text.split_once(['K', 'Q']) {
        let year: i32 = year.parse().ok()?;
        let month = match quarter {
            "1" => Month::January,
            "2" => Month::April,
            "3" => Month::July,
            "4" => Month::October,
            _ => return None,
        };
        return Date::from_calendar_date(year, month, 1).ok();
    }
    samspil_domain::input::parse_date("as_of", text).ok()
}

/// Reads a population file: Statistics Denmark's FOLK1A export
/// (`;`-separated; the area as `101 København` or as the name, the
/// quarter as `2023K1`, the count last) or the shared data file
/// (`code,name,population,as_of`, with a header). `code_of` gives the code
/// of a municipality's name (FOLK1A exports names only by default). Every
/// line must name a known municipality (`code_of`/`known`) with a
/// population from 0 up: the first line that does not refuses the file.
pub fn parse_population(
    text: &str,
    code_of: impl Fn(&str) -> Option<u16>,
    known: impl Fn(u16) -> bool,
    default_day: Date,
) -> Result<Vec<PopulationRow>, ValidationError> {
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or("");
    let separator = if first.contains(';') { ';' } else { ',' };
    let mut rows = Vec::new();
    let mut header: Option<Vec<String>> = None;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if line.trim().is_empty() {
            continue;
        }
        let cells: Vec<String> = line
            .split(separator)
            .map(|c| c.trim().trim_matches('"').to_owned())
            .collect();
        let lower: Vec<String> = cells.iter().map(|c| c.to_lowercase()).collect();
        // A header names its columns; numbers never do.
        if header.is_none() && rows.is_empty() && !lower.iter().any(|c| c.parse::<i64>().is_ok()) {
            header = Some(lower);
            continue;
        }
        let column = |names: &[&str]| {
            header
                .as_ref()
                .and_then(|h| h.iter().position(|c| names.iter().any(|n| c == n)))
        };
        // The shared file's columns, or FOLK1A's: area first, count last,
        // a quarter between when there is one.
        let (area, count, day) = match (column(&["code"]), column(&["population"])) {
            (Some(code), Some(population)) => (
                cells.get(code).cloned().unwrap_or_default(),
                cells.get(population).cloned().unwrap_or_default(),
                column(&["as_of"]).and_then(|c| cells.get(c).cloned()),
            ),
            _ => {
                if cells.len() < 2 {
                    return Err(line_refusal(number, "expected an area and a count".into()));
                }
                let day = (cells.len() > 2).then(|| cells[cells.len() - 2].clone());
                (cells[0].clone(), cells[cells.len() - 1].clone(), day)
            }
        };
        let code = match area
            .split_once(' ')
            .map(|(c, _)| c)
            .unwrap_or(&area)
            .parse::<u16>()
        {
            Ok(code) => Some(code),
            Err(_) => code_of(&area),
        }
        .filter(|code| known(*code))
        .ok_or_else(|| line_refusal(number, format!("'{area}' is not a municipality")))?;
        let population: i64 = count
            .replace('.', "")
            .parse()
            .ok()
            .filter(|p| *p >= 0)
            .ok_or_else(|| line_refusal(number, format!("'{count}' is not a population")))?;
        let as_of = match day {
            Some(text) => period(&text).ok_or_else(|| {
                line_refusal(number, format!("'{text}' is not a date or quarter"))
            })?,
            None => default_day,
        };
        if rows
            .iter()
            .any(|r: &PopulationRow| r.code == code && r.as_of == as_of)
        {
            return Err(line_refusal(
                number,
                format!("{code} on {as_of} is given twice"),
            ));
        }
        rows.push(PopulationRow {
            code,
            population,
            as_of,
        });
    }
    if rows.is_empty() {
        return Err(ValidationError::new("file", "the file has no populations"));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn prices_are_oere_typed_in_kroner_and_never_rounded() {
        assert_eq!(parse_kroner("price", "15,58").expect("valid"), 1558);
        assert_eq!(parse_kroner("price", "17.31").expect("valid"), 1731);
        assert_eq!(parse_kroner("price", "25").expect("valid"), 2500);
        assert_eq!(parse_kroner("price", "19,8").expect("valid"), 1980);
        assert!(parse_kroner("price", "-1").is_err());
        assert!(parse_kroner("price", "1,234").is_err());
        assert!(parse_kroner("price", "abc").is_err());
        assert!(parse_kroner("price", "").is_err());
        assert_eq!(format_kroner(1558), "15,58");
        assert_eq!(format_kroner(1_018_408_512), "10.184.085,12");
    }

    fn slide_prices() -> Vec<Price> {
        [(1, 1558), (2, 1731), (3, 1983), (4, 2500)]
            .into_iter()
            .map(|(solution_id, ore)| Price {
                solution_id,
                ore_per_citizen: ore,
                valid_from: date!(2020 - 01 - 01),
                valid_to: None,
            })
            .collect()
    }

    #[test]
    fn a_bill_is_population_times_price_per_solution_used() {
        let prices = slide_prices();
        // København, 653.664 citizens, using SAPA and the infrastructure.
        let lines = bill(653_664, &[4, 1], &prices, date!(2023 - 01 - 01));
        assert_eq!(
            lines,
            [
                BillLine {
                    solution_id: 1,
                    ore_per_citizen: 1558,
                    amount: 653_664 * 1558
                },
                BillLine {
                    solution_id: 4,
                    ore_per_citizen: 2500,
                    amount: 653_664 * 2500
                },
            ]
        );
        assert_eq!(format_kroner(lines[1].amount), "16.341.600,00");
        // Before 2020 nothing is priced.
        assert!(bill(653_664, &[1, 4], &prices, date!(2019 - 12 - 31)).is_empty());
    }

    #[test]
    fn the_price_in_force_is_the_latest_begun_unless_ended() {
        let mut prices = slide_prices();
        prices.push(Price {
            solution_id: 1,
            ore_per_citizen: 1600,
            valid_from: date!(2024 - 01 - 01),
            valid_to: Some(date!(2024 - 12 - 31)),
        });
        let on = |day| price_on(&prices, 1, day).map(|p| p.ore_per_citizen);
        assert_eq!(on(date!(2023 - 06 - 01)), Some(1558));
        assert_eq!(on(date!(2024 - 06 - 01)), Some(1600));
        assert_eq!(on(date!(2025 - 01 - 01)), None);
        assert!(validity(date!(2024 - 01 - 01), Some(date!(2023 - 01 - 01))).is_err());
    }

    fn known(code: u16) -> bool {
        [101, 147, 751].contains(&code)
    }

    fn code_of(name: &str) -> Option<u16> {
        match name {
            "København" => Some(101),
            "Aarhus" => Some(751),
            _ => None,
        }
    }

    #[test]
    fn the_shared_data_file_is_read() {
        let text = "code,name,population,as_of,source\n101,København,653664,2023-01-01,x\n751,Aarhus,361544,2023-01-01,x\n";
        let rows = parse_population(text, code_of, known, date!(2000 - 01 - 01)).expect("read");
        assert_eq!(
            rows[1],
            PopulationRow {
                code: 751,
                population: 361_544,
                as_of: date!(2023 - 01 - 01)
            }
        );
    }

    #[test]
    fn folk1a_as_statistikbanken_exports_it_is_read() {
        let text = "\u{feff}\"101 København\";\"2023K1\";653664\r\nAarhus;2023K3;361544\r\n";
        let rows = parse_population(text, code_of, known, date!(2000 - 01 - 01)).expect("read");
        assert_eq!(rows[0].code, 101);
        assert_eq!(
            rows[1],
            PopulationRow {
                code: 751,
                population: 361_544,
                as_of: date!(2023 - 07 - 01)
            }
        );
    }

    #[test]
    fn an_unknown_municipality_or_a_bad_count_refuses_the_file() {
        let unknown =
            "code,name,population,as_of\n101,København,1,2023-01-01\n999,Atlantis,5,2023-01-01\n";
        let refused =
            parse_population(unknown, code_of, known, date!(2000 - 01 - 01)).expect_err("refused");
        assert_eq!(refused.field, "file");
        assert!(refused.problem.contains("line 3"), "{}", refused.problem);
        assert!(
            parse_population("101;2023K1;-5\n", code_of, known, date!(2000 - 01 - 01)).is_err()
        );
        assert!(parse_population("", code_of, known, date!(2000 - 01 - 01)).is_err());
    }
}
