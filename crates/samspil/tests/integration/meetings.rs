//! Programme-manager meetings (issue 20): a meeting with its agenda kept
//! and edited, each person's own registration within the seats (also when
//! many register for the last seats at once), the attendance summary and
//! the municipalities that were not there, and refusals with their rules.

use std::sync::Arc;

use icalendar::Component;

use samspil_coordination::meeting::{
    AgendaItem, AttendanceRow, ItemKind, Material, MaterialKind, MaterialSource,
};
use samspil_coordination_storage::{MeetingId, MeetingKind, NewMeeting};
use samspil_domain::{AccessRole, BrokenRule, Login, MunicipalityCode, OrgId, Principal, UserType};
use samspil_storage::{NewUser, StorageError, now};
use time::{Duration, OffsetDateTime};
use tokio::task::JoinSet;

use crate::harness::TestApp;

pub(crate) fn community() -> samspil_domain::CommunityAccess {
    Principal::operator()
        .community_access()
        .expect("the operator acts for the community")
}

/// The key of the rule a storage refusal names.
pub(crate) fn rule_of(error: &StorageError) -> String {
    match error {
        StorageError::Invalid(v) => match &v.rule {
            Some(BrokenRule::Named { key, .. }) => (*key).to_owned(),
            other => format!("{other:?}"),
        },
        other => format!("not a refusal: {other:?}"),
    }
}

fn item(title: &str, presenter: Option<&str>, from: OffsetDateTime, minutes: i64) -> AgendaItem {
    AgendaItem {
        title: title.into(),
        presenter: presenter.map(str::to_owned),
        starts_at: from,
        ends_at: from + Duration::minutes(minutes),
        kind: ItemKind::Regular,
    }
}

/// A meeting of two hours starting at `start`, with two items.
pub(crate) fn new_meeting(
    kind: MeetingKind,
    start: OffsetDateTime,
    seats: Option<u32>,
) -> NewMeeting {
    NewMeeting {
        kind,
        title: "Programledermøde".into(),
        starts_at: start,
        ends_at: start + Duration::hours(2),
        link: "https://teams.microsoft.com/l/meetup-join/test".into(),
        description: "Månedens møde".into(),
        seats,
        agenda: vec![
            item("Velkommen og program", None, start, 5),
            item(
                "Kædeansvaret",
                Some("Finn Graversen"),
                start + Duration::minutes(5),
                25,
            ),
        ],
        materials: vec![],
    }
}

/// Creates `count` ordinary people in a test municipality (101) and the
/// principals they act as once signed in.
pub(crate) async fn people(app: &TestApp, prefix: &str, count: usize) -> Vec<Principal> {
    let org = OrgId(app.org_id("municipality-101").await);
    let admin = Principal::operator().admin_access(org).expect("operator");
    let mut all = Vec::new();
    for n in 0..count {
        let user = app
            .storage
            .create_user(
                &admin,
                &NewUser {
                    login: Login::parse(&format!("{prefix}-{n}")).expect("login"),
                    display_name: format!("Deltager {n}"),
                    email: Some(format!("{prefix}-{n}@kk.dk")),
                    phone: None,
                    job_title: None,
                    org_unit_id: None,
                    role: AccessRole::User,
                    user_type: UserType::Ordinary,
                    password_hash: None,
                },
            )
            .await
            .expect("person created");
        all.push(Principal::authenticated(
            user.id,
            &user.login,
            user.org_id,
            user.role,
            user.user_type,
        ));
    }
    all
}

/// How many audit entries name this action on the meeting.
pub(crate) async fn audited(app: &TestApp, action: &str, meeting: MeetingId) -> i64 {
    use sqlx::Connection;
    let sql = "SELECT COUNT(*) FROM audit_log WHERE action = $1 AND entity_type = 'meeting' \
               AND entity_id = $2";
    if app.database_url.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(&app.database_url)
            .await
            .expect("connects");
        sqlx::query_scalar(sql)
            .bind(action)
            .bind(meeting.0.to_string())
            .fetch_one(&mut conn)
            .await
            .expect("counts")
    } else {
        let mut conn = sqlx::SqliteConnection::connect(&app.database_url)
            .await
            .expect("connects");
        sqlx::query_scalar(sql)
            .bind(action)
            .bind(meeting.0.to_string())
            .fetch_one(&mut conn)
            .await
            .expect("counts")
    }
}

