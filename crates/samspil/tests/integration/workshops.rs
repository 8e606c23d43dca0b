//! Workshops with limited seats (issue 20): people apply, staff choose
//! with each applicant's population, region and role-gallery completeness
//! shown, the chosen are registered and the seats never exceeded (also
//! when choices and registrations arrive at once), and the chosen and the
//! not chosen are told through the outbox.

use std::sync::Arc;

use reqwest::{Method, StatusCode};
use samspil_coordination_storage::{Decision, MeetingId, MeetingKind};
use samspil_storage::now;
use time::Duration;
use tokio::task::JoinSet;

use crate::harness::TestApp;
use crate::meetings::{audited, community, new_meeting, people, rule_of};

async fn workshop(app: &TestApp, seats: u32) -> MeetingId {
    app.coordination
        .create_meeting(
            &community(),
            &new_meeting(
                MeetingKind::Workshop,
                now() + Duration::days(12),
                Some(seats),
            ),
        )
        .await
        .expect("created")
        .id
}

fn mail(subject: &str) -> samspil_coordination_storage::MeetingMail {
    samspil_coordination_storage::MeetingMail {
        subject: subject.into(),
        body: "Workshop".into(),
        host: "samspil.example.dk".into(),
        organizer_name: "KOMBIT".into(),
        organizer_email: "workshop@kombit.dk".into(),
        offset: time::macros::offset!(+1),
    }
}

/// Every queued e-mail: (subject, address), claimed once.
async fn queued(app: &TestApp) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = app
        .storage
        .claim_deliveries(
            now() + Duration::seconds(1),
            std::time::Duration::from_secs(60),
            10_000,
        )
        .await
        .expect("claims")
        .into_iter()
        .map(|d| (d.subject, d.email))
        .collect();
    all.sort();
    all
}

fn to_of(all: &[(String, String)], subject: &str) -> Vec<String> {
    all.iter()
        .filter(|(s, _)| s == subject)
        .map(|(_, to)| to.clone())
        .collect()
}

#[tokio::test]
async fn people_apply_staff_choose_within_the_seats_and_everyone_is_told() {
    let app = TestApp::start_with_roles().await;
    let store = &app.coordination;
    let seats = 2;
    let id = workshop(&app, seats).await;
    let meeting = app
        .coordination
        .create_meeting(
            &community(),
            &new_meeting(MeetingKind::Meeting, now() + Duration::days(3), None),
        )
        .await
        .expect("created")
        .id;
    let applicants = people(&app, "ansoeger", 4).await;

    let not_workshop = store
        .apply_for_workshop(&applicants[0], meeting, "")
        .await
        .expect_err("a meeting");
    assert_eq!(rule_of(&not_workshop), "meeting-not-a-workshop");
    for person in &applicants {
        store
            .apply_for_workshop(person, id, "Vi er i gang med DOS")
            .await
            .expect("applied");
    }
    let twice = store
        .apply_for_workshop(&applicants[0], id, "")
        .await
        .expect_err("once");
    assert_eq!(rule_of(&twice), "meeting-already-applied");
    assert_eq!(audited(&app, "meeting.workshop_apply", id).await, 4);

    let list = store
        .workshop_applications(&community(), id, now().date())
        .await
        .expect("lists");
    assert_eq!(list.len(), 4);
    assert_eq!(list[0].organisation, "København");
    assert_eq!(list[0].region.as_deref(), Some("Region Hovedstaden"));
    assert!(list[0].roles_total > 0);
    assert!(list.iter().all(|a| a.decision == Decision::Pending));
    let ids: Vec<i64> = list.iter().map(|a| a.id).collect();

    let too_many = store
        .choose_applicants(
            &community(),
            id,
            &ids[..3],
            &mail("Plads"),
            &mail("Ingen plads"),
        )
        .await
        .expect_err("three for two seats");
    assert_eq!(rule_of(&too_many), "meeting-too-many-chosen");
    let unknown = store
        .choose_applicants(
            &community(),
            id,
            &[-4],
            &mail("Plads"),
            &mail("Ingen plads"),
        )
        .await
        .expect_err("no such application");
    assert_eq!(rule_of(&unknown), "meeting-unknown-applicant");

    let report = store
        .choose_applicants(
            &community(),
            id,
            &[ids[1], ids[3]],
            &mail("Plads"),
            &mail("Ingen plads"),
        )
        .await
        .expect("chosen");
    assert_eq!((report.chosen, report.not_chosen, report.queued), (2, 2, 4));
    let sent = queued(&app).await;
    assert_eq!(
        to_of(&sent, "Plads"),
        ["ansoeger-1@kk.dk", "ansoeger-3@kk.dk"]
    );
    assert_eq!(
        to_of(&sent, "Ingen plads"),
        ["ansoeger-0@kk.dk", "ansoeger-2@kk.dk"]
    );
    let registered = store.registrations(&community(), id).await.expect("lists");
    assert_eq!(registered.len(), 2);
    assert_eq!(
        store
            .application_of(applicants[1].user_id().expect("a person"), id)
            .await
            .expect("reads"),
        Some(Decision::Chosen)
    );
    assert_eq!(audited(&app, "meeting.workshop_choice", id).await, 1);

    // The choice is taken once; no application comes after it.
    let again = store
        .choose_applicants(&community(), id, &[ids[0]], &mail("Igen"), &mail("Igen"))
        .await
        .expect_err("decided");
    assert_eq!(rule_of(&again), "meeting-workshop-decided");
    let late = people(&app, "sen", 1).await;
    let late = store
        .apply_for_workshop(&late[0], id, "")
        .await
        .expect_err("decided");
    assert_eq!(rule_of(&late), "meeting-workshop-decided");
}

