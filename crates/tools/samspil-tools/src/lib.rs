//! The tools context's rules: the registers the community keeps today in
//! spreadsheets and mail — NSIS risk assessments, agreements per
//! municipality, the price per citizen and the bill per municipality —
//! one module per tool as they come (issue 18).
//!
//! Plain types and rules only: no I/O, no async, no SQL, no HTTP; it may
//! depend on `samspil-domain` only. The tools' tables live in the main
//! database (the migrations of `samspil-tools-sql`), their routes in
//! `samspil-tools-web`.

pub mod agreements;
pub mod incident;
pub mod nsis;
pub mod prices;

use std::fmt;

use serde::{Deserialize, Serialize};

/// The NSIS assurance levels (*sikringsniveauer*), in their order: a
/// higher level satisfies every requirement of a lower one, so a login at
/// `Høj` is enough wherever `Betydelig` is required.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AssuranceLevel {
    Lav,
    Betydelig,
    #[serde(rename = "Høj")]
    Hoej,
}

impl AssuranceLevel {
    /// Every level, lowest first.
    pub const ALL: [AssuranceLevel; 3] = [
        AssuranceLevel::Lav,
        AssuranceLevel::Betydelig,
        AssuranceLevel::Hoej,
    ];

    /// The level's name as NSIS writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            AssuranceLevel::Lav => "Lav",
            AssuranceLevel::Betydelig => "Betydelig",
            AssuranceLevel::Hoej => "Høj",
        }
    }

    /// The level as the database keeps it (ASCII, stable).
    pub fn code(self) -> &'static str {
        match self {
            AssuranceLevel::Lav => "lav",
            AssuranceLevel::Betydelig => "betydelig",
            AssuranceLevel::Hoej => "hoej",
        }
    }

    /// The level of a stored [`code`](Self::code), or of its NSIS name as
    /// typed (`Lav`, `Betydelig`, `Høj`, in any case).
    pub fn parse(text: &str) -> Option<AssuranceLevel> {
        let text = text.trim().to_lowercase();
        AssuranceLevel::ALL
            .into_iter()
            .find(|level| level.code() == text || level.as_str().to_lowercase() == text)
    }

    /// The level of a login's OIOSAML `loa` attribute: `Low`, `Substantial`
    /// or `High`, bare or as the NSIS concept URI
    /// (`https://data.gov.dk/concept/core/nsis/loa/Substantial`).
    pub fn from_loa(loa: &str) -> Option<AssuranceLevel> {
        let bare = loa.trim().rsplit('/').next().unwrap_or_default();
        match bare.to_ascii_lowercase().as_str() {
            "low" => Some(AssuranceLevel::Lav),
            "substantial" => Some(AssuranceLevel::Betydelig),
            "high" => Some(AssuranceLevel::Hoej),
            _ => None,
        }
    }

    /// Whether a login at this level meets a requirement of `required`.
    pub fn satisfies(self, required: AssuranceLevel) -> bool {
        self >= required
    }
}

impl fmt::Display for AssuranceLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::AssuranceLevel::{self, Betydelig, Hoej, Lav};

    #[test]
    fn the_levels_are_ordered_lav_betydelig_hoej() {
        assert!(Lav < Betydelig && Betydelig < Hoej);
        let names: Vec<_> = AssuranceLevel::ALL.iter().map(|l| l.to_string()).collect();
        assert_eq!(names, ["Lav", "Betydelig", "Høj"]);
    }

    #[test]
    fn a_logins_loa_is_read_as_its_level() {
        assert_eq!(AssuranceLevel::from_loa("Substantial"), Some(Betydelig));
        assert_eq!(AssuranceLevel::from_loa("High"), Some(Hoej));
        assert_eq!(AssuranceLevel::from_loa("low"), Some(Lav));
        assert_eq!(
            AssuranceLevel::from_loa("https://data.gov.dk/concept/core/nsis/loa/Substantial"),
            Some(Betydelig)
        );
        assert_eq!(AssuranceLevel::from_loa("Betydelig"), None);
        assert_eq!(AssuranceLevel::from_loa(""), None);
    }

    #[test]
    fn a_level_satisfies_itself_and_those_below_it() {
        for login in AssuranceLevel::ALL {
            for required in AssuranceLevel::ALL {
                assert_eq!(
                    login.satisfies(required),
                    AssuranceLevel::ALL.iter().position(|l| *l == login)
                        >= AssuranceLevel::ALL.iter().position(|l| *l == required),
                    "{login} for {required}"
                );
            }
        }
        assert!(Hoej.satisfies(Betydelig));
        assert!(!Lav.satisfies(Betydelig));
    }
}
