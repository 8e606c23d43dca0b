//! Appointments and deadlines through the systems' JSON door (issue 15,
//! the activity index): an appointment's whole life (imported, moved,
//! cancelled, read back as registered before the move), each refusal
//! (time order, its case, its KLE area, a move from the wrong time, a
//! system of another kind, a municipality not registered), idempotent
//! retries, a late older registration in history, parallel imports of
//! one appointment, a system confined to its own appointments, the
//! citizen's read from a time on, the CPR number never in clear, and the
//! removal on system change — on both backends.

use reqwest::StatusCode;
use samspil_citizen_storage::Reader;
use serde_json::{Value, json};

use crate::citizen_cases::{CASE, CPR, Door, FASIT, case, rows_holding, system, system_of_kind};
use crate::harness::TestApp;

const KALENDER: &str = "4a3e2a60-0b7c-4e2b-9b8e-5c0c6a7d9e11";
const BOOKING: &str = "4b3e2a60-0b7c-4e2b-9b8e-5c0c6a7d9e11";
const MEETING: &str = "3b1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const DEADLINE: &str = "3c1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const PATH: &str = "/api/v1/borger/aftaler";

/// A meeting in the jobcentre in Aarhus, planned for 2 March 2026.
fn meeting(uuid: &str, registered: &str) -> Value {
    json!({
        "uuid": uuid,
        "kommune": 751,
        "registreret": registered,
        "titel": "Samtale i jobcentret",
        "start": "2026-03-02T09:00:00Z",
        "slut": "2026-03-02T09:45:00Z",
        "sted": { "tekst": "Jobcenter Aarhus, mødelokale 2", "adresse": "Værkmestergade 7, 8000 Aarhus C" },
        "omraade": "15.02",
        "medbring": "Pas og lønsedler",
        "part": format!("urn:oio:cpr-nr:{CPR}"),
        "status": "planlagt",
        "virkning": { "fra": "2026-02-01T00:00:00Z" },
    })
}

/// [`meeting`] moved from 2 to 9 March.
fn moved(uuid: &str, registered: &str) -> Value {
    let mut record = meeting(uuid, registered);
    record["status"] = json!("flyttet");
    record["start"] = json!("2026-03-09T09:00:00Z");
    record["slut"] = json!("2026-03-09T09:45:00Z");
    record["tidligere_start"] = json!("2026-03-02T09:00:00Z");
    record
}

async fn kalender<'a>(app: &'a TestApp, mode: &str) -> Door<'a> {
    let (_, credential) = system_of_kind(app, KALENDER, "kalender", "appointment", mode).await;
    Door { app, credential }
}

impl Door<'_> {
    async fn appointments(
        &self,
        operation: &str,
        records: Vec<Value>,
        key: Option<&str>,
    ) -> (StatusCode, Value) {
        self.send(
            reqwest::Method::POST,
            &format!("{PATH}/{operation}"),
            Some(json!({ "records": records })),
            key,
        )
        .await
    }

    async fn appointment(&self, uuid: &str, query: &str) -> (StatusCode, Value) {
        self.send(
            reqwest::Method::GET,
            &format!("{PATH}/{uuid}{query}"),
            None,
            None,
        )
        .await
    }
}

fn first_violation(body: &Value) -> (String, String) {
    let v = &body["records"][0]["violations"][0];
    (
        v["pointer"].as_str().unwrap_or_default().to_owned(),
        v["rule"].as_str().unwrap_or_default().to_owned(),
    )
}

fn reader() -> Reader {
    Reader {
        label: "test".into(),
        purpose: "the overview".into(),
    }
}

