//! Cases through the systems' JSON door (issue 15, step 2): a case's
//! whole life, each refusal, idempotent retries, out-of-order updates,
//! the bitemporal read-back, report mode, a system confined to its own
//! records and registered municipalities, and two deliveries of one case
//! at once — on both backends.

use reqwest::StatusCode;
use samspil_citizen::SystemRegistration;
use samspil_citizen_storage::SystemId;
use samspil_domain::Principal;
use samspil_domain::access::Actor;
use serde_json::{Value, json};

use crate::harness::TestApp;

pub(crate) const FASIT: &str = "1f3e2a60-0b7c-4e2b-9b8e-5c0c6a7d9e11";
pub(crate) const MOMENTUM: &str = "2f3e2a60-0b7c-4e2b-9b8e-5c0c6a7d9e11";
pub(crate) const CASE: &str = "0c5c3d2e-1f4a-4b6c-8d9e-0a1b2c3d4e5f";
pub(crate) const CPR: &str = "0101901234";

/// A system registered for Aarhus (approved) and Odense (waiting), with
/// a credential; returns its id and credential.
pub(crate) async fn system(
    app: &TestApp,
    uuid: &str,
    name: &str,
    mode: &str,
) -> (SystemId, String) {
    system_of_kind(app, uuid, name, "case", mode).await
}

/// [`system`] of another kind (`debt`, `appointment`, …).
pub(crate) async fn system_of_kind(
    app: &TestApp,
    uuid: &str,
    name: &str,
    kind: &str,
    mode: &str,
) -> (SystemId, String) {
    let operator = Principal::operator().actor();
    let registration =
        SystemRegistration::check(uuid, name, "Leverandør", kind, mode).expect("valid");
    let system = app
        .citizen
        .register_system(&registration, &operator)
        .await
        .expect("registered");
    for code in [751, 461] {
        app.citizen
            .register_municipality(
                system.id,
                code,
                time::macros::date!(2026 - 01 - 01),
                &operator,
            )
            .await
            .expect("registered for the municipality");
    }
    let aarhus = Actor {
        user_id: None,
        label: "admin-751".into(),
    };
    app.citizen
        .approve_municipality(system.id, 751, &aarhus)
        .await
        .expect("approved");
    let secret = format!("samspil_test_{name}");
    app.citizen
        .issue_credential(
            system.id,
            &samspil_auth::digest(&secret),
            samspil_storage::now(),
            &operator,
        )
        .await
        .expect("credential");
    (system.id, secret)
}

pub(crate) fn virkning(fra: &str, til: Option<&str>) -> Value {
    match til {
        Some(til) => json!({ "fra": fra, "til": til }),
        None => json!({ "fra": fra }),
    }
}

/// A whole case of Fasit's in Aarhus, Opstaaet → Oplyst → Afgjort.
pub(crate) fn case(uuid: &str, number: &str, sender: &str) -> Value {
    let rel = |rolle: &str, reference: &str| json!({ "rolle": rolle, "reference": reference, "virkning": virkning("2026-01-05T09:00:00Z", None) });
    json!({
        "uuid": uuid,
        "kommune": 751,
        "registreret": "2026-01-20T10:00:00Z",
        "egenskaber": [{
            "brugervendt_noegle": number,
            "sagsnummer": number,
            "titel": "Kontanthjælp",
            "virkning": virkning("2026-01-05T09:00:00Z", None),
        }],
        "fremdrift": [
            { "status": "Opstaaet", "virkning": virkning("2026-01-05T09:00:00Z", Some("2026-01-08T09:00:00Z")) },
            { "status": "Oplyst", "virkning": virkning("2026-01-08T09:00:00Z", Some("2026-01-20T09:00:00Z")) },
            { "status": "Afgjort", "virkning": virkning("2026-01-20T09:00:00Z", None) },
        ],
        "indeks": [{
            "sagsstatus": "Bevilget",
            "foelsomhed": "FORTROLIGE_PERSONOPLYSNINGER",
            "virkning": virkning("2026-01-05T09:00:00Z", None),
        }],
        "relationer": [
            rel("ejer", "urn:oio:cvr-nr:55133018"),
            rel("ansvarlig", "9b1d7f0e-2c3a-4d5e-8f60-718293a4b5c6"),
            rel("primaer_part", &format!("urn:oio:cpr-nr:{CPR}")),
            rel("primaer_klasse", "32.18.04"),
            rel("handlingsklasse", "G01"),
            rel("master", sender),
            rel("afsender", sender),
        ],
    })
}