#[tokio::test]
async fn a_meeting_is_kept_with_its_agenda_and_edited_and_bad_input_is_refused() {
    let app = TestApp::start().await;
    let start = now() + Duration::days(10);
    let created = app
        .coordination
        .create_meeting(
            &community(),
            &new_meeting(MeetingKind::Meeting, start, None),
        )
        .await
        .expect("created");
    assert_eq!(created.meeting.agenda().len(), 2);
    assert_eq!(
        created.meeting.agenda()[1].presenter.as_deref(),
        Some("Finn Graversen")
    );
    assert_eq!(audited(&app, "meeting.create", created.id).await, 1);

    let mut edit = new_meeting(MeetingKind::Meeting, start, Some(40));
    edit.agenda.push(AgendaItem {
        kind: ItemKind::ServiceMessages,
        ..item(
            "Servicemeddelelser",
            None,
            start + Duration::minutes(30),
            10,
        )
    });
    edit.materials.push(Material {
        title: "Præsentation".into(),
        kind: MaterialKind::Slides,
        source: MaterialSource::Link("https://kombit.dk/praesentation.pdf".into()),
    });
    let edited = app
        .coordination
        .update_meeting(&community(), created.id, &edit)
        .await
        .expect("edited");
    assert_eq!(edited.seats, Some(40));
    assert_eq!(edited.meeting.agenda()[2].kind, ItemKind::ServiceMessages);
    assert_eq!(edited.meeting.materials().len(), 1);
    let read = app
        .coordination
        .meeting(created.id)
        .await
        .expect("reads")
        .expect("found");
    assert_eq!(read, edited);
    assert_eq!(audited(&app, "meeting.update", created.id).await, 1);

    // Refusals, each with its rule, and nothing written.
    let mut bad_link = new_meeting(MeetingKind::Meeting, start, None);
    bad_link.link = "javascript:alert(1)".into();
    let mut overlap = new_meeting(MeetingKind::Meeting, start, None);
    overlap.agenda[1].starts_at = start + Duration::minutes(4);
    let mut outside = new_meeting(MeetingKind::Meeting, start, None);
    outside.agenda[1].ends_at = start + Duration::hours(3);
    let workshop_without_seats = new_meeting(MeetingKind::Workshop, start, None);
    for (meeting, rule) in [
        (bad_link, "meeting-bad-link"),
        (overlap, "meeting-items-overlap"),
        (outside, "meeting-item-outside"),
        (workshop_without_seats, "meeting-bad-seats"),
    ] {
        let error = app
            .coordination
            .create_meeting(&community(), &meeting)
            .await
            .expect_err(rule);
        assert_eq!(rule_of(&error), rule);
    }
    assert_eq!(app.coordination.meetings().await.expect("lists").len(), 1);
}

#[tokio::test]
async fn a_person_registers_and_cancels_only_their_own_registration() {
    let app = TestApp::start().await;
    let meeting = app
        .coordination
        .create_meeting(
            &community(),
            &new_meeting(MeetingKind::Meeting, now() + Duration::days(3), Some(2)),
        )
        .await
        .expect("created");
    let people = people(&app, "tilmelder", 3).await;
    let store = &app.coordination;
    store
        .register(&people[0], meeting.id)
        .await
        .expect("registers");
    let again = store
        .register(&people[0], meeting.id)
        .await
        .expect_err("once");
    assert_eq!(rule_of(&again), "meeting-already-registered");
    store
        .register(&people[1], meeting.id)
        .await
        .expect("registers");
    let full = store
        .register(&people[2], meeting.id)
        .await
        .expect_err("full");
    assert_eq!(rule_of(&full), "meeting-full");
    assert!(
        store
            .is_registered(people[0].user_id().expect("a person"), meeting.id)
            .await
            .expect("reads")
    );
    let list = store
        .registrations(&community(), meeting.id)
        .await
        .expect("lists");
    assert_eq!(list.len(), 2);

    // The second person cancels their own; the third cannot cancel what
    // they do not have, and then gets the seat.
    let none = store
        .cancel_registration(&people[2], meeting.id)
        .await
        .expect_err("not registered");
    assert_eq!(rule_of(&none), "meeting-not-registered");
    store
        .cancel_registration(&people[1], meeting.id)
        .await
        .expect("cancels");
    store
        .register(&people[2], meeting.id)
        .await
        .expect("registers");
    assert_eq!(
        store
            .meeting(meeting.id)
            .await
            .expect("reads")
            .expect("found")
            .registered,
        2
    );
    assert_eq!(audited(&app, "meeting.register", meeting.id).await, 3);
    assert_eq!(
        audited(&app, "meeting.cancel_registration", meeting.id).await,
        1
    );

    // Fewer seats than registered is refused; the operator is no person.
    let error = store
        .update_meeting(
            &community(),
            meeting.id,
            &new_meeting(MeetingKind::Meeting, meeting.meeting.starts_at(), Some(1)),
        )
        .await
        .expect_err("below the registered");
    assert_eq!(rule_of(&error), "meeting-full");
    let error = store
        .register(&Principal::operator(), meeting.id)
        .await
        .expect_err("no person");
    assert_eq!(rule_of(&error), "meeting-not-a-person");

    // A meeting that has begun takes no registrations or cancellations.
    let started = store
        .create_meeting(
            &community(),
            &new_meeting(MeetingKind::Meeting, now() - Duration::minutes(10), None),
        )
        .await
        .expect("created");
    let closed = store
        .register(&people[0], started.id)
        .await
        .expect_err("closed");
    assert_eq!(rule_of(&closed), "meeting-registration-closed");
    assert!(matches!(
        store.register(&people[0], MeetingId(999_999)).await,
        Err(StorageError::NotFound(_))
    ));
}