/// Two choices and six registrations at the same moment on a workshop of
/// three seats: one choice is taken, and the seats are never exceeded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_choices_and_registrations_never_exceed_the_seats() {
    let app = TestApp::start_with_roles().await;
    for round in 0..3 {
        let id = workshop(&app, 3).await;
        let applicants = people(&app, &format!("runde{round}"), 6).await;
        for person in &applicants {
            app.coordination
                .apply_for_workshop(person, id, "")
                .await
                .expect("applied");
        }
        let ids: Vec<i64> = app
            .coordination
            .workshop_applications(&community(), id, now().date())
            .await
            .expect("lists")
            .iter()
            .map(|a| a.id)
            .collect();
        let walk_ins = people(&app, &format!("direkte{round}"), 6).await;
        let mut requests = JoinSet::new();
        for chosen in [ids[..3].to_vec(), ids[3..].to_vec()] {
            let store = Arc::clone(&app.coordination);
            requests.spawn(async move {
                store
                    .choose_applicants(&community(), id, &chosen, &mail("P"), &mail("I"))
                    .await
                    .map(|_| "choice")
            });
        }
        for person in walk_ins {
            let store = Arc::clone(&app.coordination);
            requests.spawn(async move { store.register(&person, id).await.map(|_| "register") });
        }
        let mut choices = 0;
        while let Some(done) = requests.join_next().await {
            if let Ok("choice") = done.expect("the request ran") {
                choices += 1;
            }
        }
        assert!(choices <= 1, "round {round}: {choices} choices");
        let kept = app
            .coordination
            .registrations(&community(), id)
            .await
            .expect("lists");
        assert!(kept.len() <= 3, "round {round}: {} registered", kept.len());
        assert_eq!(kept.len(), 3, "round {round}: the seats are all taken");
    }
}