/// An update that closes the case: Afgjort ends, Afsluttet begins.
pub(crate) fn closing(uuid: &str, registered: &str) -> Value {
    json!({
        "uuid": uuid,
        "kommune": 751,
        "registreret": registered,
        "fremdrift": [
            { "status": "Opstaaet", "virkning": virkning("2026-01-05T09:00:00Z", Some("2026-01-08T09:00:00Z")) },
            { "status": "Oplyst", "virkning": virkning("2026-01-08T09:00:00Z", Some("2026-01-20T09:00:00Z")) },
            { "status": "Afgjort", "virkning": virkning("2026-01-20T09:00:00Z", Some("2026-03-01T09:00:00Z")) },
            { "status": "Afsluttet", "virkning": virkning("2026-03-01T09:00:00Z", None) },
        ],
    })
}

/// A change that breaks one rule of a valid case.
pub(crate) type Mutation = Box<dyn Fn(&mut Value)>;

pub(crate) struct Door<'a> {
    pub(crate) app: &'a TestApp,
    pub(crate) credential: String,
}

impl Door<'_> {
    pub(crate) async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
        key: Option<&str>,
    ) -> (StatusCode, Value) {
        let mut request = reqwest::Client::new()
            .request(method, self.app.url(path))
            .bearer_auth(&self.credential);
        if let Some(body) = body {
            request = request.json(&body);
        }
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        let response = request.send().await.expect("answered");
        let status = response.status();
        let text = response.text().await.expect("text");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub(crate) async fn import(
        &self,
        records: Vec<Value>,
        key: Option<&str>,
    ) -> (StatusCode, Value) {
        self.send(
            reqwest::Method::POST,
            "/api/v1/borger/sager/import",
            Some(json!({ "records": records })),
            key,
        )
        .await
    }

    pub(crate) async fn update(
        &self,
        records: Vec<Value>,
        key: Option<&str>,
    ) -> (StatusCode, Value) {
        self.send(
            reqwest::Method::POST,
            "/api/v1/borger/sager/opdater",
            Some(json!({ "records": records })),
            key,
        )
        .await
    }

    pub(crate) async fn read(&self, uuid: &str, query: &str) -> (StatusCode, Value) {
        self.send(
            reqwest::Method::GET,
            &format!("/api/v1/borger/sager/{uuid}{query}"),
            None,
            None,
        )
        .await
    }

    pub(crate) async fn search(&self, body: Value) -> (StatusCode, Value) {
        self.send(
            reqwest::Method::POST,
            "/api/v1/borger/sager/soeg",
            Some(body),
            None,
        )
        .await
    }
}

pub(crate) async fn fasit<'a>(app: &'a TestApp, mode: &str) -> (SystemId, Door<'a>) {
    let (id, credential) = system(app, FASIT, "fasit", mode).await;
    (id, Door { app, credential })
}