/// The case [`CASE`] of Fasit's in Aarhus, for an appointment to belong to.
async fn with_case(app: &TestApp) {
    let (_, credential) = system(app, FASIT, "fasit", "strict").await;
    let fasit = Door { app, credential };
    let (status, body) = fasit.import(vec![case(CASE, "KY-1", FASIT)], None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn an_appointment_is_imported_moved_cancelled_and_read_back_as_registered_before_the_move() {
    let app = TestApp::start().await;
    with_case(&app).await;
    let door = kalender(&app, "strict").await;
    let mut first = meeting(MEETING, "2026-02-01T10:00:00Z");
    first["sag"] = json!(CASE);
    let mut deadline = meeting(DEADLINE, "2026-02-01T10:00:00Z");
    deadline["titel"] = json!("Frist for indsendelse af lønsedler");
    deadline["start"] = json!("2026-04-01T22:00:00Z");
    deadline["slut"] = Value::Null;
    deadline["sted"] = json!({ "tekst": "Digital Post" });
    deadline["omraade"] = json!("Beskæftigelse");
    if let Some(d) = deadline.as_object_mut() {
        d.remove("medbring");
    }
    let (status, body) = door
        .appointments("import", vec![first.clone(), deadline], None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "accepted");

    // Moved a week, keeping its UUID; the same batch again answers the
    // same and changes nothing; the key with another body is a conflict.
    let mut move_batch = moved(MEETING, "2026-02-10T10:00:00Z");
    move_batch["sag"] = json!(CASE);
    let (status, answer) = door
        .appointments("opdater", vec![move_batch.clone()], Some("kalender-1"))
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let (status, again) = door
        .appointments("opdater", vec![move_batch.clone()], Some("kalender-1"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again, answer);
    let (status, again) = door
        .appointments("opdater", vec![move_batch.clone()], None)
        .await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["records"][0]["status"], "unchanged", "{again}");
    let mut other = move_batch.clone();
    other["registreret"] = json!("2026-02-11T10:00:00Z");
    let (status, _) = door
        .appointments("opdater", vec![other], Some("kalender-1"))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Cancelled.
    let mut cancelled = move_batch.clone();
    cancelled["registreret"] = json!("2026-02-20T10:00:00Z");
    cancelled["status"] = json!("aflyst");
    if let Some(c) = cancelled.as_object_mut() {
        c.remove("tidligere_start");
    }
    let (status, body) = door.appointments("opdater", vec![cancelled], None).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // A late older registration (a change of what to bring, registered
    // before the cancellation) goes into history, not over the present.
    let mut late = move_batch.clone();
    late["registreret"] = json!("2026-02-15T10:00:00Z");
    late["medbring"] = json!("Pas, lønsedler og CV");
    let (status, body) = door.appointments("opdater", vec![late], None).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (status, now) = door.appointment(MEETING, "").await;
    assert_eq!(status, StatusCode::OK, "{now}");
    assert_eq!(now["record"]["status"], "aflyst");
    assert_eq!(now["record"]["start"], "2026-03-09T09:00:00Z");
    assert_eq!(now["record"]["medbring"], "Pas og lønsedler");
    assert_eq!(now["record"]["part"], format!("urn:oio:cpr-nr:{CPR}"));
    assert_eq!(now["record"]["sag"], CASE);
    assert_eq!(now["system"], "kalender");
    let (_, then) = door
        .appointment(MEETING, "?registreret=2026-02-16T00:00:00Z")
        .await;
    assert_eq!(then["record"]["medbring"], "Pas, lønsedler og CV");
    assert_eq!(then["record"]["status"], "flyttet");
    let (_, moved_then) = door
        .appointment(MEETING, "?registreret=2026-02-10T10:00:00Z")
        .await;
    assert_eq!(moved_then["record"]["start"], "2026-03-09T09:00:00Z");
    assert_eq!(
        moved_then["record"]["tidligere_start"],
        "2026-03-02T09:00:00Z"
    );
    // As registered before the move: planned, at the first time.
    let (status, before) = door
        .appointment(MEETING, "?registreret=2026-02-09T00:00:00Z")
        .await;
    assert_eq!(status, StatusCode::OK);
    let mut expected = first.clone();
    expected["virkning"]["til"] = Value::Null;
    assert_eq!(before["record"], expected, "{before}");
    let (status, _) = door
        .appointment(MEETING, "?registreret=2026-01-01T00:00:00Z")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, read_deadline) = door.appointment(DEADLINE, "").await;
    assert_eq!(read_deadline["record"]["slut"], Value::Null);
    assert_eq!(
        read_deadline["record"]["sted"],
        json!({ "tekst": "Digital Post" })
    );

    // The system finds them by the citizen (in the body) and by the case.
    let search = |body: Value| {
        let door = &door;
        async move {
            door.send(
                reqwest::Method::POST,
                &format!("{PATH}/soeg"),
                Some(body),
                None,
            )
            .await
        }
    };
    let (status, found) = search(json!({ "part": format!("urn:oio:cpr-nr:{CPR}") })).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found.as_array().map(Vec::len), Some(2), "{found}");
    let (_, found) = search(json!({ "sag": CASE })).await;
    assert_eq!(found.as_array().map(Vec::len), Some(1), "{found}");
    assert_eq!(found[0]["uuid"], MEETING);
    assert_eq!(found[0]["status"], "aflyst");
    let (_, log) = door
        .send(
            reqwest::Method::GET,
            "/api/v1/borger/leverancer",
            None,
            None,
        )
        .await;
    assert_eq!(log.as_array().map(Vec::len), Some(5), "{log}");
    assert_eq!(log[0]["operation"], "appointment-update", "{log}");

    // The citizen's overview: from a time on, by start, cancelled ones
    // with their status; logged.
    let visible = app
        .citizen
        .appointments_visible_to_citizen(
            CPR,
            time::macros::datetime!(2026-03-01 0:00 UTC),
            &reader(),
        )
        .await
        .expect("reads");
    let seen: Vec<(&str, &str)> = visible
        .iter()
        .map(|a| (a.uuid.as_str(), a.record.status.as_str()))
        .collect();
    assert_eq!(seen, [(MEETING, "aflyst"), (DEADLINE, "planlagt")]);
    let later = app
        .citizen
        .appointments_visible_to_citizen(
            CPR,
            time::macros::datetime!(2026-03-10 0:00 UTC),
            &reader(),
        )
        .await
        .expect("reads");
    assert_eq!(later.len(), 1, "the meeting is over by then");
    let other_citizen = app
        .citizen
        .appointments_visible_to_citizen(
            "0202901234",
            time::macros::datetime!(2026-03-01 0:00 UTC),
            &reader(),
        )
        .await
        .expect("reads");
    assert!(other_citizen.is_empty());
    assert!(rows_holding(&app, "citizen_access_log", "purpose", "the overview").await >= 4);

    // The CPR number is nowhere in clear; the reads are logged.
    for (table, column) in [
        ("appointment_registrations", "part_sealed"),
        ("appointment_registrations", "part_digest"),
        ("appointments", "part_digest"),
    ] {
        assert_eq!(rows_holding(&app, table, column, CPR).await, 0, "{table}");
    }
    assert!(rows_holding(&app, "citizen_access_log", "purpose", "own delivery").await >= 5);
}

