//! What the first link gathers when it opens an incident (the slides:
//! "Første led i kæden skal skaffe tilstrækkelig information om fejlen"):
//! who, which solution, when, what happened, examples, error messages and
//! the user's priority — and the rule that none of it holds a CPR number.

use samspil_domain::OrgId;
use samspil_domain::input::{free_text, required_text};
use time::OffsetDateTime;

use super::{IncidentError, Priority, PriorityScale, SolutionCode};

/// The most characters of the description; of a name, an example or an error message.
pub const MAX_DESCRIPTION: usize = 4000;
pub const MAX_SHORT: usize = 400;
/// The most examples, and the most error messages, one incident holds.
pub const MAX_ENTRIES: usize = 20;

/// The fields of the intake, named in refusals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntakeField {
    Reporter,
    Contact,
    WhatHappened,
    Example,
    ErrorMessage,
    /// A text written later: a reason, a reply, a log entry.
    Text,
    Reference,
}

impl IntakeField {
    /// The field's name, as the intake form and the API name it (so a
    /// refusal is shown at the field it names).
    pub fn code(self) -> &'static str {
        match self {
            IntakeField::Reporter => "reporter_name",
            IntakeField::Contact => "reporter_contact",
            IntakeField::WhatHappened => "what_happened",
            IntakeField::Example => "examples",
            IntakeField::ErrorMessage => "error_messages",
            IntakeField::Text => "text",
            IntakeField::Reference => "reference",
        }
    }
}

/// Who reported the incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reporter {
    pub name: String,
    /// How to reach them (an e-mail address or phone number).
    pub contact: String,
    /// The municipality they work for, if any: it alone sees the incident
    /// among the municipalities.
    pub municipality: Option<OrgId>,
}

/// The intake as typed, before the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntakeDraft {
    pub reporter_name: String,
    pub reporter_contact: String,
    pub municipality: Option<OrgId>,
    pub solution: SolutionCode,
    pub occurred_at: OffsetDateTime,
    pub what_happened: String,
    /// Examples of what failed (a case number, the step taken) — CPR-free.
    pub examples: Vec<String>,
    pub error_messages: Vec<String>,
    /// The user's priority on the first desk's scale.
    pub user_priority: Priority,
}

/// An intake that passed the rules: the incident's facts as gathered. Made
/// only by [`IncidentReport::new`] or [`IncidentReport::restore`], so no
/// report holds a CPR number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentReport {
    reporter: Reporter,
    solution: SolutionCode,
    occurred_at: OffsetDateTime,
    what_happened: String,
    examples: Vec<String>,
    error_messages: Vec<String>,
    user_priority: Priority,
}

impl IncidentReport {
    /// Checks a draft taken at `now` by a desk with `scale`: the reporter,
    /// a description, a time not after `now`, the priority on the scale,
    /// and no CPR number in any text (examples and error messages often
    /// carry one; the desk must ask for another example instead).
    pub fn new(
        draft: IntakeDraft,
        scale: &PriorityScale,
        now: OffsetDateTime,
    ) -> Result<IncidentReport, IncidentError> {
        if draft.occurred_at > now {
            return Err(IncidentError::OccurredInFuture);
        }
        scale.check(draft.user_priority)?;
        IncidentReport::restore(draft)
    }

    /// A report as stored: the text rules again (a stored text with a CPR
    /// number is refused, not shown), not the time and scale of its intake.
    pub fn restore(draft: IntakeDraft) -> Result<IncidentReport, IncidentError> {
        let name = required(IntakeField::Reporter, &draft.reporter_name, MAX_SHORT)?;
        let contact = required(IntakeField::Contact, &draft.reporter_contact, MAX_SHORT)?;
        let what = required(
            IntakeField::WhatHappened,
            &draft.what_happened,
            MAX_DESCRIPTION,
        )?;
        let examples = entries(IntakeField::Example, &draft.examples)?;
        let error_messages = entries(IntakeField::ErrorMessage, &draft.error_messages)?;
        Ok(IncidentReport {
            reporter: Reporter {
                name,
                contact,
                municipality: draft.municipality,
            },
            solution: draft.solution,
            occurred_at: draft.occurred_at,
            what_happened: what,
            examples,
            error_messages,
            user_priority: draft.user_priority,
        })
    }