pub(crate) fn statuses(body: &Value) -> Vec<String> {
    body["fremdrift"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|p| p["status"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// The rows of a citizen table that hold a text, on either backend.
pub(crate) async fn rows_holding(app: &TestApp, table: &str, column: &str, text: &str) -> i64 {
    citizen_scalar(
        app,
        &format!("SELECT count(*) FROM {table} WHERE {column} LIKE '%{text}%'"),
    )
    .await
}

/// One BIGINT the citizen store answers to `sql`, on either backend.
pub(crate) async fn citizen_scalar(app: &TestApp, sql: &str) -> i64 {
    let sql = sql.to_owned();
    match app.citizen.backend() {
        "sqlite" => {
            let url = samspil::citizen_database_url(&app.database_url);
            let store = samspil_citizen_sql::sqlite::SqliteCitizenStore::connect(&url)
                .await
                .expect("opens");
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .fetch_one(store.pool())
                .await
                .expect("counts")
        }
        _ => {
            let store = samspil_citizen_sql::postgres::PostgresCitizenStore::connect(
                &app.database_url,
                None,
            )
            .await
            .expect("connects");
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .fetch_one(store.pool())
                .await
                .expect("counts")
        }
    }
}

#[tokio::test]
async fn a_case_lives_its_whole_life_over_json_and_reads_back_as_it_was() {
    let app = TestApp::start().await;
    let (id, door) = fasit(&app, "strict").await;

    let (status, body) = door
        .import(vec![case(CASE, "KY-2026-0001", FASIT)], None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "accepted");
    assert_eq!(body["records"][0]["status"], "accepted");

    let (status, now) = door.read(CASE, "").await;
    assert_eq!(status, StatusCode::OK, "{now}");
    assert_eq!(now["record"]["egenskaber"][0]["titel"], "Kontanthjælp");
    assert_eq!(statuses(&now["record"]), ["Opstaaet", "Oplyst", "Afgjort"]);
    let party = now["record"]["relationer"]
        .as_array()
        .expect("relations")
        .iter()
        .find(|r| r["rolle"] == "primaer_part")
        .expect("a primary party")
        .clone();
    assert_eq!(party["reference"], format!("urn:oio:cpr-nr:{CPR}"));

    // Closed: Afsluttet from March.
    let (status, body) = door
        .update(vec![closing(CASE, "2026-03-01T10:00:00Z")], None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, now) = door.read(CASE, "").await;
    assert_eq!(
        statuses(&now["record"]),
        ["Opstaaet", "Oplyst", "Afgjort", "Afsluttet"]
    );
    assert_eq!(
        now["record"]["egenskaber"][0]["titel"], "Kontanthjælp",
        "carried over"
    );

    // As registered in February: not closed yet. Valid on 10 January: Oplyst.
    let (_, before) = door.read(CASE, "?registreret=2026-02-01T00:00:00Z").await;
    assert_eq!(
        statuses(&before["record"]),
        ["Opstaaet", "Oplyst", "Afgjort"]
    );
    assert_eq!(before["registreret"], "2026-01-20T10:00:00Z");
    let (_, then) = door
        .read(
            CASE,
            "?registreret=2026-02-01T00:00:00Z&virkning=2026-01-10T00:00:00Z",
        )
        .await;
    assert_eq!(statuses(&then["record"]), ["Oplyst"]);
    let (status, _) = door.read(CASE, "?registreret=2026-01-01T00:00:00Z").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not registered yet then");

    // Searched by its number and by the party's CPR number (in a body).
    let (_, found) = door.search(json!({ "sagsnummer": "KY-2026-0001" })).await;
    assert_eq!(found[0]["uuid"], CASE);
    let (_, found) = door
        .search(json!({ "part": format!("urn:oio:cpr-nr:{CPR}") }))
        .await;
    assert_eq!(found.as_array().map(Vec::len), Some(1), "{found}");
    let (_, found) = door
        .search(json!({ "part": "urn:oio:cpr-nr:0101901235" }))
        .await;
    assert_eq!(found.as_array().map(Vec::len), Some(0));

    // The delivery log: two accepted batches, newest first.
    let (_, log) = door
        .send(
            reqwest::Method::GET,
            "/api/v1/borger/leverancer",
            None,
            None,
        )
        .await;
    let log = log.as_array().expect("a list").clone();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0]["operation"], "update");
    assert!(log.iter().all(|entry| entry["status"] == "accepted"));

    // A dump does not list the CPR number: neither the relation nor any
    // stored JSON holds it; every read was logged.
    for (table, column) in [
        (
            "case_relations",
            "coalesce(reference, '') || coalesce(party_sealed, '') || coalesce(party_digest, '')",
        ),
        ("case_periods", "value_json"),
        ("case_deliveries", "outcome_json"),
        ("case_registrations", "record_hash"),
    ] {
        assert_eq!(rows_holding(&app, table, column, CPR).await, 0, "{table}");
    }
    assert_eq!(
        rows_holding(
            &app,
            "citizen_access_log",
            "reader",
            &format!("system:{}", id.0)
        )
        .await,
        6
    );
}

#[tokio::test]
async fn a_broken_rule_refuses_the_whole_batch_with_where_what_and_which_section() {
    let app = TestApp::start().await;
    let (_, door) = fasit(&app, "strict").await;
    let good = case(CASE, "KY-1", FASIT);
    let mut bad = case("1c5c3d2e-1f4a-4b6c-8d9e-0a1b2c3d4e5f", "KY-2", FASIT);
    bad["egenskaber"][0]["titel"] = json!("t".repeat(256));
    let (status, body) = door.import(vec![good.clone(), bad], None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["status"], "refused");
    assert_eq!(body["records"][0]["status"], "not_written");
    assert_eq!(body["records"][1]["status"], "refused");
    let violation = &body["records"][1]["violations"][0];
    assert_eq!(violation["pointer"], "/egenskaber/0/titel");
    assert_eq!(violation["rule"], "too_long");
    assert_eq!(violation["section"], "03 Sagsegenskaber [OB1]");
    assert_eq!(
        door.read(CASE, "").await.0,
        StatusCode::NOT_FOUND,
        "nothing written"
    );

    // Each rule refuses with its own pointer and rule.
    let mutations: Vec<(&str, Mutation, &str, &str)> = vec![
        (
            "sagsnummer",
            Box::new(|c| c["egenskaber"][0]["sagsnummer"] = json!("X")),
            "/egenskaber/0/sagsnummer",
            "case_number_differs",
        ),
        (
            "progress",
            Box::new(|c| {
                c["fremdrift"].as_array_mut().expect("list").remove(1);
            }),
            "/fremdrift/1/status",
            "progress_incomplete",
        ),
        (
            "sensitivity",
            Box::new(|c| c["indeks"][0]["foelsomhed"] = json!("HEMMELIG")),
            "/indeks/0/foelsomhed",
            "unknown_sensitivity",
        ),
        (
            "owner",
            Box::new(|c| {
                c["relationer"].as_array_mut().expect("list").remove(0);
            }),
            "/relationer",
            "cardinality",
        ),
        (
            "sender",
            Box::new(|c| c["relationer"][6]["reference"] = json!(MOMENTUM)),
            "/relationer/6/reference",
            "sender_is_not_the_caller",
        ),
        (
            "exempt",
            Box::new(|c| c["egenskaber"][0]["offentlighed_undtaget"] = json!(true)),
            "/egenskaber/0/titel_alternativ_tekst",
            "alternative_title_missing",
        ),
    ];
    for (name, mutate, pointer, rule) in mutations {
        let mut record = good.clone();
        mutate(&mut record);
        let (status, body) = door.import(vec![record], None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {body}");
        let violations = body["records"][0]["violations"]
            .as_array()
            .expect("violations")
            .clone();
        assert!(
            violations
                .iter()
                .any(|v| v["pointer"] == pointer && v["rule"] == rule),
            "{name}: {body}"
        );
        assert!(
            !body.to_string().contains(CPR),
            "no CPR number in an answer"
        );
    }
    // A CPR number in a field that takes none is refused without being
    // repeated.
    let mut misplaced = good.clone();
    misplaced["kommune"] = json!(format!("urn:oio:cpr-nr:{CPR}"));
    let (status, body) = door.import(vec![misplaced], None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(!body.to_string().contains(CPR), "{body}");
    assert!(body.to_string().contains("line 1"), "{body}");

    // The case once; then its number is taken in Aarhus, an import of it
    // again is refused, an update of an unknown case too.
    assert_eq!(
        door.import(vec![good.clone()], None).await.0,
        StatusCode::OK
    );
    let (status, body) = door
        .import(
            vec![case("2c5c3d2e-1f4a-4b6c-8d9e-0a1b2c3d4e5f", "KY-1", FASIT)],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["records"][0]["violations"][0]["rule"],
        "case_number_taken"
    );
    let mut again = good.clone();
    again["registreret"] = json!("2026-01-21T10:00:00Z");
    let (_, body) = door.import(vec![again], None).await;
    assert_eq!(body["records"][0]["violations"][0]["rule"], "case_exists");
    let (_, body) = door
        .update(
            vec![closing(
                "3c5c3d2e-1f4a-4b6c-8d9e-0a1b2c3d4e5f",
                "2026-03-01T10:00:00Z",
            )],
            None,
        )
        .await;
    assert_eq!(body["records"][0]["violations"][0]["rule"], "unknown_case");

    // The master never changes; a relation in force is ended, not dropped.
    let mut update = good.clone();
    update["registreret"] = json!("2026-02-01T10:00:00Z");
    update["relationer"][5]["reference"] = json!(MOMENTUM);
    let (_, body) = door.update(vec![update], None).await;
    let rules: Vec<&str> = body["records"][0]["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .filter_map(|v| v["rule"].as_str())
        .collect();
    assert!(rules.contains(&"master_changed"), "{body}");

    // The log has each refusal with its reasons.
    let (_, log) = door
        .send(
            reqwest::Method::GET,
            "/api/v1/borger/leverancer",
            None,
            None,
        )
        .await;
    let refused = log
        .as_array()
        .expect("list")
        .iter()
        .filter(|e| e["status"] == "refused")
        .count();
    assert_eq!(refused, 11, "{log}");
}

#[tokio::test]
async fn the_same_batch_twice_changes_nothing_and_gets_the_same_answer() {
    let app = TestApp::start().await;
    let (id, door) = fasit(&app, "strict").await;
    let batch = vec![case(CASE, "KY-1", FASIT)];
    let first = door.import(batch.clone(), Some("batch-1")).await;
    assert_eq!(first.0, StatusCode::OK, "{}", first.1);
    let second = door.import(batch.clone(), Some("batch-1")).await;
    assert_eq!(second, first, "the same answer");
    // Without a key, the records themselves name the batch.
    let third = door.import(batch.clone(), None).await;
    assert_eq!(third.0, StatusCode::OK);
    assert_eq!(third.1["records"][0]["status"], "unchanged", "{}", third.1);
    assert_eq!(door.import(batch.clone(), None).await, third);
    // The key of another batch: refused.
    let other = door
        .import(
            vec![case("1c5c3d2e-1f4a-4b6c-8d9e-0a1b2c3d4e5f", "KY-2", FASIT)],
            Some("batch-1"),
        )
        .await;
    assert_eq!(other.0, StatusCode::CONFLICT, "{}", other.1);
    // One registration, two log lines (the first and the keyless one).
    let (_, view) = door.read(CASE, "").await;
    assert_eq!(view["registreret"], "2026-01-20T10:00:00Z");
    assert_eq!(
        app.citizen
            .deliveries(id, None, 100)
            .await
            .expect("log")
            .len(),
        2
    );
    assert_eq!(
        rows_holding(&app, "case_registrations", "operation", "import").await,
        1
    );
}

#[tokio::test]
async fn an_older_registration_arriving_late_is_history_not_the_present() {
    let app = TestApp::start().await;
    let (_, door) = fasit(&app, "strict").await;
    assert_eq!(
        door.import(vec![case(CASE, "KY-1", FASIT)], None).await.0,
        StatusCode::OK
    );
    assert_eq!(
        door.update(vec![closing(CASE, "2026-03-01T10:00:00Z")], None)
            .await
            .0,
        StatusCode::OK
    );
    // Registered in February at the sender, delivered only now: a new
    // status text.
    let late = json!({
        "uuid": CASE,
        "kommune": 751,
        "registreret": "2026-02-10T10:00:00Z",
        "indeks": [{ "sagsstatus": "Klage modtaget", "foelsomhed": "FORTROLIGE_PERSONOPLYSNINGER",
                     "virkning": virkning("2026-01-05T09:00:00Z", None) }],
    });
    let (status, body) = door.update(vec![late], None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, now) = door.read(CASE, "").await;
    assert_eq!(
        now["registreret"], "2026-03-01T10:00:00Z",
        "the present stays"
    );
    assert_eq!(now["record"]["indeks"][0]["sagsstatus"], "Bevilget");
    assert_eq!(statuses(&now["record"]).len(), 4);
    let (_, february) = door.read(CASE, "?registreret=2026-02-15T00:00:00Z").await;
    assert_eq!(february["registreret"], "2026-02-10T10:00:00Z");
    assert_eq!(
        february["record"]["indeks"][0]["sagsstatus"],
        "Klage modtaget"
    );
    assert_eq!(
        statuses(&february["record"]).len(),
        3,
        "built on the January registration"
    );
}

#[tokio::test]
async fn report_mode_accepts_a_broken_rule_and_records_it() {
    let app = TestApp::start().await;
    let (id, door) = fasit(&app, "report").await;
    let mut record = case(CASE, "KY-1", FASIT);
    record["indeks"][0]["sagsstatus"] = json!("s".repeat(300));
    let (status, body) = door.import(vec![record], None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "accepted_with_warnings");
    assert_eq!(body["records"][0]["status"], "accepted_with_warnings");
    assert_eq!(
        body["records"][0]["violations"][0]["pointer"],
        "/indeks/0/sagsstatus"
    );
    assert_eq!(door.read(CASE, "").await.0, StatusCode::OK);
    let log = app.citizen.deliveries(id, None, 10).await.expect("log");
    assert_eq!(log[0].status, "accepted_with_warnings");
    assert_eq!(log[0].violation_count, 1);
    // A fatal one is refused in report mode too.
    let mut record = case("not-a-uuid", "KY-2", FASIT);
    record["kommune"] = json!(751);
    let (status, body) = door.import(vec![record], None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
}

#[tokio::test]
async fn a_system_writes_only_for_its_approved_municipalities_and_reads_only_its_own() {
    let app = TestApp::start().await;
    let (_, fasit) = fasit(&app, "strict").await;
    let (_, momentum) = system(&app, MOMENTUM, "momentum", "strict").await;
    let momentum = Door {
        app: &app,
        credential: momentum,
    };

    // Odense waits for approval; Copenhagen never registered it.
    for (code, rule) in [
        (461, "municipality_not_approved"),
        (101, "municipality_not_registered"),
    ] {
        let mut record = case(CASE, "KY-1", FASIT);
        record["kommune"] = json!(code);
        let (status, body) = fasit.import(vec![record], None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["records"][0]["violations"][0]["rule"], rule);
    }
    assert_eq!(
        fasit.import(vec![case(CASE, "KY-1", FASIT)], None).await.0,
        StatusCode::OK
    );

    // Momentum neither reads, finds, updates nor imports over Fasit's case.
    assert_eq!(momentum.read(CASE, "").await.0, StatusCode::NOT_FOUND);
    let (_, found) = momentum
        .search(json!({ "part": format!("urn:oio:cpr-nr:{CPR}") }))
        .await;
    assert_eq!(found, json!([]));
    let (_, found) = momentum.search(json!({ "kommune": 751 })).await;
    assert_eq!(found, json!([]));
    let (status, body) = momentum
        .update(vec![closing(CASE, "2026-03-01T10:00:00Z")], None)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["records"][0]["violations"][0]["rule"],
        "not_this_systems_case"
    );
    let (_, body) = momentum
        .import(vec![case(CASE, "KY-9", MOMENTUM)], None)
        .await;
    assert_eq!(
        body["records"][0]["violations"][0]["rule"],
        "not_this_systems_case"
    );
    let (_, log) = momentum
        .send(
            reqwest::Method::GET,
            "/api/v1/borger/leverancer",
            None,
            None,
        )
        .await;
    assert_eq!(
        log.as_array().map(Vec::len),
        Some(2),
        "its own batches only"
    );
    let (_, now) = fasit.read(CASE, "").await;
    assert_eq!(statuses(&now["record"]).len(), 3, "Fasit's case untouched");

    // A person's token opens none of it.
    let person = samspil::create_token(app.storage.as_ref(), "admin-751", "test")
        .await
        .expect("token");
    let door = Door {
        app: &app,
        credential: person,
    };
    assert_eq!(door.read(CASE, "").await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn two_deliveries_of_one_case_at_once_do_not_both_win() {
    let app = TestApp::start().await;
    let (_, door) = fasit(&app, "strict").await;
    let door = std::sync::Arc::new(door.credential);
    let mut tasks = Vec::new();
    for i in 0..8 {
        let url = app.url("/api/v1/borger/sager/import");
        let credential = door.clone();
        let mut record = case(CASE, "KY-1", FASIT);
        record["egenskaber"][0]["titel"] = json!(format!("Udgave {i}"));
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

    // Parallel updates queue on the case: each is one registration.
    let mut tasks = Vec::new();
    for day in 1..=6 {
        let url = app.url("/api/v1/borger/sager/opdater");
        let credential = door.clone();
        let record = closing(CASE, &format!("2026-03-0{day}T10:00:00Z"));
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
        rows_holding(&app, "case_registrations", "operation", "update").await,
        6
    );
}

#[tokio::test]
async fn the_delivery_log_page_shows_each_batch_to_staff_and_to_the_municipality_its_own() {
    let app = TestApp::start().await;
    let (id, door) = fasit(&app, "report").await;
    let mut record = case(CASE, "KY-1", FASIT);
    record["indeks"][0]["sagsstatus"] = json!("s".repeat(300));
    assert_eq!(door.import(vec![record], None).await.0, StatusCode::OK);
    let (status, _) = door
        .import(vec![case("not-a-uuid", "KY-2", FASIT)], None)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = format!("/borger/systemer/{}/leverancer", id.0);

    let staff = app.signed_in("staff").await;
    let (status, html) = staff.get_text(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Modtaget med advarsler"), "{html}");
    assert!(html.contains("Afvist"), "{html}");
    assert!(
        html.contains("sagsstatus</code>: at most 255 characters, got 300"),
        "{html}"
    );
    assert!(html.contains("01 Sagens ID [OB2]"), "{html}");
    assert!(!html.contains(CPR), "no CPR number on the page");

    // Aarhus sees both (its records); Odense's administrator none of it.
    let aarhus = app.signed_in("admin-751").await;
    let (status, html) = aarhus.get_text(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Modtaget med advarsler"), "{html}");
    let odense = app.signed_in("admin-461").await;
    let (status, html) = odense.get_text(&page).await;
    assert_eq!(status, StatusCode::OK, "Odense is registered (waiting)");
    assert!(
        html.contains("Systemet har ikke leveret noget endnu."),
        "{html}"
    );
    let copenhagen = app.signed_in("admin-101").await;
    assert_eq!(copenhagen.get(&page).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn removal_on_system_change_deletes_the_municipalitys_cases_physically_and_reports_counts() {
    let app = TestApp::start().await;
    let (id, door) = fasit(&app, "strict").await;
    let other = "4c5c3d2e-1f4a-4b6c-8d9e-0a1b2c3d4e5f";
    let (status, body) = door
        .import(
            vec![case(CASE, "KY-1", FASIT), case(other, "KY-2", FASIT)],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        door.update(vec![closing(CASE, "2026-03-01T10:00:00Z")], None)
            .await
            .0,
        StatusCode::OK
    );

    // The staff page says what goes, then removes it and reports.
    let staff = app.signed_in("staff").await;
    let page = format!("/borger/systemer/{}/kommuner/751/fjern", id.0);
    let (status, html) = staff.get_text(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("2 sager slettes med hele deres historik."),
        "{html}"
    );
    let aarhus = app.signed_in("admin-751").await;
    assert_eq!(aarhus.get(&page).await.status(), StatusCode::FORBIDDEN);
    let token = staff.csrf_token(&page).await;
    let response = staff.post_form(&page, &[("csrf_token", &token)]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.expect("text");
    assert!(
        html.contains("Slettet: 2 sager, 3 registreringer"),
        "{html}"
    );

    // Gone physically, the registration ended, the removal audited.
    assert_eq!(rows_holding(&app, "cases", "uuid", "-").await, 0);
    assert_eq!(
        rows_holding(&app, "case_registrations", "operation", "").await,
        0
    );
    assert_eq!(
        rows_holding(&app, "case_periods", "value_json", "").await,
        0
    );
    assert_eq!(rows_holding(&app, "case_relations", "role", "").await, 0);
    let system = app
        .citizen
        .vendor_system(id)
        .await
        .expect("reads")
        .expect("exists");
    assert!(system.municipality(751).is_none());
    let audit = app.citizen.system_audit(id).await.expect("audit");
    assert_eq!(audit[0].action, "vendor_system.remove_on_system_change");
    assert_eq!(audit[0].actor_label, "staff");
    assert!(
        audit[0]
            .detail
            .as_deref()
            .unwrap_or_default()
            .contains("\"cases\":2")
    );
    assert_eq!(door.read(CASE, "").await.0, StatusCode::NOT_FOUND);
    let (_, body) = door.import(vec![case(CASE, "KY-1", FASIT)], None).await;
    assert_eq!(
        body["records"][0]["violations"][0]["rule"],
        "municipality_not_registered"
    );
}

#[tokio::test]
async fn the_command_line_removes_on_system_change_and_a_system_removes_its_own() {
    let app = TestApp::start().await;
    let (id, door) = fasit(&app, "strict").await;
    let other = "4c5c3d2e-1f4a-4b6c-8d9e-0a1b2c3d4e5f";
    door.import(
        vec![case(CASE, "KY-1", FASIT), case(other, "KY-2", FASIT)],
        None,
    )
    .await;

    // The system removes one of its own (and learns of an unknown one).
    let (status, body) = door
        .send(
            reqwest::Method::POST,
            "/api/v1/borger/sager/fjern",
            Some(json!({ "uuids": [other, "5c5c3d2e-1f4a-4b6c-8d9e-0a1b2c3d4e5f"] })),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["cases"], 1);
    assert_eq!(
        body["unknown"],
        json!(["5c5c3d2e-1f4a-4b6c-8d9e-0a1b2c3d4e5f"])
    );
    assert_eq!(door.read(other, "").await.0, StatusCode::NOT_FOUND);

    let (code, stdout, stderr) = crate::cli::run(crate::cli::samspil().args([
        "index",
        "remove",
        "--system",
        &id.0.to_string(),
        "--municipality",
        "101",
        "--database-url",
        &app.database_url,
    ]));
    assert_ne!(code, 0);
    assert!(stderr.contains("is not registered for 101"), "{stderr}");
    let (code, stdout2, stderr) = crate::cli::run(crate::cli::samspil().args([
        "index",
        "remove",
        "--system",
        &id.0.to_string(),
        "--municipality",
        "751",
        "--database-url",
        &app.database_url,
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout2.contains(
            "1 cases, 0 documents, 0 grants and 0 payments, 0 claims and 0 appointments of fasit (1 registrations"
        ),
        "{stdout2}"
    );
    let _ = stdout;
    assert_eq!(door.read(CASE, "").await.0, StatusCode::NOT_FOUND);
    let audit = app.citizen.system_audit(id).await.expect("audit");
    assert_eq!(audit[0].actor_label, "operator");
}

/// An initial load: a thousand cases in one batch, every one accepted and
/// searchable; the time it took is printed (not asserted).
#[tokio::test]
async fn an_initial_load_of_a_thousand_cases_is_one_batch() {
    let app = TestApp::start().await;
    let (_, door) = fasit(&app, "strict").await;
    let records: Vec<Value> = (0..1000)
        .map(|i| {
            let mut record = case(
                &format!("{i:08x}-1f4a-4b6c-8d9e-0a1b2c3d4e5f"),
                &format!("KY-{i:05}"),
                FASIT,
            );
            record["relationer"][2]["reference"] = json!(format!("urn:oio:cpr-nr:01019{i:05}"));
            record
        })
        .collect();
    let started = std::time::Instant::now();
    let (status, body) = door.import(records, Some("initial-load")).await;
    let took = started.elapsed();
    assert_eq!(
        status,
        StatusCode::OK,
        "{}",
        &body.to_string()[..500.min(body.to_string().len())]
    );
    let accepted = body["records"]
        .as_array()
        .expect("records")
        .iter()
        .filter(|r| r["status"] == "accepted")
        .count();
    assert_eq!(accepted, 1000);
    println!(
        "initial load on {}: 1000 cases in {:.2} s",
        app.citizen.backend(),
        took.as_secs_f64()
    );
    let (_, found) = door
        .search(json!({ "part": "urn:oio:cpr-nr:0101900777" }))
        .await;
    assert_eq!(found.as_array().map(Vec::len), Some(1), "{found}");
    // The system door says how far the load got, per municipality.
    let this: Value = reqwest::Client::new()
        .get(app.url("/api/v1/borger/system"))
        .bearer_auth(&door.credential)
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("JSON");
    let held: Vec<(u64, u64)> = this["municipalities"]
        .as_array()
        .expect("municipalities")
        .iter()
        .map(|m| {
            (
                m["municipality_code"].as_u64().unwrap_or_default(),
                m["held"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert!(held.contains(&(751, 1000)), "{this}");
    assert!(held.contains(&(461, 0)), "{this}");
}

/// Once a municipality's directory is imported, a case's responsible unit
/// must be one of its org units (checked through the platform's store; the
/// citizen store keeps no foreign key into it).
#[tokio::test]
async fn the_responsible_unit_must_be_a_unit_of_the_municipalitys_directory() {
    let app = TestApp::start().await;
    let (_, door) = fasit(&app, "strict").await;
    let dir = crate::harness::TempDir::new();
    let file = dir.path().join("aarhus.jsonl");
    std::fs::write(
        &file,
        [
            r#"{"kind":"org_unit","uuid":"9B1D7F0E-2C3A-4D5E-8F60-718293A4B5C6","name":"Jobcenter Aarhus","validity":{"from":"2020-01-01","to":null}}"#,
            r#"{"kind":"employee","uuid":"e-1","user_key":"lha","name":"Lise Hansen","email":"lha@aarhus.example","job_title":"Sagsbehandler","org_unit":"9B1D7F0E-2C3A-4D5E-8F60-718293A4B5C6","validity":{"from":"2021-01-01","to":null}}"#,
        ]
        .join("\n"),
    )
    .expect("written");
    samspil::directory_import::import_directory_file(
        app.storage.as_ref(),
        &file,
        "751",
        time::macros::date!(2026 - 06 - 01),
        |_, _| {},
    )
    .await
    .expect("the directory imports");

    let mut stranger = case(CASE, "KY-1", FASIT);
    stranger["relationer"][1]["reference"] = json!("0d1e7f0e-2c3a-4d5e-8f60-718293a4b5c6");
    let (status, body) = door.import(vec![stranger], None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        body["records"][0]["violations"][0]["rule"],
        "unknown_org_unit"
    );
    assert_eq!(
        body["records"][0]["violations"][0]["pointer"],
        "/relationer/1/reference"
    );
    let (status, body) = door.import(vec![case(CASE, "KY-1", FASIT)], None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// `samspil import kle` reads KL's plan (the fixture in
/// `../shared/data/kle/`, copied into samspil-citizen's test fixtures); a second run changes nothing; then a case's
/// primary class must be a subject of it, active when the class begins.
#[tokio::test]
async fn the_kle_plan_imports_once_and_a_cases_primary_class_must_be_an_active_subject() {
    let app = TestApp::start().await;
    let (_, door) = fasit(&app, "strict").await;
    let plan = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../citizen/samspil-citizen/tests/fixtures/KLE-Emneplan_Version2-0_2015-08-01.xml");
    let import = || {
        crate::cli::run(crate::cli::samspil().args([
            "import",
            "kle",
            plan.to_str().expect("a path"),
            "--database-url",
            &app.database_url,
        ]))
    };
    let (code, stdout, stderr) = import();
    assert_eq!(code, 0, "{stderr}");
    let added: u64 = stdout
        .split("imported: ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(added > 3000, "{stdout}");
    let (code, stdout, stderr) = import();
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("0 subjects added, 0 changed"), "{stdout}");
    let subject = app
        .citizen
        .kle_subject("15.02.05")
        .await
        .expect("reads")
        .expect("in the plan");
    assert_eq!(
        subject.expired_on,
        Some(time::macros::date!(1996 - 01 - 01))
    );

    for (class, rule) in [
        ("15.02.05", "kle_subject_not_active"),
        ("99.99.99", "unknown_kle_subject"),
    ] {
        let mut record = case(CASE, "KY-1", FASIT);
        record["relationer"][3]["reference"] = json!(class);
        let (status, body) = door.import(vec![record], None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{class}: {body}");
        assert_eq!(body["records"][0]["violations"][0]["rule"], rule, "{body}");
        assert_eq!(
            body["records"][0]["violations"][0]["pointer"],
            "/relationer/3/reference"
        );
    }
    let (status, body) = door.import(vec![case(CASE, "KY-1", FASIT)], None).await;
    assert_eq!(status, StatusCode::OK, "32.18.04 is active: {body}");
}

/// Every body of the systems' door refuses a field it does not know, and
/// says which (as every JSON body of the API does).
#[tokio::test]
async fn every_body_of_the_systems_door_refuses_a_field_it_does_not_know() {
    let app = TestApp::start().await;
    let (_, door) = fasit(&app, "strict").await;
    for path in [
        "/api/v1/borger/sager/import",
        "/api/v1/borger/sager/opdater",
        "/api/v1/borger/sager/soeg",
        "/api/v1/borger/sager/fjern",
    ] {
        let (status, body) = door
            .send(
                reqwest::Method::POST,
                path,
                Some(json!({ "surplus_field": true })),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {body}");
        assert_eq!(body["error"]["code"], "invalid", "{path}");
        assert!(body.to_string().contains("surplus_field"), "{path}: {body}");
    }
    let (status, _) = door
        .send(
            reqwest::Method::POST,
            "/api/v1/borger/sager/import",
            None,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "no body is no JSON");
}