#[tokio::test]
async fn a_broken_rule_refuses_the_whole_batch_at_its_field() {
    let app = TestApp::start().await;
    with_case(&app).await;
    let door = kalender(&app, "strict").await;
    type Change = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(Change, &str, &str)> = vec![
        (
            Box::new(|a| a["slut"] = json!("2026-03-02T08:00:00Z")),
            "/slut",
            "ends_before_start",
        ),
        (
            Box::new(|a| a["sag"] = json!("5c5c3d2e-1f4a-4b6c-8d9e-0a1b2c3d4e5f")),
            "/sag",
            "unknown_case",
        ),
        (
            Box::new(|a| a["sag"] = json!("KY-1")),
            "/sag",
            "case_not_a_uuid",
        ),
        (
            Box::new(|a| a["omraade"] = json!("15.2")),
            "/omraade",
            "not_a_kle_number",
        ),
        (
            Box::new(|a| a["status"] = json!("cancelled")),
            "/status",
            "unknown_status",
        ),
        (
            Box::new(|a| a["status"] = json!("flyttet")),
            "/tidligere_start",
            "moved_without_previous_start",
        ),
        (
            Box::new(|a| a["part"] = json!("urn:oio:cvr-nr:55133018")),
            "/part",
            "part_not_cpr",
        ),
        (
            Box::new(|a| a["uuid"] = json!("ikke-en-uuid")),
            "/uuid",
            "not_a_uuid",
        ),
    ];
    for (change, pointer, rule) in cases {
        let mut bad = meeting(DEADLINE, "2026-02-01T10:00:00Z");
        change(&mut bad);
        let good = meeting(MEETING, "2026-02-01T10:00:00Z");
        let (status, body) = door.appointments("import", vec![good, bad], None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{rule}: {body}");
        assert_eq!(body["records"][0]["status"], "not_written", "{body}");
        let v = &body["records"][1]["violations"][0];
        assert_eq!(
            (v["pointer"].as_str(), v["rule"].as_str()),
            (Some(pointer), Some(rule)),
            "{body}"
        );
        assert!(
            v["section"]
                .as_str()
                .is_some_and(|s| s.starts_with("Aftale")),
            "{body}"
        );
        assert!(!body.to_string().contains(CPR), "the CPR is not echoed");
    }
    assert_eq!(
        rows_holding(&app, "appointments", "uuid", "-").await,
        0,
        "nothing written"
    );

    // A case of another municipality's is not this appointment's case.
    let kalender_system = app
        .citizen
        .vendor_systems(None)
        .await
        .expect("lists")
        .into_iter()
        .find(|s| s.name == "kalender")
        .expect("registered");
    app.citizen
        .approve_municipality(
            kalender_system.id,
            461,
            &samspil_domain::access::Actor {
                user_id: None,
                label: "admin-461".into(),
            },
        )
        .await
        .expect("approved");
    let mut odense = meeting(MEETING, "2026-02-01T10:00:00Z");
    odense["kommune"] = json!(461);
    odense["sag"] = json!(CASE);
    let (status, body) = door.appointments("import", vec![odense], None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        first_violation(&body),
        ("/sag".into(), "unknown_case".into())
    );

    // With a KLE plan imported, a numbered area is one of it.
    let subject = |number: &str| samspil_citizen::kle::KleSubject {
        number: number.into(),
        title: "Emne".into(),
        created_on: None,
        expired_on: None,
        replaced_by: None,
        deletion_rule: None,
    };
    app.citizen
        .import_kle(
            &[subject("15.02.05"), subject("32.18.04")],
            &samspil_domain::Principal::operator().actor(),
        )
        .await
        .expect("imports");
    for (area, fault) in [
        ("15", None),
        ("15.02", None),
        ("15.02.05", None),
        ("16", Some("unknown_kle_area")),
        ("15.03", Some("unknown_kle_area")),
        ("15.02.06", Some("unknown_kle_subject")),
    ] {
        let mut record = meeting(MEETING, "2026-01-30T10:00:00Z");
        record["omraade"] = json!(area);
        let (status, body) = door.appointments("import", vec![record], None).await;
        match fault {
            None => {
                assert_eq!(status, StatusCode::OK, "{area}: {body}");
                door.send(
                    reqwest::Method::POST,
                    &format!("{PATH}/fjern"),
                    Some(json!({ "uuids": [MEETING] })),
                    None,
                )
                .await;
            }
            Some(rule) => {
                assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{area}");
                assert_eq!(first_violation(&body), ("/omraade".into(), rule.into()));
            }
        }
    }

    // An update of an appointment that is not there, an import twice, a
    // move from a time it did not have.
    let (_, body) = door
        .appointments(
            "opdater",
            vec![moved(MEETING, "2026-02-10T10:00:00Z")],
            None,
        )
        .await;
    assert_eq!(first_violation(&body).1, "unknown_appointment");
    door.appointments(
        "import",
        vec![meeting(MEETING, "2026-02-01T10:00:00Z")],
        None,
    )
    .await;
    let (_, body) = door
        .appointments(
            "import",
            vec![meeting(MEETING, "2026-02-02T10:00:00Z")],
            None,
        )
        .await;
    assert_eq!(first_violation(&body).1, "appointment_exists");
    let mut wrong_move = moved(MEETING, "2026-02-10T10:00:00Z");
    wrong_move["tidligere_start"] = json!("2026-03-01T09:00:00Z");
    let (status, body) = door.appointments("opdater", vec![wrong_move], None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        first_violation(&body),
        ("/tidligere_start".into(), "previous_start_mismatch".into())
    );
    let (_, body) = door
        .appointments(
            "opdater",
            vec![meeting(MEETING, "2026-01-10T10:00:00Z")],
            None,
        )
        .await;
    assert_eq!(first_violation(&body).1, "before_import");

    // Report mode accepts what is not fatal, and records it.
    let (_, credential) = system_of_kind(&app, BOOKING, "booking", "appointment", "report").await;
    let booking = Door {
        app: &app,
        credential,
    };
    let mut odd = meeting(DEADLINE, "2026-02-01T10:00:00Z");
    odd["slut"] = json!("2026-03-02T08:00:00Z");
    let (status, body) = booking.appointments("import", vec![odd], None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "accepted_with_warnings");
    assert_eq!(
        first_violation(&body),
        ("/slut".into(), "ends_before_start".into())
    );
    let mut fatal = meeting(
        "3d1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
        "2026-02-01T10:00:00Z",
    );
    fatal["part"] = json!("urn:oio:cvr-nr:55133018");
    let (status, _) = booking.appointments("import", vec![fatal], None).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a fatal rule refuses in report mode too"
    );
}

