//! The meeting invitation as iCalendar (RFC 5545) text: one VEVENT in a
//! VCALENDAR with METHOD:REQUEST (an invitation or its update, with a
//! higher SEQUENCE) or METHOD:CANCEL, for the outbox to attach as
//! `text/calendar; method=REQUEST`. Times are UTC (`…Z`), so no VTIMEZONE
//! is needed; TEXT values are escaped (§3.3.11) and content lines folded at
//! 75 octets without splitting a UTF-8 character (§3.1).

use std::fmt::Write as _;

use time::{OffsetDateTime, UtcOffset};

use crate::calendar::{escape_text, fold as fold_line, utc_stamp as utc};

use super::MeetingError;
use super::agenda::Meeting;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarMethod {
    Request,
    Cancel,
}

impl CalendarMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            CalendarMethod::Request => "REQUEST",
            CalendarMethod::Cancel => "CANCEL",
        }
    }
}

/// The organizer or an attendee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarPerson {
    pub name: String,
    pub email: String,
}

/// What the invitation says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcsEvent {
    /// Stable per meeting ([`meeting_uid`]): an update or a cancellation
    /// carries the invitation's UID.
    pub uid: String,
    /// 0 for the invitation, raised with every change sent.
    pub sequence: u32,
    /// When the text is made (a parameter: no clock in the rules).
    pub dtstamp: OffsetDateTime,
    pub starts_at: OffsetDateTime,
    pub ends_at: OffsetDateTime,
    pub summary: String,
    pub description: String,
    /// The meeting's link, also its location (Teams, Zoom).
    pub link: String,
    pub organizer: CalendarPerson,
    pub attendees: Vec<CalendarPerson>,
    pub method: CalendarMethod,
}

/// The UID of a meeting's invitation: `programledermoede-{id}@{host}`, the
/// host being the installation's own name (so UIDs of two installations
/// never meet).
pub fn meeting_uid(meeting_id: i64, host: &str) -> Result<String, MeetingError> {
    let host = host.trim();
    let fits = !host.is_empty()
        && host.len() <= 200
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    if !fits {
        return Err(MeetingError::BadCalendarValue {
            value: host.to_owned(),
        });
    }
    Ok(format!("programledermoede-{meeting_id}@{host}"))
}

/// A mail address fit for `mailto:` in a content line.
fn mailto(email: &str) -> Result<String, MeetingError> {
    let email = email.trim();
    let bad = || MeetingError::BadCalendarValue {
        value: email.to_owned(),
    };
    let (local, domain) = email.split_once('@').ok_or_else(bad)?;
    let forbidden = |c: char| {
        c.is_whitespace() || c.is_control() || matches!(c, '@' | ':' | ';' | ',' | '"' | '<' | '>')
    };
    if local.is_empty()
        || domain.is_empty()
        || email.len() > 254
        || email.chars().filter(|c| *c == '@').count() != 1
        || local.chars().any(forbidden)
        || domain.chars().any(forbidden)
    {
        return Err(bad());
    }
    Ok(format!("mailto:{email}"))
}

/// A CN parameter value: quoted, with double quotes and control
/// characters (which a quoted-string cannot hold) left out.
fn common_name(name: &str) -> String {
    let name: String = name
        .trim()
        .chars()
        .filter(|c| *c != '"' && !c.is_control())
        .collect();
    format!("\"{name}\"")
}

