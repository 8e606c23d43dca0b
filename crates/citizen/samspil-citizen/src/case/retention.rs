//! When the index deletes its copy of a closed case: its KLE subject's
//! deletion period (`SletningJaevnfoerPersondataloven`, see
//! [`crate::kle::Retention`]) after the day the case was closed.
//!
//! The facts come from the case's present registration only: a case the
//! sender reopens (a progress period after `Afsluttet`, or `Afsluttet`
//! ended) is not closed, and a case whose class changed is judged by the
//! class it has now. A case with no open-ended primary class, or whose
//! subject has no deletion period, is kept: the index then deletes it
//! when the source does (`fjern`, removal on system change).

use time::Date;

use super::CaseRecord;
use crate::kle::Period;

/// What the retention rule reads of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosedCase<'a> {
    /// The day the open-ended `Afsluttet` progress period began.
    pub closed_on: Date,
    /// The open-ended primary class (a KLE number).
    pub primary_class: &'a str,
}

/// The case's closing facts, if its present progress is `Afsluttet` and
/// it has an open-ended primary class.
pub fn closed_case(record: &CaseRecord) -> Option<ClosedCase<'_>> {
    let closed = record
        .fremdrift
        .iter()
        .flatten()
        .find(|p| p.virkning.til.is_none() && p.status == "Afsluttet")?;
    // A later period (the case reopened) means it is not closed, even if
    // the sender left the Afsluttet period open.
    let reopened = record
        .fremdrift
        .iter()
        .flatten()
        .any(|p| p.status != "Afsluttet" && p.virkning.fra > closed.virkning.fra);
    if reopened {
        return None;
    }
    let class = record
        .relationer
        .iter()
        .flatten()
        .find(|r| r.rolle == "primaer_klasse" && r.virkning.til.is_none())?;
    Some(ClosedCase {
        closed_on: closed.virkning.fra.date(),
        primary_class: class.reference.trim(),
    })
}

/// The day the case is due for deletion: its subject's deletion period
/// (`deletion_period_of` its primary class; `None` when the plan gives
/// none or does not know the subject) after its closing day. `None` keeps
/// the case.
pub fn deletion_due(
    record: &CaseRecord,
    deletion_period_of: impl FnOnce(&str) -> Option<Period>,
) -> Option<Date> {
    let closed = closed_case(record)?;
    deletion_period_of(closed.primary_class)?.after(closed.closed_on)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{Fremdrift, Relation, Virkning};
    use time::OffsetDateTime;
    use time::macros::{date, datetime};

    fn virkning(fra: OffsetDateTime, til: Option<OffsetDateTime>) -> Virkning {
        Virkning { fra, til }
    }

    fn record(progress: &[(&str, OffsetDateTime, Option<OffsetDateTime>)]) -> CaseRecord {
        CaseRecord {
            uuid: "8a0bc6f2-0000-4000-8000-000000000001".into(),
            kommune: 751,
            registreret: datetime!(2024-01-01 0:00 UTC),
            egenskaber: None,
            fremdrift: Some(
                progress
                    .iter()
                    .map(|&(status, fra, til)| Fremdrift {
                        status: status.into(),
                        virkning: virkning(fra, til),
                    })
                    .collect(),
            ),
            indeks: None,
            relationer: Some(vec![
                Relation {
                    rolle: "primaer_klasse".into(),
                    reference: "32.18.02".into(),
                    virkning: virkning(datetime!(2019-01-01 0:00 UTC), None),
                },
                Relation {
                    rolle: "primaer_klasse".into(),
                    reference: "15.00.00".into(),
                    virkning: virkning(
                        datetime!(2018-01-01 0:00 UTC),
                        Some(datetime!(2019-01-01 0:00 UTC)),
                    ),
                },
            ]),
        }
    }

    fn five_years(_: &str) -> Option<Period> {
        "P1800D".parse().ok()
    }

    #[test]
    fn a_closed_case_is_due_its_subjects_period_after_the_closing_day() {
        let case = record(&[
            (
                "Opstaaet",
                datetime!(2019-01-01 0:00 UTC),
                Some(datetime!(2019-06-01 10:00 UTC)),
            ),
            ("Afsluttet", datetime!(2019-06-01 10:00 UTC), None),
        ]);
        let closed = closed_case(&case).expect("closed");
        assert_eq!(closed.closed_on, date!(2019 - 06 - 01));
        assert_eq!(closed.primary_class, "32.18.02", "the open-ended class");
        let mut asked = None;
        let due = deletion_due(&case, |class| {
            asked = Some(class.to_owned());
            five_years(class)
        });
        assert_eq!(asked.as_deref(), Some("32.18.02"));
        assert_eq!(due, Some(date!(2024 - 05 - 05)));
    }

    #[test]
    fn an_open_or_reopened_case_is_kept() {
        let open = record(&[("Oplyst", datetime!(2019-01-01 0:00 UTC), None)]);
        assert_eq!(deletion_due(&open, five_years), None);
        let reopened = record(&[
            ("Afsluttet", datetime!(2019-06-01 0:00 UTC), None),
            ("Oplyst", datetime!(2019-07-01 0:00 UTC), None),
        ]);
        assert_eq!(deletion_due(&reopened, five_years), None);
        let closing_ended = record(&[(
            "Afsluttet",
            datetime!(2019-06-01 0:00 UTC),
            Some(datetime!(2019-07-01 0:00 UTC)),
        )]);
        assert_eq!(deletion_due(&closing_ended, five_years), None);
    }

    #[test]
    fn a_case_without_class_or_subject_period_is_kept() {
        let mut case = record(&[("Afsluttet", datetime!(2019-06-01 0:00 UTC), None)]);
        assert_eq!(deletion_due(&case, |_| None), None, "no period");
        case.relationer = Some(Vec::new());
        assert_eq!(deletion_due(&case, five_years), None, "no class");
    }
}