#[tokio::test]
async fn only_an_appointment_system_writes_appointments_and_only_its_own_for_its_municipalities() {
    let app = TestApp::start().await;
    let door = kalender(&app, "strict").await;
    // Odense waits for approval; Copenhagen never registered it.
    for (code, rule) in [
        (461, "municipality_not_approved"),
        (101, "municipality_not_registered"),
    ] {
        let mut record = meeting(MEETING, "2026-02-01T10:00:00Z");
        record["kommune"] = json!(code);
        let (status, body) = door.appointments("import", vec![record], None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(first_violation(&body), ("/kommune".into(), rule.into()));
    }
    // A case system delivers no appointments, an appointment system no
    // cases and no claims.
    let (_, case_credential) = system(&app, FASIT, "fasit", "strict").await;
    let fasit = Door {
        app: &app,
        credential: case_credential,
    };
    let (status, body) = fasit
        .appointments(
            "import",
            vec![meeting(MEETING, "2026-02-01T10:00:00Z")],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(first_violation(&body).1, "wrong_kind");
    let (status, body) = door.import(vec![case(CASE, "KY-1", KALENDER)], None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(first_violation(&body).1, "wrong_kind");
    let (status, body) = door
        .send(
            reqwest::Method::POST,
            "/api/v1/borger/fordringer/import",
            Some(json!({ "records": [{
                "uuid": MEETING, "kommune": 751, "registreret": "2026-02-01T10:00:00Z",
                "fordringstype": "pension", "debitor": format!("urn:oio:cpr-nr:{CPR}"),
                "oprindeligt_beloeb": 100, "restbeloeb": 100, "forfaldsdato": "2026-03-01",
                "status": "aaben", "debitorsystem": "KMD Opus Debitor",
                "virkning": { "fra": "2026-01-15T00:00:00Z" },
            }] })),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(first_violation(&body).1, "wrong_kind");

    // Another appointment system neither reads, finds, updates nor
    // removes it.
    assert_eq!(
        door.appointments(
            "import",
            vec![meeting(MEETING, "2026-02-01T10:00:00Z")],
            None
        )
        .await
        .0,
        StatusCode::OK
    );
    let (_, credential) = system_of_kind(&app, BOOKING, "booking", "appointment", "strict").await;
    let booking = Door {
        app: &app,
        credential,
    };
    assert_eq!(
        booking.appointment(MEETING, "").await.0,
        StatusCode::NOT_FOUND
    );
    let (_, found) = booking
        .send(
            reqwest::Method::POST,
            &format!("{PATH}/soeg"),
            Some(json!({ "kommune": 751 })),
            None,
        )
        .await;
    assert_eq!(found, json!([]));
    let (_, body) = booking
        .appointments(
            "opdater",
            vec![moved(MEETING, "2026-02-10T10:00:00Z")],
            None,
        )
        .await;
    assert_eq!(first_violation(&body).1, "not_this_systems_appointment");
    let (_, removed) = booking
        .send(
            reqwest::Method::POST,
            &format!("{PATH}/fjern"),
            Some(json!({ "uuids": [MEETING] })),
            None,
        )
        .await;
    assert_eq!(removed["appointments"], 0);
    assert_eq!(removed["unknown"], json!([MEETING]));
    assert_eq!(door.appointment(MEETING, "").await.0, StatusCode::OK);

    // Its own removal deletes it physically, audited.
    door.appointments(
        "opdater",
        vec![moved(MEETING, "2026-02-10T10:00:00Z")],
        None,
    )
    .await;
    let (status, removed) = door
        .send(
            reqwest::Method::POST,
            &format!("{PATH}/fjern"),
            Some(json!({ "uuids": [MEETING] })),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{removed}");
    assert_eq!(
        (
            removed["appointments"].as_u64(),
            removed["registrations"].as_u64()
        ),
        (Some(1), Some(2))
    );
    assert_eq!(
        rows_holding(&app, "appointment_registrations", "status", "").await,
        0
    );
    assert_eq!(
        rows_holding(&app, "citizen_audit", "action", "appointments.remove").await,
        2,
        "each removal is audited, the other system's that found nothing too"
    );
}

#[tokio::test]
async fn parallel_imports_of_one_appointment_do_not_both_win() {
    let app = TestApp::start().await;
    let door = kalender(&app, "strict").await;
    let credential = std::sync::Arc::new(door.credential.clone());
    let mut tasks = Vec::new();
    for i in 0..8 {
        let url = app.url(&format!("{PATH}/import"));
        let credential = credential.clone();
        let mut record = meeting(MEETING, "2026-02-01T10:00:00Z");
        record["titel"] = json!(format!("Samtale {i}"));
        tasks.push(tokio::spawn(async move {
            reqwest::Client::new()
                .post(url)
                .bearer_auth(credential.as_str())
                .json(&json!({ "records": [record] }))
                .send()
                .await
                .expect("answered")
                .status()
        }));
    }
    let mut accepted = 0;
    for task in tasks {
        match task.await.expect("joins") {
            StatusCode::OK => accepted += 1,
            StatusCode::UNPROCESSABLE_ENTITY => {}
            other => panic!("neither accepted nor refused: {other}"),
        }
    }
    assert_eq!(accepted, 1, "exactly one import wins");
    assert_eq!(
        rows_holding(&app, "appointment_registrations", "operation", "import").await,
        1
    );

    // Parallel updates queue on the appointment: each is one registration.
    let mut tasks = Vec::new();
    for day in 1..=6 {
        let url = app.url(&format!("{PATH}/opdater"));
        let credential = credential.clone();
        let mut record = meeting(MEETING, &format!("2026-02-0{day}T11:00:00Z"));
        record["medbring"] = json!(format!("Udgave {day}"));
        tasks.push(tokio::spawn(async move {
            reqwest::Client::new()
                .post(url)
                .bearer_auth(credential.as_str())
                .json(&json!({ "records": [record] }))
                .send()
                .await
                .expect("answered")
                .status()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.expect("joins"), StatusCode::OK);
    }
    assert_eq!(
        rows_holding(&app, "appointment_registrations", "operation", "update").await,
        6
    );
    let (_, now) = door.appointment(MEETING, "").await;
    assert_eq!(
        now["record"]["medbring"], "Udgave 6",
        "the latest is the present"
    );
}

#[tokio::test]
async fn removal_on_system_change_removes_the_systems_appointments_in_the_same_operation() {
    let app = TestApp::start().await;
    let (id, credential) =
        system_of_kind(&app, KALENDER, "kalender", "appointment", "strict").await;
    let door = Door {
        app: &app,
        credential,
    };
    door.appointments(
        "import",
        vec![
            meeting(MEETING, "2026-02-01T10:00:00Z"),
            meeting(DEADLINE, "2026-02-01T10:00:00Z"),
        ],
        None,
    )
    .await;
    door.appointments(
        "opdater",
        vec![moved(MEETING, "2026-02-10T10:00:00Z")],
        None,
    )
    .await;

    let staff = app.signed_in("staff").await;
    let page = format!("/borger/systemer/{}/kommuner/751/fjern", id.0);
    let (status, html) = staff.get_text(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("2 aftaler og frister slettes med hele deres historik."),
        "{html}"
    );
    let token = staff.csrf_token(&page).await;
    let response = staff.post_form(&page, &[("csrf_token", &token)]).await;
    let html = response.text().await.expect("text");
    assert!(html.contains("Og 2 aftaler og frister."), "{html}");
    assert_eq!(rows_holding(&app, "appointments", "uuid", "-").await, 0);
    assert_eq!(
        rows_holding(&app, "appointment_registrations", "status", "").await,
        0
    );
    let audit = app.citizen.system_audit(id).await.expect("audit");
    let detail = audit[0].detail.as_deref().unwrap_or_default();
    assert!(
        detail.contains("\"appointments\":2") && detail.contains("\"registrations\":3"),
        "{audit:?}"
    );
    let (_, body) = door
        .appointments(
            "import",
            vec![meeting(MEETING, "2026-02-01T10:00:00Z")],
            None,
        )
        .await;
    assert_eq!(first_violation(&body).1, "municipality_not_registered");
}