/// Many people register for a workshop's last seats at the same moment:
/// never more registered than the seats, every other one refused as full.
/// Several workshops in turn, since one round may miss the race; a second
/// round on the first finds it full or finds the person registered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_registrations_never_take_more_than_the_seats() {
    let app = TestApp::start().await;
    let seats = 3;
    let people = people(&app, "ansoeger", 30).await;
    let mut workshops = Vec::new();
    for round in 0..6 {
        let workshop = app
            .coordination
            .create_meeting(
                &community(),
                &new_meeting(
                    MeetingKind::Workshop,
                    now() + Duration::days(5 + round),
                    Some(seats),
                ),
            )
            .await
            .expect("created");
        workshops.push(workshop.id);
    }
    let first = workshops[0];
    workshops.push(first);
    for (round, id) in workshops.into_iter().enumerate() {
        let mut requests = JoinSet::new();
        for person in people.clone() {
            let store = Arc::clone(&app.coordination);
            requests.spawn(async move { store.register(&person, id).await });
        }
        let (mut taken, mut refused) = (0, 0);
        while let Some(answer) = requests.join_next().await {
            match answer.expect("the request ran") {
                Ok(()) => taken += 1,
                Err(error) => {
                    let rule = rule_of(&error);
                    assert!(
                        rule == "meeting-full" || rule == "meeting-already-registered",
                        "{error:?}"
                    );
                    refused += 1;
                }
            }
        }
        let expected = if round < 6 { seats } else { 0 };
        let kept = app
            .coordination
            .registrations(&community(), id)
            .await
            .expect("lists");
        assert_eq!(kept.len(), seats as usize, "round {round}");
        assert_eq!(taken, expected, "round {round}");
        assert_eq!(refused, people.len() as u32 - expected);
    }
}

#[tokio::test]
async fn attendance_is_summarised_with_the_municipalities_that_were_not_there() {
    let app = TestApp::start().await;
    let store = &app.coordination;
    let coming = store
        .create_meeting(
            &community(),
            &new_meeting(MeetingKind::Meeting, now() + Duration::days(1), None),
        )
        .await
        .expect("created");
    let code = |c: u16| Some(MunicipalityCode::new(c).expect("a code"));
    let rows = vec![
        AttendanceRow {
            municipality: code(101),
            person: "a@kk.dk".into(),
        },
        AttendanceRow {
            municipality: code(101),
            person: "b@kk.dk".into(),
        },
        AttendanceRow {
            municipality: code(751),
            person: "c@aarhus.dk".into(),
        },
        AttendanceRow {
            municipality: None,
            person: "bme@kombit.dk".into(),
        },
    ];
    let early = store
        .record_attendance(&community(), coming.id, &rows)
        .await
        .expect_err("not yet");
    assert_eq!(rule_of(&early), "meeting-not-started");

    let past = store
        .create_meeting(
            &community(),
            &new_meeting(MeetingKind::Meeting, now() - Duration::days(7), None),
        )
        .await
        .expect("created");
    let none = store.attendance(past.id).await.expect("reads");
    assert!(!none.recorded());
    assert!(none.absent.is_empty());
    let report = store
        .record_attendance(&community(), past.id, &rows)
        .await
        .expect("recorded");
    assert_eq!(
        (report.summary.municipalities, report.summary.participants),
        (2, 3)
    );
    assert_eq!(report.summary.others, 1);
    assert_eq!(report.absent.len(), 96);
    assert!(report.absent.iter().any(|a| a.name == "Odense"));
    assert!(!report.absent.iter().any(|a| a.name == "Aarhus"));
    assert_eq!(store.attendance(past.id).await.expect("reads"), report);
    assert_eq!(audited(&app, "meeting.attendance", past.id).await, 1);

    // A code that is no municipality is refused, and the list kept.
    let unknown = store
        .record_attendance(
            &community(),
            past.id,
            &[AttendanceRow {
                municipality: code(999),
                person: "x@y.dk".into(),
            }],
        )
        .await
        .expect_err("no such municipality");
    assert_eq!(rule_of(&unknown), "org-unknown");
    assert_eq!(store.attendance(past.id).await.expect("reads"), report);
}

/// The demo's June 2023 meeting, held on 22 and 23 June, reproduces the
/// slides' two lists, and the next meeting is open for registration.
#[tokio::test]
async fn the_demo_meetings_reproduce_the_slides_attendance() {
    let app = TestApp::start().await;
    let report = samspil::demo::meetings::load(app.coordination.as_ref())
        .await
        .expect("demo meetings load");
    assert_eq!(report.meetings_created, 4);
    let again = samspil::demo::meetings::load(app.coordination.as_ref())
        .await
        .expect("loads again");
    assert_eq!(again.meetings_created, 0, "loaded once");
    let meetings = app.coordination.meetings().await.expect("lists");
    let june: Vec<_> = meetings
        .iter()
        .filter(|m| m.meeting.title() == "Programledermøde juni 2023")
        .collect();
    assert_eq!(june.len(), 2);
    let titles: Vec<&str> = june[0]
        .meeting
        .agenda()
        .iter()
        .map(|i| i.title.as_str())
        .collect();
    for expected in [
        "Kædeansvaret",
        "Status på KLIK 2.0",
        "Ny vision for Borgerblikket",
        "Fra HOI til it-understøttelse af tværfagligt samarbejde",
        "Kort nyt fra KOMBIT",
    ] {
        assert!(titles.contains(&expected), "{titles:?}");
    }
    let mut summaries = Vec::new();
    for m in &june {
        let attendance = app.coordination.attendance(m.id).await.expect("reads");
        summaries.push((
            attendance.summary.municipalities,
            attendance.summary.participants,
            attendance.absent.len(),
        ));
    }
    assert_eq!(summaries, [(59, 75, 98 - 59), (38, 43, 98 - 38)]);
    let first = app
        .coordination
        .attendance(june[0].id)
        .await
        .expect("reads");
    assert!(first.absent.iter().any(|a| a.name == "Gentofte"));
    assert!(!first.absent.iter().any(|a| a.name == "Aalborg"));

    let next = meetings
        .iter()
        .find(|m| m.meeting.starts_at() > now())
        .expect("a coming meeting");
    let person = people(&app, "demo-deltager", 1).await;
    app.coordination
        .register(&person[0], next.id)
        .await
        .expect("open for registration");
}

