//! A KLE subject as the citizen store keeps it: the flat row the ingest
//! reads to check a case's primary class (its number, title, when it came
//! into use, when it left it, what replaced it and its deletion rule), made
//! from a parsed [`Subject`](super::Subject) by `samspil import kle`.

use serde::Serialize;
use time::Date;

use super::Subject;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KleSubject {
    pub number: String,
    pub title: String,
    pub created_on: Option<Date>,
    pub expired_on: Option<Date>,
    pub replaced_by: Option<String>,
    /// `SletningJaevnfoerPersondataloven` as an ISO 8601 period (`P1800D`).
    pub deletion_rule: Option<String>,
}

impl KleSubject {
    /// Whether the subject may classify a case on `day`: created by then
    /// (when the plan says when) and not expired yet.
    pub fn active_on(&self, day: Date) -> bool {
        self.created_on.is_none_or(|created| created <= day)
            && self.expired_on.is_none_or(|expired| day < expired)
    }
}

impl From<&Subject> for KleSubject {
    fn from(subject: &Subject) -> Self {
        let history = subject.administration.history.as_ref();
        KleSubject {
            number: subject.number.to_string(),
            title: subject.title.clone(),
            created_on: Some(subject.administration.created),
            expired_on: history.map(|h| h.date()),
            replaced_by: history.and_then(|h| h.replaced_by()).map(|n| n.to_string()),
            deletion_rule: subject.retention.deletion_after.map(|p| p.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_subject_is_active_from_its_creation_until_it_expires() {
        let subject = KleSubject {
            number: "15.02.05".into(),
            title: "Iværksætterydelse [udgået]".into(),
            created_on: Some(date!(1990 - 01 - 01)),
            expired_on: Some(date!(1996 - 01 - 01)),
            replaced_by: None,
            deletion_rule: None,
        };
        assert!(!subject.active_on(date!(1989 - 12 - 31)));
        assert!(subject.active_on(date!(1990 - 01 - 01)));
        assert!(subject.active_on(date!(1995 - 12 - 31)));
        assert!(!subject.active_on(date!(1996 - 01 - 01)));
        let open = KleSubject {
            created_on: None,
            expired_on: None,
            ..subject
        };
        assert!(open.active_on(date!(2026 - 01 - 01)));
    }
}
