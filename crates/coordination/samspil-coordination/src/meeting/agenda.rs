//! A meeting, its agenda and its materials.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use super::{MeetingError, required, text};

pub const MAX_TITLE: usize = 200;
pub const MAX_PRESENTER: usize = 200;
pub const MAX_LINK: usize = 2_000;
pub const MAX_DESCRIPTION: usize = 5_000;
/// A meeting lasts at most this long (a full-day workshop fits).
pub const MAX_MEETING_HOURS: i64 = 12;

/// What an agenda item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Regular,
    /// The fixed item "Servicemeddelelser": the period's operational
    /// messages and incidents, pulled in by the web layer.
    ServiceMessages,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItem {
    pub title: String,
    pub presenter: Option<String>,
    pub starts_at: OffsetDateTime,
    pub ends_at: OffsetDateTime,
    pub kind: ItemKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaterialKind {
    Slides,
    Recording,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaterialSource {
    Link(String),
    /// A file stored with the attachment rules, by its id.
    File(i64),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Material {
    pub title: String,
    pub kind: MaterialKind,
    pub source: MaterialSource,
}

/// A checked meeting: build it with [`Meeting::new`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Meeting {
    title: String,
    starts_at: OffsetDateTime,
    ends_at: OffsetDateTime,
    link: String,
    description: String,
    agenda: Vec<AgendaItem>,
    materials: Vec<Material>,
}

/// An https address without spaces or control characters, with a host.
fn check_link(link: &str) -> Result<String, MeetingError> {
    let link = link.trim();
    if link.chars().count() > MAX_LINK {
        return Err(MeetingError::TooLong {
            field: "link",
            max: MAX_LINK,
        });
    }
    let rest = link
        .get(..8)
        .filter(|scheme| scheme.eq_ignore_ascii_case("https://"))
        .map(|_| &link[8..])
        .ok_or(MeetingError::BadLink)?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty()
        || link
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"')
    {
        return Err(MeetingError::BadLink);
    }
    Ok(link.to_owned())
}

impl Meeting {
    /// Checks the title, the times (end after start, at most
    /// [`MAX_MEETING_HOURS`]), the link, and the agenda: each item's
    /// title and presenter, its slot inside the meeting and after the
    /// previous item's, and at most one Servicemeddelelser.
    pub fn new(
        title: &str,
        starts_at: OffsetDateTime,
        ends_at: OffsetDateTime,
        link: &str,
        description: &str,
        agenda: Vec<AgendaItem>,
        materials: Vec<Material>,
    ) -> Result<Meeting, MeetingError> {
        let title = required("title", title, MAX_TITLE)?;
        if ends_at <= starts_at || ends_at - starts_at > Duration::hours(MAX_MEETING_HOURS) {
            return Err(MeetingError::BadMeetingTime {
                max_hours: MAX_MEETING_HOURS,
            });
        }
        let link = check_link(link)?;
        let description = text("description", description, MAX_DESCRIPTION, true)?;
        let mut checked: Vec<AgendaItem> = Vec::with_capacity(agenda.len());
        for (index, item) in agenda.into_iter().enumerate() {
            let number = index + 1;
            let title = required("item_title", &item.title, MAX_TITLE)?;
            let presenter = match item.presenter.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(p) => Some(required("presenter", p, MAX_PRESENTER)?),
            };
            if item.ends_at <= item.starts_at {
                return Err(MeetingError::ItemReversed { item: number });
            }
            if item.starts_at < starts_at || item.ends_at > ends_at {
                return Err(MeetingError::ItemOutsideMeeting { item: number });
            }
            if let Some(previous) = checked.last()
                && item.starts_at < previous.ends_at
            {
                return Err(MeetingError::ItemsOverlap {
                    item: number,
                    previous: index,
                });
            }
            if item.kind == ItemKind::ServiceMessages
                && checked.iter().any(|i| i.kind == ItemKind::ServiceMessages)
            {
                return Err(MeetingError::ServiceMessagesTwice);
            }
            checked.push(AgendaItem {
                title,
                presenter,
                ..item
            });
        }
        let mut kept = Vec::with_capacity(materials.len());
        for material in materials {
            let title = required("material_title", &material.title, MAX_TITLE)?;
            let source = match material.source {
                MaterialSource::Link(l) => MaterialSource::Link(check_link(&l)?),
                file => file,
            };
            kept.push(Material {
                title,
                source,
                ..material
            });
        }
        Ok(Meeting {
            title,
            starts_at,
            ends_at,
            link,
            description,
            agenda: checked,
            materials: kept,
        })
    }

    pub fn title(&self) -> &str {
        &self.title
    }
    pub fn starts_at(&self) -> OffsetDateTime {
        self.starts_at
    }
    pub fn ends_at(&self) -> OffsetDateTime {
        self.ends_at
    }
    pub fn link(&self) -> &str {
        &self.link
    }
    pub fn description(&self) -> &str {
        &self.description
    }
    pub fn agenda(&self) -> &[AgendaItem] {
        &self.agenda
    }
    pub fn materials(&self) -> &[Material] {
        &self.materials
    }

    /// Has the meeting started at `now`? Registration closes then.
    pub fn has_started(&self, now: OffsetDateTime) -> bool {
        now >= self.starts_at
    }

    /// The recording and slides, which go out after the meeting.
    pub fn follow_up_materials(&self) -> impl Iterator<Item = &Material> {
        self.materials
            .iter()
            .filter(|m| matches!(m.kind, MaterialKind::Recording | MaterialKind::Slides))
    }
}

/// The period whose operational messages and incidents the
/// Servicemeddelelser item shows: since the previous meeting started, or,
/// for the first meeting (or a previous one more than 62 days back), the
/// 31 days before this one.
pub fn service_message_period(
    previous_start: Option<OffsetDateTime>,
    this_start: OffsetDateTime,
) -> (OffsetDateTime, OffsetDateTime) {
    let fallback = this_start - Duration::days(31);
    let from = previous_start
        .filter(|p| *p < this_start && this_start - *p <= Duration::days(62))
        .unwrap_or(fallback);
    (from, this_start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn item(title: &str, from: OffsetDateTime, to: OffsetDateTime) -> AgendaItem {
        AgendaItem {
            title: title.into(),
            presenter: None,
            starts_at: from,
            ends_at: to,
            kind: ItemKind::Regular,
        }
    }

    /// The September 2019 programme (seed 003), in UTC (Danish summer
    /// time is UTC+2): 11.30–12.30.
    fn september_2019() -> Vec<AgendaItem> {
        vec![
            item(
                "Velkomst og dagens program",
                datetime!(2019-09-25 9:30 UTC),
                datetime!(2019-09-25 9:35 UTC),
            ),
            AgendaItem {
                presenter: Some("Peter Egelund".into()),
                ..item(
                    "Særskilt betaling af den fælleskommunale infrastruktur",
                    datetime!(2019-09-25 9:35 UTC),
                    datetime!(2019-09-25 10:00 UTC),
                )
            },
            AgendaItem {
                presenter: Some("Lars Vraa".into()),
                ..item(
                    "NSIS: National standard for identiteters sikringsniveauer",
                    datetime!(2019-09-25 10:00 UTC),
                    datetime!(2019-09-25 10:20 UTC),
                )
            },
            AgendaItem {
                kind: ItemKind::ServiceMessages,
                ..item(
                    "KLIK-opgaver og KOMBIT-programleder NYT",
                    datetime!(2019-09-25 10:20 UTC),
                    datetime!(2019-09-25 10:28 UTC),
                )
            },
            item(
                "Afslutning og evaluering",
                datetime!(2019-09-25 10:28 UTC),
                datetime!(2019-09-25 10:30 UTC),
            ),
        ]
    }

    fn meeting(agenda: Vec<AgendaItem>) -> Result<Meeting, MeetingError> {
        Meeting::new(
            "Programledermøde september",
            datetime!(2019-09-25 9:30 UTC),
            datetime!(2019-09-25 10:30 UTC),
            "https://teams.microsoft.com/l/meetup-join/abc",
            "",
            agenda,
            vec![],
        )
    }

    #[test]
    fn the_september_2019_programme_is_a_valid_agenda() {
        let m = meeting(september_2019()).expect("valid");
        assert_eq!(m.agenda().len(), 5);
        assert_eq!(m.agenda()[2].presenter.as_deref(), Some("Lars Vraa"));
        assert!(!m.has_started(datetime!(2019-09-25 9:29 UTC)));
        assert!(m.has_started(datetime!(2019-09-25 9:30 UTC)));
    }

    #[test]
    fn slots_outside_overlapping_or_reversed_are_refused() {
        let mut overlap = september_2019();
        overlap[2].starts_at = datetime!(2019-09-25 9:59 UTC);
        let err = meeting(overlap).expect_err("refused");
        assert_eq!(
            err,
            MeetingError::ItemsOverlap {
                item: 3,
                previous: 2
            }
        );
        let mut outside = september_2019();
        outside[4].ends_at = datetime!(2019-09-25 10:31 UTC);
        assert_eq!(
            meeting(outside).expect_err("refused").code(),
            "item_outside_meeting"
        );
        let mut reversed = september_2019();
        reversed[0].ends_at = reversed[0].starts_at;
        assert_eq!(
            meeting(reversed).expect_err("refused").code(),
            "item_reversed"
        );
        let mut twice = september_2019();
        twice[4].kind = ItemKind::ServiceMessages;
        assert_eq!(
            meeting(twice).expect_err("refused").code(),
            "service_messages_twice"
        );
        let mut untitled = september_2019();
        untitled[1].title = "  ".into();
        assert_eq!(meeting(untitled).expect_err("refused").code(), "required");
    }

    #[test]
    fn the_meeting_itself_is_checked() {
        let at = datetime!(2023-06-22 8:00 UTC);
        let new = |end: OffsetDateTime, link: &str| {
            Meeting::new("Programledermøde", at, end, link, "", vec![], vec![])
        };
        assert_eq!(
            new(at, "https://x.dk").expect_err("refused").code(),
            "bad_meeting_time"
        );
        assert_eq!(
            new(at + Duration::hours(13), "https://x.dk")
                .expect_err("refused")
                .code(),
            "bad_meeting_time"
        );
        for link in [
            "http://x.dk",
            "https://",
            "https://x.dk/a b",
            "javascript:alert(1)",
            "ftp://x",
        ] {
            assert_eq!(
                new(at + Duration::hours(2), link).expect_err(link).code(),
                "bad_link"
            );
        }
        assert!(new(at + Duration::hours(2), " HTTPS://teams.microsoft.com/x ").is_ok());
        let bad_title = Meeting::new(
            "a\u{7}b",
            at,
            at + Duration::hours(1),
            "https://x.dk",
            "",
            vec![],
            vec![],
        );
        assert_eq!(bad_title.expect_err("refused").code(), "control_character");
    }

    #[test]
    fn the_recording_and_slides_are_the_follow_up() {
        let at = datetime!(2023-06-22 8:00 UTC);
        let material = |title: &str, kind| Material {
            title: title.into(),
            kind,
            source: MaterialSource::Link("https://kombit.dk/x".into()),
        };
        let m = Meeting::new(
            "Programledermøde juni 2023",
            at,
            at + Duration::hours(2),
            "https://teams.microsoft.com/x",
            "",
            vec![],
            vec![
                material("Optagelse", MaterialKind::Recording),
                material("Præsentation", MaterialKind::Slides),
                material("Dagsorden", MaterialKind::Other),
            ],
        )
        .expect("valid");
        assert_eq!(m.follow_up_materials().count(), 2);
        let bad = Meeting::new(
            "x",
            at,
            at + Duration::hours(1),
            "https://x.dk",
            "",
            vec![],
            vec![Material {
                title: "Optagelse".into(),
                kind: MaterialKind::Recording,
                source: MaterialSource::Link("file:///etc/passwd".into()),
            }],
        );
        assert_eq!(bad.expect_err("refused").code(), "bad_link");
    }

    #[test]
    fn service_messages_cover_the_time_since_the_previous_meeting() {
        let june = datetime!(2023-06-22 8:00 UTC);
        let may = datetime!(2023-05-25 8:00 UTC);
        assert_eq!(service_message_period(Some(may), june), (may, june));
        assert_eq!(
            service_message_period(None, june).0,
            june - Duration::days(31)
        );
        let long_ago = datetime!(2023-01-01 8:00 UTC);
        assert_eq!(
            service_message_period(Some(long_ago), june).0,
            june - Duration::days(31)
        );
    }
}