// ---- Invitations and the follow-up through the outbox ----------------------

fn mail(subject: &str) -> samspil_coordination_storage::MeetingMail {
    samspil_coordination_storage::MeetingMail {
        subject: subject.into(),
        body: "Du inviteres til programledermødet.".into(),
        host: "samspil.example.dk".into(),
        organizer_name: "KOMBIT".into(),
        organizer_email: "programledermoede@kombit.dk".into(),
        offset: time::macros::offset!(+1),
    }
}

/// Every queued e-mail with this subject: (address, body, calendar).
async fn queued_with(app: &TestApp, subject: &str) -> Vec<(String, String, Option<String>)> {
    app.storage
        .claim_deliveries(
            now() + Duration::seconds(1),
            std::time::Duration::from_secs(60),
            10_000,
        )
        .await
        .expect("claims")
        .into_iter()
        .filter(|d| d.subject == subject)
        .map(|d| (d.email, d.body, d.calendar))
        .collect()
}

/// The current holders of a role who can be mailed, by address.
async fn holders_with_mail(app: &TestApp, role: &str) -> Vec<String> {
    let roles = app.coordination.roles().await.expect("roles");
    let role = roles
        .iter()
        .find(|r| r.name == role)
        .unwrap_or_else(|| panic!("the role {role}"));
    let mut addresses: Vec<String> = app
        .coordination
        .role_holders(&community(), role.id, now().date())
        .await
        .expect("holders")
        .into_iter()
        .filter_map(|h| h.email)
        .collect();
    addresses.sort();
    addresses.dedup();
    addresses
}

#[tokio::test]
async fn invitations_go_to_every_programme_manager_once_with_an_icalendar_invitation() {
    let app = TestApp::start_with_roles().await;
    let managers = holders_with_mail(&app, "KOMBIT-programleder").await;
    assert!(managers.len() >= 3, "{managers:?}");
    let start = now() + Duration::days(14);
    let meeting = app
        .coordination
        .create_meeting(
            &community(),
            &new_meeting(MeetingKind::Meeting, start, None),
        )
        .await
        .expect("created");

    let report = app
        .coordination
        .send_invitations(&community(), meeting.id, &[], &mail("Invitation 1"))
        .await
        .expect("sent");
    let sent = queued_with(&app, "Invitation 1").await;
    assert_eq!(report.queued as usize, sent.len());
    let mut to: Vec<String> = sent.iter().map(|(to, _, _)| to.clone()).collect();
    to.sort();
    assert_eq!(to, managers, "one per programme manager");
    for (address, _, calendar) in &sent {
        let text = calendar.as_deref().expect("an invitation attached");
        assert!(text.contains("METHOD:REQUEST"), "{text}");
        let events = crate::calendar_feed::events(text);
        assert_eq!(events.len(), 1, "{text}");
        let event = &events[0];
        assert_eq!(
            event.get_uid(),
            Some(format!("programledermoede-{}@samspil.example.dk", meeting.id.0).as_str())
        );
        assert_eq!(event.get_summary(), Some("Programledermøde"));
        assert_eq!(event.get_sequence(), Some(0));
        let attendees: Vec<String> = event
            .multi_properties()
            .get("ATTENDEE")
            .map(|all| all.iter().map(|p| p.value().to_owned()).collect())
            .unwrap_or_default();
        assert_eq!(attendees, [format!("mailto:{address}")], "{text}");
        let description = event.get_description().expect("a description");
        assert!(
            description.contains("Kædeansvaret v. Finn Graversen"),
            "{description}"
        );
    }

    // A second sending with a chosen role is an update (SEQUENCE 1), to
    // the programme managers and that role's holders, each once.
    let other = "Fagsystemansvarlig for KLIK";
    let roles = app.coordination.roles().await.expect("roles");
    let chosen = roles
        .iter()
        .find(|r| r.name != "KOMBIT-programleder" && r.name == other)
        .or_else(|| roles.iter().find(|r| r.name != "KOMBIT-programleder"))
        .expect("another role");
    let mut expected = managers.clone();
    expected.extend(holders_with_mail(&app, &chosen.name).await);
    expected.sort();
    expected.dedup();
    app.coordination
        .send_invitations(
            &community(),
            meeting.id,
            &[chosen.id],
            &mail("Invitation 2"),
        )
        .await
        .expect("sent");
    let update = queued_with(&app, "Invitation 2").await;
    let mut to: Vec<String> = update.iter().map(|(to, _, _)| to.clone()).collect();
    to.sort();
    assert_eq!(to, expected);
    let text = update[0].2.as_deref().expect("an invitation");
    assert_eq!(
        crate::calendar_feed::events(text)[0].get_sequence(),
        Some(1)
    );
    assert_eq!(audited(&app, "meeting.invite", meeting.id).await, 2);

    // A meeting that has begun is not invited to.
    let begun = app
        .coordination
        .create_meeting(
            &community(),
            &new_meeting(MeetingKind::Meeting, now() - Duration::minutes(1), None),
        )
        .await
        .expect("created");
    let error = app
        .coordination
        .send_invitations(&community(), begun.id, &[], &mail("Sent late"))
        .await
        .expect_err("too late");
    assert_eq!(rule_of(&error), "meeting-registration-closed");
    assert!(queued_with(&app, "Sent late").await.is_empty());
}

