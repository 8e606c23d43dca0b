//! What every kind of record a vendor system delivers has in common
//! (cases, claims, appointments…): the validity period (`Virkning`), a
//! broken rule ([`Violation`]) with its JSON pointer, rule and section,
//! the checks of a text and of a period, and the CPR and CVR references.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A validity period (`Virkning`): from `fra`, until `til` (open when
/// absent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Virkning {
    #[serde(with = "time::serde::rfc3339")]
    pub fra: OffsetDateTime,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub til: Option<OffsetDateTime>,
}

impl Virkning {
    /// Whether the period holds at `at`.
    pub fn holds_at(&self, at: OffsetDateTime) -> bool {
        self.fra <= at && self.til.is_none_or(|til| at < til)
    }
}

/// Import (a new record, whole) or update (a known record: for a case
/// the groups it changes, for a claim or an appointment the whole record
/// again).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Operation {
    Import,
    Update,
}

impl Operation {
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Import => "import",
            Operation::Update => "update",
        }
    }
}

/// A broken rule of the anvisning, where and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    /// The field, as a JSON pointer into the record (`/egenskaber/0/titel`).
    pub pointer: String,
    /// A stable code of the rule (`title_too_long`).
    pub rule: String,
    /// The anvisning's section (`03 Sagsegenskaber [OB1]`).
    pub section: String,
    /// What is wrong, in English (the API's language).
    pub message: String,
    /// A violation no mode accepts: the record cannot be kept at all
    /// (no UUID, no municipality, a case the system does not own, …).
    /// Report mode accepts the others and records them.
    pub fatal: bool,
}

pub(crate) fn violation(pointer: String, rule: &str, section: &str, message: String) -> Violation {
    Violation {
        pointer,
        rule: rule.to_owned(),
        section: section.to_owned(),
        message,
        fatal: false,
    }
}

pub(crate) fn fatal(pointer: String, rule: &str, section: &str, message: String) -> Violation {
    Violation {
        fatal: true,
        ..violation(pointer, rule, section, message)
    }
}

fn one_line(text: &str) -> bool {
    !text.chars().any(char::is_control)
}

pub(crate) fn check_text(
    out: &mut Vec<Violation>,
    pointer: String,
    text: &str,
    max: usize,
    section: &str,
    required: bool,
) {
    let chars = text.trim().chars().count();
    if required && chars == 0 {
        out.push(violation(
            pointer,
            "missing",
            section,
            "the value is empty".into(),
        ));
    } else if chars > max {
        out.push(violation(
            pointer,
            "too_long",
            section,
            format!("at most {max} characters, got {chars}"),
        ));
    } else if !one_line(text) {
        out.push(violation(
            pointer,
            "not_one_line",
            section,
            "the text must be one line without control characters".into(),
        ));
    }
}

/// A group that is sent holds at least one period.
pub(crate) fn not_empty<T>(
    out: &mut Vec<Violation>,
    group: &str,
    list: &[T],
    section: &str,
    message: &str,
) {
    if list.is_empty() {
        out.push(violation(
            format!("/{group}"),
            "missing",
            section,
            message.to_owned(),
        ));
    }
}

pub(crate) fn check_virkning(
    out: &mut Vec<Violation>,
    pointer: String,
    virkning: &Virkning,
    section: &str,
) {
    if let Some(til) = virkning.til
        && til <= virkning.fra
    {
        out.push(violation(
            pointer,
            "validity_reversed",
            section,
            "the validity ends (til) before it begins (fra)".into(),
        ));
    }
}

fn digits_after<'a>(reference: &'a str, prefix: &str, len: usize) -> Option<&'a str> {
    let value = reference.trim().strip_prefix(prefix)?;
    (value.len() == len && value.bytes().all(|b| b.is_ascii_digit())).then_some(value)
}

/// A CVR reference `urn:oio:cvr-nr:NNNNNNNN`: its eight digits.
pub fn cvr(reference: &str) -> Option<&str> {
    digits_after(reference, "urn:oio:cvr-nr:", 8)
}

/// A CPR reference `urn:oio:cpr-nr:DDMMYYXXXX`: its ten digits.
pub fn cpr(reference: &str) -> Option<&str> {
    digits_after(reference, "urn:oio:cpr-nr:", 10)
}

/// A CPR number as a person types it (`010190-1234`, `0101901234`, with
/// spaces): its ten digits, or `None`.
pub fn typed_cpr(text: &str) -> Option<String> {
    let digits: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    (digits.len() == 10 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_cpr_number_is_its_ten_digits() {
        for typed in ["0101901234", "010190-1234", " 010190 1234 "] {
            assert_eq!(typed_cpr(typed).as_deref(), Some("0101901234"), "{typed}");
        }
        for typed in [
            "",
            "010190123",
            "01019012345",
            "01019o1234",
            "urn:oio:cpr-nr:0101901234",
        ] {
            assert_eq!(typed_cpr(typed), None, "{typed}");
        }
    }
}