    pub fn reporter(&self) -> &Reporter {
        &self.reporter
    }
    pub fn solution(&self) -> &SolutionCode {
        &self.solution
    }
    pub fn occurred_at(&self) -> OffsetDateTime {
        self.occurred_at
    }
    pub fn what_happened(&self) -> &str {
        &self.what_happened
    }
    pub fn examples(&self) -> &[String] {
        &self.examples
    }
    pub fn error_messages(&self) -> &[String] {
        &self.error_messages
    }
    /// The user's priority on the first desk's scale.
    pub fn user_priority(&self) -> Priority {
        self.user_priority
    }
}

/// A required, CPR-free text of at most `max` characters, trimmed.
pub(super) fn required(
    field: IntakeField,
    text: &str,
    max: usize,
) -> Result<String, IncidentError> {
    let text = required_text(field.code(), text, max, "the text is required")
        .map_err(|problem| IncidentError::InvalidText { field, problem })?;
    refuse_cpr(field, text)?;
    Ok(text.to_owned())
}

/// An optional text: `None` when blank; else as [`required`].
pub(super) fn optional(
    field: IntakeField,
    text: Option<&str>,
    max: usize,
) -> Result<Option<String>, IncidentError> {
    let Some(text) = text else { return Ok(None) };
    let text = free_text(field.code(), text, max)
        .map_err(|problem| IncidentError::InvalidText { field, problem })?;
    match text {
        Some(text) => required(field, text, max).map(Some),
        None => Ok(None),
    }
}

fn entries(field: IntakeField, texts: &[String]) -> Result<Vec<String>, IncidentError> {
    let kept: Vec<String> = texts
        .iter()
        .map(|text| optional(field, Some(text), MAX_SHORT))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .flatten()
        .collect();
    if kept.len() > MAX_ENTRIES {
        return Err(IncidentError::TooManyEntries {
            field,
            max: MAX_ENTRIES,
        });
    }
    Ok(kept)
}

fn refuse_cpr(field: IntakeField, text: &str) -> Result<(), IncidentError> {
    match contains_cpr_number(text) {
        true => Err(IncidentError::CprNumberInText { field }),
        false => Ok(()),
    }
}

/// Whether the text holds something that looks like a CPR number: six
/// digits that are a valid date `ddmmyy`, then four digits, either directly
/// (ten digits) or after one hyphen or space (`ddmmyy-xxxx`, `ddmmyy xxxx`),
/// not part of a longer run of digits. The century comes from the seventh
/// digit as the CPR office assigns it, so 29 February is a date only in
/// leap years. No modulus-11 check: numbers issued since 2007 need not pass
/// it, and a false alarm here costs only retyping an example.
pub fn contains_cpr_number(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let digit = |i: usize| chars.get(i).and_then(|c| c.to_digit(10));
    (0..chars.len()).any(|start| {
        if start > 0 && digit(start - 1).is_some() {
            return false;
        }
        let Some(date) = (0..6)
            .map(|i| digit(start + i))
            .collect::<Option<Vec<u32>>>()
        else {
            return false;
        };
        let serial_start = match chars.get(start + 6) {
            Some('-' | ' ') => start + 7,
            _ => start + 6,
        };
        let Some(serial) = (0..4)
            .map(|i| digit(serial_start + i))
            .collect::<Option<Vec<u32>>>()
        else {
            return false;
        };
        digit(serial_start + 4).is_none() && is_cpr_date(&date, serial[0])
    })
}