#[tokio::test]
async fn the_recording_and_slides_go_to_every_programme_manager_once_after_the_meeting() {
    let app = TestApp::start_with_roles().await;
    let managers = holders_with_mail(&app, "KOMBIT-programleder").await;
    let store = &app.coordination;
    let mut past = new_meeting(MeetingKind::Meeting, now() - Duration::days(2), None);
    let held = store
        .create_meeting(&community(), &past)
        .await
        .expect("created");
    let error = store
        .send_follow_up(&community(), held.id, &mail("Materialer"))
        .await
        .expect_err("nothing to send");
    assert_eq!(rule_of(&error), "meeting-no-follow-up");

    past.materials = vec![
        Material {
            title: "Optagelse".into(),
            kind: MaterialKind::Recording,
            source: MaterialSource::Link("https://kombit.dk/optagelse".into()),
        },
        Material {
            title: "Præsentation".into(),
            kind: MaterialKind::Slides,
            source: MaterialSource::Link("https://kombit.dk/slides.pdf".into()),
        },
    ];
    store
        .update_meeting(&community(), held.id, &past)
        .await
        .expect("materials added");
    let report = store
        .send_follow_up(&community(), held.id, &mail("Materialer"))
        .await
        .expect("sent");
    let sent = queued_with(&app, "Materialer").await;
    assert_eq!(report.queued as usize, managers.len());
    let mut to: Vec<String> = sent.iter().map(|(to, _, _)| to.clone()).collect();
    to.sort();
    assert_eq!(to, managers);
    for (_, body, calendar) in &sent {
        assert!(
            body.contains("Optagelse: https://kombit.dk/optagelse"),
            "{body}"
        );
        assert!(body.contains("Præsentation: https://kombit.dk/slides.pdf"));
        assert!(calendar.is_none());
    }
    let again = store
        .send_follow_up(&community(), held.id, &mail("Materialer"))
        .await
        .expect("sent again");
    assert_eq!(again.queued, 0, "once per person and meeting");
    assert_eq!(audited(&app, "meeting.follow_up", held.id).await, 2);

    let coming = store
        .create_meeting(
            &community(),
            &NewMeeting {
                materials: past.materials.clone(),
                ..new_meeting(MeetingKind::Meeting, now() + Duration::days(2), None)
            },
        )
        .await
        .expect("created");
    let error = store
        .send_follow_up(&community(), coming.id, &mail("For tidligt"))
        .await
        .expect_err("not yet");
    assert_eq!(rule_of(&error), "meeting-not-ended");
}

// ---- Pages -------------------------------------------------------------------

