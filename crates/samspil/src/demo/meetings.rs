//! Demo programme-manager meetings (issue 20): the June 2023 meeting with
//! the slides' agenda, held twice (22 and 23 June), whose attendance
//! reproduces the slides' "59 kommuner (75 deltagere)" and "38 kommuner (43
//! deltagere)" (`meetings.json`), and the next monthly meeting, a few weeks
//! ahead, open for registration, and a workshop with limited seats. The June meetings have the evaluation
//! the slides end with ("Tak for i dag og evaluering"). Loaded once.

use anyhow::Context;
use samspil_coordination::meeting::{
    AgendaItem, AttendanceRow, ItemKind, Question, QuestionKind, Survey,
};
use samspil_coordination_storage::{CoordinationStorage, MeetingKind, NewMeeting};
use samspil_domain::danish_time::danish_instant;
use samspil_domain::org::reference_organisations;
use samspil_domain::{MunicipalityCode, Principal};
use serde::Deserialize;
use time::macros::{format_description, time};
use time::{Date, Duration, OffsetDateTime};

const ATTENDANCE: &str = include_str!("meetings.json");

#[derive(Deserialize)]
struct Attendance {
    sessions: Vec<Session>,
}

#[derive(Deserialize)]
struct Session {
    date: String,
    participants: usize,
    municipalities: Vec<String>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct MeetingsReport {
    pub meetings_created: usize,
}

/// The June 2023 agenda (seed `000_…`), from 10.00 local time, with the
/// presenters the slides name.
const JUNE_AGENDA: &[(&str, Option<&str>, i64)] = &[
    ("Velkommen og program", None, 5),
    ("Kædeansvaret", Some("Finn Graversen"), 20),
    ("Status på KLIK 2.0", Some("Mie Holmsgaard"), 20),
    ("Ny vision for Borgerblikket", Some("Marie Madsen"), 20),
    (
        "Fra HOI til it-understøttelse af tværfagligt samarbejde",
        Some("Tom Bøgeskov"),
        25,
    ),
    (
        "Kort nyt fra KOMBIT",
        Some("Bente Marie Elstrøm Jørgensen"),
        20,
    ),
    ("Tak for i dag og evaluering", None, 10),
];

/// 10.00 Danish time on `day`, when the meetings start.
fn at_ten(day: Date) -> OffsetDateTime {
    danish_instant(day, time!(10:00))
}

fn agenda(start: OffsetDateTime) -> Vec<AgendaItem> {
    let mut from = start;
    JUNE_AGENDA
        .iter()
        .map(|(title, presenter, minutes)| {
            let item = AgendaItem {
                title: (*title).to_owned(),
                presenter: presenter.map(str::to_owned),
                starts_at: from,
                ends_at: from + Duration::minutes(*minutes),
                kind: ItemKind::Regular,
            };
            from = item.ends_at;
            item
        })
        .collect()
}

fn meeting(title: &str, start: OffsetDateTime, agenda: Vec<AgendaItem>) -> NewMeeting {
    NewMeeting {
        kind: MeetingKind::Meeting,
        title: title.to_owned(),
        starts_at: start,
        ends_at: start + Duration::hours(2),
        link: "https://teams.microsoft.com/l/meetup-join/programledermoede".to_owned(),
        description: "Det månedlige online møde for kommunernes KOMBIT-programledere. \
                      Vi tjekker lyd kl. 09.55 og starter mødet kl. 10.00."
            .to_owned(),
        seats: None,
        agenda,
        materials: Vec::new(),
    }
}

/// A session's attendance: each municipality's participants, the first
/// ones sending two until the slides' number of participants is reached.
fn attendance_rows(session: &Session) -> anyhow::Result<Vec<AttendanceRow>> {
    let orgs = reference_organisations();
    let extra = session
        .participants
        .checked_sub(session.municipalities.len())
        .context("fewer participants than municipalities")?;
    let mut rows = Vec::with_capacity(session.participants);
    for (i, name) in session.municipalities.iter().enumerate() {
        let code: MunicipalityCode = orgs
            .iter()
            .find(|o| &o.name == name)
            .and_then(|o| o.code)
            .with_context(|| format!("the municipality {name}"))?;
        for n in 1..=(if i < extra { 2 } else { 1 }) {
            rows.push(AttendanceRow {
                municipality: Some(code),
                person: format!("programleder{n}@kommune{}.dk", code.get()),
            });
        }
    }
    Ok(rows)
}

/// The June meeting's evaluation: satisfaction, the most relevant items,
/// and input to the next meeting.
fn evaluation() -> anyhow::Result<Survey> {
    let items = JUNE_AGENDA[1..JUNE_AGENDA.len() - 1]
        .iter()
        .map(|(title, _, _)| (*title).to_owned())
        .collect();
    Ok(Survey::new(vec![
        Question {
            key: "q1".into(),
            text: "Hvor tilfreds er du med dagens møde?".into(),
            kind: QuestionKind::Scale { min: 1, max: 5 },
            required: true,
        },
        Question {
            key: "q2".into(),
            text: "Hvilke punkter var mest relevante for dig?".into(),
            kind: QuestionKind::Choice {
                options: items,
                multiple: true,
            },
            required: false,
        },
        Question {
            key: "q3".into(),
            text: "Send os input til næste møde".into(),
            kind: QuestionKind::Text,
            required: false,
        },
    ])?)
}

pub async fn load(coordination: &dyn CoordinationStorage) -> anyhow::Result<MeetingsReport> {
    let mut report = MeetingsReport::default();
    if !coordination.meetings().await?.is_empty() {
        return Ok(report);
    }
    let community = Principal::operator().community_access()?;
    let attendance: Attendance =
        serde_json::from_str(ATTENDANCE).context("the demo's meeting attendance")?;
    for session in &attendance.sessions {
        let day = Date::parse(&session.date, format_description!("[year]-[month]-[day]"))
            .with_context(|| format!("the date {}", session.date))?;
        let start = at_ten(day);
        let created = coordination
            .create_meeting(
                &community,
                &meeting("Programledermøde juni 2023", start, agenda(start)),
            )
            .await?;
        coordination
            .record_attendance(&community, created.id, &attendance_rows(session)?)
            .await?;
        coordination
            .set_survey(&community, created.id, &evaluation()?)
            .await?;
        report.meetings_created += 1;
    }
    // The next monthly meeting, three weeks ahead at 10.00.
    let next = at_ten((OffsetDateTime::now_utc() + Duration::weeks(3)).date());
    let mut upcoming = meeting("Programledermøde", next, Vec::new());
    upcoming.agenda = vec![
        AgendaItem {
            title: "Velkommen og program".into(),
            presenter: None,
            starts_at: next,
            ends_at: next + Duration::minutes(5),
            kind: ItemKind::Regular,
        },
        AgendaItem {
            title: "Servicemeddelelser".into(),
            presenter: None,
            starts_at: next + Duration::minutes(5),
            ends_at: next + Duration::minutes(20),
            kind: ItemKind::ServiceMessages,
        },
    ];
    coordination.create_meeting(&community, &upcoming).await?;
    report.meetings_created += 1;
    // A workshop with limited seats, five weeks ahead (the slide's "15–20
    // programledere"): people apply, staff choose.
    let day = at_ten((OffsetDateTime::now_utc() + Duration::weeks(5)).date());
    let mut workshop = meeting("Workshop: Ny vision for Borgerblikket", day, Vec::new());
    workshop.kind = MeetingKind::Workshop;
    workshop.seats = Some(20);
    workshop.ends_at = day + Duration::hours(3);
    workshop.description = "En workshop for 15–20 programledere, sammensat repræsentativt \
                            efter indbyggertal, geografi og rolleudfyldelse. Søg en plads."
        .to_owned();
    coordination.create_meeting(&community, &workshop).await?;
    report.meetings_created += 1;
    Ok(report)
}