/// Whether `ddmmyy` is a real date in the century the seventh digit gives.
fn is_cpr_date(ddmmyy: &[u32], seventh: u32) -> bool {
    let day = ddmmyy[0] * 10 + ddmmyy[1];
    let month = ddmmyy[2] * 10 + ddmmyy[3];
    let yy = (ddmmyy[4] * 10 + ddmmyy[5]) as i32;
    let century = match (seventh, yy) {
        (0..=3, _) => 1900,
        (4 | 9, 0..=36) => 2000,
        (4 | 9, _) => 1900,
        (_, 0..=57) => 2000,
        (_, _) => 1800,
    };
    let Ok(month) = time::Month::try_from(month as u8) else {
        return false;
    };
    time::Date::from_calendar_date(century + yy, month, day as u8).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::fixtures::{at, desk_scale};

    fn draft() -> IntakeDraft {
        IntakeDraft {
            reporter_name: " Sagsbehandler Hansen ".into(),
            reporter_contact: "hansen@aarhus.dk".into(),
            municipality: Some(OrgId(751)),
            solution: SolutionCode::new("KY"),
            occurred_at: at(9, 0),
            what_happened: "Fejl ved opslag på cpr-nummer".into(),
            examples: vec!["Sag 2023-0042".into(), "  ".into()],
            error_messages: vec!["Kildesystemet svarede ikke (fejl 500)".into()],
            user_priority: Priority(1),
        }
    }

    #[test]
    fn a_complete_intake_is_kept_trimmed_without_blank_entries() {
        let report = IncidentReport::new(draft(), &desk_scale(), at(9, 30)).expect("valid");
        assert_eq!(report.reporter().name, "Sagsbehandler Hansen");
        assert_eq!(report.examples(), ["Sag 2023-0042"]);
        assert_eq!(report.error_messages().len(), 1);
    }

    #[test]
    fn the_first_link_must_gather_who_and_what() {
        let mut d = draft();
        d.what_happened = " ".into();
        assert!(matches!(
            IncidentReport::new(d, &desk_scale(), at(9, 30)),
            Err(IncidentError::InvalidText {
                field: IntakeField::WhatHappened,
                ..
            })
        ));
        let mut d = draft();
        d.reporter_contact = String::new();
        assert!(matches!(
            IncidentReport::new(d, &desk_scale(), at(9, 30)),
            Err(IncidentError::InvalidText {
                field: IntakeField::Contact,
                ..
            })
        ));
    }

    #[test]
    fn an_incident_cannot_have_happened_after_it_was_reported() {
        let mut d = draft();
        d.occurred_at = at(10, 0);
        assert_eq!(
            IncidentReport::new(d, &desk_scale(), at(9, 30)),
            Err(IncidentError::OccurredInFuture)
        );
    }

    #[test]
    fn the_users_priority_is_on_the_desks_scale() {
        let mut d = draft();
        d.user_priority = Priority(9);
        assert_eq!(
            IncidentReport::new(d, &desk_scale(), at(9, 30)),
            Err(IncidentError::PriorityOutOfScale)
        );
    }

    #[test]
    fn a_cpr_number_anywhere_is_refused_and_not_repeated() {
        for (field, set) in [
            (
                IntakeField::Example,
                (|d: &mut IntakeDraft| d.examples.push("borger 010203-1234".into()))
                    as fn(&mut IntakeDraft),
            ),
            (IntakeField::ErrorMessage, |d| {
                d.error_messages.push("Ukendt person 0102031234".into())
            }),
            (IntakeField::WhatHappened, |d| {
                d.what_happened = "CPR 311299 1234 fejler".into()
            }),
        ] {
            let mut d = draft();
            set(&mut d);
            let refused = IncidentReport::new(d, &desk_scale(), at(9, 30)).expect_err("refused");
            assert_eq!(refused, IncidentError::CprNumberInText { field });
            assert!(!refused.to_string().contains("1234"));
        }
    }

    #[test]
    fn what_looks_like_a_cpr_number() {
        for cpr in [
            "010203-1234",
            "0102031234",
            "x 311299 5678 y",
            "290200-4111", // 2000 was a leap year (seventh digit 4: 2000–2036)
            "290296-1234", // 1996 was
            "(150685-0123)",
        ] {
            assert!(contains_cpr_number(cpr), "{cpr}");
        }
        for not in [
            "",
            "sag 2023-0042",
            "321299-1234",  // no 32nd
            "011399-1234",  // no 13th month
            "290297-1234",  // 1997 was no leap year
            "290200-0111",  // seventh digit 0: 1900, no leap year
            "01020312345",  // eleven digits
            "1010203-1234", // seven before the hyphen
            "010203--1234",
            "010203-123",
            "fejl 500",
        ] {
            assert!(!contains_cpr_number(not), "{not}");
        }
    }

    #[test]
    fn a_stored_report_is_checked_again_but_not_against_the_clock() {
        let mut d = draft();
        d.occurred_at = at(23, 0);
        assert!(IncidentReport::restore(d.clone()).is_ok());
        d.error_messages.push("0102031234".into());
        assert_eq!(
            IncidentReport::restore(d),
            Err(IncidentError::CprNumberInText {
                field: IntakeField::ErrorMessage
            })
        );
    }

    #[test]
    fn too_many_examples_are_refused() {
        let mut d = draft();
        d.examples = (0..=MAX_ENTRIES).map(|i| format!("sag {i}")).collect();
        assert_eq!(
            IncidentReport::new(d, &desk_scale(), at(9, 30)),
            Err(IncidentError::TooManyEntries {
                field: IntakeField::Example,
                max: MAX_ENTRIES
            })
        );
    }
}