#[tokio::test]
async fn staff_make_a_meeting_on_its_page_and_a_person_registers_there() {
    let app = TestApp::start_with_roles().await;
    samspil::demo::meetings::load(app.coordination.as_ref())
        .await
        .expect("demo meetings");
    let staff = app.signed_in("staff").await;
    let (status, list) = staff.get_text("/moeder").await;
    assert_eq!(status, reqwest::StatusCode::OK);
    assert!(list.contains("Programledermøde juni 2023"), "{list}");
    assert!(
        list.contains("<span>Møder</span>"),
        "the menu names the page"
    );
    assert!(
        list.contains("<span>Forløb</span>"),
        "the menu names the pipelines"
    );

    // A bad form is refused at its fields, in Danish, and nothing made.
    let csrf = staff.csrf_token("/moeder/ny").await;
    let count = app.coordination.meetings().await.expect("lists").len();
    let refused = staff
        .post_form(
            "/moeder/ny",
            &[
                ("csrf_token", csrf.as_str()),
                ("title", "Programledermøde august"),
                ("kind", "meeting"),
                ("date", "31.02.2030"),
                ("starts", "10.00"),
                ("ends", "12.00"),
                ("link", "https://teams.microsoft.com/l/aug"),
                ("agenda", ""),
            ],
        )
        .await;
    assert_eq!(refused.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("text");
    assert!(html.contains(r##"href="#meeting-date""##), "{html}");
    assert!(
        html.contains("Programledermøde august"),
        "what was typed is kept"
    );
    let refused = staff
        .post_form(
            "/moeder/ny",
            &[
                ("csrf_token", csrf.as_str()),
                ("title", "Programledermøde august"),
                ("kind", "meeting"),
                ("date", "20.08.2030"),
                ("starts", "10.00"),
                ("ends", "12.00"),
                ("link", "http://teams.microsoft.com/l/aug"),
                ("agenda", "10.00-10.10 Velkommen\nKædeansvaret"),
            ],
        )
        .await;
    assert_eq!(refused.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("text");
    assert!(html.contains(r##"href="#meeting-agenda""##), "{html}");
    assert!(html.contains("Linje 2 på dagsordenen"), "{html}");
    assert_eq!(
        app.coordination.meetings().await.expect("lists").len(),
        count
    );

    let made = staff
        .post_form(
            "/moeder/ny",
            &[
                ("csrf_token", csrf.as_str()),
                ("title", "Programledermøde august"),
                ("kind", "workshop"),
                ("date", "20.08.2030"),
                ("starts", "10.00"),
                ("ends", "12.00"),
                ("link", "https://teams.microsoft.com/l/aug"),
                ("seats", "1"),
                (
                    "agenda",
                    "10.00-10.05 Velkommen\n10.05-10.30 Kædeansvaret | Finn Graversen\n10.30-10.45 Servicemeddelelser",
                ),
            ],
        )
        .await;
    assert_eq!(made.status(), reqwest::StatusCode::SEE_OTHER);
    let location = made.headers()["location"]
        .to_str()
        .expect("a location")
        .to_owned();
    let path = location.split('?').next().expect("a path").to_owned();
    let (status, page) = staff.get_text(&path).await;
    assert_eq!(status, reqwest::StatusCode::OK);
    assert!(page.contains("10.05–10.30"), "{page}");
    assert!(page.contains("Finn Graversen"));

    // A municipality's person registers, then the seat is taken.
    let person = app.signed_in("user-751").await;
    let csrf = person.csrf_token(&path).await;
    let (_, before) = person.get_text(&path).await;
    assert!(
        !before.contains("Fællesskabets værktøjer"),
        "no staff forms"
    );
    let registered = person
        .post_form(
            &format!("{path}/tilmelding"),
            &[("csrf_token", csrf.as_str()), ("action", "register")],
        )
        .await;
    assert_eq!(registered.status(), reqwest::StatusCode::SEE_OTHER);
    let (_, after) = person.get_text(&path).await;
    assert!(after.contains("Du er tilmeldt."), "{after}");
    let other = app.signed_in("admin-751").await;
    let csrf = other.csrf_token(&path).await;
    let full = other
        .post_form(
            &format!("{path}/tilmelding"),
            &[("csrf_token", csrf.as_str()), ("action", "register")],
        )
        .await;
    assert_eq!(full.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        full.text()
            .await
            .expect("text")
            .contains("Alle 1 pladser er optaget.")
    );

    // The June meeting's page shows the slides' summary and who was absent.
    let june = app
        .coordination
        .meetings()
        .await
        .expect("lists")
        .into_iter()
        .find(|m| m.meeting.title() == "Programledermøde juni 2023")
        .expect("June");
    let (_, page) = person.get_text(&format!("/moeder/{}", june.id.0)).await;
    assert!(page.contains("59 kommuner (75 deltagere)"), "{page}");
    assert!(page.contains("39 kommuner deltog ikke"), "{page}");
    assert!(page.contains("Gentofte"));
    // A staff form is refused to the municipality's person.
    let csrf = person.csrf_token("/moeder").await;
    let denied = person
        .post_form(
            &format!("/moeder/{}/fremmoede", june.id.0),
            &[("csrf_token", csrf.as_str()), ("attendance", "751;x")],
        )
        .await;
    assert_eq!(denied.status(), reqwest::StatusCode::FORBIDDEN);
}

// ---- API ---------------------------------------------------------------------

#[tokio::test]
async fn the_api_lists_meetings_registers_the_caller_and_summarises_the_attendance() {
    use reqwest::{Method, StatusCode};
    let app = TestApp::start().await;
    samspil::demo::meetings::load(app.coordination.as_ref())
        .await
        .expect("demo meetings");
    let person = app.api_client("user-751").await;
    let (status, list) = person.get_json("/api/v1/meetings").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let list = list.as_array().expect("a list").clone();
    assert_eq!(list.len(), 4);
    let june = &list[0];
    assert_eq!(june["title"], "Programledermøde juni 2023");
    assert_eq!(june["agenda"][1]["title"], "Kædeansvaret");
    assert_eq!(june["starts_at"], "2023-06-22T08:00:00Z");
    let coming = list.last().expect("the next meeting")["id"]
        .as_i64()
        .expect("an id");

    let (status, attendance) = person
        .get_json(&format!("/api/v1/meetings/{}/attendance", june["id"]))
        .await;
    assert_eq!(status, StatusCode::OK, "{attendance}");
    assert_eq!(
        (&attendance["municipalities"], &attendance["participants"]),
        (&serde_json::json!(59), &serde_json::json!(75))
    );
    assert_eq!(attendance["absent"].as_array().map(Vec::len), Some(39));

    let path = format!("/api/v1/meetings/{coming}/registration");
    let (status, _) = person
        .send_json(Method::PUT, &path, serde_json::json!({}))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = person
        .send_json(Method::PUT, &path, serde_json::json!({}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (_, one) = person.get_json(&format!("/api/v1/meetings/{coming}")).await;
    assert_eq!(one["registered_me"], true);
    assert_eq!(one["registered"], 1);
    let (status, _) = person
        .send_json(Method::DELETE, &path, serde_json::json!({}))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = person
        .send_json(
            Method::PUT,
            &format!("/api/v1/meetings/{}/registration", june["id"]),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the June meeting is over"
    );
    let (status, _) = person.get_json("/api/v1/meetings/999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

// ---- A meeting cancelled ----------------------------------------------------

/// A cancelled meeting sends everyone invited, and everyone registered, an
/// iCalendar CANCEL with the invitation's UID and a higher SEQUENCE, once;
/// afterwards it takes no registration, no invitation and no second
/// cancellation.
#[tokio::test]
async fn a_cancelled_meeting_sends_a_calendar_cancel_to_everyone_invited_and_registered() {
    let app = TestApp::start_with_roles().await;
    let managers = holders_with_mail(&app, "KOMBIT-programleder").await;
    let meeting = app
        .coordination
        .create_meeting(
            &community(),
            &new_meeting(MeetingKind::Meeting, now() + Duration::days(9), None),
        )
        .await
        .expect("created");
    app.coordination
        .send_invitations(&community(), meeting.id, &[], &mail("Invitation"))
        .await
        .expect("sent");
    app.coordination
        .send_invitations(&community(), meeting.id, &[], &mail("Opdatering"))
        .await
        .expect("sent");
    let person = people(&app, "aflyst", 1).await.remove(0);
    app.coordination
        .register(&person, meeting.id)
        .await
        .expect("registered");

    let report = app
        .coordination
        .cancel_meeting(&community(), meeting.id, &mail("Aflyst"))
        .await
        .expect("cancelled");
    let sent = queued_with(&app, "Aflyst").await;
    assert_eq!(report.queued as usize, sent.len());
    let mut to: Vec<String> = sent.iter().map(|(to, _, _)| to.clone()).collect();
    to.sort();
    let mut expected = managers.clone();
    expected.push("aflyst-0@kk.dk".into());
    expected.sort();
    assert_eq!(to, expected, "the invited and the registered, once each");
    for (_, _, calendar) in &sent {
        let text = calendar.as_deref().expect("a CANCEL attached");
        assert!(text.contains("METHOD:CANCEL\r\n"), "{text}");
        assert!(text.contains("STATUS:CANCELLED\r\n"), "{text}");
        let event = &crate::calendar_feed::events(text)[0];
        assert_eq!(
            event.get_uid(),
            Some(format!("programledermoede-{}@samspil.example.dk", meeting.id.0).as_str())
        );
        assert_eq!(event.get_sequence(), Some(2), "after invitations 0 and 1");
    }
    assert_eq!(audited(&app, "meeting.cancel", meeting.id).await, 1);
    let read = app
        .coordination
        .meeting(meeting.id)
        .await
        .expect("reads")
        .expect("kept");
    assert!(read.cancelled_at.is_some());

    let others = people(&app, "for-sent", 1).await;
    for error in [
        app.coordination
            .cancel_meeting(&community(), meeting.id, &mail("Igen"))
            .await
            .map(|_| ())
            .expect_err("cancelled already"),
        app.coordination
            .register(&others[0], meeting.id)
            .await
            .expect_err("no registration"),
        app.coordination
            .send_invitations(&community(), meeting.id, &[], &mail("Igen"))
            .await
            .map(|_| ())
            .expect_err("no invitation"),
        app.coordination
            .send_input(&others[0], meeting.id, "Input")
            .await
            .map(|_| ())
            .expect_err("no input"),
    ] {
        assert_eq!(rule_of(&error), "meeting-cancelled");
    }
    assert!(queued_with(&app, "Igen").await.is_empty());

    // A meeting that has begun is not cancelled.
    let begun = app
        .coordination
        .create_meeting(
            &community(),
            &new_meeting(MeetingKind::Meeting, now() - Duration::minutes(5), None),
        )
        .await
        .expect("created");
    let error = app
        .coordination
        .cancel_meeting(&community(), begun.id, &mail("Sent"))
        .await
        .expect_err("begun");
    assert_eq!(rule_of(&error), "meeting-started");
}

#[tokio::test]
async fn staff_cancel_a_meeting_on_its_page_and_over_the_api() {
    use reqwest::{Method, StatusCode};
    let app = TestApp::start_with_roles().await;
    let create = |days| {
        let store = Arc::clone(&app.coordination);
        async move {
            store
                .create_meeting(
                    &community(),
                    &new_meeting(MeetingKind::Meeting, now() + Duration::days(days), None),
                )
                .await
                .expect("created")
                .id
        }
    };
    let first = create(6).await;
    let second = create(7).await;
    let path = format!("/moeder/{}", first.0);

    let person = app.signed_in("user-751").await;
    let csrf = person.csrf_token(&path).await;
    let denied = person
        .post_form(&format!("{path}/aflys"), &[("csrf_token", csrf.as_str())])
        .await;
    assert_eq!(denied.status(), StatusCode::FORBIDDEN);

    let staff = app.signed_in("staff").await;
    let (_, page) = staff.get_text(&path).await;
    assert!(page.contains("Aflys mødet"), "{page}");
    let csrf = staff.csrf_token(&path).await;
    let cancelled = staff
        .post_form(&format!("{path}/aflys"), &[("csrf_token", csrf.as_str())])
        .await;
    assert_eq!(cancelled.status(), StatusCode::OK);
    let html = cancelled.text().await.expect("text");
    assert!(html.contains("Mødet er aflyst."), "{html}");
    assert!(!html.contains("Aflys mødet"), "{html}");
    let again = staff
        .post_form(&format!("{path}/aflys"), &[("csrf_token", csrf.as_str())])
        .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (_, list) = person.get_text("/moeder").await;
    assert!(list.contains("(aflyst)"), "{list}");
    let (_, page) = person.get_text(&path).await;
    assert!(!page.contains(r#"value="register""#), "{page}");

    let api = app.api_client("staff").await;
    let cancel = format!("/api/v1/meetings/{}/cancellation", second.0);
    let (status, _) = app
        .api_client("user-751")
        .await
        .send_json(Method::POST, &cancel, serde_json::json!({}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, report) = api
        .send_json(Method::POST, &cancel, serde_json::json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["queued"], 0, "nobody was invited");
    let (_, read) = api
        .get_json(&format!("/api/v1/meetings/{}", second.0))
        .await;
    assert_eq!(read["cancelled"], true);
    let (status, _) = api
        .send_json(Method::POST, &cancel, serde_json::json!({}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

// ---- Material files ------------------------------------------------------------

async fn upload_material(
    app: &TestApp,
    browser: &crate::harness::Browser,
    meeting: MeetingId,
    title: &str,
    file: (&str, &[u8]),
) -> reqwest::Response {
    let page = format!("/moeder/{}", meeting.0);
    let csrf = browser.csrf_token(&page).await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", csrf)
        .text("title", title.to_owned())
        .text("kind", "slides")
        .part(
            "file",
            reqwest::multipart::Part::bytes(file.1.to_vec()).file_name(file.0.to_owned()),
        );
    browser
        .client
        .post(app.url(&format!("{page}/materialer/fil")))
        .multipart(form)
        .send()
        .await
        .expect("answered")
}

#[tokio::test]
async fn staff_upload_a_material_file_that_everyone_downloads_and_an_edit_keeps() {
    use reqwest::StatusCode;
    let app = TestApp::start_with_roles().await;
    let meeting = app
        .coordination
        .create_meeting(
            &community(),
            &new_meeting(MeetingKind::Meeting, now() + Duration::days(4), None),
        )
        .await
        .expect("created");
    let staff = app.signed_in("staff").await;
    let person = app.signed_in("user-751").await;

    let denied = upload_material(&app, &person, meeting.id, "x", ("a.pdf", b"%PDF-1.4")).await;
    assert_eq!(denied.status(), StatusCode::FORBIDDEN);
    let refused =
        upload_material(&app, &staff, meeting.id, "Program", ("program.exe", b"MZ")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("text");
    assert!(html.contains(r##"href="#material-file""##), "{html}");
    assert!(html.contains("Den filtype modtages ikke."), "{html}");
    assert!(html.contains(r#"value="Program""#), "the title is kept");

    let added = upload_material(
        &app,
        &staff,
        meeting.id,
        "Præsentation",
        ("praesentation.pdf", b"%PDF-1.4 slides"),
    )
    .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    assert_eq!(audited(&app, "meeting.material_file", meeting.id).await, 1);
    let record = app
        .coordination
        .meeting(meeting.id)
        .await
        .expect("reads")
        .expect("found");
    let MaterialSource::File(file) = record.meeting.materials()[0].source else {
        panic!("a file")
    };
    let (_, page) = person.get_text(&format!("/moeder/{}", meeting.id.0)).await;
    let link = format!("/moeder/{}/materialer/{file}", meeting.id.0);
    // The template writes the address's slashes as entities.
    assert!(
        page.contains(&link.replace('/', "&#x2f;")),
        "the material links its download: {page}"
    );
    let download = person.get(&link).await;
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(
        download.bytes().await.expect("bytes").as_ref(),
        b"%PDF-1.4 slides"
    );
    let other = person
        .get(&format!("/moeder/{}/materialer/{}", meeting.id.0 + 1, file))
        .await;
    assert_eq!(
        other.status(),
        StatusCode::NOT_FOUND,
        "only its own meeting's"
    );

    // An edit of the meeting's texts and links keeps the file.
    let edited = app
        .coordination
        .update_meeting(
            &community(),
            meeting.id,
            &new_meeting(MeetingKind::Meeting, now() + Duration::days(4), None),
        )
        .await
        .expect("edited");
    assert_eq!(edited.meeting.materials().len(), 1);
}
