//! KLE, the municipalities' subject classification (`NN.NN.NN`), as the
//! citizen index keeps it: each subject's number, title, when it was
//! created, when it expired (`Historisk/UdgaaetDato`), what replaced it
//! (`AfloestAf`) and its deletion rule (`SletningJaevnfoerPersondataloven`).
//! A case's primary class must be a subject that is active on the day its
//! relation begins.

use serde::Serialize;
use time::Date;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KleSubject {
    pub number: String,
    pub title: String,
    pub created_on: Option<Date>,
    pub expired_on: Option<Date>,
    pub replaced_by: Option<String>,
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