#[tokio::test]
async fn a_person_applies_on_the_page_and_staff_give_the_seats_there_and_over_the_api() {
    let app = TestApp::start_with_roles().await;
    samspil::population_import::import_population_text(
        &app.stores(),
        "code,name,population,as_of\n751,Aarhus,365000,2024-01-01\n",
    )
    .await
    .expect("imported");
    let id = workshop(&app, 1).await;
    let path = format!("/moeder/{}", id.0);

    let person = app.signed_in("user-751").await;
    let (_, page) = person.get_text(&path).await;
    assert!(page.contains("Søg en plads"), "{page}");
    assert!(
        !page.contains(r#"value="register""#),
        "a workshop is applied for"
    );
    let csrf = person.csrf_token(&path).await;
    let long = "x".repeat(2_001);
    let refused = person
        .post_form(
            &format!("{path}/ansoegning"),
            &[("csrf_token", csrf.as_str()), ("motivation", long.as_str())],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("text");
    assert!(
        html.contains(r##"href="#application-motivation""##),
        "{html}"
    );
    let applied = person
        .post_form(
            &format!("{path}/ansoegning"),
            &[
                ("csrf_token", csrf.as_str()),
                ("motivation", "Vi vil gerne"),
            ],
        )
        .await;
    assert_eq!(applied.status(), StatusCode::SEE_OTHER);
    let (_, page) = person.get_text(&path).await;
    assert!(page.contains("Du har søgt en plads."), "{page}");
    let denied = person.get(&format!("{path}/ansoegninger")).await;
    assert_eq!(denied.status(), StatusCode::FORBIDDEN);

    // A second applicant over the API.
    let other = app.api_client("admin-751").await;
    let (status, _) = other
        .send_json(
            Method::POST,
            &format!("/api/v1/meetings/{}/applications", id.0),
            serde_json::json!({ "motivation": "Også os" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    let staff = app.signed_in("staff").await;
    let (status, page) = staff.get_text(&format!("{path}/ansoegninger")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("365.000"), "the population: {page}");
    assert!(page.contains("100.000 og flere"));
    assert!(page.contains("Region Midtjylland"));
    assert!(page.contains("obligatoriske roller"));
    assert!(page.contains("Vi vil gerne"));
    assert_eq!(page.matches(" checked").count(), 1, "one seat suggested");

    let api = app.api_client("staff").await;
    let (status, list) = api
        .get_json(&format!("/api/v1/meetings/{}/applications", id.0))
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list[0]["population"], 365_000);
    let first = list[0]["id"].as_i64().expect("an id");
    let second = list[1]["id"].as_i64().expect("an id");

    let csrf = staff.csrf_token(&format!("{path}/ansoegninger")).await;
    let over = staff
        .post_form(
            &format!("{path}/ansoegninger"),
            &[
                ("csrf_token", csrf.as_str()),
                ("chosen", first.to_string().as_str()),
                ("chosen", second.to_string().as_str()),
            ],
        )
        .await;
    assert_eq!(over.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = over.text().await.expect("text");
    assert!(
        html.contains("Der er valgt flere end de 1 pladser."),
        "{html}"
    );
    let given = staff
        .post_form(
            &format!("{path}/ansoegninger"),
            &[
                ("csrf_token", csrf.as_str()),
                ("chosen", first.to_string().as_str()),
            ],
        )
        .await;
    assert_eq!(given.status(), StatusCode::OK);
    let html = given.text().await.expect("text");
    assert!(html.contains("1 har fået en plads."), "{html}");
    assert!(html.contains("Fik ikke plads"));
    let (_, page) = person.get_text(&path).await;
    assert!(
        page.contains("Du har fået en plads på workshoppen."),
        "{page}"
    );

    let (status, _) = api
        .send_json(
            Method::POST,
            &format!("/api/v1/meetings/{}/selection", id.0),
            serde_json::json!({ "chosen": [second] }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "decided already");
    let fresh = workshop(&app, 5).await;
    let (status, _) = other
        .send_json(
            Method::POST,
            &format!("/api/v1/meetings/{}/applications", fresh.0),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = other
        .send_json(
            Method::POST,
            &format!("/api/v1/meetings/{}/selection", fresh.0),
            serde_json::json!({ "chosen": [] }),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, report) = api
        .send_json(
            Method::POST,
            &format!("/api/v1/meetings/{}/selection", fresh.0),
            serde_json::json!({ "chosen": [] }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["not_chosen"], 1);
}
