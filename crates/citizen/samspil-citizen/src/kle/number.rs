//! KLE numbers: `00` (a main group), `00.01` (a group), `00.01.10` (a
//! subject). Two digits a level, levels separated by a full stop; a group's
//! number starts with its main group's, a subject's with its group's.

use std::fmt;
use std::str::FromStr;

/// The level of the plan a number names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// Hovedgruppe, `00`.
    MainGroup,
    /// Gruppe, `00.01`.
    Group,
    /// Emne, `00.01.10`.
    Subject,
}

impl Level {
    /// The element the plan names this level with (`Hovedgruppe`, ...).
    pub fn element(self) -> &'static str {
        match self {
            Level::MainGroup => "Hovedgruppe",
            Level::Group => "Gruppe",
            Level::Subject => "Emne",
        }
    }
}

/// A well-formed KLE number of any level. Ordered as the plan lists its
/// entries: a main group before its groups, a group before its subjects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KleNumber {
    main: u8,
    group: Option<u8>,
    subject: Option<u8>,
}

impl KleNumber {
    /// A main group's number (`0..=99`).
    pub fn main_group(main: u8) -> Option<Self> {
        (main < 100).then_some(KleNumber {
            main,
            group: None,
            subject: None,
        })
    }

    /// A group's number.
    pub fn group(main: u8, group: u8) -> Option<Self> {
        (main < 100 && group < 100).then_some(KleNumber {
            main,
            group: Some(group),
            subject: None,
        })
    }

    /// A subject's number.
    pub fn subject(main: u8, group: u8, subject: u8) -> Option<Self> {
        (main < 100 && group < 100 && subject < 100).then_some(KleNumber {
            main,
            group: Some(group),
            subject: Some(subject),
        })
    }

    pub fn level(self) -> Level {
        match (self.group, self.subject) {
            (None, _) => Level::MainGroup,
            (Some(_), None) => Level::Group,
            (Some(_), Some(_)) => Level::Subject,
        }
    }

    /// The number one level up (a subject's group, a group's main group);
    /// none for a main group.
    pub fn parent(self) -> Option<Self> {
        match self.level() {
            Level::MainGroup => None,
            Level::Group => KleNumber::main_group(self.main),
            Level::Subject => KleNumber::group(self.main, self.group.unwrap_or(0)),
        }
    }

    /// Whether `self` is `other` or lies below it (`27.36.02` is within
    /// `27` and `27.36`).
    pub fn is_within(self, other: KleNumber) -> bool {
        self.main == other.main
            && (other.group.is_none() || self.group == other.group)
            && (other.subject.is_none() || self.subject == other.subject)
    }
}

impl fmt::Display for KleNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}", self.main)?;
        if let Some(group) = self.group {
            write!(f, ".{group:02}")?;
        }
        if let Some(subject) = self.subject {
            write!(f, ".{subject:02}")?;
        }
        Ok(())
    }
}

/// A text that is not a KLE number (two digits a level, one to three levels
/// separated by full stops).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MalformedKleNumber;

impl fmt::Display for MalformedKleNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "a KLE number is two digits per level, one to three levels separated by full stops (00, 00.01, 00.01.10)",
        )
    }
}

impl std::error::Error for MalformedKleNumber {}

impl FromStr for KleNumber {
    type Err = MalformedKleNumber;

    /// Exactly the plan's format: no surrounding space, no other separator.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut levels = [None; 3];
        for (count, part) in text.split('.').enumerate() {
            let slot = levels.get_mut(count).ok_or(MalformedKleNumber)?;
            *slot = Some(two_digits(part)?);
        }
        match levels {
            [Some(main), None, None] => KleNumber::main_group(main),
            [Some(main), Some(group), None] => KleNumber::group(main, group),
            [Some(main), Some(group), Some(subject)] => KleNumber::subject(main, group, subject),
            _ => None,
        }
        .ok_or(MalformedKleNumber)
    }
}

fn two_digits(part: &str) -> Result<u8, MalformedKleNumber> {
    match part.as_bytes() {
        [tens @ b'0'..=b'9', ones @ b'0'..=b'9'] => Ok((tens - b'0') * 10 + (ones - b'0')),
        _ => Err(MalformedKleNumber),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_of_each_level_parse_and_print_back() {
        for (text, level) in [
            ("00", Level::MainGroup),
            ("32.18", Level::Group),
            ("32.18.04", Level::Subject),
            ("99.99.99", Level::Subject),
        ] {
            let number: KleNumber = text.parse().expect("well-formed");
            assert_eq!(number.level(), level);
            assert_eq!(number.to_string(), text);
        }
    }

    #[test]
    fn malformed_numbers_are_refused() {
        for text in [
            "",
            "0",
            "000",
            "32.",
            ".32",
            "32.18.",
            "32.18.04.01",
            "32.1.04",
            "3a",
            "32-18",
            " 32",
            "32 ",
            "32..18",
            "٣٢",
            "+1",
            "32.18.4",
        ] {
            assert_eq!(
                text.parse::<KleNumber>(),
                Err(MalformedKleNumber),
                "{text:?}"
            );
        }
    }

    #[test]
    fn parents_and_containment_follow_the_levels() {
        let subject: KleNumber = "27.36.02".parse().expect("well-formed");
        let group: KleNumber = "27.36".parse().expect("well-formed");
        let main: KleNumber = "27".parse().expect("well-formed");
        assert_eq!(subject.parent(), Some(group));
        assert_eq!(group.parent(), Some(main));
        assert_eq!(main.parent(), None);
        assert!(subject.is_within(group) && subject.is_within(main) && subject.is_within(subject));
        assert!(!group.is_within(subject));
        assert!(!subject.is_within("27.37".parse().expect("well-formed")));
        assert!(main < group && group < subject);
    }
}