impl IcsEvent {
    /// The invitation for `meeting`: its title as the summary, its
    /// description followed by the agenda in local time (`offset`, the
    /// Danish offset on the meeting's day, which the caller knows).
    #[allow(clippy::too_many_arguments)]
    pub fn for_meeting(
        meeting: &Meeting,
        uid: String,
        sequence: u32,
        dtstamp: OffsetDateTime,
        offset: UtcOffset,
        organizer: CalendarPerson,
        attendees: Vec<CalendarPerson>,
        method: CalendarMethod,
    ) -> IcsEvent {
        let mut description = meeting.description().to_owned();
        if !meeting.agenda().is_empty() {
            if !description.is_empty() {
                description.push_str("\n\n");
            }
            description.push_str("Dagsorden:");
            for item in meeting.agenda() {
                let (from, to) = (
                    item.starts_at.to_offset(offset),
                    item.ends_at.to_offset(offset),
                );
                let _ = write!(
                    description,
                    "\n{:02}.{:02}–{:02}.{:02} {}",
                    from.hour(),
                    from.minute(),
                    to.hour(),
                    to.minute(),
                    item.title
                );
                if let Some(p) = &item.presenter {
                    let _ = write!(description, " v. {p}");
                }
            }
        }
        IcsEvent {
            uid,
            sequence,
            dtstamp,
            starts_at: meeting.starts_at(),
            ends_at: meeting.ends_at(),
            summary: meeting.title().to_owned(),
            description,
            link: meeting.link().to_owned(),
            organizer,
            attendees,
            method,
        }
    }

    /// The VCALENDAR text, CRLF line ends, folded. Refuses a UID, a link
    /// or an address that cannot stand in a content line.
    pub fn to_ics(&self) -> Result<String, MeetingError> {
        let uid_fits = !self.uid.is_empty()
            && self.uid.len() <= 255
            && self.uid.chars().all(|c| c.is_ascii_graphic());
        if !uid_fits {
            return Err(MeetingError::BadCalendarValue {
                value: self.uid.clone(),
            });
        }
        if self
            .link
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(MeetingError::BadCalendarValue {
                value: self.link.clone(),
            });
        }
        let mut lines: Vec<String> = vec![
            "BEGIN:VCALENDAR".into(),
            "VERSION:2.0".into(),
            "PRODID:-//samspil//programledermoeder//DA".into(),
            "CALSCALE:GREGORIAN".into(),
            format!("METHOD:{}", self.method.as_str()),
            "BEGIN:VEVENT".into(),
            format!("UID:{}", self.uid),
            format!("SEQUENCE:{}", self.sequence),
            format!("DTSTAMP:{}", utc(self.dtstamp)),
            format!("DTSTART:{}", utc(self.starts_at)),
            format!("DTEND:{}", utc(self.ends_at)),
            format!("SUMMARY:{}", escape_text(&self.summary)),
        ];
        if !self.description.trim().is_empty() {
            lines.push(format!("DESCRIPTION:{}", escape_text(&self.description)));
        }
        lines.push(format!("LOCATION:{}", escape_text(&self.link)));
        lines.push(format!("URL:{}", self.link));
        lines.push(format!(
            "ORGANIZER;CN={}:{}",
            common_name(&self.organizer.name),
            mailto(&self.organizer.email)?
        ));
        for a in &self.attendees {
            lines.push(format!(
                "ATTENDEE;CN={};CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:{}",
                common_name(&a.name),
                mailto(&a.email)?
            ));
        }
        lines.push(match self.method {
            CalendarMethod::Request => "STATUS:CONFIRMED".into(),
            CalendarMethod::Cancel => "STATUS:CANCELLED".into(),
        });
        lines.push("TRANSP:OPAQUE".into());
        lines.push("END:VEVENT".into());
        lines.push("END:VCALENDAR".into());
        Ok(lines.iter().map(|l| fold_line(l)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meeting::agenda::{AgendaItem, ItemKind};
    use proptest::prelude::*;
    use time::macros::{datetime, offset};

    fn unfold(text: &str) -> Vec<String> {
        text.replace("\r\n ", "")
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    }

    fn june_meeting() -> Meeting {
        let at = datetime!(2023-06-22 8:00 UTC);
        let item = |title: &str, presenter: Option<&str>, from: i64, to: i64| AgendaItem {
            title: title.into(),
            presenter: presenter.map(str::to_owned),
            starts_at: at + time::Duration::minutes(from),
            ends_at: at + time::Duration::minutes(to),
            kind: ItemKind::Regular,
        };
        Meeting::new(
            "Programledermøde juni 2023",
            at,
            at + time::Duration::hours(2),
            "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=%7b%22Tid%22%3a%22x%22%7d",
            "Vi tjekker lyd kl. 09.55; vi starter kl. 10.00, præcis.",
            vec![
                item("Velkommen og program", None, 0, 5),
                item("Kædeansvaret", Some("Finn Graversen"), 5, 30),
                item("Status på KLIK 2.0", Some("Mie Holmsgaard"), 30, 55),
            ],
            vec![],
        )
        .expect("valid")
    }

    fn invitation(method: CalendarMethod) -> IcsEvent {
        IcsEvent::for_meeting(
            &june_meeting(),
            meeting_uid(42, "samspil.example.dk").expect("valid"),
            0,
            datetime!(2023-06-01 12:00:05 UTC),
            offset!(+2),
            CalendarPerson {
                name: "KOMBIT \"programleder\"".into(),
                email: "programleder@kombit.dk".into(),
            },
            vec![CalendarPerson {
                name: "Bente Marie Elstrøm Jørgensen".into(),
                email: "bme@kombit.dk".into(),
            }],
            method,
        )
    }

    #[test]
    fn the_invitation_is_a_request_with_uid_stamp_and_utc_times() {
        let text = invitation(CalendarMethod::Request).to_ics().expect("valid");
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(text.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        let lines = unfold(&text);
        for expected in [
            "METHOD:REQUEST",
            "UID:programledermoede-42@samspil.example.dk",
            "SEQUENCE:0",
            "DTSTAMP:20230601T120005Z",
            "DTSTART:20230622T080000Z",
            "DTEND:20230622T100000Z",
            "SUMMARY:Programledermøde juni 2023",
            "ORGANIZER;CN=\"KOMBIT programleder\":mailto:programleder@kombit.dk",
            "STATUS:CONFIRMED",
        ] {
            assert!(
                lines.iter().any(|l| l == expected),
                "{expected} in {lines:#?}"
            );
        }
        let description = lines
            .iter()
            .find(|l| l.starts_with("DESCRIPTION:"))
            .expect("a description");
        assert_eq!(
            description,
            "DESCRIPTION:Vi tjekker lyd kl. 09.55\\; vi starter kl. 10.00\\, præcis.\\n\\nDagsorden:\\n10.00–10.05 Velkommen og program\\n10.05–10.30 Kædeansvaret v. Finn Graversen\\n10.30–10.55 Status på KLIK 2.0 v. Mie Holmsgaard"
        );
        assert!(lines.iter().any(
            |l| l.starts_with("ATTENDEE;CN=\"Bente Marie Elstrøm Jørgensen\";")
                && l.ends_with(":mailto:bme@kombit.dk")
        ));
        for physical in text.split("\r\n") {
            assert!(physical.len() <= 75, "{physical}");
        }
        let cancel = invitation(CalendarMethod::Cancel).to_ics().expect("valid");
        assert!(cancel.contains("METHOD:CANCEL\r\n") && cancel.contains("STATUS:CANCELLED\r\n"));
    }

    #[test]
    fn values_that_cannot_stand_in_a_line_are_refused() {
        let mut bad = invitation(CalendarMethod::Request);
        bad.attendees[0].email = "bme@kombit.dk\r\nATTENDEE:mailto:x@y".into();
        assert_eq!(
            bad.to_ics().expect_err("refused").code(),
            "bad_calendar_value"
        );
        let mut bad = invitation(CalendarMethod::Request);
        bad.uid = "a b".into();
        assert!(bad.to_ics().is_err());
        assert!(meeting_uid(1, "bad host").is_err());
        assert!(meeting_uid(1, "").is_err());
    }

    proptest! {
        #[test]
        fn any_text_folds_into_short_lines_and_unfolds_back(text in "\\PC{0,300}") {
            let line = format!("DESCRIPTION:{}", escape_text(&text));
            let folded = fold_line(&line);
            for physical in folded.trim_end_matches("\r\n").split("\r\n") {
                prop_assert!(physical.len() <= 75);
            }
            prop_assert_eq!(unfold(&folded), vec![line]);
        }
    }
}
